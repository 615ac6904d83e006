"""Spelling variants of one partner are one partner in every count (walk H2, M1).

The reviewer's p14: 'IOM', ' iom ' and 'I.O.M.' serve health at 9 Kilo; 'Harikar' (as UNHCR's
implementer), 'Harikar' and 'HARIKAR' (governorate-wide) serve protection. Before: health 3
providers, protection 2, and the partner menu listed IOM, iom, Harikar, HARIKAR. The rule
(:func:`dsdash.coverage.presence.partner_key`): case, spaces and the dots of an acronym do not
count; the name shown is the one written first.
"""

from __future__ import annotations

import datetime as dt

from dsdash.coverage.engine import Exit, coverage_matrix
from dsdash.coverage.presence import partner_key
from dsdash.dataset import load_embedded
from dsdash.importers import build_dataset, import_file

P14 = "\n".join([
    "Reporting organization,Implementing partner,Sector,Governorate,District,Site name,Start date,End date",
    "IOM,,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    " iom ,,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    "I.O.M.,,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    "UNHCR,Harikar,Protection,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    "Harikar,,Protection,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    "HARIKAR,,Protection,Anbar,,,2024-01-01,2025-12-31",
    "Zeta Relief,,WASH,Anbar,Al-Ramadi,,2024-01-01,2025-12-31",
    "Zeta Relief,,Water,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31",
    ""]).encode()


def _cell(m, service):
    r = m[(m.site_name == "9 Kilo") & (m.service == service)].iloc[0]
    return int(r.n_providers), r.providers


def test_the_importer_keeps_one_spelling_per_partner():
    res = import_file(P14, "p14_partner_variants.csv")
    assert res.tables["presence"]["partner"].tolist() == ["IOM"] * 3 + ["Harikar"] * 3 + ["Zeta Relief"] * 2
    assert ("3 partner names read as the same partners written earlier in the file (case, spaces and the dots of an "
            "acronym do not count): 'iom' as 'IOM', 'I.O.M.' as 'IOM', 'HARIKAR' as 'Harikar'") in res.report.notes


def test_one_provider_per_partner_in_the_gap_matrix():
    ds = build_dataset([import_file(P14, "p14_partner_variants.csv")], base=load_embedded())
    m = coverage_matrix(ds, dt.date(2024, 6, 30))
    assert _cell(m, "health") == (1, "IOM (to 31 Dec 2025)")  # before: 3 (IOM, iom, I.O.M.)
    assert _cell(m, "protection_legal") == (1, "Harikar (to 31 Dec 2025)")  # before: 2 (Harikar, HARIKAR)


def test_spellings_from_two_files_are_one_partner_and_leave_together():
    a = import_file(b"Partner,Sector,Governorate,District,Site name,Start date,End date\n"
                    b"IOM,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2025-12-31\n", "a.csv")
    b = import_file(b"Partner,Sector,Governorate,District,Site name,Start date,End date\n"
                    b"iom,Health,Anbar,Al-Ramadi,9 Kilo,2024-01-01,2026-06-30\n", "b.csv")
    ds = build_dataset([a, b], base=load_embedded(), presence_mode="add")
    assert {"IOM", "iom"} <= set(ds.presence["partner"].dropna())  # two files, two spellings
    m = coverage_matrix(ds, dt.date(2024, 6, 30))
    assert _cell(m, "health") == (1, "IOM (to 30 Jun 2026)")
    gone = coverage_matrix(ds, dt.date(2024, 6, 30), exits=[Exit("I.O.M.", dt.date(2024, 6, 1))])
    assert _cell(gone, "health") == (0, "")


def test_the_rule():
    assert partner_key(" iom ") == partner_key("IOM") == partner_key("I.O.M.") == partner_key("i. o. m.")
    assert partner_key("IOM Iraq") != partner_key("IOM")
