"""The Master List import after its speed work (issue 11): the same problems, notes and tables, cell for
cell, whatever path a column takes (Arrow text from a CSV, Python values from a workbook; each distinct
p-code looked up once; totals words and repeated headers looked for only where a first byte allows).

One messy list carries a case of each check the fast paths touch; the CSV and the XLSX of it must give
the same report and the same tables.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dsdash.importers import import_file

HEAD = ["Place ID", "Governorate", "District", "District pcode", "Location Name", "Arabic Name", "Latitude",
        "Longitude", "Families", "Individuals", "Date", "Round", "Camp", "Host families"]
ROWS = [
    "11,Anbar,Ramadi,IQG01Q03,Hay A,حي أ,33.42,43.30,10,60,2024-01-31,131,0,10",
    "12,Ninewa,Mosul,IRQ-G15Q04,Hay B,حي ب,43.13,36.34,20,120,2024-01-31,131,0,20",  # swapped coordinates
    "13,Kirkuk,Kirkuk,IQG01Q03,Camp C,مخيم ج,35.47,44.39,30,150,2024-01-31,131,30,-1",  # Anbar's district
    "14,Duhok,Zakho,XX99,Hay D,حي د,7.14,2.68,40,,,,0,x",  # not a p-code; outside Iraq; no individuals
    "15,Baghdad,Karkh,IQG08Q03,Hay E,حي ه,33.31,44.36,50,301,2024-01-31,131,,50",
    "16,Anbr,Karkh,IQG08Q03,Hay F,حي و,33.31,44.36,5,30,2024-01-31,131,,5",  # no such governorate
    "17,Baghdad,Karkh,IQG08Q03,hay e ,حي ه,33.31,44.36,50,10,2024-01-31,131,,50",  # Hay E again
    "17,Baghdad,Karkh,IQG08Q03,Hay G,حي ز,33.31,44.36,14.5,87,2024-01-31,131,,",  # half a family
    "18,Baghdad,Karkh,IQG08Q03,Hay H,حي ح,33.31,44.36,,,2024-01-31,131,,",  # no count at all
    "19,Erbil,Erbil,IQG11Q01,Total,,36.1,44.0,3,18,2024-01-31,131,,3",  # a place named Total: data
    ",".join(HEAD),  # a header repeated mid-file
    "20,Erbil,Erbil,IQG11Q01,Hay J,حي ي,36.1,44.0,1000000,6000000,2024-01-31,131,,",
    "21,Erbil,Erbil,IQG11Q01,Hay K,,36.1,44.0,١٢,72,2024-01-31,131,,1.2.3",
    "Total,,,,,,,,1290,,,,,",  # the fused totals row
    ",,,,,,,,,,,,,",
]
FILE = "IDP_master_list_2024-01-31"
#: (reason, row, column, level) of every problem, in the order the import finds them.
PROBLEMS = [
    ("'Anbr' is not a governorate of Iraq (closest: Al-Anbar)", 8, "Governorate", "error"),
    ("'XX99' is not a COD-AB district p-code (e.g. IQG01Q01, IRQ-G01Q01); left empty", 6, "District pcode", "warning"),
    ("the district p-code 'IQG01Q03' lies in Al-Anbar (IQG01), not in the row's governorate Kirkuk (IQG13); left "
     "empty", 5, "District pcode", "warning"),
    ("no families or individuals on this row", 11, "Families", "error"),
    ("'14.5' is not a whole number", 10, "Families", "error"),
    ("'x' is not a number; left out of the breakdown", 6, "Host families", "warning"),
    ("'1.2.3' is not a number; left out of the breakdown", 15, "Host families", "warning"),
    ("latitude 43.13 and longitude 36.34 look swapped (outside Iraq as given, inside when swapped); read swapped", 4,
     "Latitude/Longitude", "warning"),
    ("coordinates (7.14, 2.68) are outside Iraq; the location is kept without a map position", 6,
     "Latitude/Longitude", "warning"),
    ("individuals 301 ≠ households 50 × 6 = 300; kept as reported", 7, "Individuals", "warning"),
    ("individuals 10 ≠ households 50 × 6 = 300; kept as reported", 9, "Individuals", "warning"),
    ("individuals (10) fewer than households (50)", 9, "Individuals", "warning"),
    ("6,000,000 individuals at one location: more than 500,000, the most plausible; check the cell", 14,
     "Individuals", "warning"),
    ("possible duplicate site: same name as row 7 in the same district (place ids 15 and 17); both kept", 9,
     "Location Name", "warning"),
    ("-1 is negative: a count cannot be below 0; left out of the breakdown", 5, "Host families", "warning"),
    ("a totals row: recognised and not counted; Families 1,290 differs from the sum of the accepted rows "
     "(1,000,215)", 16, "Place ID", "warning"),
]


def _cell(v: str):
    for kind in (int, float):
        try:
            return kind(v)
        except ValueError:
            pass
    return v or None


def _file(fmt: str) -> bytes:
    if fmt == "csv":
        return ("IDP Master List round 131\n" + ",".join(HEAD) + "\n" + "\n".join(ROWS) + "\n").encode()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["IDP Master List round 131"])
    ws.append(HEAD)
    for r in ROWS:  # numbers as numbers, as a workbook holds them
        ws.append(HEAD if r == ",".join(HEAD) else [_cell(v) for v in r.split(",")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_messy_master_list_gives_every_problem_note_and_table(fmt):
    res = import_file(_file(fmt), f"{FILE}.{fmt}")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (12, 9, 3)
    assert [(p.reason, p.row, p.column, p.level) for p in rep.problems] == PROBLEMS
    assert rep.notes == [
        "IDP Master List, round 131, dated 31 Jan 2024", "reference date 31 Jan 2024 read from the file name "
        "('2024-01-31')", "header found on row 2", "row 13 repeats the header: skipped, not counted",
        "2 breakdown columns kept as tidy rows (shelter)",
        "1 rows without individuals: computed as households × 6 (× 5 in camps from round 117)",
        "row 16 is a totals row: not counted"]
    sites, pop, bd = res.tables["sites"], res.tables["population"], res.tables["breakdowns"]
    assert sites["site_id"].tolist() == ["11", "12", "13", "14", "15", "17", "19", "20", "21"]
    assert sites["admin1_code"].tolist() == ["IQG01", "IQG15", "IQG13", "IQG09", "IQG08", "IQG08", "IQG11", "IQG11",
                                             "IQG11"]
    assert sites["admin2_code"].tolist() == ["IQG01Q03", "IQG15Q04", pd.NA, pd.NA, "IQG08Q03", "IQG08Q03", "IQG11Q01",
                                             "IQG11Q01", "IQG11Q01"]
    assert sites["admin1_name"].iat[0] == "Al-Anbar" and sites["site_type"].tolist().count("camp") == 1
    assert sites["latitude"].iat[1] == 36.34 and pd.isna(sites["latitude"].iat[3])
    assert pop["individuals"].tolist() == [60, 120, 150, 240, 301, 10, 18, 6000000, 72]
    assert pop["individuals_method"].tolist() == ["hh_x6", "hh_x6", "hh_x5", "hh_x6", "reported", "reported", "hh_x6",
                                                  "hh_x6", "hh_x6"]
    assert pop["dtm_round"].tolist() == [131] * 9 and pop["population_group"].unique().tolist() == ["idp"]
    assert list(zip(bd["site_id"], bd["category"], bd["households"])) == [
        ("13", "Camp", 30), ("11", "Host families", 10), ("12", "Host families", 20), ("15", "Host families", 50),
        ("17", "Host families", 50), ("19", "Host families", 3)]
    assert bd["category_code"].isna().all() and bd["dimension"].unique().tolist() == ["shelter"]
    sheet = " sheet Sheet" if fmt == "xlsx" else ""
    assert bd["source"].iat[0] == f"{FILE}.{fmt}{sheet} (DTM Master List, IDPs, round 131, 31 Jan 2024), row 5"
    assert [str(t) for t in bd.dtypes] == ["string", "string", "datetime64[s]", "string", "string", "string", "Int64",
                                           "string"]


@pytest.mark.parametrize("word", ["TOTAL", ": total :", "Grand Total", "الإجمالي", "sum:"])
def test_a_last_row_named_a_total_in_any_case_or_script_is_the_totals_row(word):
    body = ("Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,Hay A,10,60\n2,Ninewa,Hay B,20,120\n"
            f",,{word},30,180\n").encode()
    res = import_file(body, "idp_master_list_2024-01-31.csv")
    assert (res.report.rows_in, res.report.rows_accepted) == (2, 2)
    assert res.report.notes[-1] == "row 4 is a totals row: not counted"


def test_a_name_that_only_starts_like_a_total_is_a_location():
    body = ("Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,Hay A,10,60\n"
            "2,Ninewa,Totals Hill,20,120\n").encode()
    res = import_file(body, "idp_master_list_2024-01-31.csv")
    assert (res.report.rows_in, res.report.rows_accepted) == (2, 2)
    assert res.tables["sites"]["site_name"].tolist() == ["Hay A", "Totals Hill"]


def test_a_repeated_header_written_with_spaces_is_skipped():
    body = ("Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,Hay A,10,60\n"
            " Place ID , Governorate ,Location Name, Families ,Individuals\n2,Ninewa,Hay B,20,120\n").encode()
    res = import_file(body, "idp_master_list_2024-01-31.csv")
    assert (res.report.rows_in, res.report.rows_accepted, res.report.errors) == (2, 2, [])
    assert "row 3 repeats the header: skipped, not counted" in res.report.notes
