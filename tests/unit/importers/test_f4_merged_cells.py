"""Merged cells in a workbook read as the user sees them (F4, issue 11).

Excel keeps a merged range's value in its top-left cell only: a Governorate merged down each
governorate's rows left every row but the first without one, and those rows were rejected ("value
is empty but required"). Each range taller than one row is now filled down with its top-left value;
a range one row tall (a title across the top, a header over two columns) is left as it is; a sheet
whose ranges are too many or overlap has none filled, quickly, and a note says so.
"""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl

from dsdash.importers import import_file
from dsdash.importers import readers
from dsdash.importers.readers import read_table_file, read_xlsx

HEAD = ["Place id", "Governorate", "District", "Location name in English", "Location name in Arabic", "Latitude",
        "Longitude", "Households", "Individuals", "Remarks"]
# (place id, governorate (None: under a merged cell), district, name, Arabic name, lat, lon, households, individuals)
ROWS = [
    (100001, "Anbar", "District 6 of Anbar", "Hay Shuhada 1", "حي الشهداء 1", 33.71, 42.58, 14, 84),
    (100002, None, "District 6 of Anbar", "Hay Shuhada 2", "حي الشهداء 2", 33.72, 42.59, 10, 60),
    (100003, None, "District 6 of Anbar", "Hay Shuhada 3", "حي الشهداء 3", 33.73, 42.60, 7, 42),
    (100004, None, "District 6 of Anbar", "Hay Shuhada 4", "حي الشهداء 4", 33.74, 42.61, 3, 18),
    (100005, "Ninewa", "District 5 of Ninewa", "Hay Yarmouk 5", "حي اليرموك 5", 36.39, 43.06, 155, 930),
    (100006, None, "District 5 of Ninewa", "Hay Yarmouk 6", "حي اليرموك 6", 36.40, 43.07, 20, 120),
    (100007, None, "District 5 of Ninewa", "Hay Yarmouk 7", "حي اليرموك 7", 36.41, 43.08, 1, 6),
    (100008, "Erbil", "District 1 of Erbil", "Hay Amal 8", "حي الأمل 8", 35.85, 44.10, 19, 114),
    (100009, None, "District 1 of Erbil", "Hay Amal 9", "حي الأمل 9", 35.86, 44.11, 30, 180),
    (100010, "Duhok", "District 1 of Dahuk", "Hay Salam 10", "حي السلام 10", 37.29, 43.39, 193, 1158),
]
# by hand: Anbar 4 rows, 14+10+7+3 = 34 households, 84+60+42+18 = 204 individuals; Ninewa 3, 176, 1,056;
# Erbil 2, 49, 294; Duhok 1, 193, 1,158. In all 10 rows, 452 households, 2,712 individuals.
BY_GOVERNORATE = {"IQG01": (4, 34, 204), "IQG15": (3, 176, 1056), "IQG11": (2, 49, 294), "IQG09": (1, 193, 1158)}


def _workbook(tall_title: bool = False) -> bytes:
    """Row 1-2 a title merged across the top (A1:J1, A2:J2; or one title A1:J2, two rows tall), row 3
    group headers merged across two columns (D3:E3, H3:I3), row 4 the header with 'Remarks' merged
    over J4:K4, rows 5-14 the data with the Governorate merged down each governorate's rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Master List"
    ws["A1"] = "IOM Iraq - Displacement Tracking Matrix (DTM)"
    if tall_title:
        ws.merge_cells("A1:J2")
    else:
        ws["A2"] = "IDP Master List - Round 109 - 30 April 2019"
        ws.merge_cells("A1:J1")
        ws.merge_cells("A2:J2")
    ws["D3"], ws["H3"] = "Location", "Population"
    ws.merge_cells("D3:E3")
    ws.merge_cells("H3:I3")
    for j, h in enumerate(HEAD, start=1):
        ws.cell(row=4, column=j, value=h)
    ws.merge_cells("J4:K4")
    for i, r in enumerate(ROWS):
        for j, v in enumerate(r, start=1):
            if v is not None:
                ws.cell(row=5 + i, column=j, value=v)
        ws.cell(row=5 + i, column=10, value=f"remark {i + 1}")
    for ref in ("B5:B8", "B9:B11", "B12:B13"):  # (B14: Duhok's one row, not merged)
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_governorate_merged_down_its_rows_is_read_on_every_row():
    res = import_file(_workbook(), "idp_master_list_round_109.xlsx")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (10, 10, 0)
    pop = res.tables["population"].merge(res.tables["sites"][["site_id", "admin1_code"]], on="site_id")
    assert (int(pop.households.sum()), int(pop.individuals.sum())) == (452, 2712)
    by = pop.groupby("admin1_code").agg(n=("site_id", "size"), hh=("households", "sum"), ind=("individuals", "sum"))
    assert {k: tuple(int(x) for x in v) for k, v in by.iterrows()} == BY_GOVERNORATE
    assert "merged cells in sheet 'Master List': 3 ranges filled down with their top-left value (B5:B8, B9:B11, " \
           "B12:B13)" in rep.notes


def test_titles_and_headers_merged_across_columns_are_left_as_they_are():
    t, = read_table_file(_workbook(), "ml.xlsx")
    f = t.frame
    assert f.shape == (14, 10)  # (K4, under 'Remarks' merged over J4:K4, holds nothing: not read)
    assert f.iloc[0].tolist() == ["IOM Iraq - Displacement Tracking Matrix (DTM)"] + [None] * 9
    assert f.iloc[2].tolist() == [None] * 3 + ["Location", None, None, None, "Population", None, None]
    assert f.iloc[3].tolist() == HEAD  # no header named twice
    assert f.iloc[4:, 1].tolist() == ["Anbar"] * 4 + ["Ninewa"] * 3 + ["Erbil"] * 2 + ["Duhok"]
    assert [n for n in t.notes if "merged" in n] == [
        "merged cells in sheet 'Master List': 3 ranges filled down with their top-left value (B5:B8, B9:B11, B12:B13)"]


def test_a_title_two_rows_tall_is_not_copied_into_the_empty_row_under_it():
    """(Second review: a merged range fills only rows holding two cells or more, so no empty row, nor a note
    under the table, gets a copy; the title is not written twice.)"""
    t, = read_table_file(_workbook(tall_title=True), "ml.xlsx")
    assert t.frame.iloc[1].tolist() == [None] * 10
    assert "3 ranges filled down with their top-left value (B5:B8, B9:B11, B12:B13)" in t.notes[-1]


def test_the_openpyxl_path_fills_the_same_cells():
    data = _workbook()
    facts: dict = {}
    parts = readers.check_workbook_parts(readers.check_zip(data), None, {}, facts)
    slow = readers._read_openpyxl(data)
    readers._fill_merged(slow, parts, facts["merges"])
    fast, = read_xlsx(data)
    assert slow[0].frame.equals(fast.frame)
    assert slow[0].notes == [n for n in fast.notes if "merged" in n]


def _with_merges(refs: list[str], rows: int = 100) -> bytes:
    """A sheet of ``rows`` data rows (a Governorate on every tenth) with these merged ranges written in."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["Place id", "Governorate", "Households"])
    for i in range(rows):
        ws.append([i + 1, "Anbar" if i % 10 == 0 else None, 5])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            d = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                m = b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in refs)
                d = d.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">%s</mergeCells>' % (len(refs), m))
            z.writestr(info, d)
    return out.getvalue()


def _timed(data: bytes):
    start = time.perf_counter()
    t, = read_xlsx(data)
    return t, time.perf_counter() - start


def test_too_many_ranges_are_counted_not_filled():
    n = readers.MAX_MERGED_RANGES + 1
    t, took = _timed(_with_merges([f"B{2 + i % 90}:B{3 + i % 90}" for i in range(n)]))
    assert t.notes == [f"merged cells in sheet 'S': {n:,} ranges, more than 10,000: none filled (a merged range "
                       "holds its value in its first cell only)"]
    assert t.frame.iloc[1:12, 1].tolist() == ["Anbar"] + [None] * 9 + ["Anbar"]
    assert took < 5


def test_overlapping_ranges_far_past_the_cells_are_not_filled():
    t, took = _timed(_with_merges(["B2:XFD1048576"] * 5000))  # 5,000 × 100 rows to fill, in a sheet of 303 cells
    assert t.frame.shape == (101, 3)
    assert t.notes == ["merged cells in sheet 'S': 5,000 ranges that overlap: none filled (a merged range holds its "
                       "value in its first cell only)"]
    assert took < 5


def test_a_range_past_the_cells_is_cut_to_them():
    t, _took = _timed(_with_merges(["B2:C1048576"]))
    assert t.frame.shape == (101, 3)  # not one row more
    assert t.frame.iloc[1:, 1].tolist() == ["Anbar"] * 100 and t.frame.iloc[1:, 2].tolist() == [5] * 100
    assert t.notes == ["merged cells in sheet 'S': 1 range filled down with its top-left value (B2:C1048576)"]


def test_a_header_two_rows_tall_is_found_on_its_second_row():
    """Names merged down two header rows (A3:A4 …) over 'Households' and 'Individuals' under 'Population'
    (H3:I3): the second row holds every name once filled; before, no header was recognised."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ML"
    ws["A1"] = "IDP Master List - Round 109 - 30 April 2019"
    for j, h in enumerate(HEAD[:7], start=1):
        ws.cell(row=3, column=j, value=h)
        ws.merge_cells(start_row=3, end_row=4, start_column=j, end_column=j)
    ws["H3"], ws["H4"], ws["I4"] = "Population", "Households", "Individuals"
    ws.merge_cells("H3:I3")
    gov = None
    for i, r in enumerate(ROWS):
        gov = r[1] or gov
        for j, v in enumerate((r[0], gov, *r[2:]), start=1):
            ws.cell(row=5 + i, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    res = import_file(buf.getvalue(), "ml.xlsx")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (10, 10, 0)
    assert "header found on row 4" in rep.notes
    pop = res.tables["population"]
    assert (int(pop.households.sum()), int(pop.individuals.sum())) == (452, 2712)


def test_a_count_merged_over_rows_is_counted_once(tmp_path):
    """A number merged down several rows (one count for the block) is not copied down: copied, it would
    be counted once per row. The text merged beside it is filled."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ML"
    ws.append(["Place id", "Governorate", "Location name", "Households", "Individuals"])
    ws.append([1, "Ninewa", "Hay Nour", 10, 60])
    ws.append([2, None, "Hay Salam", None, None])
    ws.append([3, "Anbar", "Hay Amal", 5, 30])
    ws.merge_cells("B2:B3")
    ws.merge_cells("D2:D3")
    ws.merge_cells("E2:E3")
    path = tmp_path / "DTM_R132_Apr2024.xlsx"
    wb.save(path)
    from dsdash.importers import import_file

    res = import_file(path.read_bytes(), path.name, population_group="idp")
    pop = res.tables["population"]
    assert int(pop["households"].sum()) == 15 and int(pop["individuals"].sum()) == 90
    # the row under the merged count has none of its own: rejected, and said (not given a copy of the count)
    assert (res.report.rows_accepted, res.report.rows_rejected) == (2, 1)
    assert [(p.row, p.reason) for p in res.report.errors] == [(3, "no families or individuals on this row")]
    assert "merged cells in sheet 'ML': 1 range filled down with its top-left value (B2:B3)" in res.report.notes


def test_a_count_written_as_text_and_a_range_past_the_table_are_not_filled(tmp_path):
    """Second review (H4): a count stored as text ('5') merged over two rows was copied to both (counted
    twice); a Governorate range running past the table filled the note under it, which then read as a
    rejected location."""
    import openpyxl

    from dsdash.importers import import_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ML"
    ws.append(["Place id", "Governorate", "Location name", "Households", "Individuals"])
    ws.append([1, "Anbar", "Hay A", "10", 60])
    ws.append([2, None, "Hay B", "5", 30])
    ws.append([3, None, "Hay C", None, 42])
    ws.append([4, "Ninewa", "Hay D", "3", 18])
    ws.append([None] * 5)
    ws.append(["Source: IOM DTM. Figures are estimates.", None, None, None, None])
    ws.merge_cells("D3:D4")  # '5' over Hay B and Hay C
    ws.merge_cells("B2:B4")
    ws.merge_cells("B5:B9")  # Ninewa, past the table and over the note
    path = tmp_path / "DTM_R132_Apr2024.xlsx"
    wb.save(path)
    res = import_file(path.read_bytes(), path.name, population_group="idp")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (4, 4, 0)
    assert int(res.tables["population"]["households"].sum()) == 18  # 10 + 5 + 3: Hay C's households left empty
    assert set(res.tables["sites"]["admin1_code"]) == {"IQG01", "IQG15"}
    assert "row 7 is a note under the table, not a location: 'Source: IOM DTM. Figures are estimates.'" in rep.notes
