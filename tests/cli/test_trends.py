"""`python -m dsdash trends`: the latest national change, index rounds and FVM funnel, as text and JSON."""

import json

from dsdash.__main__ import main


def test_command_line_trends(capsys):
    assert main(["trends"]) == 0
    out = capsys.readouterr().out
    assert "1,098,913" in out and "-24,750 since R131" in out and "rounds 127-131" in out
    assert "R5             gap: not in the data" in out and "598,578 (12 %)" in out
    assert "6,361  74.0 % of registered at help desks" in out
    assert main(["trends", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    r16 = next(r for r in data["index"]["return_index"] if r["round"] == 16)
    assert r16["population_severe"] == 598_578 and r16["share_severe"] == 12
    assert data["national_latest_change"][0]["latest"] == 1_098_913
    assert [r["households"] for r in data["fvm_funnel"]][:3] == [8_598, 6_361, 5_895]
