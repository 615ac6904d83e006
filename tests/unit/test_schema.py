import pytest

from dsdash import schema
from dsdash.schema import (
    SERVICE_HAPI_SECTOR, SERVICE_LABELS, SERVICE_SYNONYMS, TABLES, Service, governorate_code,
    normalise_pcode,
)


def test_every_service_has_label_sector_entry_and_synonyms():
    for s in Service.values():
        assert SERVICE_LABELS[s]
        assert s in SERVICE_HAPI_SECTOR
        assert SERVICE_SYNONYMS[s]
    assert len(Service.values()) == 14
    assert SERVICE_HAPI_SECTOR["water"] == "WSH" and SERVICE_HAPI_SECTOR["gbv"] == "PRO-GBV"


def test_synonyms_are_unambiguous():
    seen = {}
    for svc, words in SERVICE_SYNONYMS.items():
        for w in words:
            assert seen.setdefault(w, svc) == svc, f"'{w}' maps to {seen[w]} and {svc}"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("Anbar", "IQG01"), ("Al-Anbar", "IQG01"), ("AL ANBAR", "IQG01"), ("Babylon", "IQG07"),
        ("Babil", "IQG07"), ("Dahuk", "IQG09"), ("Duhok", "IQG09"), ("Missan", "IQG14"),
        ("Maysan", "IQG14"), ("Thi-Qar", "IQG17"), ("Thi Qar", "IQG17"), ("Qadissiya", "IQG05"),
        ("Al-Qadissiya", "IQG05"), ("Al Diwaniya", "IQG05"), ("Wassit", "IQG18"), ("Wasit", "IQG18"),
        ("Salah al-Din", "IQG16"), ("Salah Al-Din", "IQG16"), ("IQ-G11", "IQG11"), ("IRQ-G15", "IQG15"),
        ("Ninewa", "IQG15"), ("Kerbala", "IQG12"), ("Atlantis", None), ("", None),
    ],
)
def test_governorate_code(raw, code):
    assert governorate_code(raw) == code


@pytest.mark.parametrize(
    "raw, code",
    [("IRQ-G01Q01", "IQG01Q01"), ("IQG01Q01", "IQG01Q01"), ("IQ-G11", "IQG11"), ("iqg1", "IQG01"),
     ("IRQ-G16Q05", "IQG16Q05"), ("Falluja", None), ("IQG01Q", None)],
)
def test_normalise_pcode(raw, code):
    assert normalise_pcode(raw) == code


def test_all_18_governorates_resolve_by_their_own_names():
    for code, (en, _ar) in schema.GOVERNORATES.items():
        assert governorate_code(en) == code
    assert len(schema.GOVERNORATES) == 18


def test_tables_have_source_and_unique_column_names():
    for name, spec in TABLES.items():
        names = spec.column_names
        assert len(names) == len(set(names)), name
        assert "source" in names, f"table {name} has no source column"
