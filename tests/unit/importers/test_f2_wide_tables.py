"""F2 (H2 HIGH 3, HIGH 2, MEDIUM 5): FVM tables with periods across, as IOM writes them.

The table is seed 004's (and H2's make_fvm.py's): six indicator rows × three periods, a
"Total" column, a totals row and two footnote rows. Hand counts: 6 × 3 = 18 cells, 'n/a'
is no figure: 17 figures; Livelihoods support 725 + 222 = 947; Cash grants 3,215 + 2,042 +
1,104 = 6,361.
"""

import io

import openpyxl
import pytest

from dsdash.importers import import_file

HEAD = ["Indicator", "2020-2021", "2022", "2023 (until 30 April)"]
ROWS = [["HHs registered at help desks", "4,464", 3793, 341],
        ["HHs who have returned", 3709, "1,580", 606],
        ["HHs who have relocated", 142, 170.0, 154],
        ["Cash grants distributed*", 3215, "2,042*", 1104],
        ["Livelihoods support", 725, 222, "n/a"],
        ["Completed housing repairs", 73, "550**", 251]]
TOTALS = [8598, 5895, 466, 6361, 947, 874]


def workbook(title: str, *, total: bool = False, remarks: bool = False, rows=ROWS, totals=TOTALS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FVM stats"
    ws.cell(1, 1, title)
    ws.merge_cells("A1:F1")
    ws.cell(2, 1, "Source: IOM, as of 30 April 2023")
    head = HEAD + (["Total"] if total else []) + (["Remarks"] if remarks else [])
    body = [r + ([t] if total else []) + ([None] if remarks else []) for r, t in zip(rows, totals)]
    body.append(["Total", 12328, 8357, 2456] + ([23141] if total else []))
    body += [[], ["* Households who departed late 2021 and 2022 received cash grants in 2022 and 2023 respectively."],
             ["** 39 housing reparation and reconstruction works still ongoing in 2023."]]
    for i, r in enumerate([head, *body], 4):
        for j, v in enumerate(r, 1):
            if v is not None:
                ws.cell(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def figures(res):
    f = res.tables["fvm"]
    return {(i, p): int(v) for i, p, v in zip(f["indicator"], f["period_label"], f["value"])}


TITLE = "IOM Iraq - Facilitated Voluntary Movements (FVM) programme statistics"


@pytest.mark.parametrize("title", [TITLE, "Programme statistics"])
def test_a_title_row_naming_an_indicator_is_not_the_table(title):
    res = import_file(workbook(title), "f1c.xlsx")
    assert res.kind == "fvm"
    assert len(res.tables["fvm"]) == 17
    assert "17 figures (periods across)" in res.report.notes and not res.report.errors


def test_a_total_column_is_not_the_value_column_nor_a_period():
    res = import_file(workbook("Programme statistics", total=True), "f1f.xlsx")
    rep = res.report
    assert res.kind == "fvm" and "17 figures (periods across)" in rep.notes
    f = figures(res)
    assert {p for _i, p in f} == {"2020-2021", "2022", "2023 (until 30 April)"}
    assert f[("livelihoods_support", "2022")] == 222 and ("livelihoods_support", "2023 (until 30 April)") not in f
    assert sum(v for (i, _p), v in f.items() if i == "cash_grants") == 6_361
    assert not rep.errors and (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (6, 6, 0)
    # the totals row is checked against the columns, named, and not counted
    (tot,) = [p for p in rep.warnings if p.row == 11]
    assert "totals row" in tot.reason and "Total 23,141 equals the sum of the accepted rows (23,141)" in tot.reason


def test_a_row_total_that_differs_from_its_figures_is_a_warning():
    res = import_file(workbook("Programme statistics", total=True, totals=[8598, 5900, 466, 6361, 947, 874]),
                      "f1f.xlsx")
    (w,) = [p for p in res.report.warnings if p.column == "Total" and p.row == 6]
    assert "5,900 differs from the sum of this row's figures (5,895)" in w.reason
    assert figures(res)[("returned", "2022")] == 1_580  # the figures are kept


def test_one_bad_cell_costs_its_figure_only():
    res = import_file(workbook("Programme statistics", remarks=True), "f1g.xlsx")
    rep = res.report
    assert not rep.errors and (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (6, 6, 0)
    f = figures(res)
    assert (f[("cash_grants", "2020-2021")], f[("cash_grants", "2022")], f[("cash_grants", "2023 (until 30 April)")]) \
        == (3_215, 2_042, 1_104)
    assert (f[("livelihoods_support", "2020-2021")], f[("livelihoods_support", "2022")]) == (725, 222)
    assert (f[("housing_repairs_completed", "2022")], f[("housing_repairs_completed", "2023 (until 30 April)")]) \
        == (550, 251)
    said = {(p.row, p.column): p.reason for p in rep.warnings}
    assert "'2,042*' read as 2,042" in said[(8, "2022")] and "'550**' read as 550" in said[(10, "2022")]
    assert said[(9, "2023 (until 30 April)")] == "'n/a': no figure for 2023 (until 30 April)"


def test_an_unreadable_cell_is_warned_and_the_rows_other_figures_kept():
    rows = [list(r) for r in ROWS]
    rows[1][2] = "many"
    res = import_file(workbook("Programme statistics", rows=rows), "bad.xlsx")
    rep = res.report
    (w,) = [p for p in rep.warnings if p.row == 6]
    assert w.column == "2022" and "'many' is not a number" in w.reason and "not counted" in w.reason
    f = figures(res)
    assert (f[("returned", "2020-2021")], f[("returned", "2023 (until 30 April)")]) == (3_709, 606)
    assert ("returned", "2022") not in f and rep.rows_rejected == 0
