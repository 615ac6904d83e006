"""End dates as partners write them (walk H2, M2 and M3b): the reviewer's p9, 40 rows that all start on
1 Jan 2024 and end as written. Before: '2024', 'Q4 2024', 'end of 2024', 'till Dec 2024', 'FY2024',
'Dec 2024 (tbc)' were not read and counted as serving for ever, labelled "(ongoing)"; 'مستمر', 'مستمرة',
'جاري', 'Open-ended', 'continuous', 'Until further notice' were unread (a warning each); 'TBD' was
ongoing and 'TBC' unknown. Now each is read; 'TBC' is 'TBD' (an end not yet decided: no date, as DESIGN
§3 reads an empty end: "ongoing / not yet known").

Hand count on 30 Jun 2025 (cell 9 Kilo × health): serving are the 9 open ends written as words
(P10-P13 Arabic 'ongoing' / 'none', P15 'N/A', P16 'TBC', P17 'TBD', P18 'ongoing (until funding)',
P35-P39 'ongoing', 'Ongoing ', 'Open-ended', 'continuous', 'Until further notice'), P14 '-' (blank)
and P19 (ends that day): 15. Before: 21.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dsdash.coverage.engine import coverage_matrix
from dsdash.dataset import load_embedded
from dsdash.importers import build_dataset, import_file
from dsdash.parse import parse_date
from tests.support.dtm_fixtures import xlsx_bytes

ENDS = ["Q4 2024", "end of 2024", "2024", "Dec 2024 (tbc)", "31-Dec-2024", "31.12.2024", "12/31/2024", "Dec. 2024",
        "December, 2024", "till Dec 2024", "مستمر", "مستمرة", "جاري", "لا يوجد", "-", "N/A", "TBC", "TBD",
        "ongoing (until funding)", "2025-06-30 00:00:00", "31/12/24", "Dec-24", "Mar 2025", dt.datetime(2024, 12, 31),
        dt.datetime(2025, 3, 31), 45657, 45657.0, "45657", "كانون الأول 2024", "ديسمبر ٢٠٢٤", "Sept 2024",
        "30 Sept 2024", "2024/12", "12-2024", "FY2024", "ongoing", "Ongoing ", "Open-ended", "continuous",
        "Until further notice"]
SERVING_2025_06_30 = ["P10", "P11", "P12", "P13", "P14", "P15", "P16", "P17", "P18", "P19", "P35", "P36", "P37",
                      "P38", "P39"]


def _import():
    rows = [["Partner", "Sector", "Governorate", "Site", "Start date", "End date"]]
    rows += [[f"P{i:02d}", "Health", "Anbar", "9 Kilo", dt.datetime(2024, 1, 1), e] for i, e in enumerate(ENDS)]
    return import_file(xlsx_bytes({"4W": rows}), "p9_end_forms.xlsx")


def test_every_end_form_is_read():
    res = _import()
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted) == (40, 40)
    assert [str(p) for p in rep.problems if p.column == "End date"] == []  # before: 15 cells unread
    p = res.tables["presence"].set_index("partner")
    ends = p["end_date"].dt.strftime("%Y-%m-%d").fillna("open")
    assert ends[["P00", "P01", "P02", "P03", "P09", "P34"]].tolist() == ["2024-12-31"] * 6
    assert ends[["P10", "P11", "P12", "P16", "P17", "P37", "P38", "P39"]].tolist() == ["open"] * 8
    assert "end_unknown" not in set(p["status"])


def test_fifteen_serve_on_30_june_2025():
    ds = build_dataset([_import()], base=load_embedded())
    m = coverage_matrix(ds, dt.date(2025, 6, 30))
    cell = m[(m.site_name == "9 Kilo") & (m.service == "health")].iloc[0]
    assert cell.n_providers == 15  # before: 21 ('P02 (ongoing)' for '2024' …)
    assert [x.split(" (")[0] for x in cell.providers.split("; ")] == SERVING_2025_06_30
    assert "P02 (to 31 Dec 2024)" in cell.lost_providers


@pytest.mark.parametrize("raw, start, end", [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("Q4 2024", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ("2024 Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ("H1 2024", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    ("FY2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("FY 24", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("end of 2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("till Dec 2024", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ("until 15/06/2024", dt.date(2024, 6, 15), dt.date(2024, 6, 15)),
    ("Dec 2024 (tbc)", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ("31/12/2024 tentative", dt.date(2024, 12, 31), dt.date(2024, 12, 31)),
    ("حتى كانون الأول 2024", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    (2024, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
])
def test_period_forms(raw, start, end):
    assert (parse_date(raw, role="start"), parse_date(raw, role="end")) == (start, end)


@pytest.mark.parametrize("raw", ["مستمر", "مستمرة", "جاري", "Open-ended", "continuous", "Until further notice",
                                 "TBC", "TBD", "to be confirmed", "ongoing (until funding)"])
def test_open_ends(raw):
    assert parse_date(raw, role="end") is None


@pytest.mark.parametrize("raw", ["2024", "Q4 2024", "TBC"])
def test_a_point_date_is_not_read_from_a_period(raw):
    from dsdash.parse import ParseError
    with pytest.raises(ParseError):  # a reference date (DTM) is one day: a year or a quarter is not one
        parse_date(raw, role="point")
