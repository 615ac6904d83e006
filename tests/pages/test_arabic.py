"""Every page in Arabic (issue 18): AppTest runs each page of ui/nav.py with ``?lang=ar`` and
collects every word a reader sees (titles, headers, captions, markdown, alerts, metric labels,
widget labels, help and options, buttons, expanders, tabs, table column names). What is left once
the data's own words are taken out (names, partners, sources, notes of the active dataset;
numbers, dates, p-codes) and the acronyms both languages write in Latin letters must hold no
Latin word: an English interface string left is a string missing from the catalogs.

Also: page titles and key-figure labels read in Arabic and the seed totals show; a Master List
with Arabic names loaded through the importers shows them on the Arabic pages.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dsdash.i18n import LANGUAGES, _, language
from tests.support.paths import page_path
from ui.nav import PAGES

#: Written in Latin letters in Arabic too: acronyms, names of organisations and formats.
ACRONYMS = {
    "DTM", "IOM", "ABC", "ABCs", "JCF", "JCFs", "FVM", "CSV", "XLSX", "PNG", "HXL", "COD", "AB", "COD-AB", "OCHA",
    "UN", "UNHCR", "INGO", "NNGO", "NGO", "NFI", "GBV", "MHPSS", "CCCM", "DSTWG", "RWG", "HHs", "HH", "IDP", "IDPs",
    "GeoJSON", "JSON", "PPTX", "PDF", "ID", "URL", "HDX", "HAPI", "ReliefWeb", "reliefweb", "OpenStreetMap", "OSM",
    "CARTO", "Carto", "Esri", "km", "m", "dsdash", "Excel", "PowerPoint", "LibreOffice", "WGS", "EPSG", "ISO",
    "KRI", "KRG", "GoI", "MoMD", "DSWG", "IQ", "IQG", "ML", "R", "Q", "x", "e", "g", "i", "e.g", "i.e", "vs",
    "ISIL", "SQLite", "PostgreSQL", "TOML", "OIDC", "OpenID", "Google", "Microsoft", "Streamlit", "Python", "pptx",
    "CC", "BY-IGO", "Enter", "DSTF", "UTC", "csv", "xlsx", "png", "geojson", "gpkg", "GeoPackage", "shp", "zip", "Shapefile", "DTM's", "IOM's", "HXL's",
    "COD-AB's", "NRC", "IRC", "DRC", "UNICEF", "WFP", "WHO", "UNDP", "UN-Habitat", "ICLA", "MSF",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
        yield from _walk(child)


def visible_texts(at: AppTest) -> list[str]:
    """Every interface string the run shows (main area and sidebar)."""
    out: list[str] = []
    for node in _walk(at._tree):
        t = getattr(node, "type", "")
        for attr in ("label", "help", "placeholder"):
            try:
                v = getattr(node, attr, None)
            except Exception:  # noqa: BLE001 - some elements raise for an attribute they lack
                v = None
            if isinstance(v, str) and v:
                out.append(v)
        if t in {"markdown", "caption", "title", "header", "subheader", "text", "alert", "info", "warning", "error",
                 "success", "exception"} or type(node).__name__ in {"Markdown", "Caption", "Title", "Header",
                                                                   "Subheader", "Text", "Info", "Warning", "Error",
                                                                   "Success", "Alert"}:
            try:
                v = node.value
            except Exception:  # noqa: BLE001
                v = None
            if isinstance(v, str):
                out.append(v)
        try:
            opts = getattr(node, "options", None)
        except Exception:  # noqa: BLE001
            opts = None
        if opts:
            out += [str(o) for o in opts]
        if type(node).__name__ == "Metric":
            out.append(str(node.label))
        if type(node).__name__ == "Dataframe":
            try:
                out += [str(c) for c in node.value.columns]
                out += [str(n) for n in node.value.index.names if n]
            except Exception:  # noqa: BLE001
                pass
        if type(node).__name__ in {"Expander", "Tab"}:
            out.append(str(getattr(node, "label", "")))
        proto = getattr(node, "proto", None)
        if type(node).__name__ in {"Button", "DownloadButton", "UnknownElement"} and proto is not None:
            for f in ("label", "help"):
                v = getattr(proto, f, None)
                if isinstance(v, str) and v:
                    out.append(v)
    return out


def data_words(ds) -> list[str]:
    """The strings of the active dataset (names, partners, sources, notes) and the citations the
    pages make of its sources: data, shown as the user gave it. Longest first."""
    from dsdash.sources import citation, cited

    found: set[str] = set()
    for df in ds.tables.values():
        if not isinstance(df, pd.DataFrame):
            continue
        for c in df.columns:
            if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype):
                for v in df[c].dropna().unique():
                    if isinstance(v, str) and len(v.strip()) > 1:
                        found.add(v.strip())
                        if c in {"source", "pop_source", "citation"}:
                            found.update({cited(v), citation(v)})
    try:
        found.update(str(v) for v in ds.sources().astype(str).values.ravel())
    except Exception:  # noqa: BLE001
        pass
    from dsdash.catchments import load_catchments

    for df in [load_catchments()]:
        for c in df.columns:
            found.update(str(v) for v in df[c].dropna().unique() if isinstance(v, str) and len(v) > 1)
    import getpass

    found.add(ds.name)
    found.add(getpass.getuser())  # who loaded the seed (the workspace's history)
    found.update(lang.name for lang in LANGUAGES.values())
    return sorted((w for w in found if w), key=len, reverse=True)


def english_left(texts: list[str], data: list[str]) -> list[str]:
    """The Latin words of ``texts`` that are neither data nor an acronym, with their string."""
    left = []
    for text in texts:
        # text set apart for the bidirectional algorithm (dsdash.i18n.iso) is data: a name, a source, a path
        t = re.sub("\u2068[^\u2068\u2069]*\u2069", " ", text.replace("\\", "").replace("\u2060", ""))
        t = t.replace("\u2068", "").replace("\u2069", "")
        for w in data:
            if w in t:
                t = t.replace(w, " ")
        t = re.sub(r"https?://\S+|`[^`]*`|\S+@\S+|[\w./-]+\.(?:csv|xlsx|geojson|pptx|png|toml|txt|py)\b", " ", t)
        t = re.sub(r"#[a-z][\w+]*", " ", t)  # HXL hashtags
        t = re.sub(r"\bIQG\d+(?:Q\d+)?\b|\b[A-Z]{2,4}-\d+\b|:material/[a-z_]+:", " ", t)
        words = [w for w in WORD.findall(t) if w not in ACRONYMS and w.strip("'’-") not in ACRONYMS]
        if words:
            left.append(f"{words[:6]} in {text[:160]!r}")
    return left


def _run_ar(path: str, timeout: float = 120) -> AppTest:
    at = AppTest.from_file(path, default_timeout=timeout)
    at.query_params["lang"] = "ar"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


MANAGE = {"pages/trends.py", "pages/meeting.py", "pages/upload.py", "pages/workspace.py", "pages/admin.py"}


@pytest.mark.parametrize("page", [p for p, _t, _i in PAGES], ids=[p.split("/")[1][:-3] for p, _t, _i in PAGES])
def test_every_page_in_arabic_holds_no_english_interface_string(page, ds):
    at = _run_ar(page_path(page.split("/")[1]))
    texts = visible_texts(at)
    assert texts, "nothing collected"
    left = english_left(texts, data_words(ds))
    assert not left, f"{page}: {len(left)} strings still in English:\n" + "\n".join(left)


@pytest.mark.parametrize("page,title", [(p, t) for p, t, _i in PAGES if p not in MANAGE])
def test_arabic_page_titles_and_key_figures(page, title, ds):
    at = _run_ar(page_path(page.split("/")[1]))
    assert at.title and ARABIC.search(at.title[0].value), at.title[0].value if at.title else "no title"
    with language("ar"):
        assert ARABIC.search(_(title)), title
    for m in at.metric:
        assert ARABIC.search(m.label), m.label


def test_arabic_overview_shows_the_seed_totals(ds):
    from dsdash.figures import current_picture
    from dsdash.filters import Filters

    at = _run_ar(page_path("overview.py"))
    with language("ar"):
        want = {kf.label: kf.text for kf in current_picture(ds, Filters()).figures}
    got = {m.label: m.value for m in at.metric}
    for label, text in want.items():
        assert got.get(label) == text, (label, got)
    assert any(v.replace(",", "").isdigit() and int(v.replace(",", "")) > 1000 for v in got.values()), got


def test_arabic_indic_digits_on_request(ds):
    at = AppTest.from_file(page_path("overview.py"), default_timeout=120)
    at.query_params["lang"] = "ar"
    at.query_params["digits"] = "arab"
    at.run()
    assert not at.exception
    values = [m.value for m in at.metric]
    assert any(re.search("[٠-٩]", v) for v in values), values
    assert not any(re.search("[0-9]", v) for v in values), values


def test_english_stays_english(ds):
    at = AppTest.from_file(page_path("overview.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Durable solutions in Iraq: overview"
    assert "lang" not in at.query_params
    assert not any(ARABIC.search(t) for t in visible_texts(at) if t not in {"العربية"})


@pytest.fixture(scope="module")
def arabic_master_list():
    """Two IOM Master List rounds whose locations carry Arabic names, through the importers."""
    from dsdash.importers import build_dataset, import_file
    from tests.support.dtm_fixtures import two_rounds

    r1, r2 = two_rounds()
    results = [import_file(f.data, f.filename) for f in (r1, r2)]
    assert all(r.usable for r in results), [r.report.counts_text for r in results]
    return build_dataset(results), r2.frame


def _cells(at: AppTest) -> set[str]:
    out: set[str] = set()
    for df in at.dataframe:
        for c in df.value.columns:
            out.update(str(v) for v in df.value[c].dropna())
    return out


def test_master_list_arabic_names_show_on_the_arabic_pages(arabic_master_list):
    """In Arabic the tables name each location by its Arabic name (English names stay in the
    English pages), governorates by COD-AB's Arabic names, and the map's tooltips start with it."""
    from ui.state import ACTIVE_KEY

    ds, frame = arabic_master_list
    ar_names = set(frame["name_ar"])
    en_names = set(frame["name"])
    at = AppTest.from_file(page_path("gaps.py"), default_timeout=180)
    at.query_params["lang"] = "ar"
    at.session_state[ACTIVE_KEY] = ds
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cells = _cells(at)
    assert len(ar_names & cells) >= 5, sorted(cells)[:20]
    assert not en_names & cells, sorted(en_names & cells)[:5]
    from dsdash.schema import _district_names

    cod_ab_ar = {_district_names()[c][1] for c in frame["district_code"] if c in _district_names()}
    assert cod_ab_ar & cells, sorted(cod_ab_ar)[:5]  # districts by COD-AB's Arabic name

    en = AppTest.from_file(page_path("gaps.py"), default_timeout=180)
    en.session_state[ACTIVE_KEY] = ds
    en.run()
    assert not en.exception
    assert len(en_names & _cells(en)) >= 5 and not ar_names & _cells(en)

    mp = AppTest.from_file(page_path("map.py"), default_timeout=180)
    mp.query_params["lang"] = "ar"
    mp.session_state[ACTIVE_KEY] = ds
    mp.run()
    assert not mp.exception, [e.value for e in mp.exception]
    import json

    def tips(node):
        if isinstance(node, dict):
            if isinstance(node.get("tip"), str):
                yield node["tip"]
            for v in node.values():
                yield from tips(v)
        elif isinstance(node, list):
            for v in node:
                yield from tips(v)

    spec = json.loads(mp.get("deck_gl_json_chart")[0].proto.json)
    firsts = {t.split("\n")[0] for t in tips(spec)}
    assert len(ar_names & firsts) >= 5, list(firsts)[:5]


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "dsdash", "client_secret": "dsdash", "server_metadata_url":
            "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def signed_in_home(tmp_path, monkeypatch):
    """A throwaway workspace with a viewer, public views allowed (as tests/pages/test_auth.py)."""
    from dsdash.store import open_store

    monkeypatch.setenv("DSDASH_HOME", str(tmp_path))
    monkeypatch.delenv("DSDASH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DSDASH_DATA_DIR", raising=False)
    store = open_store()
    store.set_user("view@donor.org", "viewer", who="test")
    store.set_setting("public", "on", who="test")
    store.close()
    return tmp_path


@pytest.mark.parametrize("who", ["view@donor.org", None], ids=["viewer", "public"])
@pytest.mark.parametrize("page", ["overview.py", "map.py", "gaps.py", "whowhatwhere.py"])
def test_explore_pages_in_arabic_for_each_role(signed_in_home, ds, page, who):
    """Signed in as a viewer, or signed out on a workspace open to the public (AppTest.user): the
    account box, the audience's notes and every page word are Arabic too."""
    at = AppTest.from_file(page_path(page), default_timeout=120)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": who} if who else {"is_logged_in": False}
    at.query_params["lang"] = "ar"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    left = english_left(visible_texts(at), data_words(ds))
    assert not left, f"{page} as {who or 'public'}: {len(left)} strings still in English:\n" + "\n".join(left)


def test_an_uploaded_master_lists_source_line_reads_in_arabic(arabic_master_list):
    """The Overview's source line under a figure from an uploaded Master List: its own words in
    Arabic (the list, the population, the round, the date; the file name as written), never
    "uploaded file" or "IOM DTM Master List, IDPs, round …" in an Arabic page. English unchanged."""
    from ui.state import ACTIVE_KEY

    ds, _frame = arabic_master_list
    shown = {}
    for lang in ("ar", "en"):
        at = AppTest.from_file(page_path("overview.py"), default_timeout=180)
        if lang == "ar":
            at.query_params["lang"] = "ar"
        at.session_state[ACTIVE_KEY] = ds
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown[lang] = "\n".join(t.replace("\u2068", "").replace("\u2069", "").replace("\\", "")
                                 for t in visible_texts(at))
    assert "القائمة الرئيسية لمصفوفة تتبع النزوح (IOM DTM)، النازحون، الجولة" in shown["ar"]
    assert "ملف مرفوع '" in shown["ar"]
    assert "uploaded file" not in shown["ar"] and "Master List, IDPs" not in shown["ar"]
    assert "IOM DTM Master List, IDPs, round" in shown["en"] and "(uploaded file '" in shown["en"]
