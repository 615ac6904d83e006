"""Output piped into a reader that stops early (``python -m dsdash gaps | head -1``) ends the command
quietly with the shell's SIGPIPE status, not with a BrokenPipeError traceback (review finding)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_reader_that_stops_early_gets_no_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "dsdash", "gaps"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # (the first block is written: the command is well under way)
    proc.stdout.close()  # the reader stops, as head does, while ~30 kB remain to be written
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert first.startswith(b"Coverage on 2023-12-10")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code == 141
