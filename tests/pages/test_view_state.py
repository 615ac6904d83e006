"""AppTest: the view carries from page to page, an as-of date outside the data is reset with a
note, and the pages say when the as-of date is past the latest data or presence and
population come from different periods (issue 13)."""

import datetime as dt
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from dsdash.filters import Filters
from dsdash.view import View
from tests.support.paths import page_path
from ui.sidebar import VIEW_KEY
from ui.state import ACTIVE_KEY

STALE = ("The as-of date, 15 May 2024, is past the latest data (population counts: latest data 10 Dec 2023; "
         "partner presence: latest data 13 Dec 2023; reported needs: latest data 10 Dec 2023).")


def url(at: AppTest) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def metric_help(at: AppTest, label: str) -> str:
    """The metric's source · date · method line, as written (the page escapes markdown)."""
    return next(m for m in at.metric if m.label == label).proto.help.replace("\\", "")


def test_gaps_past_the_data_says_latest_data(run_page):
    at = run_page("gaps.py", {"as_of": "2024-05-15"})
    assert at.date_input(key="view_as_of").value == dt.date(2024, 5, 15)  # kept: within a year of the data
    assert any(w.startswith(STALE) for w in warnings(at)), warnings(at)
    assert ("latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023 · "
            in metric_help(at, "Services lost (site × service)"))
    caps = " ".join(c.value for c in at.caption).replace("\\", "")  # as written: the page escapes markdown
    assert "(latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023)" in caps


def test_gaps_on_the_data_latest_date_warns_of_nothing(run_page):
    at = run_page("gaps.py")
    assert not [w for w in warnings(at) if "latest data" in w or "different periods" in w]
    assert "latest data" not in metric_help(at, "Services lost (site × service)")


def test_map_and_meeting_pack_past_the_data(run_page):
    at = run_page("map.py", {"as_of": "2024-05-15"})
    assert any(w.startswith(STALE) for w in warnings(at)), warnings(at)
    at = run_page("meeting.py", {"as_of": "2024-05-15"}, timeout=90)
    assert any(w.startswith(STALE) for w in warnings(at)), warnings(at)
    assert " · latest data: 10 Dec 2023 · " in metric_help(at, "Individuals")
    assert "latest data" not in metric_help(at, "IDPs in Iraq (national)")  # not a table of the as-of date
    caps = " ".join(c.value for c in at.caption).replace("\\", "")  # as written: the page escapes markdown
    assert "; latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023." in caps


def test_presence_of_another_period_is_said_on_gaps_and_in_the_deck(ds, run_page):
    """Population counts of 28 Feb 2021 (a 2021 Master List) with the December 2023 presence."""
    pop = ds.population.copy()
    pop["reference_date"] = pd.Series(pd.Timestamp("2021-02-28"), index=pop.index).astype(
        ds.population["reference_date"].dtype)
    old = ds.with_tables(population=pop, origin="upload")
    said = ("Partner presence and population counts come from different periods: presence reported 13 Dec 2023, "
            "population counts of 28 Feb 2021 (2 years 10 months apart).")
    for page in ("gaps.py", "meeting.py"):
        at = run_page(page, session={ACTIVE_KEY: old}, timeout=90)
        assert at.date_input(key="view_as_of").value == dt.date(2023, 12, 10)  # the needs' date is later
        assert any(w.startswith(said) for w in warnings(at)), (page, warnings(at))
    outline = [t.value for t in at.main.text]
    assert any(said in t for t in outline), outline  # the deck's title slide says it


def test_an_as_of_date_outside_the_data_is_reset_with_a_note(run_page):
    """A link kept from other data (a 2021 upload) on the seed data: reset to 10 Dec 2023, said so."""
    at = run_page("gaps.py", {"as_of": "2021-02-28", "site_group": "Rutba"})
    assert at.date_input(key="view_as_of").value == dt.date(2023, 12, 10)
    assert url(at)["as_of"] == "2023-12-10" and url(at)["site_group"] == "Rutba"
    assert any(w.startswith("The as-of date 28 Feb 2021 lies outside the active data") and
               w.endswith("The view is reset to the data's latest date, 10 Dec 2023.") for w in warnings(at))
    # a page without the date control resets it too, and says so
    at = run_page("overview.py", {"as_of": "2021-02-28"})
    assert url(at)["as_of"] == "2023-12-10"
    assert any("28 Feb 2021 lies outside the active data" in w for w in warnings(at))


def test_a_page_switch_starts_from_the_last_view():
    """A page switch clears the URL: filters, date and horizon come from the session's last view."""
    last = View(Filters(site_group=("Rutba",), services=("water",)), dt.date(2023, 9, 30), 30)
    for page in ("gaps.py", "meeting.py", "map.py"):
        at = AppTest.from_file(page_path(page), default_timeout=90)
        at.session_state[VIEW_KEY] = last
        at.session_state["flt_site_group"] = ["Bzebiz"]  # what Streamlit kept of another page's widget
        at.run()
        assert not at.exception, page
        assert at.multiselect(key="flt_site_group").value == ["Rutba"], page
        assert at.multiselect(key="flt_services").value == ["water"], page
        assert at.date_input(key="view_as_of").value == dt.date(2023, 9, 30), page
        assert url(at) == {"site_group": "Rutba", "services": "water", "as_of": "2023-09-30", "horizon": "30"}, page
        assert at.session_state[VIEW_KEY] == last


def test_a_rerun_keeps_what_the_user_chose(run_page, rerun):
    """On the same page the widgets win over the URL the sidebar wrote before."""
    at = run_page("gaps.py", {"site_group": "Rutba"})
    at.multiselect(key="flt_site_group").set_value(["Rutba", "Bzebiz"])
    at.date_input(key="view_as_of").set_value(dt.date(2023, 9, 30))
    rerun(at)
    assert url(at)["site_group"] == "Rutba,Bzebiz"  # in the order chosen
    assert url(at)["as_of"] == "2023-09-30"
    assert at.session_state[VIEW_KEY].as_of == dt.date(2023, 9, 30)


def test_a_date_typed_and_confirmed_applies(run_page, rerun):
    """The as-of text field: Enter applies a date (the figures change); text that is no date
    is said and changes nothing; the calendar keeps the text in step."""
    at = run_page("gaps.py")
    lost = {m.label: m.value for m in at.metric}["Services lost (site × service)"]
    assert lost == "69"
    at.text_input(key="view_as_of_text").input("30 Sep 2023")
    rerun(at)
    assert at.text_input(key="view_as_of_text").value == "2023-09-30"
    assert at.date_input(key="view_as_of").value == dt.date(2023, 9, 30)
    assert {m.label: m.value for m in at.metric}["Services lost (site × service)"] == "20"
    assert url(at)["as_of"] == "2023-09-30"

    at.text_input(key="view_as_of_text").input("2023-13-45")
    rerun(at)
    assert [e.value for e in at.error] == ["'2023-13-45' is not a valid date (month must be in 1..12). Type a date "
                                           "from 31 Dec 2021 to 01 Jan 2026, e.g. 2023-12-10."]
    assert at.text_input(key="view_as_of_text").value == "2023-13-45"  # left as typed, to correct
    assert url(at)["as_of"] == "2023-09-30" and {m.label: m.value for m in at.metric}[
        "Services lost (site × service)"] == "20"

    at.date_input(key="view_as_of").set_value(dt.date(2023, 12, 10))
    rerun(at)
    assert at.text_input(key="view_as_of_text").value == "2023-12-10" and not at.error
    assert {m.label: m.value for m in at.metric}["Services lost (site × service)"] == "69"


def test_filters_the_data_does_not_hold_are_left_out_with_a_note(run_page):
    """A link made for other data (a site group of a 2021 upload) on the seed data."""
    at = run_page("gaps.py", {"site_group": "Rutba,Hamam al-Alil", "admin1": "IQG01"})
    assert at.multiselect(key="flt_site_group").value == ["Rutba"]
    assert at.multiselect(key="flt_admin1").value == ["IQG01"]
    assert url(at)["site_group"] == "Rutba" and url(at)["admin1"] == "IQG01"
    assert "Filters that match nothing in the active data are left out: site group: Hamam al-Alil." in warnings(at)


def test_every_page_carries_the_view(run_page):
    """Every page of the menu draws the shared sidebar: arriving from another page (no URL), it
    writes the session's view back into the URL, so the next page and a shared link get it."""
    from ui.nav import PAGES

    last = View(Filters(site_group=("Rutba",)), dt.date(2023, 9, 30), 30)
    for path, title, _icon in PAGES:
        at = run_page(path.removeprefix("pages/"), session={VIEW_KEY: last}, timeout=90)
        assert url(at) == {"site_group": "Rutba", "as_of": "2023-09-30", "horizon": "30"}, title


def test_the_exit_date_follows_the_as_of_date_and_takes_a_typed_date(run_page, rerun):
    at = run_page("gaps.py")
    assert at.text_input(key="gaps_exit_date_text").value == "2023-12-10"
    at.text_input(key="view_as_of_text").input("2024-02-01")
    rerun(at)
    assert at.date_input(key="gaps_exit_date").value == dt.date(2024, 2, 1)  # moved with the as-of date
    at.multiselect(key="gaps_exit_partners").set_value(["IRC", "NRC"])
    at.text_input(key="gaps_exit_date_text").input("1 May 2024")
    rerun(at)
    assert at.date_input(key="gaps_exit_date").value == dt.date(2024, 5, 1)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "If IRC, NRC leave on 01 May 2024: people who lose a service" in titles
    at.number_input(key="view_horizon").set_value(60)
    rerun(at)
    assert at.date_input(key="gaps_exit_date").value == dt.date(2024, 5, 1)  # kept: the as-of date did not move
