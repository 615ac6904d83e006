"""Ends the importer cannot read, and planned rows with no dates, never count as serving (walk H2, M2 and M7).

Before: an unread end ('end of year', 'xyz') was kept with an empty end and counted as serving for
ever, labelled "(ongoing)"; a row with status 'Planned' (or 'Pipeline') and no dates served from
the start of the records. Now an unread end gives status 'end_unknown': the row served from its
start, when it stops nobody knows, so its cell is "end unconfirmed" (not served, not lost) and the
partner is listed as "(end date not known)"; a planned row with no start date never serves.
"""

from __future__ import annotations

import datetime as dt

from dsdash.coverage.engine import coverage_matrix
from dsdash.coverage.presence import end_kind
from dsdash.dataset import load_embedded
from dsdash.importers import build_dataset, import_file
from tests.support.oracle import check_same, duckdb_connection, duckdb_matrix

SHEET = "\n".join([
    "Partner,Sector,Governorate,District,Site name,Start date,End date,Status",
    "Xi Org,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,end of year,",
    "Omicron Org,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,soon-ish,Ongoing",
    "Alpha Org,Education,Anbar,Al-Ramadi,9 Kilo,,,Planned",
    "Beta Org,MHPSS,Anbar,Al-Ramadi,9 Kilo,2025-03-01,2025-12-31,Planned",
    "Gamma Org,GBV,Anbar,Al-Ramadi,9 Kilo,,,Pipeline",
    "Delta Org,Livelihoods,Anbar,Al-Ramadi,9 Kilo,,,Completed",
    "Eta Org,Water,Anbar,Al-Ramadi,9 Kilo,2024-01-01,,",
    ""]).encode()


def _dataset():
    res = import_file(SHEET, "4W_Anbar_2024.csv")
    assert (res.report.rows_in, res.report.rows_accepted) == (7, 7), [str(p) for p in res.report.problems]
    return res, build_dataset([res], base=load_embedded())


def _cell(m, service):
    r = m[(m.site_name == "9 Kilo") & (m.service == service)].iloc[0]
    return r.state, r.providers, r.lost_providers


def test_an_unread_end_is_end_unknown_not_ongoing():
    res, _ds = _dataset()
    p = res.tables["presence"].set_index("partner")
    assert p.loc["Xi Org", "status"] == "end_unknown"  # before: 'scheduled_end' with an empty end (serving for ever)
    assert p.loc["Omicron Org", "status"] == "end_unknown"  # a stated 'Ongoing' does not make an unread end ongoing
    assert p.loc["Eta Org", "status"] == "active"
    assert end_kind(res.tables["presence"]).tolist() == ["unknown", "unknown", "open", "planned", "open", "confirmed",
                                                         "open"]


def test_an_unread_end_makes_the_cell_end_unconfirmed_never_ongoing():
    _res, ds = _dataset()
    m = coverage_matrix(ds, dt.date(2024, 6, 30))
    # before: ('served', 'Omicron Org (ongoing); Xi Org (ongoing)', None)
    assert _cell(m, "health") == ("end_unconfirmed", "", "Omicron Org (end date not known); Xi Org (end date not known)")
    assert _cell(m, "water") == ("served", "Eta Org (ongoing)", "")
    assert not m.providers.fillna("").str.contains("Xi Org").any()


def test_planned_rows_without_dates_do_not_serve():
    res, ds = _dataset()
    p = res.tables["presence"].set_index("partner")
    assert p.loc[["Alpha Org", "Beta Org", "Gamma Org"], "status"].tolist() == ["planned"] * 3
    m = coverage_matrix(ds, dt.date(2025, 1, 15))
    assert _cell(m, "education")[:2] == ("never_served", "")  # before: served, 'Alpha Org (ongoing)'
    assert _cell(m, "gbv")[:2] == ("never_served", "")  # 'Pipeline': before, a warning and served
    assert _cell(m, "mhpss")[:2] == ("never_served", "")  # starts 1 Mar 2025
    assert _cell(m, "livelihoods")[:2] == ("never_served", "")  # completed, no date: not serving
    later = coverage_matrix(ds, dt.date(2025, 6, 30))
    assert _cell(later, "mhpss")[:2] == ("served", "Beta Org (to 31 Dec 2025)")  # planned with dates: the dates decide


def test_the_sql_statement_of_the_rules_agrees():
    _res, ds = _dataset()
    con = duckdb_connection(ds)
    for d in (dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 6, 30), dt.date(2025, 6, 30)):
        check_same(coverage_matrix(ds, d), duckdb_matrix(con, d))


def test_the_timeline_draws_an_unread_end_as_such_and_leaves_out_planned_rows_without_dates():
    from dsdash.coverage.engine import prepare
    from dsdash.coverage.plots import timeline_figure
    from dsdash.coverage.tables import timeline_table
    from dsdash.filters import Filters

    _res, ds = _dataset()
    tl = timeline_table(prepare(ds, Filters()), dt.date(2024, 6, 30))
    mine = tl.table[tl.table.partner.isin(["Xi Org", "Omicron Org", "Alpha Org", "Gamma Org", "Delta Org"])]
    assert sorted(mine.partner) == ["Omicron Org", "Xi Org"]  # drawn; Alpha/Gamma (planned, no dates), Delta: left out
    fig = timeline_figure(tl, dt.date(2024, 6, 30), max_rows=1000)
    hover = [tuple(c) for tr in fig.data for c in tr.customdata if str(tr.name) == "other"]
    assert sum(1 for c in hover if c[2] == "end date not read") == 2  # before: 'ongoing'


def test_a_planned_row_with_no_start_and_an_unread_end_has_not_started():
    """'Planned', no start, end 'TBD later': not started, so it never serves and is not on the follow-up
    list (the importer made it 'end_unknown', which the follow-up list took as started: 'end date not
    read', the site's people 'left without')."""
    from dsdash.coverage.engine import prepare
    from dsdash.coverage.followup import followup_list

    sheet = ("Partner,Sector,Governorate,District,Site name,Start date,End date,Status\n"
             "SSORD,Education,Anbar,Al-Ramadi,9 Kilo,,TBD later,Planned\n"
             "Kappa Org,Education,Anbar,Al-Ramadi,9 Kilo,2024-01-01,TBD later,Planned\n").encode()
    res = import_file(sheet, "4W_planned.csv")
    assert res.tables["presence"]["status"].tolist() == ["planned", "end_unknown"]  # the second one has started
    ds = build_dataset([res], base=load_embedded())
    f = followup_list(prepare(ds), dt.date(2024, 6, 1))
    assert f["partner"].tolist() == ["Kappa Org"] and f["followup_status"].tolist() == ["unread"]


def test_a_workbooks_date_cells_are_stated_as_dates():
    """'As the source says' showed a workbook's date cells as '2024-01-01 00:00:00 – 2024-12-31 00:00:00'
    (review walk B2): a date cell reads as its date; a time of day, when there is one, stays."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Organisation", "Org type", "Sector", "Governorate", "Start date", "End date", "Status"])
    ws.append(["IRC", "INGO", "Water", "Anbar", dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31), "Ongoing"])
    ws.append(["NRC", "INGO", "Water", "Anbar", dt.datetime(2024, 1, 1, 13, 30), "Dec 2024", "Ongoing"])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_file(buf.getvalue(), "4W.xlsx")
    assert res.tables["presence"]["dates_as_stated"].tolist() == ["2024-01-01 – 2024-12-31",
                                                                  "2024-01-01 13:30:00 – Dec 2024"]
