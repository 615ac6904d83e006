"""F2 (H2 MEDIUM 6): FVM tidy tables: the Governorate column, quarter periods, the column named.

Reproducers: H2's f3_fvm_tidy_gov.csv (as it is) and f2_fvm_tidy.csv's quarter rows.
"""

import datetime as dt

import pandas as pd

from dsdash.importers import import_file
from dsdash.importers.fvm import parse_period

F3 = "Indicator,Period,Value,Governorate\nReturned,Apr 2023,10,Anbar\nReturned,Apr 2023,20,Ninewa\nRelocated,Apr 2023,5,Anbar\n"


def test_the_governorate_column_is_read_and_two_governorates_are_not_duplicates(ds):
    res = import_file(F3.encode(), "f3_fvm_tidy_gov.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0) and not rep.problems
    f = res.tables["fvm"]
    assert list(zip(f["indicator"], f["admin1_code"], f["value"])) == [
        ("returned", "IQG01", 10), ("returned", "IQG15", 20), ("relocated", "IQG01", 5)]
    from dsdash.trends.fvm import fvm_funnel
    fun = fvm_funnel(ds.with_tables(fvm=f)).set_index("indicator")["households"].to_dict()
    assert fun == {"returned_or_relocated": 35, "returned": 30, "relocated": 5}


def test_an_unknown_governorate_rejects_its_row_by_name():
    t = "Indicator,Period,Value,Governorate\nReturned,Apr 2023,10,Atlantis\nReturned,Apr 2023,20,Ninewa\n"
    rep = import_file(t.encode(), "g.csv").report
    (err,) = rep.errors
    assert (err.row, err.column) == (2, "Governorate") and "'Atlantis' is not a governorate of Iraq" in err.reason


def test_quarters_and_month_ranges_are_periods():
    q1 = (dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    assert parse_period("Q1 2023") == parse_period("Jan-Mar 2023") == parse_period("2023 Q1") == q1
    assert parse_period("Q4-2023") == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert parse_period("January to June 2023") == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    t = ("Indicator,Period,Value,Unit,Governorate\nRegistered at help desks,Q1 2023,120,households,Anbar\n"
         "Registered at help desks,Jan-Mar 2023,130,households,Ninewa\n")
    res = import_file(t.encode(), "f2_fvm_tidy.csv")
    assert res.report.rows_accepted == 2 and not res.report.problems
    f = res.tables["fvm"]
    assert list(f["period_end"]) == [pd.Timestamp("2023-03-31")] * 2 and int(f["value"].sum()) == 250


def test_an_unread_period_names_the_period_column():
    t = "Indicator,Period,Value\nReturned,sometime,10\nReturned,2022,5\n"
    rep = import_file(t.encode(), "p.csv").report
    (err,) = rep.errors
    assert (err.row, err.column) == (2, "Period") and "'sometime' is not a period" in err.reason
