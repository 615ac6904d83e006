"""``python -m dsdash gaps``: the gap matrix on a date from the command line."""

import json
import shutil

import pandas as pd

from dsdash.__main__ import main
from dsdash.dataset import DATA_DIR


def run_json(capsys, *args) -> dict:
    assert main(["gaps", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_matrix_with_states_providers_and_people(capsys):
    doc = run_json(capsys, "--as-of", "2023-12-10")
    assert doc["as_of"] == "2023-12-10" and doc["horizon_days"] == 90 and doc["cells"] == 392
    assert doc["state_counts"] == {"lost": 69, "end_unconfirmed": 0, "at_risk": 34, "handed_over": 47, "no_report": 0,
                                   "never_served": 96, "served": 146}
    assert doc["presence_reported"] == {"sites": 28, "of": 28}
    assert sum(doc["adequacy_counts"].values()) == 392
    cells = {(c["site_name"], c["service"]): c for c in doc["matrix"]}
    k9 = cells[("9 Kilo", "water")]
    assert k9["state"] == "lost" and k9["individuals"] == 384 and k9["need_severity"] == "high"
    assert k9["lost_providers"] == "Mercy Corps (to 30 Sep 2023); UNICEF (to 31 Jan 2023)"
    k18 = cells[("Kilo 18 / AL-Karama complex", "water")]
    assert k18["state"] == "handed_over" and k18["providers"] == "Directorate of Water Resources (ongoing)"
    aaf = cells[("Ameriyat Al-Fallujah (AAF)", "health")]
    assert aaf["state"] == "at_risk" and aaf["next_end"] == "2023-12-31"
    water = next(p for p in doc["people_without_service"] if p["service"] == "water")
    assert water["lost"] == 8520 and water["total"] == 18882
    assert doc["unmatched_presence"] == []


def test_horizon_state_and_service_options(capsys):
    doc = run_json(capsys, "--as-of", "2023-12-10", "--horizon", "10", "--state", "at_risk", "--service", "health")
    assert doc["services"] == ["health"] and doc["state_counts"]["at_risk"] == 0  # Dary ends in 21 days
    assert doc["matrix"] == []
    doc = run_json(capsys, "--as-of", "10/12/2023", "--horizon", "30", "--state", "at_risk", "--service", "health")
    assert len(doc["matrix"]) == 19 and {c["providers"] for c in doc["matrix"]} == {"Dary (to 31 Dec 2023)"}


def test_exit_scenario_option(capsys):
    doc = run_json(capsys, "--as-of", "2024-01-15", "--exit", "irc", "--exit-date", "2024-02-01")
    sc = doc["exit_scenario"]
    assert sc["partners"] == ["IRC"] and sc["evaluated_on"] == "2024-02-01"
    assert len(sc["cells_turning_lost"]) == 28
    assert {c["service"] for c in sc["cells_turning_lost"]} == {"civil_documentation"}


def test_text_output(capsys):
    assert main(["gaps", "--as-of", "2023-11-01", "--service", "water", "--state", "lost"]) == 0
    out = capsys.readouterr().out
    assert "Coverage on 2023-11-01" in out and "28 sites × 1 service = 28 cells" in out
    assert "ANB-27  9 Kilo  water  lost  people 384" in out
    assert "Kilo 18" not in out  # handed over, not lost


def test_bad_input_exits_2_with_a_clear_message(capsys):
    for args, words in (
        (["--as-of", "2023-13-45"], "--as-of"),
        (["--as-of", "soon"], "is not a date"),
        (["--horizon", "-5"], "--horizon must be 0 or more"),
        (["--state", "gone"], "unknown --state gone"),
        (["--service", "wifi"], "unknown --service wifi"),
        (["--exit", "Nobody"], "unknown partner(s): Nobody"),
        (["--exit-date", "2024-01-01"], "needs at least one --exit"),
        (["--data-dir", "/no/such/folder"], "not a folder"),
    ):
        assert main(["gaps", *args]) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("dsdash gaps: error:") and words in err, (args, err)
        assert "Traceback" not in err


def test_unmatched_presence_is_reported_on_stderr(tmp_path, capsys):
    for f in DATA_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    p = pd.read_csv(tmp_path / "presence.csv", dtype=str, keep_default_na=False)
    extra = p.iloc[[0]].assign(partner="Ghost NGO", scope="site", scope_id="ANB-99", status="active", end_date="")
    pd.concat([p, extra]).to_csv(tmp_path / "presence.csv", index=False)
    doc = run_json(capsys, "--data-dir", str(tmp_path), "--as-of", "2023-12-10")
    assert [r["partner"] for r in doc["unmatched_presence"]] == ["Ghost NGO"]
    assert main(["gaps", "--data-dir", str(tmp_path), "--as-of", "2023-12-10", "--service", "water"]) == 0
    err = capsys.readouterr().err
    assert "Ghost NGO" in err and "'ANB-99', which matches no site" in err


def test_rejected_rows_of_a_data_folder_exit_1(tmp_path, capsys):
    for f in DATA_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    p = pd.read_csv(tmp_path / "presence.csv", dtype=str, keep_default_na=False)
    p.loc[3, "end_date"] = "someday"  # not the row's identity: a warning, the row is kept
    p.to_csv(tmp_path / "presence.csv", index=False)
    assert main(["gaps", "--data-dir", str(tmp_path), "--as-of", "2023-12-10", "--service", "water"]) == 0
    assert "WARNING: data/presence.csv, row 5, column 'end_date'" in capsys.readouterr().err
    p.loc[4, "service"] = "astrology"  # the row's service: rejected
    p.to_csv(tmp_path / "presence.csv", index=False)
    assert main(["gaps", "--data-dir", str(tmp_path), "--as-of", "2023-12-10", "--service", "water"]) == 1
    captured = capsys.readouterr()
    assert "ERROR: data/presence.csv, row 6, column 'service'" in captured.err
    assert "Coverage on 2023-12-10" in captured.out


def test_an_as_of_date_past_the_data_is_said(capsys):
    """The CLI says what the pages say: each table's latest data, and a warning past it."""
    doc = run_json(capsys, "--as-of", "2023-12-10")
    assert doc["latest_data"] == {"population": "2023-12-10", "presence": "2023-12-13", "needs": "2023-12-10",
                                  "fvm": "2023-04-30"}
    assert doc["warnings"] == []
    assert main(["gaps", "--as-of", "2024-05-15", "--json"]) == 0
    out = capsys.readouterr()
    said = json.loads(out.out)["warnings"]
    assert len(said) == 1 and said[0].startswith("The as-of date, 15 May 2024, is past the latest data (population "
                                                 "counts: latest data 10 Dec 2023;")
    assert f"dsdash gaps: warning: {said[0]}" in out.err


def test_planned_ends_are_unconfirmed_confirmed_ones_lost(capsys):
    """Issue 15, from the seed's words: IRC/NRC "scheduled to conclude by April 2024" (planned) against
    DRC "concluded in October 2023 including Anbar office closure" (confirmed)."""
    doc = run_json(capsys, "--as-of", "2024-05-15")
    cells = {(c["site_name"], c["service"]): c for c in doc["matrix"]}
    civ = [c for c in doc["matrix"] if c["service"] == "civil_documentation"]
    assert len(civ) == 28 and {c["state"] for c in civ} == {"end_unconfirmed"}
    assert {c["lost_providers"] for c in civ} == {"IRC (to 30 Apr 2024)"}
    civ_people = next(p for p in doc["people_without_service"] if p["service"] == "civil_documentation")
    assert civ_people["end_unconfirmed"] == 18882 and civ_people["lost"] == 0
    bz = [c for c in doc["matrix"] if c["site_name"].startswith("Bzebiz") and c["service"] == "water"]
    assert len(bz) == 15 and {c["state"] for c in bz} == {"handed_over"}  # MoMD took DRC's water over
    assert cells[("Ameriyat Al-Fallujah (AAF)", "water")]["state"] == "lost"  # DRC's water at AAF: confirmed
    assert "DRC (to 31 Oct 2023)" in cells[("Ameriyat Al-Fallujah (AAF)", "water")]["lost_providers"]
    for p in doc["people_without_service"]:  # the states still add up per service
        assert sum(p[s] for s in doc["state_counts"]) == p["total"] == 18882


def test_exit_scenario_says_planned_or_confirmed(capsys):
    doc = run_json(capsys, "--as-of", "2024-04-01", "--exit", "IRC", "--exit", "DRC", "--exit-date", "2024-04-01")
    ends = {(e["partner"], e["service"]): e for e in doc["exit_scenario"]["partner_ends"]}
    assert ends[("IRC", "civil_documentation")]["kind_of_end"] == "planned"
    assert ends[("IRC", "civil_documentation")]["end_date"] == "2024-04-30"
    assert ends[("DRC", "water")]["kind_of_end"] == "confirmed"
