"""A 4W workbook's dropdown sheet of lookup lists is not partner presence (walk H2, HIGH 1).

The reviewer's p13: a '4W' sheet (2 rows) and a 'Lists' sheet holding the template's dropdown
sources (7 partners, 5 sectors, 6 governorates, 4 organisation types, each once, columns of
different lengths). The Lists sheet was read as 5 presence rows, governorate-wide: water
"served" at every Anbar site by "UNHCR (ongoing)".
"""

from __future__ import annotations

import datetime as dt

from dsdash.coverage.engine import coverage_matrix
from dsdash.dataset import load_embedded
from dsdash.importers import build_dataset, import_file
from tests.support.dtm_fixtures import xlsx_bytes

FOUR_W = [["Organization", "Sector", "Governorate", "District", "Site name", "Start date", "End date"],
          ["Zeta Relief", "WASH", "Anbar", "Al-Ramadi", "9 Kilo", "2024-01-01", "2024-12-31"],
          ["Theta Aid", "Education", "Anbar", "Al-Ramadi", "9 Kilo", "2024-01-01", "ongoing"]]
LISTS = [["Organization", "Sector", "Governorate", "Organisation type"],
         ["UNHCR", "WASH", "Anbar", "UN"], ["IOM", "Health", "Ninewa", "INGO"],
         ["UNICEF", "Education", "Kirkuk", "NNGO"], ["WHO", "Protection", "Baghdad", "Government"],
         ["DRC", "Shelter/NFI", "Diyala", None], ["NRC", None, "Salah al-Din", None], ["IRC", None, None, None]]


def _workbook(lists_name: str = "Lists") -> bytes:
    return xlsx_bytes({"Instructions": [["How to fill the 4W: use the dropdowns from sheet Lists."]],
                       "4W": FOUR_W, lists_name: LISTS})


def test_the_lists_sheet_is_not_presence_and_the_report_says_why():
    res = import_file(_workbook(), "p13_multisheet_lists.xlsx")
    p = res.tables["presence"]
    assert sorted(p["partner"]) == ["Theta Aid", "Zeta Relief"]  # before: + UNHCR, IOM, UNICEF, WHO, DRC
    lists = next(r for r in res.reports if r.sheet == "Lists")
    assert (lists.rows_in, lists.rows_accepted, lists.rows_rejected) == (0, 0, 0)
    assert [p.level for p in lists.problems] == ["warning"]
    assert lists.problems[0].reason.startswith("sheet not read as partner presence: its columns are separate lookup "
                                                "lists (values each once, columns of different lengths: 7 partner, ")


def test_water_is_served_at_one_site_not_at_every_anbar_site():
    res = import_file(_workbook(), "p13_multisheet_lists.xlsx")
    ds = build_dataset([res], base=load_embedded())
    m = coverage_matrix(ds, dt.date(2024, 6, 30))
    water = m[m.service == "water"]
    served = water[water.state.isin(["served", "at_risk"])]
    assert served.site_name.tolist() == ["9 Kilo"]  # before: every Anbar site (28)
    assert served.providers.tolist() == ["Zeta Relief (to 31 Dec 2024)"]
    assert not m.providers.fillna("").str.contains("UNHCR").any()


def test_lists_without_a_telling_name_are_recognised_by_their_shape():
    res = import_file(_workbook("Sheet3"), "4w.xlsx")
    assert sorted(res.tables["presence"]["partner"]) == ["Theta Aid", "Zeta Relief"]


def test_a_real_presence_sheet_named_lists_is_still_read():
    rows = [FOUR_W[0], FOUR_W[1], FOUR_W[2], ["Zeta Relief", "Health", "Anbar", "Al-Ramadi", "9 Kilo", "2024-01-01", ""]]
    res = import_file(xlsx_bytes({"Partner list": rows}), "4w.xlsx")
    assert (res.report.rows_in, res.report.rows_accepted) == (3, 3)
