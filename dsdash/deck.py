"""The meeting deck: one click (or one command) builds the slides an IMO used to rebuild by
hand every month for the DSTWG, the RWG or a JCF.

What the deck holds, in order (see :data:`SLIDE_TITLES`):

1. title: forum, as-of date, area and filters;
2. key figures with the change since the previous round, each with its source line
   (:mod:`dsdash.figures`);
3. the national IDP / returnee trend as a NATIVE PowerPoint line chart (editable in
   PowerPoint: right-click → Edit Data), from :func:`dsdash.trends.national_series_table`;
4. the Return / Displacement Index severity as a native line chart
   (:func:`dsdash.trends.index_table`);
5. the FVM funnel as a native bar chart (:func:`dsdash.trends.fvm_funnel`);
6. the site map as an image rendered offline (:func:`dsdash.mapping.static_map_png`);
7. the gap matrix: people per service in each coverage state, a table coloured with
   :data:`dsdash.schema.COLOURS` (:mod:`dsdash.coverage`);
8. upcoming partner exits within the horizon (:func:`dsdash.coverage.upcoming_exits`);
9. sources and methods: every source of every row the deck used (continued on further
   slides when they do not fit one).

The numbers are computed once in :func:`deck_content` (a plain dataclass the Meeting page
previews with :func:`deck_outline`) and drawn by :func:`render_deck`; :func:`build_deck`
does both. The as-of date is the coverage date (gap matrix, exits, map); trend slides
show every round in the data, each labelled with its own date.

The deck computes nothing of its own: every number comes from the module that computes
it for the pages (overview, trends, coverage, mapping), so the deck and the app agree.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace

import pandas as pd

from dsdash.dataset import Dataset
from dsdash.export import xml_safe as _clean_text
from dsdash.filters import Filters, filter_sites
from dsdash.figures import index_figures, national_figures, site_figures
from dsdash.provenance import KeyFigure, document, fmt_number
from dsdash.schema import (
    COLOURS, DTM_CREDIT, GOVERNORATES, POPULATION_GROUP_LABELS, SERVICE_LABELS,
    CoverageState, IndexName, PopulationGroup, governorate_code,
)
from dsdash.scope import expand_to_sites

#: Forums the deck is made for (free text is accepted too).
FORUMS = ("DSTWG", "RWG", "JCF", "DSTF", "ABC")
FORUM_NAMES = {
    "DSTWG": "Durable Solutions Technical Working Group",
    "RWG": "Returns Working Group",
    "JCF": "Joint Coordination Forum",
    "DSTF": "Durable Solutions Task Force",
    "ABC": "Area-Based Coordination group",
}

SLIDE_TITLES = {
    "title": None,  # the forum's meeting pack title
    "figures": "Key figures",
    "national": "IDPs and returnees in Iraq, by DTM round",
    "index": "Severity: DTM Return and Displacement Index",
    "fvm": "Facilitated voluntary movements (FVM): the funnel",
    "map": "Sites",
    "gaps": "Gap matrix: people per service and coverage state",
    "exits": "Upcoming partner exits",
    "sources": "Sources and methods",
}

#: Coverage states in the order of the gap table's columns (worst first, served last).
GAP_STATES = [s.value for s in CoverageState]
EXIT_ROWS = 12  # at most this many rows in the exits table (fewer when names wrap)
FOOTER_CHARS = 170  # one line of 9-point text across the slide


# --------------------------------------------------------------------------- content
@dataclass
class DeckContent:
    """Everything the deck shows, computed once (tables are plain DataFrames)."""

    forum: str
    area: str | None
    as_of: dt.date
    horizon_days: int
    filters: Filters
    dataset_name: str
    figures: list[KeyFigure]
    national: pd.DataFrame  # reference_date, dtm_round, idp, returnee
    index: pd.DataFrame  # period_end, label, return_index, displacement_index (share severe, %)
    funnel: pd.DataFrame  # stage, households, note, rate_pct …
    gaps: pd.DataFrame  # service, service_label, <state> people …, without_any, without_assured, sites
    exits: pd.DataFrame  # partner, partner_type, service, end_date, n_sites, individuals, handover_to
    map_png: bytes | None
    sources: list[tuple[str, list[str]]]
    methods: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.forum} meeting pack"

    @property
    def subtitle(self) -> str:
        where = self.area or "all areas"
        return f"Durable solutions in Iraq · {where} · as of {self.as_of.day} {self.as_of:%B %Y}"

    @property
    def footer(self) -> str:
        text = f"{self.forum} · {self.area or 'all areas'} · as of {self.as_of:%d %b %Y} · {self.filters.describe()}"
        return text if len(text) <= FOOTER_CHARS else text[: FOOTER_CHARS - 1] + "…"


def area_options(ds: Dataset) -> list[str]:
    """Areas a deck can be made for: coordination areas (ABC/JCF), governorates, site
    groups and districts of the sites in the data, each once, in that order."""
    s = ds.sites

    def values(col: str) -> list[str]:
        return sorted({str(v) for v in s[col].dropna() if str(v)})

    candidates = (values("coordination_area")
                  + [GOVERNORATES[c][0] for c in values("admin1_code") if c in GOVERNORATES]
                  + values("site_group") + values("admin2_name"))
    out: list[str] = []
    for a in candidates:
        if a.lower() not in {o.lower() for o in out}:
            out.append(a)
    return out


def area_filters(ds: Dataset, area: str | None, filters: Filters | None = None) -> Filters:
    """``filters`` narrowed to ``area``: a coordination area (ABC/JCF), a governorate
    (name or p-code, any common spelling), a site group or a district (name or p-code).

    Raises:
        ValueError: the area matches none of them (the message lists the known areas).

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> area_filters(load_embedded(), "west anbar").coordination_area
        ('West Anbar',)
    """
    filters = filters or Filters()
    if not area or not str(area).strip():
        return filters
    a = str(area).strip()
    s = ds.sites
    low = a.lower()
    for col, fld in (("coordination_area", "coordination_area"), ("site_group", "site_group"),
                     ("admin2_name", "admin2"), ("admin2_code", "admin2")):
        vals = {str(v) for v in s[col].dropna()}
        hit = [v for v in vals if v.lower() == low]
        if hit:
            if fld == "admin2" and col == "admin2_name":
                rows = s[col].astype("string").str.lower() == low
                codes = sorted({str(c) for c in s.loc[rows, "admin2_code"].dropna()})
                return replace(filters, admin2=tuple(codes))
            return replace(filters, **{fld: (hit[0],)})
    code = governorate_code(a)
    if code:
        return replace(filters, admin1=(code,))
    known = ", ".join(area_options(ds)) or "none"
    raise ValueError(f"unknown area '{a}': use a coordination area, governorate, site group or district "
                     f"of the data ({known})")


def deck_content(ds: Dataset, *, filters: Filters | None = None, as_of: dt.date | None = None,
                 forum: str = "DSTWG", area: str | None = None, horizon_days: int = 90,
                 with_map: bool = True) -> DeckContent:
    """Compute every number the deck shows (no drawing).

    Args:
        ds: the active Dataset.
        filters: the app's filters (sites, services, population groups).
        as_of: the coverage date (default: the data's latest date, as every page uses).
        forum: "DSTWG", "RWG", "JCF" … (shown on the title slide and every footer).
        area: narrows ``filters`` (see :func:`area_filters`); ValueError if unknown.
        horizon_days: a cell is "at risk" when every provider ends within this horizon;
            exits within it are listed.
        with_map: render the map image (the page's preview skips it).
    """
    if horizon_days < 0:
        raise ValueError("horizon_days must be 0 or more")
    f = area_filters(ds, area, filters)
    as_of = as_of or ds.latest_date() or dt.date.today()
    figures = key_figures(ds, f)
    national = _national(ds)
    index = _index(ds)
    funnel = _funnel(ds)
    gaps, exits, notes = _coverage(ds, f, as_of, horizon_days)
    map_png = _map_png(ds, f, as_of) if with_map else None
    sources = _sources(ds, f)
    methods = _methods(ds, horizon_days)
    return DeckContent(
        forum=_clean_text(str(forum).strip() or "DSTWG"), area=_clean_text(area.strip()) if area else None,
        as_of=as_of, horizon_days=int(horizon_days), filters=f, dataset_name=ds.name, figures=figures,
        national=national, index=index, funnel=funnel, gaps=gaps, exits=exits, map_png=map_png,
        sources=sources, methods=methods, notes=notes,
    )


# --------------------------------------------------------------------------- the pieces
def key_figures(ds: Dataset, f: Filters) -> list[KeyFigure]:
    """The Overview's key figures, the site figures with their change since the previous
    population round when the data holds more than one (e.g. two DTM Master Lists).

    The previous round's figures are the same :func:`dsdash.figures.site_figures` on the
    population rows dated before the latest date: each site's latest earlier count.
    """
    figs = site_figures(ds, f)
    pop = ds.population
    dates = sorted(pop["reference_date"].dropna().unique())
    if len(dates) >= 2:
        last = pd.Timestamp(dates[-1])
        earlier = pop[pop["reference_date"] < last]
        before = {k.label: k.value for k in site_figures(ds.with_tables(population=earlier), f)}
        prev = pd.Timestamp(earlier["reference_date"].max())
        rounds = earlier.loc[earlier["reference_date"] == prev, "dtm_round"].dropna()
        since = f"since round {int(rounds.max())} ({prev:%d %b %Y})" if len(rounds) else f"since {prev:%d %b %Y}"
        figs = [replace(k, change=k.value - before[k.label], change_label=since)
                if k.label in ("Households", "Individuals") and k.value is not None and before.get(k.label) is not None
                else k for k in figs]
    return figs + national_figures(ds) + index_figures(ds)


def _national(ds: Dataset) -> pd.DataFrame:
    from dsdash.trends import national_series_table

    return national_series_table(ds)


def _index(ds: Dataset) -> pd.DataFrame:
    """Share of people in severe conditions per round of each index, on one date axis
    (the rounds' period ends); rounds with no published share are left out."""
    from dsdash.trends import index_table

    cols = ["period_end", *IndexName.values()]
    by_date: dict[pd.Timestamp, dict[str, float]] = {}
    for idx in IndexName.values():
        t = index_table(ds, idx, gaps=False)
        t = t[t["share_severe"].notna() & t["period_end"].notna()]
        for d, v in zip(t["period_end"], t["share_severe"]):
            by_date.setdefault(pd.Timestamp(d), {})[idx] = float(v)
    rows = [{"period_end": d, **vals} for d, vals in sorted(by_date.items())]
    out = pd.DataFrame(rows, columns=cols)
    out["period_end"] = pd.to_datetime(out["period_end"]).astype("datetime64[s]")
    for idx in IndexName.values():
        out[idx] = out[idx].astype("float64")
    return out


def _funnel(ds: Dataset) -> pd.DataFrame:
    from dsdash.trends import fvm_funnel

    return fvm_funnel(ds)


EXIT_COLUMNS = ["partner", "partner_type", "service", "end_date", "n_sites", "individuals", "handover_to",
                "n_sites_left_without", "individuals_left_without"]


def _coverage(ds: Dataset, f: Filters, as_of: dt.date, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(gap table, upcoming exits, caveats) from :mod:`dsdash.coverage` (the Gaps page's numbers)."""
    from dsdash.coverage import coverage_matrix, people_without_service, upcoming_exits

    matrix = coverage_matrix(ds, as_of, horizon_days=horizon, filters=f)
    people = people_without_service(matrix)
    gaps = gap_table(people, matrix, f.service_list())
    exits = upcoming_exits(ds, as_of, horizon_days=horizon, filters=f)
    exits = exits.reindex(columns=EXIT_COLUMNS) if len(exits) else pd.DataFrame(columns=EXIT_COLUMNS)
    notes = []
    unmatched = matrix.attrs.get("unmatched_presence") or []
    if unmatched:
        notes.append(f"{len(unmatched)} partner presence row(s) name an area with no site in the data; "
                     "they are not counted (see the Gaps and exits page).")
    unknown = matrix.loc[matrix["individuals"].isna(), "site_id"].nunique() if len(matrix) else 0
    if unknown:
        notes.append(f"{unknown} site(s) have no population count: their cells count no people.")
    return gaps, exits, notes


def gap_table(people: pd.DataFrame, matrix: pd.DataFrame, services: list[str] | None = None) -> pd.DataFrame:
    """The gap slide's table: one row per service (vocabulary order, every chosen service
    even when it has no cell) with people per coverage state, from
    :func:`dsdash.coverage.people_without_service`.

    Columns: service, service_label, one column per :data:`GAP_STATES` value,
    without_any (lost + never served), without_assured (no assured humanitarian
    service: lost + never served + handed over + at risk), sites (sites in the matrix).
    """
    services = services or list(SERVICE_LABELS)
    by = people.set_index("service") if len(people) else pd.DataFrame()
    n_sites = int(matrix["site_id"].nunique()) if len(matrix) else 0
    rows = []
    for s in services:
        row = {"service": s, "service_label": SERVICE_LABELS.get(s, s)}
        for col in [*GAP_STATES, "without_any", "without_assured"]:
            row[col] = int(by.at[s, col]) if s in by.index else 0
        row["sites"] = n_sites
        rows.append(row)
    return pd.DataFrame(rows, columns=["service", "service_label", *GAP_STATES, "without_any", "without_assured",
                                       "sites"])


def map_lens(f: Filters) -> str:
    """How the deck's map colours sites: by coverage when services are chosen (with all
    fourteen services nearly every site has some lost service, and the map says nothing),
    else by site type."""
    return "coverage" if f.services else "site_type"


def _map_png(ds: Dataset, f: Filters, as_of: dt.date) -> bytes:
    from dsdash.mapping import static_map_png

    # 12 × 6.75 in at 100 dpi: drawn at about its own size on the slide, so its text stays readable
    return static_map_png(ds, f, as_of=as_of, width_px=1200, height_px=675, lens=map_lens(f))




def _sources(ds: Dataset, f: Filters) -> list[tuple[str, list[str]]]:
    """Every source the deck's rows come from, per slide theme, deduplicated, in order."""
    sites = filter_sites(ds.sites, f, ds.population)
    ids = set(sites["site_id"])
    pres, _ = expand_to_sites(ds.presence, sites)
    needs, _ = expand_to_sites(ds.needs, sites)
    groups = [
        ("Sites and population",
         list(sites["source"]) + list(ds.population.loc[ds.population["site_id"].isin(ids), "source"])),
        ("National series (IOM DTM)", list(ds.national_series["source"])),
        ("Return and Displacement Index (IOM DTM)", list(ds.index_rounds["source"])),
        ("Facilitated voluntary movements", list(ds.fvm["source"])),
        ("Partner presence and reported needs", list(pres["source"]) + list(needs["source"])),
    ]
    out = []
    for name, srcs in groups:
        docs: list[str] = []
        for s in srcs:
            if s is None or pd.isna(s):
                continue
            d = _clean_text(document(str(s)))
            if d not in docs:
                docs.append(d)
        out.append((name, docs or ["no rows in the active data"]))
    return out


def _methods(ds: Dataset, horizon: int) -> list[str]:
    from dsdash.coverage import METHOD as COVERAGE_METHOD
    from dsdash.trends import FVM_CAVEAT, NATIONAL_METHOD

    return [
        f"National figures: {NATIONAL_METHOD}. A round without a published figure is a gap, not a zero.",
        "Index severity: share of the population living in locations of high (severe) severity, per round.",
        f"FVM funnel: cumulative households over all periods. {FVM_CAVEAT}",
        f"Gap matrix and exits (coverage on the as-of date, horizon {horizon} days): {COVERAGE_METHOD}.",
        "Site population: the latest count per site; individuals as the source states them "
        "(households × 6 where the source computed it so).",
        DTM_CREDIT + ".",
    ]


# --------------------------------------------------------------------------- outline
def deck_outline(content: DeckContent) -> list[tuple[str, list[str]]]:
    """What each slide will hold, as (slide title, summary lines) for a preview."""
    c = content
    out: list[tuple[str, list[str]]] = [
        (c.title, [c.subtitle, f"Filters: {c.filters.describe()}", f"Data: {c.dataset_name}"]),
        (SLIDE_TITLES["figures"], [f"{k.label}: {k.text}" + (f" ({k.change_text})" if k.change_text else "")
                                   for k in c.figures]),
    ]
    nat = c.national
    lines = []
    for g in PopulationGroup.values():
        s = nat[nat[g].notna()] if g in nat.columns else nat.iloc[0:0]
        if len(s):
            last = s.iloc[-1]
            lines.append(f"{POPULATION_GROUP_LABELS[g]}: {len(s)} rounds, latest {int(last[g]):,} "
                         f"(round {int(last['dtm_round'])}, {pd.Timestamp(last['reference_date']):%d %b %Y})")
    out.append((SLIDE_TITLES["national"], lines or ["no national series in the data"]))
    lines = []
    for idx, label in ((IndexName.RETURN.value, "Return Index"), (IndexName.DISPLACEMENT.value, "Displacement Index")):
        s = c.index[c.index[idx].notna()]
        if len(s):
            lines.append(f"{label}: {len(s)} rounds with a share, latest {s[idx].iloc[-1]:g} % "
                         f"(to {pd.Timestamp(s['period_end'].iloc[-1]):%b %Y})")
    out.append((SLIDE_TITLES["index"], lines or ["no index rounds in the data"]))
    out.append((SLIDE_TITLES["fvm"], [f"{r.stage}: {int(r.households):,} households" for r in c.funnel.itertuples()]
                or ["no FVM data"]))
    colour = (f"coloured by coverage of the chosen services on {c.as_of:%d %b %Y}" if map_lens(c.filters) == "coverage"
              else "coloured by site type (choose services to colour by coverage)")
    out.append((SLIDE_TITLES["map"], [f"Map of the sites after filters ({c.filters.describe()}), {colour}"]))
    g = c.gaps
    worst = g.sort_values("without_assured", ascending=False).head(3)
    out.append((SLIDE_TITLES["gaps"], [f"{len(g)} services × {g['sites'].max() if len(g) else 0} sites"]
                + [f"{r.service_label}: {int(r.without_assured):,} people without assured service"
                   for r in worst.itertuples()]))
    e = c.exits
    out.append((SLIDE_TITLES["exits"], [f"{len(e)} exits within {c.horizon_days} days of {c.as_of:%d %b %Y}"]
                + [f"{r.partner} · {SERVICE_LABELS.get(r.service, r.service)} · "
                   f"ends {pd.Timestamp(r.end_date):%d %b %Y}"
                   for r in e.head(3).itertuples()]))
    out.append((SLIDE_TITLES["sources"], [f"{name}: {len(docs)} source(s)" for name, docs in c.sources] + c.notes))
    return out


def gap_table_view(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gap table with the slide's column names (for a page preview)."""
    cols = {"service_label": "Service", **GAP_HEADERS, "without_any": "No provider at all",
            "without_assured": "Without assured service"}
    return gaps[list(cols)].rename(columns=cols)


def parse_as_of(value: object, default: dt.date | None) -> dt.date | None:
    """An as-of date from a URL query value ('2024-03-01'); ``default`` when it is
    missing or not an ISO date.

    Examples:
        >>> parse_as_of("2024-03-01", None), parse_as_of("soon", dt.date(2023, 12, 10))
        (datetime.date(2024, 3, 1), datetime.date(2023, 12, 10))
    """
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else default
    except ValueError:
        return default


def deck_file_name(content: DeckContent) -> str:
    """'DSTWG-meeting-pack-West-Anbar-2023-12-10.pptx' (only letters, digits, '-')."""
    import re

    parts = [content.forum, "meeting-pack", content.area or "", content.as_of.isoformat()]
    name = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-") + ".pptx"


# --------------------------------------------------------------------------- drawing
def build_deck(ds: Dataset, *, filters: Filters | None = None, as_of: dt.date | None = None,
               forum: str = "DSTWG", area: str | None = None, horizon_days: int = 90) -> bytes:
    """The meeting deck as PPTX bytes (see the module docstring for the slides)."""
    return render_deck(deck_content(ds, filters=filters, as_of=as_of, forum=forum, area=area,
                                    horizon_days=horizon_days))


def render_deck(content: DeckContent) -> bytes:
    """Draw a :class:`DeckContent` as a 16:9 PPTX with native charts; returns bytes."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    c = content
    _title_slide(prs, c)
    _figures_slide(prs, c)
    _national_slide(prs, c)
    _index_slide(prs, c)
    _fvm_slide(prs, c)
    _map_slide(prs, c)
    _gaps_slide(prs, c)
    _exits_slide(prs, c)
    _sources_slide(prs, c)
    prs.core_properties.title = c.title
    prs.core_properties.subject = c.subtitle
    prs.core_properties.author = "dsdash"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _tint(hex_colour: str, amount: float = 0.75) -> str:
    """``hex_colour`` mixed with white (amount 0 = colour, 1 = white)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    mix = [round(v + (255 - v) * amount) for v in (r, g, b)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def _text(slide, x, y, w, h, text: str, size: int = 12, *, bold: bool = False, colour: str = "#222222",
          align=None, wrap: bool = True):
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = wrap
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = _clean_text(line)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        if align is not None:
            p.alignment = align
    return box


def _slide(prs, title: str, c: DeckContent, source: str | None = None):
    """A 'Title Only' slide, its title placed for 16:9, with the footer and a source line."""
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8)
    t.text = title
    p = t.text_frame.paragraphs[0]
    p.runs[0].font.size = Pt(28)
    p.runs[0].font.bold = True
    p.alignment = 1  # left
    _text(slide, 0.5, 7.05, 12.3, 0.35, c.footer, 9, colour="#777777")
    if source:
        _text(slide, 0.5, 6.45, 12.3, 0.6, source, 9, colour="#555555")
    return slide


def _title_slide(prs, c: DeckContent) -> None:
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = c.title
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.8), Inches(2.0)
    slide.shapes.title.width, slide.shapes.title.height = Inches(11.7), Inches(1.4)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.5), Inches(11.7), Inches(2.2)
    lines = [FORUM_NAMES.get(c.forum.upper(), c.forum), c.subtitle, f"Filters: {c.filters.describe()}",
             f"Data: {c.dataset_name}"]
    tf = sub.text_frame
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = _clean_text(line)
        for r in p.runs:
            r.font.size = Pt(20 if i < 2 else 14)
    _text(slide, 0.8, 6.6, 11.7, 0.5, "Prepared with dsdash. Every figure carries its source; see the last slide.",
          11, colour="#777777")


def _figures_slide(prs, c: DeckContent) -> None:
    slide = _slide(prs, SLIDE_TITLES["figures"], c)
    figs = c.figures
    rows = [figs[:3], figs[3:]] if len(figs) > 4 else [figs]
    y = 1.2
    for row in rows:
        n = max(len(row), 1)
        gap = 0.2
        w = (12.3 - gap * (n - 1)) / n
        for i, kf in enumerate(row):
            x = 0.5 + i * (w + gap)
            box = slide.shapes.add_shape(1, _in(x), _in(y), _in(w), _in(2.45))  # rectangle
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb("#F3F6FA")
            box.line.color.rgb = _rgb("#D0D7E2")
            _text(slide, x + 0.12, y + 0.06, w - 0.24, 0.55, kf.label, 12, bold=True, colour="#333333")
            _text(slide, x + 0.12, y + 0.58, w - 0.24, 0.6, kf.text, 28, bold=True, colour="#1F3B5C")
            change = kf.change_text or "no earlier round in the data"
            _text(slide, x + 0.12, y + 1.18, w - 0.24, 0.45, change, 10, colour="#444444")
            _text(slide, x + 0.12, y + 1.62, w - 0.24, 0.8, kf.caption, 8, colour="#666666")
        y += 2.6


def _in(v: float):
    from pptx.util import Inches

    return Inches(v)


def _style_chart(chart, title: str, *, legend: bool = True, number_format: str = "#,##0") -> None:
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Pt

    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(11)
    va = chart.value_axis
    va.tick_labels.number_format = number_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(10)
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("#DDDDDD")
    chart.category_axis.tick_labels.font.size = Pt(10)


def _blanks_as_gaps(chart) -> None:
    """Blank points (unpublished rounds) are drawn as gaps, never as zeros."""
    from pptx.oxml.ns import qn

    el = chart._chartSpace.chart.find(qn("c:dispBlanksAs"))
    if el is not None:
        el.set("val", "gap")


def _line_chart(slide, categories, series: list[tuple[str, list, str]], title: str, x, y, w, h,
                number_format="#,##0", markers: bool | int = False):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE
    from pptx.util import Pt

    cd = CategoryChartData(number_format=number_format)
    cd.categories = categories
    for name, values, _ in series:
        cd.add_series(name, values)
    kind = XL_CHART_TYPE.LINE_MARKERS if markers else XL_CHART_TYPE.LINE
    chart = slide.shapes.add_chart(kind, _in(x), _in(y), _in(w), _in(h), cd).chart
    _style_chart(chart, title, number_format=number_format)
    for s, (_, _, colour) in zip(chart.plots[0].series, series):
        s.smooth = False
        s.format.line.color.rgb = _rgb(colour)
        s.format.line.width = Pt(2.25)
        if markers:
            s.marker.style = XL_MARKER_STYLE.CIRCLE
            s.marker.size = markers if isinstance(markers, int) and markers > 1 else 7
            s.marker.format.fill.solid()
            s.marker.format.fill.fore_color.rgb = _rgb(colour)
    _blanks_as_gaps(chart)
    return chart


def _none_if_na(values) -> list:
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in values]


def _national_slide(prs, c: DeckContent) -> None:
    src = {s for s in c.sources[1][1]}
    nat = c.national
    slide = _slide(prs, SLIDE_TITLES["national"], c,
                   f"{DTM_CREDIT}; {len(src)} publication(s), see the sources slide. Individuals = households × 6 "
                   "(× 5 in camps from round 117, Aug 2020). Rounds without a published figure are gaps.")
    if nat.empty:
        _text(slide, 0.5, 3, 12, 1, "No national series in the active data.", 18)
        return
    cats = [pd.Timestamp(d).date() for d in nat["reference_date"]]
    series = [(f"{POPULATION_GROUP_LABELS[g]} (individuals)", _none_if_na(nat[g]), COLOURS[g])
              for g in PopulationGroup.values() if g in nat.columns and nat[g].notna().any()]
    # small markers: a round published between two gaps (returnees, round 132) is a lone point
    chart = _line_chart(slide, cats, series, "IDPs and returnees nationally (individuals)", 0.5, 1.1, 12.3, 5.3,
                        markers=3)
    chart.category_axis.tick_labels.number_format = "mmm yyyy"
    chart.category_axis.tick_labels.number_format_is_linked = False


def _index_slide(prs, c: DeckContent) -> None:
    t = c.index
    slide = _slide(prs, SLIDE_TITLES["index"], c,
                   f"{DTM_CREDIT}: Return Index and Displacement Index reports, per round (x = end of the data "
                   "collection period). Share of returnees (Return Index) / IDPs (Displacement Index) living in "
                   "locations of high severity. Rounds without a published share are left out.")
    if t.empty:
        _text(slide, 0.5, 3, 12, 1, "No index rounds in the active data.", 18)
        return
    cats = [f"{pd.Timestamp(d):%b %Y}" for d in t["period_end"]]
    series = [("Returnees in severe conditions (Return Index, %)", _none_if_na(t[IndexName.RETURN.value]),
               COLOURS["returnee"]),
              ("IDPs in severe conditions (Displacement Index, %)", _none_if_na(t[IndexName.DISPLACEMENT.value]),
               COLOURS["idp"])]
    chart = _line_chart(slide, cats, series, "Share of people in severe conditions (%)", 0.5, 1.1, 12.3, 5.3,
                        number_format="0", markers=True)
    chart.value_axis.minimum_scale = 0


def _fvm_slide(prs, c: DeckContent) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Pt

    fun = c.funnel
    notes = sorted({n for n in fun["note"] if n and n != "returned + relocated"}) if len(fun) else []
    src = "; ".join(c.sources[3][1])
    slide = _slide(prs, SLIDE_TITLES["fvm"], c,
                   f"Source: {src}. Cumulative households over all periods; rates compare totals, not cohorts. "
                   + " ".join(notes))
    if fun.empty:
        _text(slide, 0.5, 3, 12, 1, "No FVM data in the active data.", 18)
        return
    cd = CategoryChartData(number_format="#,##0")
    cd.categories = list(fun["stage"])
    cd.add_series("Households (cumulative)", [int(v) for v in fun["households"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, _in(0.5), _in(1.1), _in(12.3), _in(5.2), cd).chart
    _style_chart(chart, "FVM: households from registration to support (cumulative)", legend=False)
    chart.category_axis.reverse_order = True  # first stage on top
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    dl = plot.data_labels
    dl.number_format = "#,##0"
    dl.number_format_is_linked = False
    dl.position = XL_LABEL_POSITION.OUTSIDE_END
    dl.font.size = Pt(11)
    s = plot.series[0]
    s.format.fill.solid()
    s.format.fill.fore_color.rgb = _rgb(COLOURS["returnee"])
    chart.category_axis.tick_labels.font.size = Pt(11)


def _map_slide(prs, c: DeckContent) -> None:
    from pptx.util import Inches

    slide = _slide(prs, SLIDE_TITLES["map"], c)
    if not c.map_png:
        _text(slide, 0.5, 3, 12, 1, "Map not rendered.", 18)
        return
    # 16:9 picture under the title, kept inside the slide and above the footer
    h = 5.85
    w = h * 1200 / 675
    slide.shapes.add_picture(io.BytesIO(c.map_png), Inches((13.333 - w) / 2), Inches(1.05), height=Inches(h))


def _cell_text(cell, text: str, size: int, *, bold: bool = False, colour: str = "#222222",
               fill: str | None = None, align=None) -> None:
    from pptx.util import Inches, Pt

    cell.text = _clean_text(text)
    para = cell.text_frame.paragraphs[0]
    for run in para.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
    if align is not None:
        para.alignment = align
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.margin_left = cell.margin_right = Inches(0.06)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)


def _table(slide, rows: list[list[str]], headers: list[str], x: float, y: float, widths: list[float], *,
           size: int = 11, row_h: float = 0.32, header_fill: list[str] | None = None,
           right_from: int | None = None):
    """A native table: a dark header row (or one fill per column), zebra rows; columns
    from ``right_from`` on are right-aligned (numbers)."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    n_rows, n_cols = len(rows) + 1, len(headers)
    shape = slide.shapes.add_table(n_rows, n_cols, Inches(x), Inches(y), Inches(sum(widths)),
                                   Inches(row_h * (n_rows + 0.6)))
    table = shape.table
    for j, wj in enumerate(widths):
        table.columns[j].width = Inches(wj)
    for i in range(n_rows):
        table.rows[i].height = Inches(row_h * 1.6 if i == 0 else row_h)
    for j, h in enumerate(headers):
        fill = header_fill[j] if header_fill else "#1F3B5C"
        _cell_text(table.cell(0, j), h, size - 1, bold=True, colour="#FFFFFF", fill=fill,
                   align=PP_ALIGN.RIGHT if right_from is not None and j >= right_from else None)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _cell_text(table.cell(i, j), v, size, fill="#FFFFFF" if i % 2 else "#F3F3F3",
                       align=PP_ALIGN.RIGHT if right_from is not None and j >= right_from else None)
    return table


def _row_height(row: list[str], widths: list[float], size: int, row_h: float) -> float:
    """Estimated height (inches) of a table row once its cells wrap: average glyph width
    ~0.55 em, line height 1.2 em, plus the cell margins."""
    import math

    em = size / 72
    lines = max((math.ceil(len(t) * 0.55 * em / max(w - 0.12, 0.1)) or 1) for t, w in zip(row, widths))
    return max(row_h, lines * 1.2 * em + 0.08)


def rows_that_fit(rows: list[list[str]], widths: list[float], size: int, row_h: float, avail: float) -> int:
    """How many of ``rows`` fit in ``avail`` inches under a header row of 1.6 × ``row_h``."""
    used, n = row_h * 1.6, 0
    for r in rows:
        used += _row_height(r, widths, size, row_h)
        if used > avail:
            break
        n += 1
    return n


GAP_HEADERS = {"lost": "Lost (partner exit)", "at_risk": "At risk", "handed_over": "Handed over (govt only)",
               "never_served": "Never served", "served": "Served"}


def _gaps_slide(prs, c: DeckContent) -> None:
    g = c.gaps
    slide = _slide(prs, SLIDE_TITLES["gaps"], c,
                   f"People (individuals, the latest count of each site) at the filtered sites on {c.as_of:%d %b %Y}, "
                   f"by coverage state of each site × service. At risk: every provider ends within {c.horizon_days} "
                   "days. Without assured service = lost + never served + handed over + at risk. Presence and needs: "
                   "partner reports listed on the sources slide.")
    headers = ["Service", *[GAP_HEADERS[s] for s in GAP_STATES], "No provider at all", "Without assured service"]
    rows = [[r.service_label, *[fmt_number(int(getattr(r, s))) for s in GAP_STATES], fmt_number(int(r.without_any)),
             fmt_number(int(r.without_assured))] for r in g.itertuples(index=False)]
    n = len(rows)
    size = 11 if n <= 10 else 10 if n <= 14 else 8
    row_h = min(0.36, 4.9 / (n + 1.6))
    widths = [2.9] + [1.3] * len(GAP_STATES) + [1.45, 1.55]
    fills = ["#1F3B5C", *[COLOURS[s] for s in GAP_STATES], "#1F3B5C", "#1F3B5C"]
    table = _table(slide, rows, headers, 0.5, 1.1, widths, size=size, row_h=row_h, header_fill=fills, right_from=1)
    for i, r in enumerate(g.itertuples(index=False), start=1):
        for j, s in enumerate(GAP_STATES, start=1):
            if int(getattr(r, s)) > 0:
                cell = table.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(_tint(COLOURS[s], 0.6))
        for j in (len(GAP_STATES) + 1, len(GAP_STATES) + 2):
            for run in table.cell(i, j).text_frame.paragraphs[0].runs:
                run.font.bold = True


def _exits_slide(prs, c: DeckContent) -> None:
    e = c.exits
    slide = _slide(prs, SLIDE_TITLES["exits"], c,
                   f"Partners serving on {c.as_of:%d %b %Y} whose presence ends by "
                   f"{c.as_of + dt.timedelta(days=c.horizon_days):%d %b %Y} (horizon {c.horizon_days} days), at the "
                   "filtered sites. People = individuals at the sites served; left without = at sites where no other "
                   "provider continues after that date. Source: partner presence (sources slide).")
    if e.empty:
        _text(slide, 0.5, 1.4, 12, 1, f"No partner exit within {c.horizon_days} days of {c.as_of:%d %b %Y} at the "
                                      "filtered sites.", 18)
        return

    def num(v) -> str:
        return fmt_number(None if v is None or pd.isna(v) else int(v))

    rows = [[str(r.partner), str(r.partner_type), SERVICE_LABELS.get(r.service, str(r.service)),
             f"{pd.Timestamp(r.end_date):%d %b %Y}" if pd.notna(r.end_date) else "",
             "" if pd.isna(r.handover_to) else str(r.handover_to),
             num(r.n_sites), num(r.individuals), num(r.individuals_left_without)]
            for r in e.head(EXIT_ROWS).itertuples(index=False)]
    widths = [2.9, 0.95, 2.3, 1.3, 2.15, 0.75, 1.0, 1.0]
    size = 11 if len(rows) <= 8 else 10
    avail = 5.25 if len(e) > len(rows) else 5.3  # from y = 1.1 to the source line at 6.45
    n = rows_that_fit(rows, widths, size, 0.34, avail - 0.35)
    n = len(rows) if n == len(rows) and len(e) == len(rows) else n
    shown = rows[:n]
    _table(slide, shown, ["Partner", "Type", "Service", "Ends", "Handover to", "Sites", "People", "Left without"],
           0.5, 1.1, widths, size=size, row_h=0.34, right_from=5)
    if len(e) > n:
        used = 0.34 * 1.6 + sum(_row_height(r, widths, size, 0.34) for r in shown)
        _text(slide, 0.5, 1.15 + used, 12, 0.35, f"… and {len(e) - n} more exit(s) within the horizon: see the Gaps "
                                                  "and exits page.", 11, colour="#555555")


def _lines(slide, x, y, w, h, lines: list[tuple[str, bool]], size: int, colour: str = "#333333"):
    """A text box of (text, bold) lines."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = True
    for i, (line, bold) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = _clean_text(line)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        if bold and i:
            p.space_before = Pt(size * 0.6)
    return box


SOURCE_LINES = 40  # 8-point lines that fit in the sources column (from 1.05 in to above the footer)


def _source_pages(sources: list[tuple[str, list[str]]], per_page: int = SOURCE_LINES,
                  chars_per_line: int = 120) -> list[list[tuple[str, bool]]]:
    """The sources as (text, bold) lines cut into pages that fit one slide each (a long
    source counts as the lines it wraps to); a heading repeats on the next page."""
    pages: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for name, docs in sources:
        heading = (name, True)
        if used + 2 > per_page and pages[-1]:
            pages.append([])
            used = 0
        pages[-1].append(heading)
        used += 1
        for d in docs:
            need = -(-len(d) // chars_per_line)
            if used + need > per_page:
                pages.append([(f"{name} (continued)", True)])
                used = 1
            pages[-1].append((f"• {d}", False))
            used += need
    return pages


def _sources_slide(prs, c: DeckContent) -> None:
    pages = _source_pages(c.sources)
    for i, left in enumerate(pages):
        title = SLIDE_TITLES["sources"] if i == 0 else f"{SLIDE_TITLES['sources']} (continued)"
        slide = _slide(prs, title, c)
        _lines(slide, 0.5, 1.05, 7.6, 5.9, left, 8 if len(pages) > 1 or len(left) > 26 else 10)
        if i == 0:
            right: list[tuple[str, bool]] = [("Methods", True)] + [(f"• {m}", False) for m in c.methods]
            if c.notes:
                right += [("Caveats", True)] + [(f"• {x}", False) for x in c.notes]
            _lines(slide, 8.3, 1.05, 4.6, 5.9, right, 9)
