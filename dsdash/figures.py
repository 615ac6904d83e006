"""Key figures of the active data, each computed once for every surface (Overview page,
Map caption, Trends, Gaps weights, meeting deck, command line), each with its source,
date and method.

**The current picture is the latest round** (:func:`current_picture`, the one place the
rule is written; every surface takes its site numbers from it):

1. *Round of a group.* For each population group (IDPs, returnees), its latest round is
   the latest ``reference_date`` among **all** of that group's population rows. A round
   is a whole file (a DTM Master List), so the date is picked over the group's whole data,
   *before* the site filters; the filters then choose which of that round's rows are
   shown. (Picking the date after the filters would let a filter that leaves out every
   site of the latest round fall back on an older round, and count closed sites.)
   A group whose rows carry no date at all is one round.
2. *Counted.* A site and group is counted with its row of the group's latest round
   (one row per site and group; households and individuals as the row states them).
   IDPs and returnees each count from their own latest round, even when the dates differ,
   and the figures say so ("IDPs: 28 Feb 2021; returnees: 31 Dec 2020").
3. *Closed.* A site with rows of a group but none in that group's latest round is
   **closed** for that group: it is not counted, and it is listed with its last date and
   last individuals. A site closed in every group it has rows in is left out of the site
   count, the map and the gap matrix. A site with no population row at all is not closed
   (nothing says it left); it counts as a site with an unknown population.
4. *Change.* The previous round of a group is its second-latest ``reference_date``; the
   change is (latest round − previous round) over the filtered sites, per group, summed
   over the groups that have a previous round. It names both dates: "since round 131,
   31 Jan 2024" (or "since 31 Dec 2020" when the round has no number). Sites *opened* are
   in the latest round and not in the previous one; sites *closed since the previous round*
   are in the previous round and not in the latest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.i18n import N_, _, iso, ngettext, list_sep
from dsdash.provenance import KeyFigure, dataset_name, fmt_number, local_date, short_source
from dsdash.schema import DTM_CREDIT, INDIVIDUALS_METHOD_LABELS, POPULATION_GROUP_LABELS, PopulationGroup

#: One line for captions: how the site figures are computed.
METHOD = ("latest round of each group: each population group counts from its own latest Master List round; "
          "a site missing from that round is closed and not counted")

CLOSED_COLUMNS = ["site_id", "site_name", "admin1_name", "admin2_name", "population_group", "last_date",
                  "last_round", "last_households", "last_individuals"]
OPENED_COLUMNS = ["site_id", "site_name", "admin1_name", "admin2_name", "population_group", "households",
                  "individuals"]


# --------------------------------------------------------------------------- the rule
def _group_order(groups) -> list[str]:
    known = PopulationGroup.values()
    groups = set(groups)
    return [g for g in known if g in groups] + sorted(g for g in groups if g not in known)


def _latest_mask(pop: pd.DataFrame) -> pd.Series:
    """True for the rows of each group's latest round (over the whole table: rule 1)."""
    if pop.empty:
        return pd.Series(False, index=pop.index)
    latest = pop.groupby("population_group", dropna=False)["reference_date"].transform("max")
    return (pop["reference_date"] == latest).fillna(False).astype(bool) | latest.isna()


def _view(ds: Dataset, filters: Filters | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sites after the filters, population rows of those sites and the chosen groups)."""
    filters = filters or Filters()
    sites = filter_sites(ds.sites, filters, ds.population)
    pop = _complete(ds.population)
    pop = pop[pop["site_id"].isin(sites["site_id"])]
    if filters.population_group:
        pop = pop[pop["population_group"].isin(filters.population_group)]
    return sites, pop


def _complete(pop: pd.DataFrame) -> pd.DataFrame:
    """The population table with every column the rule reads (a hand-made table may lack some)."""
    missing = {c: pd.array([pd.NA] * len(pop), dtype=t) for c, t in (
        ("households", "Int64"), ("individuals", "Int64"), ("dtm_round", "Int64"),
        ("individuals_method", "string"), ("source", "string")) if c not in pop.columns}
    return pop.assign(**missing) if missing else pop


def _one_per_site(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per site and group (the last given, as a later file wins)."""
    return rows.drop_duplicates(["site_id", "population_group"], keep="last")


def latest_population(ds: Dataset, filters: Filters | None = None, group: str | None = None) -> pd.DataFrame:
    """The rows counted now: each site's row in its group's latest round (see the module
    docstring), after the filters; only ``group`` when given. Closed sites have no row here."""
    pop = ds.population
    pop = pop[_latest_mask(pop)]
    _, view = _view(ds.with_tables(population=pop), filters)
    if group:
        view = view[view["population_group"] == group]
    return _one_per_site(view).reset_index(drop=True)


def _ts(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _sum(series: pd.Series) -> int | None:
    """The total of a count column: 0 over no rows (a round without these sites counts
    nobody there), None when every row leaves it unknown."""
    return 0 if series.empty else _int(series.sum(min_count=1))


def _day(d: pd.Timestamp | None) -> str:
    return _("date not stated") if d is None else local_date(d)


def since_text(date: pd.Timestamp | None, dtm_round: int | None) -> str:
    """'since round 131, 31 Jan 2024', or 'since 31 Dec 2020' when the round has no number.

    Examples:
        >>> since_text(pd.Timestamp("2024-01-31"), 131), since_text(pd.Timestamp("2020-12-31"), None)
        ('since round 131, 31 Jan 2024', 'since 31 Dec 2020')
    """
    if dtm_round is not None:
        return _("since round {round}, {date}").format(round=dtm_round, date=_day(date))
    return _("since {date}").format(date=_day(date))


def _since_date(g) -> str:
    """A group's previous round without the word 'since': 'round 131, 31 Jan 2024'."""
    if g.previous_round is not None:
        return _("round {round}, {date}").format(round=g.previous_round, date=_day(g.previous_date))
    return _day(g.previous_date)


def _group_word(group: str, first: bool) -> str:
    label = _(POPULATION_GROUP_LABELS.get(group, group))
    return label if first or label[:3].isupper() else label.lower()


@dataclass(frozen=True, eq=False)
class GroupRound:
    """One population group's latest round within the view, and its previous round."""

    group: str
    date: pd.Timestamp | None  # the group's latest reference date (over the whole data)
    dtm_round: int | None
    rows: pd.DataFrame  # the counted rows (the latest round's rows of the filtered sites)
    closed: pd.DataFrame  # CLOSED_COLUMNS: sites of the group missing from its latest round
    opened: pd.DataFrame  # OPENED_COLUMNS: in the latest round, not in the previous one
    previous_date: pd.Timestamp | None = None
    previous_round: int | None = None
    previous_sites: int | None = None
    previous_households: int | None = None
    previous_individuals: int | None = None

    @property
    def label(self) -> str:
        return _(POPULATION_GROUP_LABELS.get(self.group, self.group))

    @property
    def sites(self) -> int:
        return int(self.rows["site_id"].nunique())

    @property
    def households(self) -> int | None:
        return _sum(self.rows["households"])

    @property
    def individuals(self) -> int | None:
        return _sum(self.rows["individuals"])

    @property
    def has_previous(self) -> bool:
        return self.previous_date is not None

    def _change(self, now: int | None, before: int | None) -> int | None:
        return None if not self.has_previous or now is None or before is None else now - before

    @property
    def change_individuals(self) -> int | None:
        return self._change(self.individuals, self.previous_individuals)

    @property
    def change_households(self) -> int | None:
        return self._change(self.households, self.previous_households)

    @property
    def change_sites(self) -> int | None:
        return self._change(self.sites, self.previous_sites)

    @property
    def closed_since_previous(self) -> pd.DataFrame:
        """The closed sites whose last row is in the previous round (they left in this round)."""
        if not self.has_previous:
            return self.closed.iloc[0:0]
        return self.closed[self.closed["last_date"] == self.previous_date]

    @property
    def round_text(self) -> str:
        """'round 120, 28 Feb 2021' or '28 Feb 2021'."""
        if self.dtm_round is not None:
            return _("round {round}, {date}").format(round=self.dtm_round, date=_day(self.date))
        return _day(self.date)

    @property
    def since(self) -> str:
        return since_text(self.previous_date, self.previous_round) if self.has_previous else ""


@dataclass(frozen=True, eq=False)
class CurrentPicture:
    """What every surface shows of the sites and their population for one view state
    (:func:`current_picture`)."""

    filters: Filters
    groups: tuple[GroupRound, ...]
    sites: pd.DataFrame  # the filtered sites that are not closed (map points, gap matrix rows)
    closed_site_ids: frozenset  # closed in every group they have rows in: not counted anywhere
    figures: list[KeyFigure] = field(default_factory=list)  # Sites, Households, Individuals

    @property
    def rows(self) -> pd.DataFrame:
        """The counted rows of every group (their latest rounds)."""
        frames = [g.rows for g in self.groups]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["site_id"])

    @property
    def closed(self) -> pd.DataFrame:
        """CLOSED_COLUMNS: every group's closed sites, latest closures first."""
        frames = [g.closed for g in self.groups if len(g.closed)]
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in CLOSED_COLUMNS})
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["last_date", "site_id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    @property
    def opened(self) -> pd.DataFrame:
        frames = [g.opened for g in self.groups if len(g.opened)]
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in OPENED_COLUMNS})
        return pd.concat(frames, ignore_index=True)

    @property
    def dates_differ(self) -> bool:
        return len({g.date for g in self.groups}) > 1

    @property
    def rounds_text(self) -> str:
        """'as of 28 Feb 2021, DTM round 120' when every group's latest round is the same
        date; 'IDPs: 28 Feb 2021; returnees: 31 Dec 2020' (rounds after) when they differ."""
        if not self.groups:
            return _("no population rows")
        if not self.dates_differ:
            rounds = sorted({g.dtm_round for g in self.groups if g.dtm_round is not None})
            when = _day(self.groups[0].date)
            if rounds:
                return _("as of {date}, DTM round {rounds}").format(date=when, rounds=", ".join(map(str, rounds)))
            return _("as of {date}").format(date=when)
        text = list_sep().join(f"{_group_word(g.group, i == 0)}: {_day(g.date)}" for i, g in enumerate(self.groups))
        rounds = [_("{group} round {round}").format(group=_group_word(g.group, False), round=g.dtm_round)
                  for g in self.groups if g.dtm_round is not None]
        return text + (f" (DTM {', '.join(rounds)})" if rounds else "")

    @property
    def round_line(self) -> str:
        """The line under the Overview's figures: each group's latest round, the closed
        sites and what changed since the previous round."""
        if not self.groups:
            return _("No population rows for this selection.")
        parts = []
        for g in self.groups:
            t = _("{group}: {round}, {sites} sites, {individuals} individuals").format(
                group=g.label, round=g.round_text, sites=fmt_number(g.sites), individuals=fmt_number(g.individuals))
            if g.has_previous:
                t += _("; {opened} opened and {closed} closed {since}").format(
                    opened=fmt_number(len(g.opened)), closed=fmt_number(len(g.closed_since_previous)), since=g.since)
            parts.append(t)
        head = _("Latest round of each group") if not self.dates_differ else \
            _("Latest round of each group (the groups' rounds differ)")
        return f"{head}. " + ". ".join(parts) + "."

    @property
    def change_label(self) -> str:
        """The words after a change: 'since round 131, 31 Jan 2024' (every group with an
        earlier round measured from the same one), else each group's own."""
        prev = [g for g in self.groups if g.has_previous]
        if not prev:
            return ""
        keys = {(g.previous_date, g.previous_round) for g in prev}
        if len(keys) == 1:
            since = prev[0].since
            return since if len(prev) == len(self.groups) else \
                _("{since} ({groups} only)").format(
                    since=since, groups=", ".join(_group_word(g.group, i == 0) for i, g in enumerate(prev)))
        return _("since each group's previous round ({rounds})").format(rounds=list_sep().join(
            f"{_group_word(g.group, i == 0)}: {_since_date(g)}" for i, g in enumerate(prev)))

    def _change(self, attr: str) -> int | None:
        vals = [getattr(g, attr) for g in self.groups if g.has_previous]
        return None if not vals or any(v is None for v in vals) else int(sum(vals))

    @property
    def change_individuals(self) -> int | None:
        return self._change("change_individuals")

    @property
    def change_households(self) -> int | None:
        return self._change("change_households")

    @property
    def change_sites(self) -> int | None:
        return self._change("change_sites")

    @property
    def households(self) -> int | None:
        return _sum(self.rows["households"]) if self.groups else None

    @property
    def individuals(self) -> int | None:
        return _sum(self.rows["individuals"]) if self.groups else None

    def record(self) -> dict:
        """Plain JSON-ready numbers (the CLI's ``summary``/``trends`` output)."""
        def day(d):
            return None if d is None else f"{d:%Y-%m-%d}"

        return {
            "sites": len(self.sites), "households": self.households, "individuals": self.individuals,
            "change_sites": self.change_sites, "change_households": self.change_households,
            "change_individuals": self.change_individuals, "change_label": self.change_label,
            "rounds": self.rounds_text, "closed_sites": len(self.closed_site_ids),
            "groups": [{
                "population_group": g.group, "reference_date": day(g.date), "dtm_round": g.dtm_round,
                "sites": g.sites, "households": g.households, "individuals": g.individuals,
                "previous_date": day(g.previous_date), "previous_round": g.previous_round,
                "change_sites": g.change_sites, "change_households": g.change_households,
                "change_individuals": g.change_individuals, "opened": len(g.opened), "closed": len(g.closed),
                "closed_since_previous": len(g.closed_since_previous),
            } for g in self.groups],
        }


def _round_number(rows: pd.DataFrame) -> int | None:
    return _int(rows["dtm_round"].max()) if len(rows) and rows["dtm_round"].notna().any() else None


def _names(rows: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    cols = ["site_id", "site_name", "admin1_name", "admin2_name"]
    out = rows.merge(sites[[c for c in cols if c in sites.columns]], on="site_id", how="left")
    for c in cols:
        if c not in out.columns:
            out[c] = pd.array([pd.NA] * len(out), dtype="string")
    return out


def _group_round(group: str, whole: pd.DataFrame, view: pd.DataFrame, sites: pd.DataFrame) -> GroupRound:
    """One group's round within the view: ``whole`` holds the group's rows over all the
    data (it decides the round dates), ``view`` its rows of the filtered sites."""
    dates = sorted(whole["reference_date"].dropna().unique())
    latest = _ts(dates[-1]) if dates else None
    previous = _ts(dates[-2]) if len(dates) > 1 else None
    view = view.sort_values("reference_date", kind="stable")
    now = view if latest is None else view[view["reference_date"] == latest]
    now = _one_per_site(now).reset_index(drop=True)
    gone = view[~view["site_id"].isin(now["site_id"])]
    last = _names(gone.drop_duplicates("site_id", keep="last"), sites)
    closed = pd.DataFrame({
        "site_id": last["site_id"], "site_name": last["site_name"], "admin1_name": last["admin1_name"],
        "admin2_name": last["admin2_name"], "population_group": last["population_group"],
        "last_date": last["reference_date"], "last_round": last["dtm_round"],
        "last_households": last["households"], "last_individuals": last["individuals"],
    }, columns=CLOSED_COLUMNS)
    closed = closed.sort_values(["last_date", "site_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    kw: dict = {}
    if previous is not None:
        before = _one_per_site(view[view["reference_date"] == previous])
        new = _names(now[~now["site_id"].isin(before["site_id"])], sites)
        opened = new[OPENED_COLUMNS].reset_index(drop=True)
        kw = dict(previous_date=previous, previous_round=_round_number(whole[whole["reference_date"] == previous]),
                  previous_sites=int(before["site_id"].nunique()), previous_households=_sum(before["households"]),
                  previous_individuals=_sum(before["individuals"]))
    else:
        opened = pd.DataFrame({c: pd.Series(dtype="object") for c in OPENED_COLUMNS})
    rnd = _round_number(whole if latest is None else whole[whole["reference_date"] == latest])
    return GroupRound(group, latest, rnd, now, closed, opened, **kw)


def current_picture(ds: Dataset, filters: Filters | None = None) -> CurrentPicture:
    """The sites and population every surface shows for ``filters``: each group's latest
    round, the closed and opened sites, the change since the previous round, and the key
    figures (Sites, Households, Individuals). The rule is the module docstring's."""
    filters = filters or Filters()
    sites, view = _view(ds, filters)
    pop = _complete(ds.population)
    groups = []
    for g in _group_order(view["population_group"].dropna().unique()):
        groups.append(_group_round(g, pop[pop["population_group"] == g], view[view["population_group"] == g], sites))
    counted = set().union(*(set(g.rows["site_id"]) for g in groups)) if groups else set()
    closed = set().union(*(set(g.closed["site_id"]) for g in groups)) if groups else set()
    closed_ids = frozenset(closed - counted)
    current = sites[~sites["site_id"].isin(closed_ids)]
    picture = CurrentPicture(filters, tuple(groups), current, closed_ids)
    object.__setattr__(picture, "figures", _site_figures(ds, picture))
    return picture


def _site_figures(ds: Dataset, p: CurrentPicture) -> list[KeyFigure]:
    pop = p.rows
    methods = sorted(set(pop["individuals_method"].dropna())) if len(pop) else []
    method = list_sep().join(_(INDIVIDUALS_METHOD_LABELS.get(m, m)) for m in methods) or _("no population rows")
    sources = sorted({short_source(s) for s in pop["source"].dropna().unique()}) if len(pop) else []
    if sources:
        src = sources[0] if len(sources) == 1 else \
            ngettext("{n} source", "{n} sources", len(sources)).format(n=fmt_number(len(sources)))
    else:
        src = _("no population rows")
    date = p.rounds_text if p.groups else _("date not stated")
    groups = ", ".join(g.label for g in p.groups) or "—"
    n_closed = len(p.closed_site_ids)
    closed = ngettext("; {n} closed site not counted", "; {n} closed sites not counted", n_closed).format(
        n=fmt_number(n_closed)) if n_closed else ""
    label = p.change_label
    return [
        KeyFigure(_("Sites"), len(p.sites), "sites", dataset_name(ds.name), date,
                  _("sites after filters ({groups}), latest round of each group{closed}").format(
                      groups=groups, closed=closed), p.change_sites, label if p.change_sites is not None else ""),
        KeyFigure(_("Households"), p.households, "households", src, date,
                  _("sum over the latest round of each group{closed}").format(closed=closed),
                  p.change_households, label if p.change_households is not None else ""),
        KeyFigure(_("Individuals"), p.individuals, "individuals", src, date,
                  _("{method}; latest round of each group").format(method=method),
                  p.change_individuals, label if p.change_individuals is not None else ""),
    ]


def closed_sites_table(picture: CurrentPicture) -> pd.DataFrame:
    """The closed sites of a picture in words, for a screen or a download: site, where,
    group, the date and round of its last row and its last households and individuals
    (latest closures first)."""
    c = picture.closed
    return pd.DataFrame({
        _("Site ID"): c["site_id"], _("Site"): c["site_name"], _("Governorate"): c["admin1_name"],
        _("District"): c["admin2_name"],
        _("Population group"): c["population_group"].map(lambda g: _(POPULATION_GROUP_LABELS.get(g, g))),
        _("Last seen"): c["last_date"], _("Last round"): c["last_round"],
        _("Households then"): c["last_households"], _("Individuals then"): c["last_individuals"],
    })


def closed_text(picture: CurrentPicture) -> str:
    """'66 sites closed: in an earlier round, missing from the latest round of their group;
    not counted.' or '' when none."""
    n = len(picture.closed)
    if not n:
        return ""
    return ngettext("{n} site closed: in an earlier round, missing from the latest round of "
                    "their group; not counted in the figures, the map or the gap matrix.",
                    "{n} sites closed: in an earlier round, missing from the latest round of "
                    "their group; not counted in the figures, the map or the gap matrix.", n).format(n=fmt_number(n))


def site_figures(ds: Dataset, filters: Filters | None = None) -> list[KeyFigure]:
    """Sites, households and individuals of the (filtered) active data: the key figures of
    :func:`current_picture`, with their change since the previous round."""
    return current_picture(ds, filters).figures


def national_figures(ds: Dataset) -> list[KeyFigure]:
    """Latest national IDPs and returnees, with the change from the previous round."""
    out = []
    ns = ds.national_series
    for group in ("idp", "returnee"):
        s = ns[(ns["population_group"] == group) & ns["individuals"].notna()].sort_values("reference_date")
        if s.empty:
            continue
        last = s.iloc[-1]
        prev = s.iloc[-2] if len(s) > 1 else None
        change = int(last["individuals"] - prev["individuals"]) if prev is not None else None
        d = pd.Timestamp(last["reference_date"]).date()
        out.append(
            KeyFigure(
                _("{group} in Iraq (national)").format(group=_(POPULATION_GROUP_LABELS[group])),
                int(last["individuals"]),
                "individuals",
                _(DTM_CREDIT).replace(_("Source: "), "") + f" — {iso(short_source(str(last['source'])).split(': ', 1)[-1])}",
                _("round {round}, {date}").format(round=int(last["dtm_round"]), date=local_date(d)),
                _("individuals = households × 6 (× 5 in camps from round 117)"),
                change,
                since_text(pd.Timestamp(prev["reference_date"]), int(prev["dtm_round"])) if prev is not None else "",
            )
        )
    return out


def index_figures(ds: Dataset) -> list[KeyFigure]:
    """Latest share of returnees (Return Index) and IDPs (Displacement Index) in severe conditions."""
    out = []
    ir = ds.index_rounds
    for index, label, share, people in (
        ("return_index", _("Returnees in severe conditions"),
         N_("share of returnees in locations of severe (high) severity"), N_("{n} returnees")),
        ("displacement_index", _("IDPs in severe conditions"),
         N_("share of IDPs in locations of severe (high) severity"), N_("{n} IDPs")),
    ):
        s = ir[(ir["index"] == index) & ir["share_severe"].notna()].sort_values("period_end")
        if s.empty:
            continue
        last = s.iloc[-1]
        prev = s.iloc[-2] if len(s) > 1 else None
        rnd = _("round {round}").format(round=int(last["round"])) if pd.notna(last["round"]) else _("round not stated")
        end = pd.Timestamp(last["period_end"]).date()
        pop = _(people).format(n=fmt_number(int(last["population_severe"]))) if pd.notna(last["population_severe"]) else ""
        out.append(
            KeyFigure(
                label,
                float(last["share_severe"]),
                "%",
                f"IOM DTM {_(index.replace('_', ' ').title())} — {iso(short_source(str(last['source'])))}",
                _("{round}, data to {month}").format(round=rnd, month=local_date(end, "%b %Y")),
                _(share) + (list_sep() + pop if pop else ""),
                float(last["share_severe"] - prev["share_severe"]) if prev is not None else None,
                _index_since(prev) if prev is not None else "",
            )
        )
    return out


def _index_since(prev: pd.Series) -> str:
    """'since round 22 (data to Jun 2023)': the previous index round, named with its period."""
    rnd = _("round {round}").format(round=int(prev["round"])) if pd.notna(prev["round"]) else _("the previous round")
    if pd.notna(prev["period_end"]):
        return _("since {round} (data to {month})").format(
            round=rnd, month=local_date(pd.Timestamp(prev["period_end"]), "%b %Y"))
    return _("since {round}").format(round=rnd)
