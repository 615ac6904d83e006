"""Partner-sheet headers the reviewer met and we missed (walk H2, M4 and M3a), and a blank partner's
error (L2).

- OCHA's 'Activity Start Date' / 'Activity End Date' were unmatched: rows served for ever.
- HXL tags with attributes we do not use ('#sector+cluster', '#date+end+planned',
  '#org+name+acronym') were unmatched: a sheet 'not recognised', or its end dates dropped. An HXL tag
  matches on its hashtag and the attributes we know; unknown ones are ignored ('+origin' is known and
  still tells a movement's origin apart).
- Arabic-only headers without an HXL row were 'not recognised'.
- A blank partner gave two errors, one saying the (optional) organisation type is required.
"""

from __future__ import annotations

import pandas as pd

from dsdash.importers import import_file
from tests.support.dtm_fixtures import xlsx_bytes

ROWS = ["UNICEF,Zeta Relief,WASH,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2024-12-31",
        "WHO,,Health,Anbar,Al-Ramadi,9 Kilo,2024-02-01,2025-03-31"]


def _read(header: str, name: str = "4w.csv"):
    res = import_file("\n".join([header, *ROWS, ""]).encode(), name)
    assert res.kind == "presence", [str(p) for p in res.report.problems]
    return res


def _ends(res):
    p = res.tables["presence"]
    return list(zip(p["partner"], p["service"], p["start_date"].dt.strftime("%Y-%m-%d"),
                    p["end_date"].dt.strftime("%Y-%m-%d"), p["status"]))


EXPECTED = [("Zeta Relief", "water", "2024-01-01", "2024-12-31", "scheduled_end"),
            ("WHO", "health", "2024-02-01", "2025-03-31", "scheduled_end")]


def test_ocha_activity_start_and_end_dates():
    res = _read("Reporting Organization,Implementing Organization,Cluster,Admin1 Governorate,Admin2 District,"
                "Location Name,Activity Start Date,Activity End Date")
    assert _ends(res) == EXPECTED  # before: start and end empty, status 'active' (serving for ever)
    assert not any("columns not used" in n for n in res.report.notes)


def test_hxl_tags_with_attributes_we_do_not_use():
    b = _read("#org+name,#org+impl,#sector+cluster,#adm1+name,#adm2+name,#loc+name,#date+start,#date+end")
    assert _ends(b) == EXPECTED  # before: not recognised
    c = _read("#org+name+acronym,#org+impl,#sector,#adm1+name,#adm2+name,#loc+name,#date+start,#date+end+planned")
    assert _ends(c) == EXPECTED  # before: end dropped, WHO rejected (no partner)
    assert (c.report.rows_in, c.report.rows_accepted) == (2, 2)


def test_a_known_attribute_still_tells_fields_apart():
    from dsdash.importers.detect import PRESENCE_HEADERS, hxl_synonym
    assert hxl_synonym("#loc+name+origin", PRESENCE_HEADERS) == ""  # a movement's origin is not a site
    assert hxl_synonym("#org+impl+name", PRESENCE_HEADERS) == "#org+impl"
    assert hxl_synonym("#adm1+code+x_extra", PRESENCE_HEADERS) == "#adm1+code"


def test_arabic_headers_without_an_hxl_row():
    rows = [["Anbar 4W"], [],
            ["المنظمة", "الشريك المنفذ", "القطاع", "المحافظة", "القضاء", "الموقع", "تاريخ البدء", "تاريخ الانتهاء",
             "الحالة"],
            ["UNICEF", "Zeta Relief", "WASH", "Anbar", "Al-Ramadi", "9 Kilo", "2024-01-01", "2024-12-31", "مستمر"],
            ["WHO", None, "Health", "Anbar", "Al-Ramadi", "9 Kilo", "2024-02-01", "2025-03-31", "منتهي"]]
    res = import_file(xlsx_bytes({"4W": rows}), "4w_ar.xlsx")
    assert res.kind == "presence"  # before: not recognised
    assert _ends(res) == [EXPECTED[0][:4] + ("active",), EXPECTED[1][:4] + ("ended",)]
    assert res.report.notes[0] == "header found on row 3"


def test_a_blank_partner_is_one_error_naming_the_partner_columns():
    res = import_file("\n".join([
        "Reporting organization,Implementing partner,Organisation type,Sector,Governorate,Start date,End date",
        "UNHCR,Harikar,UN,Protection,Anbar,2024-01-01,2024-12-31",
        ",,,Health,Anbar,2024-01-01,2024-12-31", ""]).encode(), "4w.csv")
    assert (res.report.rows_in, res.report.rows_accepted, res.report.rows_rejected) == (2, 1, 1)
    assert [(p.row, p.column, p.reason) for p in res.report.errors] == [
        (3, "Reporting organization / Implementing partner",
         "the partner is empty: a row needs the organisation that delivers the service")]
    # before: 'Implementing partner: value is empty but required' and 'Organisation type: value is empty but required'
    assert pd.isna(res.tables["presence"]["funded_by"]).all()
