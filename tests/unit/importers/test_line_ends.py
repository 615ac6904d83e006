"""Line ends and line-like characters in a Master List's title rows (QA findings F4, F5).

A title cell pasted from Word or a web page may hold a U+2028 line separator (or a form feed,
a vertical tab, U+0085); a file saved as Excel's "CSV (Macintosh)" ends its lines with a
carriage return alone. Before the fix, the first made the reader start the table one line
late (the header lost: "not recognised"), and the second refused the file with a Python
message ("substring not found"). Every combination must find the header on its real row and
read every data row.
"""

from __future__ import annotations

import pytest

from dsdash.importers import import_file
from dsdash.importers.readers import read_csv_bytes

HEADER = "Place id,Governorate,District,Location name in English,Households,Individuals"
ROWS = [
    "100001,Anbar,Falluja,Kilo 18,10,60",
    "100002,Anbar,Falluja,Bzebiz,25,151",
    "100003,Ninewa,Mosul,Hay Amal,7,44",
]
# 42 households, 255 individuals (hand count)


def _file(title_char: str, end: str, encoding: str) -> bytes:
    titles = [f"IOM DTM Iraq{title_char}Displacement Tracking Matrix", "IDP Master List - Round 120 - 28 February 2021",
              ""]
    return end.join([*titles, HEADER, *ROWS, ""]).encode(encoding)


CASES = [pytest.param(char, end, enc, id=f"{cid}-{eid}-{enc}")
         for char, cid in ((" ", "space"), ("\u2028", "u2028"), ("\x0c", "formfeed"), ("\x0b", "vtab"),
                           ("\x85", "nel"))
         for end, eid in (("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr"))
         for enc in ("utf-8", "cp1256", "utf-8-sig")
         if not (enc == "cp1256" and char in ("\u2028", "\x85"))]  # not characters of Windows-1256


@pytest.mark.parametrize(("title_char", "end", "encoding"), CASES)
def test_the_header_is_found_on_its_row_and_every_row_is_read(title_char, end, encoding):
    data = _file(title_char, end, encoding)
    res = import_file(data, "iom_master_list.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0), [str(p) for p in rep.problems]
    assert "header found on row 4" in rep.notes
    pop = res.tables["population"]
    assert int(pop["households"].sum()) == 42 and int(pop["individuals"].sum()) == 255
    assert sorted(res.tables["sites"]["site_name"]) == ["Bzebiz", "Hay Amal", "Kilo 18"]
    assert not [p for p in rep.problems if p.level == "error"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_the_raw_table_keeps_each_file_line_as_one_row(end):
    raw = read_csv_bytes(_file("\u2028", end, "utf-8"))
    assert raw.frame.shape[0] == 7  # 2 titles, a blank line, the header, 3 rows
    assert raw.frame.iat[3, 0] == "Place id" and raw.frame.iat[6, 3] == "Hay Amal"
    assert raw.frame.iat[0, 0] == "IOM DTM Iraq\u2028Displacement Tracking Matrix"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256"])
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_title_cell_with_a_line_break_is_one_row_and_says_what_it_says(end, encoding):
    # Alt+Enter in Excel: a quoted cell holding a line break. Excel shows it as one row, so the header is on row 4.
    data = end.join(['"IOM DTM Iraq' + end + 'IDP Master List"', "Round 120 - 28 February 2021", "", HEADER, *ROWS,
                     ""]).encode(encoding)
    res = import_file(data, "anbar.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0), [str(p) for p in rep.problems]
    assert "header found on row 4" in rep.notes
    assert rep.notes[0] == "IDP Master List, round 120, dated 28 Feb 2021"  # the group read from the title cell
    assert not rep.questions and res.usable
    assert set(res.tables["population"]["population_group"]) == {"idp"}
    assert int(res.tables["population"]["individuals"].sum()) == 255
