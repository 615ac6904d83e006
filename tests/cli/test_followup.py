"""``python -m dsdash followup``: the follow-up list, and confirm / extend / handover recorded in a workspace."""

from __future__ import annotations

import json

from dsdash.__main__ import main


def _json(capsys, *args) -> dict | list:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _civil_states(capsys, db) -> set[str]:
    doc = _json(capsys, "gaps", "--as-of", "2024-05-15", "--service", "civil_documentation", "--db", db)
    return {c["state"] for c in doc["matrix"]}


def test_followup_list_for_15_january_2024(capsys, tmp_path):
    db = str(tmp_path / "w.sqlite")
    doc = _json(capsys, "followup", "--as-of", "2024-01-15", "--db", db)
    assert doc["within_days"] == 30 and doc["entries"] == 2
    dary, uims = doc["followup"]
    assert (dary["partner"], dary["service"], dary["end_date"], dary["followup_status"]) == (
        "Dary", "health", "2023-12-31", "passed")
    assert (uims["partner"], uims["service"], uims["end_date"]) == ("UIMS", "gbv", "2023-12-31")
    assert dary["n_sites"] == 19 and dary["individuals"] == 15942 and "Bzebiz - sector 1" in dary["site_names"]
    assert uims["n_sites"] == 15 and uims["individuals"] == 9444 and dary["days_unconfirmed"] == 15
    assert main(["followup", "--as-of", "2024-01-15", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Dary  health  planned end 2023-12-31  unconfirmed for 15 days  19 sites, 15,942 people" in out


def test_confirm_then_extend_irc(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DSDASH_USER", "alice")
    confirmed, extended = str(tmp_path / "c.sqlite"), str(tmp_path / "e.sqlite")
    assert _civil_states(capsys, confirmed) == {"end_unconfirmed"}
    assert main(["followup", "confirm", "irc", "--date", "2024-05-01", "--service", "civil_documentation",
                 "--note", "email from IRC", "--db", confirmed]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1" and "Exit confirmed: IRC, civil documentation, last day 1 May 2024" in err
    assert _civil_states(capsys, confirmed) == {"lost"}
    events = _json(capsys, "followup", "events", "--db", confirmed)
    assert [(e["partner"], e["kind"], e["end_date"], e["recorded_by"], e["note"]) for e in events] == [
        ("IRC", "confirmed", "2024-05-01", "alice", "email from IRC")]
    log = _json(capsys, "store", "log", "--db", confirmed)
    assert log[-1]["action"] == "exit_confirmed" and log[-1]["who"] == "alice"

    assert main(["followup", "extend", "IRC", "--to", "2024-12-31", "--service", "civil_documentation",
                 "--db", extended]) == 0
    capsys.readouterr()
    assert _civil_states(capsys, extended) == {"served"}


def test_handover_and_misuse(capsys, tmp_path):
    db = str(tmp_path / "h.sqlite")
    assert main(["followup", "handover", "IRC", "--to", "Directorate of Civil Affairs", "--date", "2024-04-30",
                 "--service", "civil_documentation", "--db", db]) == 0
    capsys.readouterr()
    assert _civil_states(capsys, db) == {"handed_over"}
    assert main(["followup", "confirm", "Nobody", "--date", "2024-05-01", "--db", db]) == 2
    assert "unknown partner" in capsys.readouterr().err
    assert main(["followup", "confirm", "IRC", "--db", db]) == 2
    assert main(["followup", "extend", "IRC", "--to", "soon", "--db", db]) == 2
    assert main(["followup", "handover", "IRC", "--date", "2024-04-30", "--db", db]) == 2
    assert main(["followup", "confirm", "IRC", "--date", "2024-05-01", "--service", "tea", "--db", db]) == 2


def published_sheet(capsys, tmp_path, *sites: str) -> str:
    """A workspace whose one published partner sheet says IRC gives civil documentation from 1 Jan 2024
    until 'when the grant is renewed' (an end not read), Anbar-wide or at ``sites``; its database URL."""
    rows = [f"IRC,INGO,Civil documentation,Anbar,,{site},2024-01-01,when the grant is renewed,Active\n"
            for site in (sites or ("",))]
    sheet = tmp_path / "4W_IRC.csv"
    sheet.write_text("Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status\n" + "".join(rows))
    db = str(tmp_path / "w.sqlite")
    assert main(["store", "add", str(sheet), "--publish", "--db", db]) == 0
    capsys.readouterr()
    return db


def test_an_end_date_not_read_is_followed_up_on_the_command_line(capsys, tmp_path):
    db = published_sheet(capsys, tmp_path)
    doc = _json(capsys, "followup", "--as-of", "2024-04-10", "--db", db)
    assert [(e["partner"], e["service"], e["end_date"], e["followup_status"], e["individuals_without"])
            for e in doc["followup"]] == [("IRC", "civil_documentation", None, "unread", 18882)]
    assert main(["followup", "--as-of", "2024-04-10", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "and ends not read: 1" in out
    assert "IRC  civil_documentation  end date not read  28 sites, 18,882 people; left without: 28 sites" in out
    assert main(["--lang", "ar", "followup", "--as-of", "2024-04-10", "--db", db]) == 0
    assert "تاريخ الانتهاء غير مقروء" in capsys.readouterr().out
    # answered on the command line (the partner written another way): off the list
    assert main(["followup", "extend", "I.R.C.", "--to", "2024-12-31", "--service", "civil_documentation",
                 "--db", db]) == 0
    capsys.readouterr()
    assert _json(capsys, "followup", "--as-of", "2024-04-10", "--db", db)["entries"] == 0
