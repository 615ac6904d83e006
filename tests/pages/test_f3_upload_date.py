"""AppTest of the Upload page's reference date (reviewer H3, finding 2): after a date that applied
(2024-04-30), text that is no date (04/05/2024: 4 May or 5 April?) turned the field red but kept the
old date: "Needs" said "—", "Use" stayed enabled, and Use loaded the file dated 30 April. Text that
is no date now means no date: the file waits for its date again, the page says so, and Use waits."""

from __future__ import annotations

import pandas as pd

from tests.pages.test_upload_group import _editor_page, _run, _waits, home  # noqa: F401 - fixture
from tests.support.dtm_fixtures import locations, master_list


def _needs(at) -> list[str]:
    frame = at.dataframe[0].value.rename(columns=str.lower)
    return list(frame["needs"])


def test_a_date_then_an_ambiguous_one_means_no_date_and_use_waits(home):  # noqa: F811
    undated = master_list(locations(20, seed=12), gen="2023", fmt="csv", title_rows=False, filename="idp_list.csv")
    at = _editor_page()
    at.file_uploader[0].set_value([(undated.filename, undated.data, "text/csv")])
    _run(at)
    assert _waits(at)[0].startswith("idp_list.csv: 20 rows readable; the reference date is needed")
    assert at.button(key="upload_use").disabled

    at.text_input(key="upload_date_text").input("2024-04-30")
    _run(at)
    assert not _waits(at) and _needs(at) == ["—"]
    assert not at.button(key="upload_use").disabled

    at.text_input(key="upload_date_text").input("04/05/2024")  # day and month could swap
    _run(at)
    assert at.text_input(key="upload_date_text").value == "04/05/2024"  # what was typed stays, to correct
    (error,) = at.error  # why it is no date, under the field, and that none is used
    assert error.value == ("'04/05/2024' is ambiguous: 4 May 2024 or 5 April 2024 (day or month first?). "
                           "Type it as 2024-05-04. Until a date applies, none is used."), error.value
    assert at.session_state["upload_date"] is None
    (wait,) = _waits(at)
    assert wait.startswith("idp_list.csv: 20 rows readable; the reference date is needed"), wait
    assert _needs(at) != ["—"]
    assert at.button(key="upload_use").disabled

    at.text_input(key="upload_date_text").input("2024-05-04")  # corrected: applies
    _run(at)
    assert not _waits(at) and not at.error and not at.button(key="upload_use").disabled
    at.button(key="upload_use").click()
    _run(at)
    pop = at.session_state["dsdash_active_dataset"].population
    assert set(pop["reference_date"]) == {pd.Timestamp("2024-05-04")}
    assert len(pop) == 20
