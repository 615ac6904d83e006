"""Dates and rounds stated in file names, sheet names and title rows, and date columns written the
ways real files write them, through import_file with generated files (no mocks)."""

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from dsdash.importers import import_file
from tests.support.dtm_fixtures import GENERATIONS, locations, master_list, xlsx_bytes


@pytest.fixture(scope="module")
def locs():
    return locations(60, seed=11)


def _population(res):
    return res.tables["population"]


def _with_column(data: bytes, header: str, value, encoding: str = "utf-8") -> bytes:
    """A CSV with one more column, ``value`` on every data row (title rows above the header untouched)."""
    rows = list(csv.reader(io.StringIO(data.decode(encoding))))
    head = next(i for i, r in enumerate(rows) if len([c for c in r if c]) > 3)
    out = rows[:head] + [rows[head] + [header]] + [r + [value] if any(r) else r for r in rows[head + 1:]]
    sio = io.StringIO()
    csv.writer(sio, lineterminator="\r\n").writerows(out)
    return sio.getvalue().encode(encoding)


@pytest.mark.parametrize("filename, date, rnd", [
    ("Iraq_IDP_Master_List_DTM_IOMApr 30, 2019.csv", dt.date(2019, 4, 30), None),
    ("DTM_IDP_R132_Apr2024.csv", dt.date(2024, 4, 30), 132),
    ("IDP_Master_List_Round 119 - Dec 2020.csv", dt.date(2020, 12, 31), 119),
    ("IDP_ML_20190430.csv", dt.date(2019, 4, 30), None),
    ("قائمة النازحين IDP نيسان ٢٠٢٤.csv", dt.date(2024, 4, 30), None),
    ("IDP أبريل 2024.csv", dt.date(2024, 4, 30), None),
])
def test_date_and_round_from_the_file_name(locs, filename, date, rnd):
    f = master_list(locs, fmt="csv", title_rows=False, filename=filename)
    res = import_file(f.data, f.filename)
    pop = _population(res)
    assert res.report.rows_accepted == len(locs) and not res.report.errors
    assert set(pop["reference_date"]) == {pd.Timestamp(date)}
    assert int(pop["households"].sum()) == f.households
    assert (set(pop["dtm_round"].dropna().astype(int)) or {None}) == {rnd}
    assert any("read from the file name" in n for n in res.report.notes)


@pytest.mark.parametrize("month, date", [
    ("Dec 2020", dt.date(2020, 12, 31)), ("30 April 2019", dt.date(2019, 4, 30)), ("Apr 30, 2019", dt.date(2019, 4, 30)),
    ("نيسان 2024", dt.date(2024, 4, 30)), ("أبريل ٢٠٢٤", dt.date(2024, 4, 30)), ("كانون الأول 2023", dt.date(2023, 12, 31)),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_date_and_round_from_the_title_rows(locs, month, date, fmt):
    f = master_list(locs, fmt=fmt, round_=119, month=month, filename=f"export.{fmt}")
    res = import_file(f.data, f.filename)
    pop = _population(res)
    assert res.report.rows_accepted == len(locs)
    assert set(pop["reference_date"]) == {pd.Timestamp(date)} and set(pop["dtm_round"]) == {119}
    assert any("read from the title rows" in n for n in res.report.notes)


@pytest.mark.parametrize("sheet, date, rnd", [
    ("Round 119 - Dec 2020", dt.date(2020, 12, 31), 119), ("DTM_R132_Apr2024", dt.date(2024, 4, 30), 132),
    ("نيسان 2024", dt.date(2024, 4, 30), None), ("أبريل 2024", dt.date(2024, 4, 30), None),
])
def test_date_and_round_from_the_sheet_name(sheet, date, rnd):
    rows = [["Place ID", "Governorate", "Location Name", "IDP Families", "IDP Individuals"],
            [1, "Anbar", "Hay A", 10, 60], [2, "Ninewa", "Hay B", 5, 30]]
    res = import_file(xlsx_bytes({sheet: rows}), "export.xlsx")
    pop = _population(res)
    assert res.report.rows_accepted == 2
    assert set(pop["reference_date"]) == {pd.Timestamp(date)}
    assert (set(pop["dtm_round"].dropna().astype(int)) or {None}) == {rnd}
    assert any("read from the sheet name" in n for n in res.report.notes)


def test_title_rows_win_over_the_file_name_and_the_caller_over_both(locs):
    f = master_list(locs, fmt="csv", round_=119, month="Dec 2020", filename="IDP_R120_Jan2021.csv")
    pop = _population(import_file(f.data, f.filename))
    assert set(pop["reference_date"]) == {pd.Timestamp("2020-12-31")} and set(pop["dtm_round"]) == {119}
    res = import_file(f.data, f.filename, reference_date=dt.date(2021, 1, 15))
    assert set(_population(res)["reference_date"]) == {pd.Timestamp("2021-01-15")}
    assert any("reference date given (2021-01-15) differs from the file's (2020-12-31)" in p.reason
               for p in res.report.warnings)


def test_an_ambiguous_date_in_a_file_name_is_read_day_first_with_a_warning(locs):
    f = master_list(locs, fmt="csv", title_rows=False, filename="IDP_ML_04.05.2019.csv")
    res = import_file(f.data, f.filename)
    assert set(_population(res)["reference_date"]) == {pd.Timestamp("2019-05-04")}
    w = [p.reason for p in res.report.warnings if "could be" in p.reason]
    assert w and "4 May 2019 or 5 April 2019: read day first" in w[0] and "file name" in w[0]


@pytest.mark.parametrize("gen", sorted(GENERATIONS))
def test_the_iom_date_column_and_file_name_are_read(locs, gen):
    """IOM's 2014-2021 exports: 'Apr 30, 2019' in a date column on every row, the date in the name."""
    group = "returnee" if gen == "returnee" else "idp"
    f = master_list(locs, fmt="csv", gen=gen, group=group, title_rows=False, breakdowns=False,
                    filename=f"Iraq_{group.upper()}_Master_List_DTM_IOMApr 30, 2019.csv")
    data = _with_column(f.data, "Date", "Apr 30, 2019")
    res = import_file(data, f.filename)
    pop = _population(res)
    assert res.report.rows_in == res.report.rows_accepted == len(locs)
    assert not res.report.errors and not res.report.warnings
    assert set(pop["reference_date"]) == {pd.Timestamp("2019-04-30")}
    assert int(pop["households"].sum()) == f.households and int(pop["individuals"].sum()) == f.individuals


@pytest.mark.parametrize("written, dates, says", [
    (["04/30/2019", "04/05/2019"], [dt.date(2019, 4, 30), dt.date(2019, 4, 5)], "month first, as '04/30/2019' shows"),
    (["04/05/2019", "06/05/2019"], [dt.date(2019, 5, 4), dt.date(2019, 5, 6)], "read day first, as Iraq writes dates"),
])
def test_a_date_column_decides_its_day_month_order_and_says_so(written, dates, says):
    csv_text = "Place ID,Governorate,Location Name,Families,Individuals,Date\n" + "".join(
        f"{i + 1},Anbar,Hay {i},1,6,{d}\n" for i, d in enumerate(written))
    res = import_file(csv_text.encode(), "IDP_ML.csv")
    pop = _population(res).sort_values("site_id")
    assert [d.date() for d in pop["reference_date"]] == dates
    assert any(n.startswith("column 'Date'") and says in n for n in res.report.notes), res.report.notes


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_counts_written_as_floats_and_text_load_to_the_unit(fmt):
    rows = [["Place ID", "Governorate", "Location Name", "IDP Families", "IDP Individuals"],
            [1, "Anbar", "Hay A", "14.0", "84"], [2, "Anbar", "Hay B", "14.00", 84.0], [3, "Anbar", "Hay C", "1.4e1", "84"],
            [4, "Anbar", "Hay D", "1,234", "7,404"], [5, "Anbar", "Hay E", "١٢٣٤", "٧٤٠٤"], [6, "Anbar", "Hay F", 14.0, 84],
            [7, "Anbar", "Hay G", "14.5", "87"]]
    if fmt == "xlsx":
        data = xlsx_bytes({"Round 130 - Jul 2023": rows})
    else:
        sio = io.StringIO()
        csv.writer(sio).writerows(rows)
        data = sio.getvalue().encode()
    res = import_file(data, f"ML_R130_Jul2023.{fmt}")
    pop = _population(res).sort_values("site_id")
    assert pop["households"].tolist() == [14, 14, 14, 1234, 1234, 14]
    assert pop["individuals"].tolist() == [84, 84, 84, 7404, 7404, 84]
    assert [(p.row, p.reason) for p in res.report.errors] == [(8, "'14.5' is not a whole number")]
    assert res.report.rows_in == res.report.rows_accepted + res.report.rows_rejected == 7
