"""The Upload page's report in Arabic and its words (reviewer H3, findings 3-7): the table headings
(Sheet, Encoding, Row, Column, Count, Reason, Needs) and the problem levels ("warning", "question")
were English on the Arabic page and in the downloaded load report; the waiting message began with the
file name, which turned the Arabic paragraph left to right; the grids, drawn left to right, showed the
file table's "Needs" and the problem table's "Reason" last, off the screen at 1400 px, and the reason
clipped from its start; a file with one column of unread dates said "Warnings 3,701" and "3,701
problems ... (2 lines)"; a clean file "0 problems ... (0 lines)"; a row number read "3,706" beside
"3706". Hand counts: the list has 30 sites, a totals row, and a "Date of assessment" column that
reads "TBC" in each of its 30 rows: 2 warning lines over 31 cells."""

from __future__ import annotations

import csv
import io
import re

from dsdash.export import to_csv_bytes
from dsdash.i18n import language
from dsdash.importers import problems_frame
from tests.support.dtm_fixtures import locations, master_list
from ui.reports import in_words

ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")


def _lists():
    dated = master_list(locations(30, seed=21), gen="2019", fmt="csv", title_rows=False, totals_row=True,
                        filename="IDP_Master_List_R111_2019-10-31.csv", extra_columns={"Date of assessment": "TBC"})
    undated = master_list(locations(12, seed=22), gen="2023", fmt="csv", title_rows=False, filename="idp_list.csv")
    return dated, undated


def _upload(at, rerun, *fixtures):
    at.file_uploader[0].set_value([(f.filename, f.data, "text/csv") for f in fixtures])
    return rerun(at)


def _config(frame_element) -> dict:
    import json
    return json.loads(frame_element.proto.columns)


def test_the_report_in_arabic_reads_in_arabic_with_its_key_columns_first(run_page, rerun):
    dated, undated = _lists()
    with language("ar"):
        at = _upload(run_page("upload.py", query={"lang": "ar"}, timeout=120), rerun, dated, undated)
    files, problems = at.dataframe[0], at.dataframe[1]
    # every heading in Arabic (before: Sheet, Encoding, Needs / Sheet, Row, Column, Count, Reason)
    for grid in (files, problems):
        heads = list(grid.value.columns)
        assert all(ARABIC.search(h) and not LATIN.search(h) for h in heads), heads
    # the key columns first: the grid is drawn left to right and opens at its left edge
    assert list(files.proto.column_order)[:2] == ["الملف", "ما يلزمه"]
    assert list(problems.proto.column_order)[:2] == ["السبب", "المستوى"]
    assert _config(problems)["السبب"]["alignment"] == "right"  # an Arabic sentence starts at the right
    # the levels in words
    assert sorted(problems.value["المستوى"]) == ["تحذير", "تحذير", "سؤال"]
    # errors and warnings are problem lines (the totals row, the unread date column), not 31 cells
    by_file = files.value.set_index("الملف")
    assert by_file.loc[dated.filename, "التحذيرات"] == 2 and by_file.loc[dated.filename, "الأخطاء"] == 0
    # the row number of the totals row as the Rows column writes it: 32 (header row 1, 30 sites)
    totals = problems.value[problems.value["العمود"] != "Date of assessment"]
    assert "32" in list(totals["الصف"]) and "32" in list(totals["الصفوف"])
    # the waiting message: the file name set apart (U+2068 … U+2069), the sentence right to left
    (wait,) = [w.value for w in at.warning if "التاريخ المرجعي" in w.value]
    assert wait.replace("\\", "").startswith("\u2068idp_list.csv\u2069: 12 صفًا مقروءًا"), wait  # md_plain's escapes
    # the caption: 3 lines over 32 cells, in Arabic
    (caption,) = [c.value for c in at.caption if "مجمّعة حسب العمود والسبب" in c.value]
    assert caption.startswith("3 مشكلات، مجمّعة حسب العمود والسبب (32 خليةً)"), caption


def test_the_downloaded_load_report_in_arabic_has_arabic_headings_and_levels():
    from dsdash.importers import import_file

    dated, undated = _lists()
    reports = [r for f in (dated, undated) for r in import_file(f.data, f.filename).reports]
    with language("ar"):
        text = to_csv_bytes(in_words(problems_frame(reports)), labels=True).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["المستوى", "الملف", "الورقة", "الصف", "العمود", "العدد", "الصفوف", "السبب"]
    assert sorted(r[0] for r in rows[1:]) == ["تحذير", "تحذير", "سؤال"]


def test_in_english_the_counts_are_lines_and_a_clean_file_has_no_problems(run_page, rerun):
    dated, _undated = _lists()
    clean = master_list(locations(15, seed=24), gen="2019", fmt="csv", title_rows=False,
                        filename="IDP_Master_List_R112_2019-12-31.csv")
    at = _upload(run_page("upload.py", timeout=120), rerun, clean)
    assert [c.value for c in at.caption if c.value.startswith("No problems")] == ["No problems."], [c.value for c in at.caption]
    assert not any("0 problems" in c.value for c in at.caption)
    at = _upload(run_page("upload.py", timeout=120), rerun, dated)
    files = at.dataframe[0].value.rename(columns=str.lower).iloc[0]
    assert (files["warnings"], files["errors"]) == (2, 0)  # before: 31 (cells)
    (caption,) = [c.value for c in at.caption if "grouped by column and reason" in c.value]
    assert caption == ("2 problems, grouped by column and reason (31 cells): errors reject the row; warnings keep "
                       "it; a question must be answered before the file is used."), caption
    problems = at.dataframe[1].value.rename(columns=str.lower)
    assert list(problems["level"]) == ["warning", "warning"]
    assert at.dataframe[1].proto.column_order == []  # left to right: the table's own order


def test_what_a_file_needs_is_listed_with_the_arabic_separator(run_page, rerun):
    both = master_list(locations(8, seed=25), gen="2023", fmt="csv", title_rows=False, filename="sites_list.csv")
    with language("ar"):
        at = _upload(run_page("upload.py", query={"lang": "ar"}, timeout=120), rerun, both)
    (needs,) = at.dataframe[0].value["ما يلزمه"]
    assert needs.count("؛ ") == 1 and ";" not in needs, needs  # before: "…; …" in an Arabic cell
