import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.parse import ParseError, day_month_order, parse_date
from dsdash.schema import POPULATION, PRESENCE
from dsdash.validate import dates, numbers, validate_table


def test_rows_are_accounted_for_and_problems_are_located():
    raw = pd.DataFrame(
        {
            "site_id": ["a", "b", "", "d", "e"],
            "population_group": ["idp", "idp", "idp", "refugee", "idp"],
            "households": ["10", "x", "3", "4", "1.200"],
            "individuals": ["60", "6", "18", "24", "7,200"],
            "individuals_method": ["hh_x6"] * 5,
            "reference_date": ["2023-12-10"] * 5,
            "source": ["test"] * 5,
        }
    )
    df, rep = validate_table(raw, POPULATION, file="pop.csv", sheet="Sheet1")
    assert rep.rows_in == 5 and rep.rows_accepted == 2 and rep.rows_rejected == 3
    assert list(df["site_id"]) == ["a", "e"]
    assert df["individuals"].tolist() == [60, 7200]
    msgs = {(p.row, p.column, p.level) for p in rep.problems}
    assert (3, "households", "error") in msgs  # 'x'
    assert (4, "site_id", "error") in msgs  # empty required
    assert (5, "population_group", "error") in msgs  # not in vocabulary
    assert (6, "households", "warning") in msgs  # 1.200
    assert all(p.file == "pop.csv" and p.sheet == "Sheet1" for p in rep.problems)
    assert "row 3" in str(rep.errors[0]) or "row 4" in str(rep.errors[0])


def test_missing_required_column_rejects_every_row():
    raw = pd.DataFrame({"partner": ["A"], "source": ["s"]})
    df, rep = validate_table(raw, PRESENCE, file="p.csv")
    assert df.empty and rep.rows_rejected == 1 and rep.rows_in == 1
    assert any(p.column == "service" and "missing" in p.reason for p in rep.problems)


def test_duplicate_keys_rejected_with_row_number():
    raw = pd.DataFrame({"site_id": ["a", "a"], "population_group": ["idp", "idp"], "households": ["1", "2"],
                        "individuals": ["6", "12"], "individuals_method": ["hh_x6"] * 2,
                        "reference_date": ["2024-01-01"] * 2, "source": ["s"] * 2})
    df, rep = validate_table(raw, POPULATION, file="d.csv")
    assert len(df) == 1 and rep.rows_rejected == 1
    assert rep.errors[0].row == 3 and "duplicate" in rep.errors[0].reason


# --------------------------------------------------------------------------- dates and counts as real files write them
def _population(reference_dates, households=None):
    n = len(reference_dates)
    return pd.DataFrame({"site_id": [f"s{i}" for i in range(n)], "population_group": ["idp"] * n,
                         "households": households or ["1"] * n, "individuals": [None] * n,
                         "individuals_method": ["hh_x6"] * n, "reference_date": reference_dates, "source": ["t"] * n})


def _dates(df):
    return [d.date() for d in df.sort_values("site_id")["reference_date"]]


def test_a_column_with_one_month_first_date_is_read_month_first_and_says_so():
    df, rep = validate_table(_population(["04/30/2019", "04/05/2019", "05/06/2019", "05/06/2019"]), POPULATION,
                             file="p.csv")
    assert rep.rows_accepted == 4 and not rep.problems
    assert _dates(df) == [dt.date(2019, 4, 30), dt.date(2019, 4, 5), dt.date(2019, 5, 6), dt.date(2019, 5, 6)]
    note = next(n for n in rep.notes if n.startswith("column 'reference_date'"))
    assert "month first, as '04/30/2019' shows" in note and "3 dates that could be either" in note
    assert "'04/05/2019' = 5 April 2019" in note


def test_a_column_nothing_decides_is_read_day_first_and_says_so():
    df, rep = validate_table(_population(["04/05/2019", "06/07/2019", "2019-05-01"]), POPULATION, file="p.csv")
    assert _dates(df) == [dt.date(2019, 5, 4), dt.date(2019, 7, 6), dt.date(2019, 5, 1)]
    assert any("none says which: read day first, as Iraq writes dates" in n for n in rep.notes)


def test_a_column_with_day_first_evidence_and_without_ambiguity():
    df, rep = validate_table(_population(["30/04/2019", "04/05/2019"]), POPULATION, file="p.csv")
    assert _dates(df) == [dt.date(2019, 4, 30), dt.date(2019, 5, 4)]
    assert any("day first, as '30/04/2019' shows" in n for n in rep.notes)
    df, rep = validate_table(_population(["30/04/2019", "2019-04-30"]), POPULATION, file="p.csv")
    assert not [n for n in rep.notes if n.startswith("column")]  # nothing had to be decided: nothing said


def test_a_column_mixing_both_orders_warns_on_each_cell_that_could_be_either():
    df, rep = validate_table(_population(["30/04/2019", "04/30/2019", "04/05/2019"]), POPULATION, file="p.csv")
    assert rep.rows_accepted == 3 and _dates(df)[2] == dt.date(2019, 5, 4)
    assert [(p.row, p.level) for p in rep.problems] == [(4, "warning")]
    assert "could be day or month first" in rep.problems[0].reason
    assert any("both day first ('30/04/2019') and month first ('04/30/2019')" in n for n in rep.notes)


@pytest.mark.parametrize("written", ["Apr 30, 2019", "April 30 2019", "30-Apr-19", "30 April 2019", "2019/04/30",
                                     "30.04.2019", "20190430", "٣٠ نيسان ٢٠١٩", "٣٠ أبريل ٢٠١٩", "43585"])
def test_a_date_column_in_any_form(written):
    df, rep = validate_table(_population([written] * 3), POPULATION, file="p.csv")
    assert rep.rows_accepted == 3 and not rep.problems
    assert _dates(df) == [dt.date(2019, 4, 30)] * 3


def test_counts_written_as_floats_text_or_arabic_are_whole_numbers():
    hh = ["14.0", "14.00", "1.4e1", '"1,234"', "1,234", "١٢٣٤", "14.5"]
    df, rep = validate_table(_population(["2024-04-30"] * len(hh), hh), POPULATION, file="p.csv")
    assert df.sort_values("site_id")["households"].tolist() == [14, 14, 14, 1234, 1234, 1234]
    assert [(p.row, p.column, p.reason) for p in rep.errors] == [(8, "households", "'14.5' is not a whole number")]


DATE_CELLS = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)).flatmap(lambda d: st.sampled_from([
        d.isoformat(), f"{d.isoformat()} 00:00:00", d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"),
        d.strftime("%d.%m.%Y"), f"{d:%b} {d.day}, {d.year}", f"{d.day}-{d:%b}-{d:%y}", d.strftime("%Y%m%d"),
        d.strftime("%b-%Y"), str((d - dt.date(1899, 12, 30)).days), (d - dt.date(1899, 12, 30)).days])),
    st.sampled_from(["", " ", "-", "ongoing", "x", "31/02/2024", "Q2 2024", None, float("nan")]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(DATE_CELLS, min_size=1, max_size=25), st.sampled_from(["start", "end", "point"]))
def test_vectorised_dates_agree_with_parse_date(values, role):
    """The whole-column path reads each cell as parse_date does, in the order decided for the column."""
    got, issues = dates(pd.Series(values, dtype=object), role=role)
    errors = {i for i, level, _m in issues if level == "error"}
    texts = [str(v).strip() for v in values if isinstance(v, str) or isinstance(v, int)]
    order = day_month_order(texts)
    for i, v in enumerate(values):
        try:
            want = parse_date(v if not isinstance(v, str) else v.strip(), role=role, dayfirst=order.dayfirst)
        except ParseError:
            assert i in errors and pd.isna(got.iat[i]), (v, got.iat[i])
            continue
        assert i not in errors, (v, issues)
        assert (pd.isna(got.iat[i]) if want is None else got.iat[i].date() == want), (v, got.iat[i], want)


def test_vectorised_numbers_read_whole_counts_without_parse_number():
    v, issues = numbers(pd.Series(["14", "14.0", "14.00", "1,234", "-3", None]), integer=True)
    assert v.tolist()[:5] == [14, 14, 14, 1234, -3] and not issues and pd.isna(v.iat[5])
    v, issues = numbers(pd.Series(["1.000", "14x"]), integer=True)  # still the per-cell rules: a warning, an error
    assert v.tolist()[0] == 1000 and [lvl for _i, lvl, _m in issues] == ["warning", "error"]
    assert np.isnan(v.to_numpy(dtype=float, na_value=np.nan)[1])
    # a dot that cannot group thousands ('14.5', itself an error: not a whole number) shows the column's
    # dot is a decimal point: its '1.000' is 1 (dsdash.validate.dot_is_decimal)
    v, issues = numbers(pd.Series(["1.000", "14.5"]), integer=True)
    assert v.tolist()[0] == 1 and [lvl for _i, lvl, _m in issues] == ["error"]
