"""The source registry (data/sources.csv, dsdash/sources.py): every source of the embedded
data has a citation in words; uploads are cited by file name, never a path."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import given, strategies as st

from dsdash import sources
from dsdash.dataset import load_embedded
from dsdash.provenance import document, short_source

MACHINE = ("seed 0", "facts/", ".txt", ".csv", "row ")


def test_registry_ids_and_matches_are_unique_and_complete():
    with open(sources.REGISTRY_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "match", "citation", "publisher", "date", "url", "where"]
    assert len({r["id"] for r in rows}) == len(rows) == len({r["match"] for r in rows})
    for r in rows:
        assert r["citation"] and r["publisher"], r
        assert not any(m in r["citation"] for m in MACHINE), r["citation"]


def test_every_embedded_source_has_a_registry_citation():
    ds = load_embedded()
    seen = set()
    for name, df in ds.tables.items():
        if "source" not in df.columns:
            continue
        for s in df["source"].dropna().unique():
            found = sources.lookup(s)
            assert found is not None, (name, s)
            seen.add(found.id)
            for words in (sources.citation(s), short_source(s), document(s)):
                assert words and not any(m in words for m in MACHINE), (s, words)
    # the five seed documents and the national series' publications are all used
    assert {"dstwg-2023-12-13", "ds-newsletter-2023-q1", "dstwg-2020-12-09", "rwg-2025-02-25",
            "iom-fvm-2023-05-18", "dtm-national-idp-series", "dtm-ml-report-117", "dtm-return-index-r16",
            "dtm-displacement-index-r8"} <= seen


def test_real_citations():
    pop = load_embedded().population
    assert document(pop["source"].iloc[0]) == ("DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites' "
                                               "(IOM DTM figures of 10 December 2023)")
    assert short_source(pop["source"].iloc[0]).endswith("(IOM DTM figures of 10 December 2023), 'IDPs Overview' table")
    assert sources.citation("facts/dtm_iraq_national_series.csv: Returnee ML R132 dataset page (x)") == \
        "IOM DTM Returnee Master List, round 132, 30 April 2024 (dataset)"
    # 144 national-series rows cite 12 documents
    ns = load_embedded().national_series
    assert len(sources.citations(ns["source"])) == ns["source"].nunique() == 12


def test_uploads_are_cited_by_file_name():
    assert sources.citation("/home/u/Downloads/DTM ML R132.xlsx sheet Master List (DTM Master List, IDPs, "
                            "round 132, 30 Apr 2024), row 9") == \
        "IOM DTM Master List, IDPs, round 132, 30 Apr 2024 (uploaded file 'DTM ML R132.xlsx', sheet 'Master List')"
    assert sources.citation("C:\\Users\\a\\presence 4W.csv, row 12") == "uploaded file 'presence 4W.csv'"
    assert sources.source_id("C:\\Users\\a\\presence 4W.csv, row 12") == "presence 4W.csv"
    assert sources.source_id("facts/dtm_iraq_return_index_rounds.csv (row round 2); https://x") == "dtm-return-index-r2"


def test_a_master_list_upload_names_its_round_and_date():
    import datetime as dt

    from dsdash.importers import import_file
    from tests.support.dtm_fixtures import locations, master_list

    fx = master_list(locations(5, round_=132), round_=132, filename="DTM_IDP_ML_R132.xlsx")
    res = import_file(fx.data, fx.filename, reference_date=dt.date(2024, 4, 30))
    pop = res.tables["population"]
    assert sources.citations(pop["source"]) == [
        "IOM DTM Master List, IDPs, round 132, 30 Apr 2024 (uploaded file 'DTM_IDP_ML_R132.xlsx', sheet 'Master List')"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
       st.sampled_from(["csv", "xlsx", "txt"]), st.integers(1, 10**6))
def test_no_citation_shows_a_folder_or_a_row(name, ext, row):
    name = name.replace("(", "").replace(")", "").replace(",", "").strip() or "f"
    text = f"/srv/x/{name}.{ext}, row {row}"
    words = sources.citation(text)
    assert "/srv/x" not in words and f"row {row}" not in words
    assert words.startswith("uploaded file '")
