"""Where a Master List's date came from is always said (found in this session's new-user pass): from its
date column (before: nothing said), a month alone read as its last day (before: not said), and two places
of the file that state different dates (before: the title's used, the file name's ignored, nothing said)."""

from __future__ import annotations

from dsdash.importers import import_file
from tests.support.dtm_fixtures import locations, master_list


def _report(**kw):
    fx = master_list(locations(20, seed=4), fmt="csv", **kw)
    return import_file(fx.data, fx.filename, population_group="idp").report


def test_a_date_read_from_the_date_column_is_said():
    rep = _report(title_rows=False, filename="ml.csv", extra_columns={"Date": "Apr 30, 2019"})
    assert "reference date 30 Apr 2019 read from column 'Date' (the one day its rows state)" in rep.notes
    assert not rep.questions


def test_a_month_alone_is_said_to_be_read_as_its_last_day():
    rep = _report(title_rows=False, filename="IDP Master List Round 119 - Dec 2020.csv")
    assert ("reference date 31 Dec 2020 read from the file name ('Dec 2020'); a month alone is read as its last "
            "day") in rep.notes
    rep = _report(title_rows=False, filename="IDP_Master_List_DTM_IOMApr 30, 2019.csv")
    assert "reference date 30 Apr 2019 read from the file name ('Apr 30, 2019')" in rep.notes


def test_two_places_stating_different_dates_are_said():
    rep = _report(month="31 March 2019", filename="IDP_ML_30-Apr-19.csv")
    assert [p.reason for p in rep.warnings] == [
        "the file states two dates: 31 Mar 2019 in its title rows ('31 March 2019') and 30 Apr 2019 in its file "
        "name ('30-Apr-19'); 31 Mar 2019 is used: give the date if it is not so"]


def test_a_month_and_a_day_of_that_month_agree():
    assert not _report(month="April 2019", filename="IDP_ML_30-Apr-19.csv").warnings
    assert not _report(month="July 2023", filename="DTM_R130_Jul2023.csv").warnings


def test_two_places_stating_different_rounds_are_said():
    """Second review (H4): file name R132, title Round 131: round 131 was used, nothing said."""
    data = ("IDP Master List - Round 131 - 30 April 2024\nPlace id,Governorate,Location name in English,Households,"
            "Individuals\n1,Ninewa,Hay Nour,10,60\n").encode()
    rep = import_file(data, "DTM_R132_Apr2024.csv", population_group="idp").report
    assert [p.reason for p in rep.warnings] == [
        "the file states two rounds: 131 in its title rows and 132 in its file name; round 131 is used: give the "
        "round if it is not so"]
    assert not import_file(data, "DTM_R131_Apr2024.csv", population_group="idp").report.warnings
