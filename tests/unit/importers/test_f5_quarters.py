"""F5 (H4 HIGH 1, LOW 3): FVM period columns written as quarters with two-digit years, in
Arabic, or as month ranges; columns of a wide table that are not read are named, never
dropped silently; a one-row wide table is recognised.

Hand counts (H4's fvm_quarters.csv): returned 10 + 20 + 30 + 40 = 100, relocated 4 × 5 = 20,
returned or relocated 120 households; 2 rows × 4 periods = 8 figures.
"""

import datetime as dt

import pytest

from dsdash.importers import import_file
from dsdash.importers.fvm import parse_period

D = dt.date


def _load(text: str, name: str = "fvm.csv"):
    res = import_file(text.encode("utf-8"), name)
    (rep,) = res.reports
    return res, rep


@pytest.mark.parametrize("label, start, end", [
    ("Q1-23", D(2023, 1, 1), D(2023, 3, 31)),
    ("Q1 23", D(2023, 1, 1), D(2023, 3, 31)),
    ("Q1/23", D(2023, 1, 1), D(2023, 3, 31)),
    ("Jan-Mar 23", D(2023, 1, 1), D(2023, 3, 31)),
    ("الربع الرابع 2023", D(2023, 10, 1), D(2023, 12, 31)),
    ("الربع الأول 2024", D(2024, 1, 1), D(2024, 3, 31)),
    ("النصف الثاني 2023", D(2023, 7, 1), D(2023, 12, 31)),
    ("Quarter 3 2023", D(2023, 7, 1), D(2023, 9, 30)),
])
def test_quarter_forms_are_periods(label, start, end):
    assert parse_period(label) == (start, end)


def test_quarters_across_are_all_counted():
    text = ("Indicator,Q1-23,Q2 2023,Q3 2023,الربع الرابع 2023\n"
            "HHs returned,10,20,30,40\nHHs relocated,5,5,5,5\n")
    res, rep = _load(text, "fvm_quarters.csv")
    f = res.tables["fvm"]
    assert len(f) == 8
    assert f.loc[f["indicator"] == "returned", "value"].sum() == 100
    assert f.loc[f["indicator"] == "relocated", "value"].sum() == 20
    q4 = f[f["period_label"] == "الربع الرابع 2023"]
    assert set(q4["period_start"].astype(str)) == {"2023-10-01"} and set(q4["period_end"].astype(str)) == {"2023-12-31"}
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 2, 0)


def test_total_column_checked_against_every_quarter():
    # H4's fvm_q.csv: 10+20+30+40 = 100 (right), 5×4 = 20 ≠ 21 (one real warning, not a misleading 50 / 10)
    text = ("Indicator,Q1-23,Q2/2023,2023-Q3,الربع الرابع 2023,Total\n"
            "HHs returned,10,20,30,40,100\nHHs relocated,5,5,5,5,21\n")
    res, rep = _load(text, "fvm_q.csv")
    assert len(res.tables["fvm"]) == 8
    warns = [p.reason for p in rep.problems]
    assert len(warns) == 1 and "Total 21 differs from the sum of this row's figures (20)" in warns[0]


def test_unread_columns_are_named_and_figures_under_them_warned():
    text = ("Indicator,Q1-23,Q5 2023,Source\nHHs returned,10,30,IOM\nHHs relocated,5,5,IOM\n")
    res, rep = _load(text)
    assert len(res.tables["fvm"]) == 2  # Q1-23 only
    assert any(n == "columns not used: 'Q5 2023', 'Source'" for n in rep.notes), rep.notes
    warns = [p for p in rep.problems if p.level == "warning"]
    assert len(warns) == 1 and warns[0].column == "Q5 2023" and "its figures are not counted" in warns[0].reason
    assert warns[0].row == 1


def test_one_row_wide_table_is_recognised():
    res, rep = _load("Indicator,Q1 2023,Q2 2023,Q3 2023\nHHs returned,10,20,30\n")
    assert rep.kind == "fvm"
    f = res.tables["fvm"]
    assert list(f["value"]) == [10, 20, 30] and set(f["indicator"]) == {"returned"}
    assert (rep.rows_in, rep.rows_accepted) == (1, 1)


def test_indicators_across_unknown_column_named_and_warned():
    text = "Period,HHs returned,HHs relocated,Number of goats,Total\n2022,10,5,7,22\n2023,20,5,9,34\n"
    res, rep = _load(text)
    f = res.tables["fvm"]
    assert len(f) == 4 and f["value"].sum() == 40  # 10 + 20 + 5 + 5
    assert "columns not used: 'Number of goats', 'Total'" in rep.notes
    (w,) = [p for p in rep.problems if p.level == "warning"]
    assert w.column == "Number of goats" and "not an FVM indicator we know" in w.reason


def test_label_column_before_indicators_is_named_not_warned():
    res, rep = _load("#,Indicator,Q1 2023,Q2 2023\n1,HHs returned,10,20\n2,HHs relocated,5,5\n")
    assert len(res.tables["fvm"]) == 4
    assert "columns not used: '#'" in rep.notes and not rep.problems
