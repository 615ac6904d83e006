"""AppTest (issue 15): the Gaps page's follow-up section, an answer recorded in the workspace (who, when,
audit log) turning IRC's civil documentation cells from end unconfirmed to lost or served; the state /
adequacy switch; the completeness line; the Overview's "what changed since a chosen date"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dsdash.store import open_store


@pytest.fixture
def own_workspace(tmp_path, monkeypatch):
    """A workspace of this test's own (answers recorded here must not reach other tests)."""
    monkeypatch.setenv("DSDASH_HOME", str(tmp_path))
    monkeypatch.delenv("DSDASH_DATABASE_URL", raising=False)
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _on(run_page, day: str) -> AppTest:
    return run_page("gaps.py", query={"as_of": day})


def _answer(at: AppTest, rerun, entry: str, answer: str, day: str, name: str = "Amal") -> AppTest:
    at.selectbox(key="followup_entry").set_value(entry)
    at.radio(key="followup_answer").set_value(answer)
    rerun(at)
    at.text_input(key="followup_date_text").set_value(day)
    rerun(at)
    at.text_input(key="followup_note").set_value("email of 2 May 2024")
    at.text_input(key="followup_name").set_value(name)
    at.button(key="followup_record").click()
    return rerun(at)


def test_follow_up_list_names_dary_and_uims_on_15_january_2024(run_page, own_workspace):
    at = _on(run_page, "2024-01-15")
    f = table_with(at, "Days unconfirmed")
    assert f["Partner"].tolist() == ["Dary", "UIMS"] and f["Service"].iloc[0] == "Health"
    assert set(f["Follow-up"]) == {"unconfirmed for 15 days"}
    dary = f.iloc[0]
    assert dary["Sites"] == 19 and dary["Individuals"] == 15942 and "Bzebiz - sector 1" in dary["Sites (names)"]
    assert f.iloc[1]["Individuals"] == 9444
    caps = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Presence reported for 28 of 28 sites on 15 Jan 2024" in caps
    assert "stored in the workspace" in caps


def test_confirming_then_extending_irc_on_the_page(run_page, rerun, own_workspace):
    at = _on(run_page, "2024-05-15")
    m = metrics(at)
    unconfirmed = int(m["End unconfirmed (site × service)"])
    lost = int(m["Services lost (site × service)"])
    matrix = table_with(at, "Partners gone")
    civ = matrix[matrix["Service"] == "Civil documentation"]
    assert set(civ["State"]) == {"End unconfirmed (planned end passed)"} and len(civ) == 28
    entry = "IRC · Civil documentation · planned end 30 Apr 2024"
    assert entry in at.selectbox(key="followup_entry").options
    at = _answer(at, rerun, entry, "Exit confirmed", "2024-05-01")
    assert not at.exception
    m = metrics(at)
    assert int(m["Services lost (site × service)"]) == lost + 28
    assert int(m["End unconfirmed (site × service)"]) == unconfirmed - 28
    civ = table_with(at, "Partners gone").query("Service == 'Civil documentation'")
    assert set(civ["State"]) == {"Lost (partner exit)"}
    assert any("Recorded: Exit confirmed: IRC, civil documentation, last day 1 May 2024" in s.value.replace("\\", "")
               for s in at.success)
    store = open_store()
    ev = store.exit_events()
    assert ev[["partner", "service", "kind", "end_date", "recorded_by", "note"]].values.tolist() == [
        ["IRC", "civil_documentation", "confirmed", dt.date(2024, 5, 1), "Amal", "email of 2 May 2024"]]
    assert store.log().iloc[-1][["who", "action"]].tolist() == ["Amal", "exit_confirmed"]
    events = table_with(at, "Recorded by")
    assert events["Event"].tolist() == ["Exit confirmed"] and events["Recorded by"].tolist() == ["Amal"]
    store.close()


def test_extending_irc_serves_the_cells(run_page, rerun, own_workspace):
    at = _on(run_page, "2024-05-15")
    at = _answer(at, rerun, "IRC · Civil documentation · planned end 30 Apr 2024", "End extended", "2024-12-31")
    civ = table_with(at, "Partners gone").query("Service == 'Civil documentation'")
    assert set(civ["State"]) == {"Served"} and set(civ["Providers on the date"]) == {"IRC (to 31 Dec 2024)"}
    assert "IRC · Civil documentation · planned end 30 Apr 2024" not in (at.selectbox(key="followup_entry").options
                                                                         if at.get("selectbox") else [])


def test_heatmap_switches_to_adequacy(run_page, rerun, own_workspace):
    import json

    at = _on(run_page, "2024-05-15")
    at.radio(key="gaps_lens").set_value("Adequacy")
    rerun(at)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("Adequacy of coverage on 15 May 2024") for t in titles)
    adequacy = table_with(at, "Partially covered")
    civ = adequacy[adequacy["Service"] == "Civil documentation"].iloc[0]
    assert civ["Not covered"] == 18882 and civ["Covered"] == 0


def test_overview_what_changed_since_a_date(run_page, rerun, own_workspace):
    at = run_page("overview.py")
    at.text_input(key="overview_since_text").set_value("2023-09-01")
    rerun(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "From 01 Sep 2023 to 10 Dec 2023." in text and "Exits confirmed: 20" in text


def test_a_session_trying_its_own_files_holds_answers_for_itself(run_page, rerun, own_workspace):
    from dsdash.dataset import load_embedded
    from ui.state import ACTIVE_KEY

    at = run_page("gaps.py", query={"as_of": "2024-05-15"}, session={ACTIVE_KEY: load_embedded()})
    assert any("answers recorded here hold for this session only" in w.value for w in at.warning)
    at = _answer(at, rerun, "IRC · Civil documentation · planned end 30 Apr 2024", "Exit confirmed", "2024-05-01")
    civ = table_with(at, "Partners gone").query("Service == 'Civil documentation'")
    assert set(civ["State"]) == {"Lost (partner exit)"}
    assert any("held for this session only" in s.value for s in at.success)
    store = open_store()
    assert store.exit_events().empty  # nothing reached the workspace
    store.close()


UNREAD_SHEET = b"""Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
IRC,INGO,Civil documentation,Anbar,,,2024-01-01,when the grant is renewed,Active
"""


def test_an_end_date_not_read_is_listed_and_answered_on_the_page(run_page, rerun, own_workspace):
    """A published partner sheet whose end date could not be read: the row never counts as serving, so
    the Gaps page lists it to follow up ("end date not read"), with the 28 sites and 18,882 people
    nobody else serves; extending it to 31 Dec 2024 serves the cells and takes it off the list."""
    from dsdash.importers import import_file

    store = open_store()
    store.add(import_file(UNREAD_SHEET, "4W_IRC.csv"), UNREAD_SHEET, file_name="4W_IRC.csv", who="test",
              publish=True)
    store.close()
    st.cache_resource.clear()
    at = _on(run_page, "2024-04-10")
    f = table_with(at, "Days unconfirmed")
    row = f[f["Partner"] == "IRC"]
    assert row["Follow-up"].tolist() == ["end date not read"] and row["Individuals"].tolist() == [18882]
    assert row["Individuals without the service"].tolist() == [18882] and row["Sites left without"].tolist() == [28]
    assert row["End"].tolist() == ["—"] and row["Dates as stated"].tolist() == ["2024-01-01 – when the grant is renewed"]
    entry = "IRC · Civil documentation · end date not read"
    assert entry in at.selectbox(key="followup_entry").options
    at = _answer(at, rerun, entry, "End extended", "2024-12-31")
    civ = table_with(at, "Partners gone").query("Service == 'Civil documentation'")
    assert set(civ["State"]) == {"Served"} and set(civ["Providers on the date"]) == {"IRC (to 31 Dec 2024)"}
    assert [b.options for b in at.selectbox if b.key == "followup_entry"] == []  # nothing left to answer
