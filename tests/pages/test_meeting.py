"""AppTest: the Meeting pack page previews the deck for the chosen forum, area, date and
filters, and offers the download."""

import datetime as dt

from streamlit.testing.v1 import AppTest

from dsdash.view import View
from tests.support.paths import page_path
from ui.sidebar import VIEW_KEY


def query(at: AppTest, key: str) -> str:
    v = at.query_params[key]
    return v[0] if isinstance(v, list) else v


def outline(at: AppTest) -> list[tuple[str, str]]:
    """(slide title, its summary text) as the page shows them."""
    titles = [m.value.strip("*") for m in at.main.markdown if m.value.startswith("**")]
    texts = [t.value for t in at.main.text][: len(titles)]  # one text per slide card, same order as titles
    return sorted(zip(titles, texts), key=lambda p: int(p[0].split(".")[0]))


def test_meeting_page_previews_the_deck_and_offers_the_download(run_page):
    at = run_page("meeting.py", timeout=90)
    assert at.title[0].value == "Meeting pack"
    o = outline(at)
    assert len(o) == 11  # every slide but "What changed" (one round)
    assert o[0][0] == "1. DSTWG meeting pack" and o[-1][0] == "11. Sources and methods"
    assert "1,098,913" in o[2][1]
    m = {x.label: x.value for x in at.metric}
    assert m["Individuals"] == "18,882" and m["IDPs in Iraq (national)"] == "1,098,913"
    gaps = at.dataframe[0].value
    assert gaps.set_index("Service").loc["Water", "Without assured service"] == 18_882
    exits = at.dataframe[1].value
    assert exits["Partner"].tolist() == ["Dary", "UIMS"]
    (button,) = at.get("download_button")
    assert button.proto.label == "Download the meeting deck (PowerPoint)"
    assert query(at, "as_of") == "2023-12-10"
    assert not at.error


def test_forum_area_and_date_change_the_preview(run_page):
    at = run_page("meeting.py", timeout=90)
    at.selectbox(key="mp_forum").set_value("RWG")
    at.selectbox(key="mp_area").set_value("Rutba")
    at.date_input(key="view_as_of").set_value(dt.date(2024, 3, 1))
    at.run()
    assert not at.exception
    o = outline(at)
    assert o[0][0] == "1. RWG meeting pack"
    assert "Rutba" in o[0][1] and "1 March 2024" in o[0][1]
    m = {x.label: x.value for x in at.metric}
    assert m["Sites"] == "6" and m["Individuals"] == "1,944"
    assert query(at, "as_of") == "2024-03-01"
    assert "IRC" in at.dataframe[1].value["Partner"].tolist()  # IRC ends 30 Apr 2024, within 90 days


def test_sidebar_filters_and_as_of_in_the_url_carry_into_the_deck(run_page):
    at = run_page("meeting.py", {"services": "water,health", "coordination_area": "West Anbar", "as_of": "2024-01-15"},
                  timeout=90)
    assert at.date_input(key="view_as_of").value == dt.date(2024, 1, 15)
    gaps = at.dataframe[0].value
    assert gaps["Service"].tolist() == ["Water", "Health"]
    assert "coordination area: West Anbar" in outline(at)[0][1]


def test_as_of_and_horizon_chosen_on_the_gaps_page_carry_over():
    """A page switch clears the URL: the page starts from the view the session showed last."""
    at = AppTest.from_file(page_path("meeting.py"), default_timeout=90)
    at.session_state[VIEW_KEY] = View(as_of=dt.date(2024, 2, 1), horizon_days=120)
    at.run()
    assert not at.exception
    assert at.date_input(key="view_as_of").value == dt.date(2024, 2, 1)
    assert at.number_input(key="view_horizon").value == 120
    assert "1 February 2024" in outline(at)[0][1]
