import json
import subprocess
import sys

from dsdash.__main__ import main
from tests.conftest import ROOT


def test_info_lists_tables(capsys):
    assert main(["info", "--json"]) == 0
    rows = {r["table"]: r["rows"] for r in json.loads(capsys.readouterr().out)}
    assert rows["sites"] == 28 and rows["national_series"] == 143


def test_misuse_exits_2(capsys):
    assert main([]) == 2
    assert main(["no-such-command"]) == 2


def test_runs_as_module_from_any_directory(tmp_path):
    out = subprocess.run([sys.executable, "-m", "dsdash", "info"], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.returncode == 0 and "sites" in out.stdout
