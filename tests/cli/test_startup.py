"""The command line loads only what the command it runs needs.

``python -m dsdash validate`` used to import the deck's builder (matplotlib, python-pptx) and the
store (SQLAlchemy) for every call: about a second and 75 MB before the first row was read. Each is
now imported by the commands that use it; ``pack`` and ``store`` still work (their own tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "pptx", "sqlalchemy", "alembic")

_PROBE = """
import sys
from dsdash.__main__ import main
code = main({argv!r})
print("LOADED", sorted(m for m in {heavy!r} if m in sys.modules), "EXIT", code, file=sys.stderr)
"""


def _loaded(argv: list[str], cwd: Path) -> tuple[list[str], int, str]:
    run = subprocess.run([sys.executable, "-c", _PROBE.format(argv=argv, heavy=HEAVY)], cwd=cwd,
                         capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})
    line = next(x for x in run.stderr.splitlines() if x.startswith("LOADED"))
    mods = eval(line.split("LOADED", 1)[1].split("EXIT")[0])  # noqa: S307 - our own print of a list of names
    return mods, int(line.rsplit("EXIT", 1)[1]), run.stderr


DECK, STORE = ("matplotlib", "pptx"), ("sqlalchemy", "alembic")


@pytest.mark.parametrize(("argv", "unused"), [
    (["--help"], DECK + STORE),
    (["validate", "{csv}"], DECK + STORE),
    (["summary", "{csv}", "--db", "{db}"], DECK),  # summary and info read the workspace: the store, not the deck
    (["info", "--db", "{db}"], DECK),
])
def test_commands_load_neither_the_deck_nor_the_store_unless_they_use_them(argv, unused, tmp_path):
    argv = [a.format(csv=ROOT / "data" / "presence.csv", db=tmp_path / "w.sqlite") for a in argv]
    mods, code, err = _loaded(argv, tmp_path)
    assert code == 0, err
    assert not set(mods) & set(unused), f"{argv} loaded {mods}"


def test_pack_and_store_still_load_what_they_use(tmp_path):
    """The probe itself can fail: ``pack`` loads the deck's builder and ``store list`` the store."""
    mods, code, err = _loaded(["pack", "--out", str(tmp_path / "deck.pptx")], tmp_path)
    assert code == 0, err
    assert {"matplotlib", "pptx"} <= set(mods)
    mods, code, err = _loaded(["store", "list", "--db", str(tmp_path / "w.sqlite")], tmp_path)
    assert code == 0, err
    assert "sqlalchemy" in mods


def test_a_store_error_still_exits_2_naming_the_file(tmp_path):
    bad = tmp_path / "workspace.sqlite"
    bad.write_bytes(b"garbage, not SQLite\n" * 100)
    mods, code, err = _loaded(["summary", "--db", str(bad)], tmp_path)
    assert code == 2 and str(bad) in err and "Traceback" not in err
