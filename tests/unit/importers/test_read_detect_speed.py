"""The fast paths of reading and detecting (issue 11's speed) give what the plain ways give.

- :func:`header_key` reads ASCII text without regular expressions: the same key as the regular
  expressions give, for any text, number or date;
- :class:`TopRows` computes each cell's key once for every kind :func:`kinds.detect` tries: the
  kind and header found are those each finder finds on its own, and nothing is kept from one
  sheet (or one language's headers) to the next;
- the workbook checks count a sheet's cells only as far as needed, and see ``<f`` in the scan
  they make anyway: the same refusals, the same answers.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.importers import catchments, fvm, kinds, readers, tidy
from dsdash.importers.detect import TopRows, any_key, cell_key, find_header, header_key
from dsdash.importers.readers import MAX_XML_PER_CELL, _sheet_extent_walk, _sheet_scan, _too_few_cells
from dsdash.schema import normalise_text


def header_key_by_regex(value: object) -> str:
    """header_key as it was written first (regular expressions on every text): the reference."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    t = normalise_text(value)
    if t.startswith("#"):
        return re.sub(r"\s+", "", t)
    t = re.sub(r"[_.:*]+", " ", t)
    t = re.sub(r"[()\[\]]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


ascii_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=30)
header_words = st.lists(st.sampled_from(["#", "Place", "ID", "_", ".", ":", "*", "(", ")", "[", "]", " ", "\t", "\n",
                                         "\x1c", "\x0b", "+", "Org", "Name", "Families", "12", "-", "é", "الموقع",
                                         "\u00a0", "\u2019", "ﬁ", "Ｆａｍｉｌｉｅｓ"]),
                        max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(ascii_text, header_words, st.text(max_size=20), st.integers(), st.floats(), st.booleans(),
                 st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.none()))
def test_header_key_fast_path_is_the_regular_expressions_key(value):
    assert header_key(value) == header_key_by_regex(value)
    assert any_key(value) == header_key_by_regex(value)


def test_header_key_of_words_met_in_headers():
    for v in [" Location_name ", "IDPs Families", "#Org +Name", "# org + name", "Location name (in English)",
              "Families (HH)", "ADM2_PCODE", "*Total*", "Gov.", "admin1Pcode", "", "   ", "#", "1.5", 36.594436,
              1e21, -0.0, float("inf"), 39, True, dt.datetime(2024, 4, 30)]:
        assert header_key(v) == header_key_by_regex(v), v


ML_TOP = [["IOM Iraq - DTM", None, None, None], ["Round 130", None, None, None], [None, None, None, None],
          ["Place ID", "Governorate", "Families", "Individuals"], ["#loc+code", "#adm1+name", "#population+hh", ""],
          ["100001", "Anbar", "39", "234"]]
CATCH = [["Catchment", "District p-codes", "Source"], ["East Anbar", "IQG01Q01", "x"]]
TIDY = [["Movements, 2023", None, None], ["origin_name", "destination_name", "source"], ["#loc+origin", "", ""],
        ["Mosul", "Erbil", "x"]]
AR = [["اسم الموقع", "المحافظة", "القضاء", "الأسر"], ["حي النور", "الأنبار", "الرمادي", "12"]]


@pytest.mark.parametrize("rows", [ML_TOP, CATCH, TIDY, AR, [[1, 2.5, "x"], [3, None, "y"]]])
def test_detect_with_shared_keys_finds_what_each_finder_finds_alone(rows):
    frame = pd.DataFrame(rows)
    top = TopRows(frame)
    assert top.cell_keys == [[cell_key(v) for v in row] for row in frame.to_numpy(dtype=object)]
    assert top.any_keys == [[any_key(v) for v in row] for row in frame.to_numpy(dtype=object)]
    alone = (catchments.find_catchments(frame) or tidy.find_tidy_table(frame) or find_header(frame, kinds._SIGNED)
             or fvm.find_fvm_wide(frame))
    hit = kinds.detect(frame)
    assert (hit is None) == (alone is None)
    if hit is not None:
        assert vars(hit[1]) == vars(alone)
        assert vars(catchments.find_catchments(frame, top=top) or tidy.find_tidy_table(frame, top=top)
                    or find_header(frame, kinds._SIGNED, top=top) or alone) == vars(alone)


def test_keys_are_not_kept_from_one_sheet_to_the_next():
    """Two sheets of the same shape, one after the other, in English then in Arabic headers: each is
    detected from its own cells (the keys belong to one detect call, not to a frame's shape)."""
    english = pd.DataFrame([["Place ID", "Location name", "Families", "Individuals"], ["1", "Hay A", "3", "9"]])
    arabic = pd.DataFrame([["Place ID", "اسم الموقع", "المحافظة", "Families"], ["1", "حي أ", "الأنبار", "3"]])
    presence = pd.DataFrame([["Organisation", "Sector", "Site", "District"], ["UNHCR", "Protection", "Camp A", "x"]])
    got = [kinds.detect(f) for f in (english, arabic, presence, english)]
    assert [k.name for k, _h in got] == ["dtm_master_list", "dtm_master_list", "presence", "dtm_master_list"]
    assert got[0][1].columns == {"site_id": 0, "site_name": 1, "households": 2, "individuals": 3}
    assert got[1][1].columns == {"site_id": 0, "site_name_ar": 1, "admin1": 2, "households": 3}
    assert got[2][1].columns == {"partner": 0, "service": 1, "site_name": 2, "district": 3}
    assert vars(got[3][1]) == vars(got[0][1])


def _count_cells(xml: bytes) -> int:
    return xml.count(b"<c ") + xml.count(b"<c>")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400), st.integers(0, 3_000_000), st.sampled_from([b"<c ", b"<c>", b"<c/>", b"<row>"]),
       st.booleans())
def test_cells_are_counted_only_as_far_as_the_padding_rule_needs(n_cells, pad, tag, front):
    cells = (tag + b'r="A1"><v>1</v></c>') * n_cells
    body = b" " * pad
    xml = b"<sheetData>" + (body + cells if front else cells + body) + b"</sheetData>"
    refused = len(xml) > (1 << 20) + MAX_XML_PER_CELL * _count_cells(xml)
    assert _too_few_cells(xml) == (_count_cells(xml) if refused else None)


def test_a_padded_sheet_is_still_refused_with_its_cell_count():
    from tests.support.hostile import _noise, sheet_xml, xlsx

    noise = "<!--" + _noise(5_000_000).decode("ascii", "replace").replace("-", "_") + "-->"
    data = xlsx([("Sheet1", sheet_xml([["Place ID", "Families"], ["1", 2]], extra=noise))])
    with pytest.raises(readers.ReadError, match=r"MB of XML for 4 cells: padding"):
        readers.check_workbook_parts(readers.check_zip(data))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384), st.booleans()), max_size=12),
       st.sampled_from([b"", b"<f>SUM(A1)</f>", b'<c r="A1" t="e"><v>#N/A</v></c>', b"<font/>", b"<fill>"]))
def test_sheet_scan_agrees_with_the_walk_and_sees_formulas(cells, extra):
    xml = b"<sheetData>"
    for r, c, zero in cells:
        ref = f"{readers._column_name(c)}{'0' if zero and r < 10**6 else ''}{r}".encode()  # A01: still 1-7 digits
        xml += b'<row r="' + str(r).encode() + b'"><c r="' + ref + b'"><v>1</v></c></row>'
    xml += extra + b"</sheetData>"
    facts: dict = {}
    rows, cols, _longest = _sheet_scan(xml, facts)
    assert (rows, cols) == _sheet_extent_walk(xml)
    assert facts["formula"] == (b"<f" in xml)


def test_a_long_csv_cell_is_still_found_when_the_reader_measures_cells(tmp_path):
    long = "x" * (readers.MAX_CELL_CHARS + 1)
    data = f"Place ID,Location name,Families\n1,{long},3\n2,Hay B,4\n".encode()
    raw = readers.read_table_file(data, "ml.csv")[0]
    assert raw.frame.iat[1, 1] == ""
    assert [p[:2] for p in raw.cell_problems] == [(1, 1)] and "too long" in raw.cell_problems[0][2]
    small = data.replace(long.encode(), b"Hay A")
    short = readers.read_table_file(small, "ml.csv")[0]
    assert short.longest_text == len(small) and not short.cell_problems  # no cell is longer than the file
    rows = "".join(f"{i},Hay {i},{i}\n" for i in range(3000))
    bigger = f"Place ID,Location name in English,Families\n{rows}".encode()
    assert len(bigger) > readers.MAX_CELL_CHARS
    raw = readers.read_table_file(bigger, "ml.csv")[0]
    assert raw.longest_text == len("Location name in English") and not raw.cell_problems


@pytest.mark.parametrize("data", [
    "IOM Iraq - DTM\nRound 130,\n,Place ID,Families\n1,100001,39\n2,100002,\n".encode(),
    "Place ID;اسم الموقع;Families\n1;حي أ;3\n".encode("cp1256"),
    b"a,b\n",
])
def test_top_rows_of_a_csv_are_its_cells_as_numpy_has_them(data):
    frame = readers.read_table_file(data, "x.csv")[0].frame
    assert TopRows(frame).rows == frame.head(30).to_numpy(dtype=object).tolist()
    missing = frame.copy()
    missing.iloc[0, 0] = None  # a missing cell (NaN in a "str" column): the plain way
    assert TopRows(missing).rows == missing.head(30).to_numpy(dtype=object).tolist()
    assert TopRows(missing).rows[0][0] != TopRows(missing).rows[0][0]  # NaN, as numpy has it


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", ",", "\n", "\r", "\r\n", "\x0b", "\x1c", "\x85", "\u2028", "é", '"', "x" * 50]),
                max_size=200).map("".join), st.integers(1, 70))
def test_head_lines_are_the_first_lines_of_the_first_200_kb(text, n):
    from dsdash.importers.readers import _HEAD_BYTES, _head_lines, _split_lines

    assert _head_lines(text, n) == _split_lines(text[:_HEAD_BYTES])[:n]
    long = "y" * (_HEAD_BYTES - 1) + text  # a line feed at the cut, or past it
    assert _head_lines(long, n) == _split_lines(long[:_HEAD_BYTES])[:n]
