"""AppTest of the Upload page with several Master Lists and one answer (QA findings F9, F16).

"For DTM Master Lists whose file does not say": the date (or group, or round) given there answers
the files that ask for it, and never rewrites a file that states its own. Before, a dated round-111
list uploaded with an undated one took the undated one's answer as its date too, and after "Use"
one replaced the other: 29 locations gone from the picture, with one warning line. Signed in as an
editor (``AppTest.user``)."""

from __future__ import annotations

import pandas as pd

from tests.pages.test_upload_group import _counts, _editor_page, _run, _waits, home  # noqa: F401 - fixture
from tests.support.dtm_fixtures import locations, master_list


def test_one_date_answers_the_undated_file_and_leaves_the_dated_one_alone(home):  # noqa: F811
    dated = master_list(locations(29, seed=11), gen="2019", fmt="csv", title_rows=False,
                        filename="IDP_Master_List_R111_2019-10-31.csv")
    undated = master_list(locations(20, seed=12), gen="2023", fmt="csv", title_rows=False,
                          filename="idp_list.csv")
    at = _editor_page()
    at.file_uploader[0].set_value([(dated.filename, dated.data, "text/csv"),
                                   (undated.filename, undated.data, "text/csv")])
    _run(at)
    (wait,) = _waits(at)
    assert wait.startswith("idp_list.csv: 20 rows readable; the reference date is needed")
    at.text_input(key="upload_date_text").input("2024-01-31")
    at.number_input(key="upload_round").set_value(131)
    _run(at)
    assert not _waits(at)
    frame = at.dataframe[0].value.rename(columns=str.lower)
    assert list(frame["accepted"]) == [29, 20] and list(frame["needs"].replace("—", "")) == ["", ""]
    at.button(key="upload_use").click()
    _run(at)
    pop = at.session_state["dsdash_active_dataset"].population
    by_date = pop.groupby(["reference_date", "dtm_round"])["households"].agg(["count", "sum"])
    assert by_date.to_dict("index") == {
        (pd.Timestamp("2019-10-31"), 111): {"count": 29, "sum": dated.households},  # its own date and round
        (pd.Timestamp("2024-01-31"), 131): {"count": 20, "sum": undated.households},  # the answers
    }
    assert set(pop["population_group"]) == {"idp"}
