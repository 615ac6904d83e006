import json
import os
import subprocess
import sys

from dsdash.__main__ import main
from tests.support.paths import ROOT


def test_info_lists_tables(capsys):
    assert main(["info", "--json"]) == 0
    rows = {r["table"]: r["rows"] for r in json.loads(capsys.readouterr().out)}
    assert rows["sites"] == 28 and rows["national_series"] == 143


def test_misuse_exits_2(capsys):
    assert main([]) == 2
    assert main(["no-such-command"]) == 2


def test_runs_as_module_from_any_directory(tmp_path):
    out = subprocess.run([sys.executable, "-m", "dsdash", "info"], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "", "DSDASH_HOME": os.environ["DSDASH_HOME"]})
    assert out.returncode == 0 and "sites" in out.stdout


def test_commands_are_listed_in_order_and_misuse_reads_the_same_everywhere(capsys):
    from dsdash.__main__ import COMMANDS, build_parser

    names = [c.__name__.rsplit(".", 1)[-1] for c in COMMANDS]
    assert names == ["validate", "summary", "gaps", "followup", "pack", "trends", "hotspots", "info", "store"]
    helptext = build_parser().format_help()
    assert [helptext.index(f"    {n} ") for n in names] == sorted(helptext.index(f"    {n} ") for n in names)
    assert main(["gaps", "--horizon", "ninety"]) == 2
    assert capsys.readouterr().err.startswith("dsdash gaps: error: argument --horizon")
    for command in ("info", "trends", "hotspots", "gaps"):
        assert main([command, "--data-dir", "/no/such/folder"]) == 2
        assert capsys.readouterr().err.startswith(f"dsdash {command}: error: --data-dir: not a folder")
    assert main(["validate", "--date", "31/02/2024", "x.csv"]) == 2
    assert "'31/02/2024' is not a valid date" in capsys.readouterr().err


def test_the_view_options_read_as_the_url_does():
    from dsdash.__main__ import build_parser
    from dsdash.commands.args import view_from_args
    from dsdash.view import View

    args = build_parser().parse_args(["gaps", "--as-of", "01/03/2024", "--horizon", "60", "--site-group", "Rutba",
                                      "--service", "water,health", "--service", "shelter_nfi"])
    assert view_from_args(args) == View.from_query(
        {"as_of": "2024-03-01", "horizon": "60", "site_group": "Rutba", "services": "water,health,shelter_nfi"})


def test_gaps_takes_every_filter(capsys):
    assert main(["gaps", "--json", "--as-of", "2023-12-10", "--site-group", "Rutba", "--service", "water,health"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sites"] == 6 and doc["services"] == ["water", "health"] and doc["cells"] == 12
