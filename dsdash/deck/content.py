"""What the meeting deck shows, computed once: :class:`DeckContent` and :func:`deck_content`.

The deck computes nothing of its own: every number comes from the module that computes
it for the pages (figures, trends, coverage, map), so the deck and the app agree. The
as-of date is the coverage date (gap matrix, exits, map); trend slides show every round
in the data, each labelled with its own date. Nothing here draws: the slides
(:mod:`dsdash.deck.slides`) read a :class:`DeckContent`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import urlencode
from dataclasses import dataclass, field, replace

import pandas as pd

from dsdash.charts import local_date
from dsdash.coverage.engine import METHOD as COVERAGE_METHOD, prepare
from dsdash.coverage.exits import upcoming_exits
from dsdash.coverage.followup import followup_list
from dsdash.coverage.presence import expand_to_sites
from dsdash.coverage.summary import people_without_service
from dsdash.dataset import Dataset
from dsdash.export import xml_safe
from dsdash.figures import index_figures, national_figures, site_figures
from dsdash.figures import current_picture, latest_population
from dsdash.filters import Filters, filter_sites
from dsdash.wwww import who_does_what_where
from dsdash.i18n import N_, _, ngettext
from dsdash.history import Changes, SinceChanges, changes_since, compare, compare_rounds, picture_label
from dsdash.map.static import static_map_png
from dsdash.periods import Staleness, latest_dates
from dsdash.periods import warnings as view_warnings
from dsdash.provenance import KeyFigure, document
from dsdash.schema import (
    DEFAULT_HORIZON_DAYS, DTM_CREDIT, GOVERNORATES, SERVICE_LABELS, CoverageState, IndexName, governorate_code,
)
from dsdash.trends.fvm import FVM_CAVEAT, fvm_funnel
from dsdash.trends.index import index_table
from dsdash.trends.national import NATIONAL_METHOD, national_series_table

#: Forums the deck is made for (free text is accepted too).
FORUMS = ("DSTWG", "RWG", "JCF", "DSTF", "ABC")
FORUM_NAMES = {  # translated where shown: _(FORUM_NAMES[...])
    "DSTWG": N_("Durable Solutions Technical Working Group"),
    "RWG": N_("Returns Working Group"),
    "JCF": N_("Joint Coordination Forum"),
    "DSTF": N_("Durable Solutions Task Force"),
    "ABC": N_("Area-Based Coordination group"),
}

#: Coverage states in the order of the gap table's columns (worst first, served last).
GAP_STATES = [s.value for s in CoverageState]
EXIT_COLUMNS = ["partner", "partner_type", "service", "end_date", "n_sites", "individuals", "handover_to",
                "n_sites_left_without", "individuals_left_without"]
FOOTER_CHARS = 170  # one line of 9-point text across the slide
#: Where the app runs, for the slides' links back to it (``DSDASH_APP_URL`` overrides).
APP_URL = "http://localhost:8501"
#: "What changed" looks back this many days from the as-of date (the previous monthly meeting).
SINCE_DAYS = 30


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
    #: said prominently (title and gap slides): presence and population of different periods, an as-of
    #: date past the latest data (:func:`dsdash.periods.warnings`)
    warnings: list[str] = field(default_factory=list)
    changes: Changes | None = None  # dsdash.history.Changes (previous round or publication), None: nothing earlier
    #: each population group's latest round, its sites and change (figures.CurrentPicture.round_line)
    rounds: str = ""
    #: who does what where: partners per district × service (dsdash.wwww.who_does_what_where's table)
    wwww: pd.DataFrame | None = None
    #: the audience the deck was made for (dsdash.policy.Shown.statement), on the title slide
    audience: str = ""
    #: planned ends to confirm (dsdash.coverage.followup.followup_list on the as-of date, 30 days ahead)
    followup: pd.DataFrame | None = None
    #: what changed since the previous meeting (as-of − 30 days): dsdash.history.changes_since
    since: SinceChanges | None = None
    #: the app's address ($DSDASH_APP_URL): each slide links back to the same filtered view
    app_url: str = ""
    #: the sites' Arabic names where the data has them (site_id -> site_name_ar), shown in an Arabic deck
    site_names_ar: dict[str, str] = field(default_factory=dict)

    def link(self, page: str = "") -> str:
        """The app page ``page`` ("gaps", "" for the Overview) with this deck's view in the query."""
        query = dict(self.filters.to_query())
        query.update(as_of=self.as_of.isoformat(), horizon=str(self.horizon_days))
        base = (self.app_url or APP_URL).rstrip("/")
        return f"{base}/{page}?{urlencode(query)}"

    @property
    def title(self) -> str:
        return _("{forum} meeting pack").format(forum=self.forum)

    @property
    def subtitle(self) -> str:
        where = self.area or _("all areas")
        when = f"{self.as_of.day} {local_date(self.as_of, '%B %Y')}"
        return _("Durable solutions in Iraq · {area} · as of {date}").format(area=where, date=when)

    @property
    def footer(self) -> str:
        text = _("{forum} · {area} · as of {date} · {filters}").format(
            forum=self.forum, area=self.area or _("all areas"), date=self.day(self.as_of),
            filters=self.filters.describe())
        return text if len(text) <= FOOTER_CHARS else text[: FOOTER_CHARS - 1] + "…"

    @staticmethod
    def day(value) -> str:
        """A date as the slides write it: '10 Dec 2023', in the reader's language."""
        return local_date(value, "%d %b %Y")


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
    known = ", ".join(area_options(ds)) or _("none")
    raise ValueError(_("unknown area '{area}': use a coordination area, governorate, site group or district "
                       "of the data ({known})").format(area=a, known=known))


def _dataset_words(name: str) -> str:
    """The dataset's name with the app's words in it in the reader's language (issue 18)."""
    from dsdash.provenance import dataset_name

    return dataset_name(name)


def deck_content(ds: Dataset, *, filters: Filters | None = None, as_of: dt.date | None = None,
                 forum: str = "DSTWG", area: str | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS,
                 with_map: bool = True, previous: Dataset | None = None, audience: str = "") -> DeckContent:
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
        previous: the previous publication of the workspace: "What changed" compares with it
            (default: each population group's previous round in ``ds``; see :mod:`dsdash.history`).
        audience: whom the deck was made for (:attr:`dsdash.policy.Shown.statement`: ``ds`` already
            passed through :func:`dsdash.policy.apply`), said on the title slide.
    """
    if horizon_days < 0:
        raise ValueError(_("horizon_days must be 0 or more"))
    f = area_filters(ds, area, filters)
    as_of = as_of or ds.latest_date() or dt.date.today()
    figures = key_figures(ds, f, as_of)
    national = national_series_table(ds)
    index = _index(ds)
    funnel = fvm_funnel(ds)
    gaps, exits, notes = _coverage(ds, f, as_of, horizon_days)
    map_png = _map_png(ds, f, as_of) if with_map else None
    sources = _sources(ds, f)
    methods = _methods(horizon_days)
    return DeckContent(
        forum=xml_safe(str(forum).strip() or "DSTWG"), area=xml_safe(area.strip()) if area else None,
        as_of=as_of, horizon_days=int(horizon_days), filters=f, dataset_name=_dataset_words(ds.name), figures=figures,
        national=national, index=index, funnel=funnel, gaps=gaps, exits=exits, map_png=map_png,
        sources=sources, methods=methods, notes=notes, warnings=view_warnings(ds, as_of),
        changes=_changes(ds, f, previous), rounds=current_picture(ds, f).round_line,
        wwww=who_does_what_where(ds, f, as_of=as_of, level="admin2", horizon_days=horizon_days).table,
        audience=audience,
        followup=followup_list(prepare(ds, f), as_of), since=changes_since(ds, as_of - dt.timedelta(days=SINCE_DAYS),
                                                                         as_of, filters=f),
        app_url=os.environ.get("DSDASH_APP_URL", APP_URL), site_names_ar=_arabic_site_names(ds),
    )


def _arabic_site_names(ds: Dataset) -> dict[str, str]:
    s = ds.sites
    if "site_name_ar" not in s.columns:
        return {}
    named = s[s["site_name_ar"].notna()]
    return {str(i): xml_safe(str(n).strip()) for i, n in zip(named["site_id"], named["site_name_ar"]) if str(n).strip()}


def _changes(ds: Dataset, f: Filters, previous: Dataset | None):
    """What changed since the previous publication (when given) or the previous round (:mod:`dsdash.history`)."""
    if previous is not None:
        return compare(previous, ds, filters=f,
                       old_label=_("the previous publication ({rounds})").format(rounds=_rounds_of(previous, f)))
    return compare_rounds(ds, filters=f)


def _rounds_of(ds: Dataset, f: Filters) -> str:
    return picture_label(latest_population(ds, f))


def key_figures(ds: Dataset, f: Filters, as_of: dt.date | None = None) -> list[KeyFigure]:
    """The Overview's key figures: the site figures of :func:`dsdash.figures.current_picture`
    (each population group's latest round; closed sites not counted; the change since each
    group's previous round, naming its date), then the national and index figures. With ``as_of``
    past the population's latest data, the site figures say "latest data: …" (:mod:`dsdash.periods`)."""
    sites = Staleness(as_of, latest_dates(ds)).mark(site_figures(ds, f), "population")
    return sites + national_figures(ds) + index_figures(ds)


def _index(ds: Dataset) -> pd.DataFrame:
    """Share of people in severe conditions per round of each index, on one date axis
    (the rounds' period ends); rounds with no published share are left out."""
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


def _coverage(ds: Dataset, f: Filters, as_of: dt.date, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(gap table, upcoming exits, caveats) from :mod:`dsdash.coverage` (the Gaps page's numbers)."""
    prep = prepare(ds, f)
    cov = prep.on(as_of, horizon)
    matrix = cov.matrix
    people = people_without_service(matrix)
    gaps = gap_table(people, matrix, f.service_list())
    exits = upcoming_exits(prep, as_of, horizon_days=horizon)
    exits = exits.reindex(columns=EXIT_COLUMNS) if len(exits) else pd.DataFrame(columns=EXIT_COLUMNS)
    notes = []
    if len(cov.unmatched):
        # the English says row(s) for any count; Arabic has its plural forms
        notes.append(ngettext("{n} partner presence row(s) name an area with no site in the data; they are not "
                              "counted (see the Gaps and exits page).",
                              "{n} partner presence row(s) name an area with no site in the data; they are not "
                              "counted (see the Gaps and exits page).", len(cov.unmatched)).format(n=len(cov.unmatched)))
    unknown = matrix.loc[matrix["individuals"].isna(), "site_id"].nunique() if len(matrix) else 0
    if unknown:
        notes.append(ngettext("{n} site(s) have no population count: their cells count no people.",
                              "{n} site(s) have no population count: their cells count no people.",
                              int(unknown)).format(n=unknown))
    return gaps, exits, notes


def gap_table(people: pd.DataFrame, matrix: pd.DataFrame, services: list[str] | None = None) -> pd.DataFrame:
    """The gap slide's table: one row per service (vocabulary order, every chosen service
    even when it has no cell) with people per coverage state, from
    :func:`dsdash.coverage.summary.people_without_service`.

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
    # 12 × 6.75 in at 100 dpi: drawn at about its own size on the slide, so its text stays readable
    return static_map_png(ds, f, as_of=as_of, width_px=1200, height_px=675, lens=map_lens(f))


def _sources(ds: Dataset, f: Filters) -> list[tuple[str, list[str]]]:
    """Every source the deck's rows come from, per slide theme, deduplicated, in order."""
    sites = filter_sites(ds.sites, f, ds.population)
    ids = set(sites["site_id"])
    pres, _unmatched = expand_to_sites(ds.presence, sites)
    needs, _unmatched = expand_to_sites(ds.needs, sites)
    groups = [
        (_("Sites and population"),
         list(sites["source"]) + list(ds.population.loc[ds.population["site_id"].isin(ids), "source"])),
        (_("National series (IOM DTM)"), list(ds.national_series["source"])),
        (_("Return and Displacement Index (IOM DTM)"), list(ds.index_rounds["source"])),
        (_("Facilitated voluntary movements"), list(ds.fvm["source"])),
        (_("Partner presence and reported needs"), list(pres["source"]) + list(needs["source"])),
    ]
    out = []
    for name, srcs in groups:
        docs: list[str] = []
        for s in srcs:
            if s is None or pd.isna(s):
                continue
            d = xml_safe(document(str(s)))
            if d not in docs:
                docs.append(d)
        out.append((name, docs or [_("no rows in the active data")]))
    return out


def _methods(horizon: int) -> list[str]:
    return [
        _("National figures: {method}. A round without a published figure is a gap, not a zero.").format(
            method=_(NATIONAL_METHOD)),
        _("Index severity: share of the population living in locations of high (severe) severity, per round."),
        _("FVM funnel: cumulative households over all periods. {caveat}").format(caveat=_(FVM_CAVEAT)),
        _("Gap matrix and exits (coverage on the as-of date, horizon {days} days): {method}.").format(
            days=horizon, method=_(COVERAGE_METHOD)),
        _("Site population: each population group's latest Master List round; a site missing from it is "
          "closed and not counted; individuals as the source states them (households × 6 where the source "
          "computed it so)."),
        _(DTM_CREDIT) + ".",
    ]


def deck_file_name(content: DeckContent) -> str:
    """'DSTWG-meeting-pack-West-Anbar-2023-12-10.pptx' (only letters, digits, '-')."""
    parts = [content.forum, "meeting-pack", content.area or "", content.as_of.isoformat()]
    name = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-") + ".pptx"
