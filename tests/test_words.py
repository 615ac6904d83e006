"""Everything a user reads is in words, on the embedded data: the text of every page
(AppTest: titles, markdown, captions, alerts, metrics with their help, widget labels,
table column names and cells, chart titles and hover texts, map tooltips), the meeting
deck (python-pptx: every shape, table cell, chart title, series and category, and the
notes) and the header of every CSV/XLSX the pages offer for download.

None of them shows ``seed 0…`` or ``facts/`` (internal file names: sources read as
citations, :mod:`dsdash.sources`), a snake_case column name, ``None``, or a time of day
``00:00:00`` on a date.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from tests.support.paths import page_path
from ui.nav import PAGES

#: What must never be read: (name, pattern).
FORBIDDEN = [
    ("internal seed file", re.compile(r"seed 0\d\d")),
    ("internal facts file", re.compile(r"facts/")),
    ("internal data file", re.compile(r"\bdata/\w+\.csv")),
    ("None", re.compile(r"\bNone\b")),
    ("a time on a date", re.compile(r"00:00:00")),
]
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
#: A machine name inside prose (``reaches_via``), not inside a path, a URL or a file name.
SNAKE_IN_TEXT = re.compile(r"(?<![\w/.:-])[a-z][a-z0-9]*_[a-z0-9_]+\b(?![.-]\w)")


def prose_problems(where: str, text: object) -> list[str]:
    """:func:`problems`, and a machine name in the text (markdown escapes its underscores)."""
    t = "" if text is None else str(text).replace("\\_", "_")
    return problems(where, t) + [f"{where}: machine name {m!r} in {t[:160]!r}" for m in SNAKE_IN_TEXT.findall(t)]


@pytest.fixture(scope="module", autouse=True)
def _own_workspace(tmp_path_factory):
    """The pages read a workspace seeded from this checkout's embedded data, never ~/.local."""
    from tests.support.workspace import own_workspace

    with own_workspace(tmp_path_factory.mktemp("words-home")):
        yield


#: Pages whose subject is the stored files themselves (the workspace's snapshots, the load
#: reports): a file of the embedded data may be named there by its path.
FILE_PAGES = ("workspace.py", "upload.py")


def problems(where: str, text: object) -> list[str]:
    t = "" if text is None else str(text)
    return [f"{where}: {name} in {t[:160]!r}" for name, rx in FORBIDDEN if rx.search(t)
            and not (name == "internal data file" and where.startswith(FILE_PAGES))]


def column_problems(where: str, columns) -> list[str]:
    out = []
    for c in columns:
        if SNAKE.match(str(c)):
            out.append(f"{where}: snake_case column name {c!r}")
        out += problems(f"{where} (column name)", c)
    return out


def frame_problems(where: str, df: pd.DataFrame) -> list[str]:
    out = column_problems(where, df.columns)
    for c in df.columns:
        col = df[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            for v in col.dropna().astype(str).unique()[:2000]:
                out += problems(f"{where}, column {c!r}", v)
                if SNAKE.match(v):
                    out.append(f"{where}, column {c!r}: a code, not a label: {v!r}")
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            valid = col.dropna()
            if len(valid) and not (valid == valid.dt.normalize()).all():
                out.append(f"{where}, column {c!r}: dates with a time of day")
    return out


# --------------------------------------------------------------------------- pages
def _strings(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


#: Plotly trace and layout keys that hold words a user reads (not the data arrays).
PLOTLY_WORDS = ("name", "text", "hovertext", "hovertemplate", "title", "texttemplate", "ticktext")


def _plotly_words(spec: dict) -> Iterator[str]:
    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)
        elif isinstance(node, str) and key in PLOTLY_WORDS:
            yield node

    for trace in spec.get("data", []):
        yield from walk(trace)
        for k in ("customdata",):
            yield from _strings(trace.get(k, []))
    yield from walk(spec.get("layout", {}))


@pytest.fixture
def offered(monkeypatch) -> list[tuple[str, object]]:
    """(file name, the callable a click runs) of every deferred download a page registers
    (AppTest cannot click a download button; Streamlit's media file manager holds them)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: list[tuple[str, object]] = []
    real = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen.append((file_name or "", data_callable))
        return real(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def _bytes(data) -> bytes:
    return data if isinstance(data, bytes) else data.encode() if isinstance(data, str) else data.read()


def download_problems(name: str, data: bytes) -> list[str]:
    out = []
    if name.endswith(".csv"):
        header = next(iter(csv.reader(io.StringIO(data.decode("utf-8-sig")))), [])
        out += column_problems(f"download {name}", header)
        out += [f"download {name}: column {h!r} twice" for h in set(header) if header.count(h) > 1]
    elif name.endswith(".xlsx"):
        wb = load_workbook(io.BytesIO(data), read_only=True)
        for ws in wb.worksheets:
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            out += column_problems(f"download {name}, sheet {ws.title!r}", [h for h in header if h is not None])
    return out


def page_text_problems(at: AppTest, page: str) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "text", "latex", "exception"):
        for el in getattr(at, kind, []):
            out += prose_problems(f"{page} {kind}", el.value)
    for m in at.metric:
        for part in (m.label, m.value, m.proto.help, m.proto.body):
            out += prose_problems(f"{page} metric {m.label!r}", part)
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "toggle", "date_input", "number_input",
                 "slider", "select_slider", "text_input", "button", "tabs", "expander"):
        for el in getattr(at, kind, []):
            label = getattr(el, "label", "")
            out += prose_problems(f"{page} {kind}", label)
            out += prose_problems(f"{page} {kind} {label!r} help", getattr(el.proto, "help", ""))
            for o in getattr(el, "options", []) or []:
                out += problems(f"{page} {kind} {label!r} option", o)
    for i, d in enumerate(at.dataframe):
        out += frame_problems(f"{page} table {i}", d.value)
    for i, t in enumerate(at.table):
        out += frame_problems(f"{page} static table {i}", t.value)
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        for s in _plotly_words(spec):
            out += problems(f"{page} chart", s)
    for el in at.get("deck_gl_json_chart"):
        spec = json.loads(el.proto.json)
        for s in _strings(spec.get("tooltip", {})):
            out += problems(f"{page} map tooltip", s)
        for layer in spec.get("layers", []):
            for row in (layer.get("data") or [])[:5000] if isinstance(layer.get("data"), list) else []:
                if isinstance(row, dict):
                    for k, v in row.items():
                        if isinstance(v, str):
                            out += problems(f"{page} map layer {layer.get('id')!r} field {k!r}", v)
    for b in at.get("download_button"):
        out += problems(f"{page} download button", b.proto.label)
    return out


#: Session states that open a page's conditional parts (a site's profile, an exit scenario).
STATES = {
    "map.py": [{}, {"map_site": "ANB-27"}],
    "gaps.py": [{}, {"gaps_exit_partners": ["Dary", "UIMS"]},
                # issue 15: planned ends passed (end unconfirmed), the follow-up list, the adequacy heatmap
                {"_query": {"as_of": "2024-05-15"}, "gaps_lens": "Adequacy", "gaps_exit_partners": ["IRC", "DRC"]}],
}
CASES = [(p.split("/")[-1], i) for p, _, _ in PAGES for i in range(len(STATES.get(p.split("/")[-1], [{}])))]


@pytest.mark.parametrize(("page", "state"), CASES)
def test_every_page_reads_in_words(page, state, offered):
    at = AppTest.from_file(page_path(page), default_timeout=120)
    for k, v in STATES.get(page, [{}])[state].items():
        if k == "_query":  # URL query parameters (the view: as-of date, filters)
            for q, qv in v.items():
                at.query_params[q] = qv
        else:
            at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = page_text_problems(at, page)
    tables = [(name, make) for name, make in offered if name.endswith((".csv", ".xlsx"))]
    for name, make in dict(tables).items():
        found += download_problems(name, _bytes(make()))
    for name, make in dict((n, m) for n, m in offered if n.endswith(".pptx")).items():  # the deck as the page builds it
        for where, text in deck_texts(_bytes(make())):
            found += problems(f"download {name}, {where}", text)
    if page in ("overview.py", "gaps.py", "trends.py", "map.py"):
        assert tables, f"{page} offers no table to download"
    if page == "meeting.py":
        assert any(n.endswith(".pptx") for n, _ in offered), "the meeting page offers no deck"
    assert not found, "\n".join(dict.fromkeys(found))


def _uploaded_rounds():
    """Two Master List rounds as a user loads them (files named with a folder, as a browser
    on Windows may send them), composed as the upload page does."""
    import datetime as dt

    from dsdash.importers import build_dataset, import_file
    from tests.support.dtm_fixtures import locations, master_list

    out = []
    for rnd, day in ((131, dt.date(2023, 12, 31)), (132, dt.date(2024, 4, 30))):
        fx = master_list(locations(40, round_=rnd), round_=rnd, filename=f"C:\\Users\\me\\Downloads\\DTM_ML_R{rnd}.xlsx")
        out.append(import_file(fx.data, fx.filename, reference_date=day))
    return build_dataset(out, name="Two rounds")


@pytest.mark.parametrize("page", ["overview.py", "map.py", "trends.py", "meeting.py"])
def test_uploaded_rounds_read_in_words(page, offered):
    """Sources of uploaded files are cited by the round, its date and the file's name,
    never a folder or a row."""
    from ui.state import ACTIVE_KEY

    at = AppTest.from_file(page_path(page), default_timeout=120)
    at.session_state[ACTIVE_KEY] = _uploaded_rounds()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = page_text_problems(at, page)
    texts = [c.value for c in at.caption] + [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    found += [f"{page}: a folder or a row in {t[:160]!r}" for t in texts if "Users" in t or ".xlsx, row" in t]
    assert not found, "\n".join(dict.fromkeys(found))
    if page == "overview.py":
        cites = " ".join(texts).replace("\\", "")
        assert "IOM DTM Master List, IDPs, round 132, 30 Apr 2024 (uploaded file 'DTM_ML_R132.xlsx'" in cites


# --------------------------------------------------------------------------- the deck
def deck_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(where, text) of every text the deck holds: shapes (in groups too), table cells,
    chart titles, series names and categories, and the notes."""
    prs = Presentation(io.BytesIO(data))

    def shapes(where, items):
        for sh in items:
            if sh.shape_type == 6:  # a group
                yield from shapes(where, sh.shapes)
                continue
            if sh.has_text_frame:
                yield where, sh.text_frame.text
            if getattr(sh, "has_table", False) and sh.has_table:
                for r in sh.table.rows:
                    for c in r.cells:
                        yield f"{where} table", c.text
            if getattr(sh, "has_chart", False) and sh.has_chart:
                ch = sh.chart
                if ch.has_title:
                    yield f"{where} chart title", ch.chart_title.text_frame.text
                for plot in ch.plots:
                    for cat in plot.categories:
                        yield f"{where} chart category", str(cat)
                    for s in plot.series:
                        yield f"{where} chart series", s.name

    for i, slide in enumerate(prs.slides, start=1):
        yield from shapes(f"slide {i}", slide.shapes)
        if slide.has_notes_slide:
            yield f"slide {i} notes", slide.notes_slide.notes_text_frame.text
    yield "core properties", f"{prs.core_properties.title} {prs.core_properties.subject}"


@pytest.mark.parametrize("view", [{}, {"services": ("water", "health"), "area": "West Anbar"}])
def test_the_deck_reads_in_words(view):
    from dsdash.dataset import load_embedded
    from dsdash.deck.build import build_deck
    from dsdash.filters import Filters

    f = Filters(services=view["services"]) if "services" in view else None
    found = []
    for where, text in deck_texts(build_deck(load_embedded(), filters=f, area=view.get("area"))):
        found += problems(where, text)
        if where.endswith(("table", "chart category", "chart series")) and SNAKE.match(text.strip()):
            found.append(f"{where}: a code or a column name, not words: {text!r}")
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_deck_cites_each_source_once():
    """The sources slide lists each citation once (the national series' 144 rows cite 12
    publications; a series' rounds are one line), never a file name."""
    from dsdash.dataset import load_embedded
    from dsdash.deck.build import build_deck

    prs = Presentation(io.BytesIO(build_deck(load_embedded())))
    slides = [sl for sl in prs.slides
              if any(sh.has_text_frame and sh.text_frame.text.startswith("Sources and methods") for sh in sl.shapes)]
    assert slides
    left = [sh for sl in slides for sh in sl.shapes if sh.has_text_frame and "National series (IOM DTM)" in sh.text_frame.text]
    items = [ln[2:] for sh in left for ln in sh.text_frame.text.split("\n") if ln.startswith("• ")]
    assert len(items) == len(set(items)), items
    assert "IOM DTM Master List Report, rounds 117, 118, 122–126" in items
    assert "IOM DTM Return Index, rounds 1–4, 6–16" in items
    assert any(i.startswith("DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites'") for i in items)
    assert not any("seed 0" in i or "facts/" in i for i in items)


# --------------------------------------------------------------------------- the scanner itself
def test_the_scanner_finds_what_it_looks_for():
    df = pd.DataFrame({"on_as_of": [pd.Timestamp("2024-08-31 10:00")], "Service": ["sanitation_waste"],
                       "Source": ["seed 000_x.txt, row 1"], "Note": [None]})
    found = frame_problems("t", df.astype({"Note": object}))
    assert any("snake_case column name 'on_as_of'" in f for f in found)
    assert any("a code, not a label: 'sanitation_waste'" in f for f in found)
    assert any("internal seed file" in f for f in found)
    assert any("dates with a time of day" in f for f in found)
    assert problems("x", "2024-08-31 00:00:00") and problems("x", "value None here") and problems("x", "facts/a.csv")
    assert not problems("x", "Nonetheless, 31 Dec 2023")
    assert prose_problems("x", "grouped by reaches\\_via") and not prose_problems("x", "see dtm_file.csv at https://a/b_c")
