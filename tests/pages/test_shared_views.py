"""AppTest: what the Gaps page keeps for every session (issue 14, load) shows what it computes afresh.

ui.state shares the coverage of a view (coverage_on), its tables and figures (on_date) and what follows
from them (derived) between the sessions of the published workspace, keyed on the workspace version, the
filters, the as-of date, the horizon and the reader's language. These tests run the page as several
sessions: a session served from what another computed gets the same figures, tables and numbers as one
that computed them, and as a session trying the same data as its own files (computed in place, nothing
kept); sessions on other dates or in another language never get each other's."""

from __future__ import annotations

import json

import pandas as pd

from dsdash.i18n import language
from ui.state import ACTIVE_KEY, DERIVED_ENTRIES, derived

D1, D2 = "2023-09-30", "2024-03-31"


def shown(at) -> dict:
    """Everything the page draws from the kept views: figures, tables, key figures, captions."""
    return {"charts": [json.loads(c.proto.spec) for c in at.get("plotly_chart")],
            "tables": [d.value for d in at.dataframe],
            "metrics": [(m.label, m.value, m.help) for m in at.metric],
            "captions": [c.value for c in at.caption]}


def assert_same(a: dict, b: dict, *, captions: bool = True) -> None:
    assert a["charts"] == b["charts"]
    assert a["metrics"] == b["metrics"]
    assert len(a["tables"]) == len(b["tables"])
    for x, y in zip(a["tables"], b["tables"]):
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True))
    if captions:
        assert a["captions"] == b["captions"]


def heatmap(at) -> dict:
    return next(s for s in shown(at)["charts"] if s["data"] and s["data"][0].get("type") == "heatmap")


def test_a_session_served_from_the_shared_views_sees_what_one_computing_them_sees(run_page):
    first = run_page("gaps.py", query={"as_of": D1})  # computes and keeps
    second = run_page("gaps.py", query={"as_of": D1})  # served from what the first kept
    assert "Coverage on 30 Sep 2023" in heatmap(first)["layout"]["title"]["text"]
    assert_same(shown(first), shown(second))


def test_the_shared_views_equal_the_same_data_computed_in_place(run_page):
    from ui.state import workspace

    shared = run_page("gaps.py", query={"as_of": D1})
    own = run_page("gaps.py", query={"as_of": D1}, session={ACTIVE_KEY: workspace().published_dataset()})
    a, b = shown(shared), shown(own)
    assert a["charts"] == b["charts"] and a["metrics"] == b["metrics"]
    # the tables the page computes (the follow-up section says where answers go: it differs, not its table)
    assert len(a["tables"]) == len(b["tables"])
    for x, y in zip(a["tables"], b["tables"]):
        pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True))


def test_sessions_on_other_dates_or_languages_do_not_see_each_others_views(run_page, rerun):
    en1 = run_page("gaps.py", query={"as_of": D1})
    before = shown(en1)
    ar2 = run_page("gaps.py", query={"as_of": D2, "lang": "ar"})
    en2 = run_page("gaps.py", query={"as_of": D2})
    ar1 = run_page("gaps.py", query={"as_of": D1, "lang": "ar"})
    t = {k: heatmap(at)["layout"]["title"]["text"] for k, at in
         {"en1": en1, "ar2": ar2, "en2": en2, "ar1": ar1}.items()}
    assert "30 Sep 2023" in t["en1"] and "31 Mar 2024" in t["en2"]
    assert "أيلول" in t["ar1"] and "آذار" in t["ar2"]  # the Arabic month names (September, March)
    assert len(set(t.values())) == 4
    # the same view in two languages: the same cells, words of its own
    assert heatmap(ar2)["data"][0]["z"] == heatmap(en2)["data"][0]["z"]
    assert heatmap(en1)["data"][0]["z"] != heatmap(en2)["data"][0]["z"]
    # the first session, run again after the others: unchanged (nothing it was shown was changed by them)
    assert_same(before, shown(rerun(en1)))


def test_derived_keeps_per_object_value_and_language_and_is_bounded():
    calls = []

    class View:  # stands for a coverage object shared by sessions
        pass

    def words(view, what, *, table=None):
        from dsdash.i18n import _, current

        calls.append(what)
        return pd.DataFrame({"lang": [current()], "what": [_(what)], "rows": [0 if table is None else len(table)]})

    v, other = View(), View()
    a = derived(words, v, "Gaps and partner exits")
    assert derived(words, v, "Gaps and partner exits") is a and len(calls) == 1  # kept
    with language("ar"):
        ar = derived(words, v, "Gaps and partner exits")
    assert ar is not a and ar["lang"].iat[0] == "ar" and a["lang"].iat[0] == "en"
    assert ar["what"].iat[0] == "الفجوات وانسحابات الشركاء"
    assert derived(words, other, "Gaps and partner exits") is not a  # another object: its own
    assert derived(words, v, "Trends") is not a  # another plain argument: its own
    t = pd.DataFrame({"x": [1, 2]})
    kept = derived(words, v, "x", table=t, _by_value=("table",))
    assert derived(words, v, "x", table=t.copy(), _by_value=("table",)) is kept  # a table made anew: by content
    assert derived(words, v, "x", table=pd.DataFrame({"x": [1, 3]}), _by_value=("table",)) is not kept
    n = len(calls)
    for i in range(DERIVED_ENTRIES + 10):
        derived(words, v, f"w{i}")
    assert derived(words, v, "w0") is not None and len(calls) == n + DERIVED_ENTRIES + 11  # w0 was dropped
    derived(words, [1], "a list cannot be kept")  # computed, not kept


def _deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_the_site_map_and_meeting_pack_kept_per_view_and_language(run_page, rerun):
    from ui.state import workspace

    m1 = run_page("map.py", query={"as_of": D1})
    m2 = run_page("map.py", query={"as_of": D1})  # served from what the first kept
    own = run_page("map.py", query={"as_of": D1}, session={ACTIVE_KEY: workspace().published_dataset()})
    assert _deck_spec(m1) == _deck_spec(m2) == _deck_spec(own)
    assert [c.value for c in m1.caption] == [c.value for c in m2.caption]

    en = run_page("meeting.py", query={"as_of": D1}, timeout=90)
    first = shown(en)
    ar = run_page("meeting.py", query={"as_of": D1, "lang": "ar"}, timeout=90)
    other_day = run_page("meeting.py", query={"as_of": D2}, timeout=90)
    en_titles = [m.value for m in en.main.markdown if m.value.startswith("**")]
    ar_titles = [m.value for m in ar.main.markdown if m.value.startswith("**")]
    assert len(en_titles) == len(ar_titles) and en_titles != ar_titles  # the deck's words in the reader's language
    assert shown(other_day)["captions"] != first["captions"]  # its own date
    assert_same(first, shown(rerun(en)))  # unchanged by the others
