"""What changed between two pictures of the data: two publications of the workspace, two
dates, or two Master List rounds of one Dataset.

A *picture* is a Dataset seen on a date:

- **sites and population**: the rows :func:`dsdash.figures.latest_population` counts
  (each population group's latest round), among the population rows dated on or before
  the date. Site by site, the change is :func:`dsdash.trends.rounds.round_change_table`'s
  (appeared / closed / rise / fall / no change): this module only chooses the two sets of rows;
- **partners**: the presence lines (partner, service, scope, area) that serve on the date,
  as :mod:`dsdash.coverage.presence` decides it (``serves_on``);
- **needs**: the needs reported on or before the date, one per (scope, area, service), the
  latest report.

:func:`compare` compares two pictures; :func:`compare_rounds` the previous and the latest
round of each population group in one Dataset (the Overview's and the deck's "What
changed"). Partners *started* serve on the new date and not on the old one; *ended* the
reverse. *End dates moved*: the same partner, service and area in both presence tables with
a different last end date. Needs *reported* are known on the new date and not on the old;
*resolved* the reverse (only a newer publication can resolve a need: one Dataset never
forgets a report).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsdash.i18n import N_, _, current, local_digits, ngettext, list_sep
from dsdash.coverage.presence import OPEN, PresenceDays, day, serves_on, spread
from dsdash.dataset import EMBEDDED_FILES, Dataset
from dsdash.figures import current_picture, latest_population
from dsdash.filters import Filters, filter_sites
from dsdash.importers.kinds import label as kind_label
from dsdash.provenance import fmt_number, local_date
from dsdash.schema import (GOVERNORATES, POPULATION_GROUP_LABELS, SERVICE_LABELS, TABLE_LABELS, district_name,
                           governorate_name, localised_names)
from dsdash.trends.rounds import round_change_table

__all__ = ["Changes", "compare", "compare_rounds", "picture_label", "previous_round_dates", "display_tables",
           "publication_points", "snapshot_table", "snapshot_choice", "log_table"]

#: Rows of the "biggest changes" list.
BIGGEST = 10

SITE_COLUMNS = ["site_id", "site_name", "admin1_name", "admin2_name", "population_group", "before", "after",
                "change", "status"]
TOTAL_COLUMNS = ["population_group", "sites_before", "sites_after", "individuals_before", "individuals_after",
                 "change"]
PARTNER_COLUMNS = ["partner", "partner_type", "service", "scope", "scope_id", "area", "start_date", "end_date"]
MOVED_COLUMNS = ["partner", "service", "scope", "scope_id", "area", "end_before", "end_after", "how"]
NEED_COLUMNS = ["scope", "scope_id", "area", "service", "severity", "reported_on", "note"]

# two stand-in reference dates: the old and the new picture's rows, for round_change_table
_BEFORE, _AFTER = pd.Timestamp("1900-01-01"), pd.Timestamp("1900-01-02")


@dataclass(frozen=True)
class Changes:
    """What changed from one picture (``before``) to another (``after``); every table is a DataFrame.

    Attributes:
        before, after: what each side is, in words ("IDPs round 129, 31 May 2023").
        sites: one row per site and population group present on either side
            (:data:`SITE_COLUMNS`; status appeared / closed / rise / fall / no change).
        totals: per population group, sites and individuals on each side (:data:`TOTAL_COLUMNS`).
        partners_started, partners_ended: presence lines (:data:`PARTNER_COLUMNS`).
        end_dates_moved: :data:`MOVED_COLUMNS` (end dates as dates; empty = open-ended).
        needs_reported, needs_resolved: :data:`NEED_COLUMNS`.
    """

    before: str
    after: str
    sites: pd.DataFrame
    totals: pd.DataFrame
    partners_started: pd.DataFrame
    partners_ended: pd.DataFrame
    end_dates_moved: pd.DataFrame
    needs_reported: pd.DataFrame
    needs_resolved: pd.DataFrame

    @property
    def opened(self) -> pd.DataFrame:
        """Sites (and groups) in the new picture and not in the old."""
        return self.sites[self.sites["status"] == "appeared"].reset_index(drop=True)

    @property
    def closed(self) -> pd.DataFrame:
        """Sites (and groups) in the old picture and not in the new."""
        return self.sites[self.sites["status"] == "closed"].reset_index(drop=True)

    def biggest(self, n: int = BIGGEST) -> pd.DataFrame:
        """The ``n`` largest rises and falls at sites on both sides, largest change first."""
        s = self.sites[self.sites["status"].isin(["rise", "fall"])]
        order = s["change"].abs().astype("float64").sort_values(ascending=False, kind="stable").index
        return s.loc[order].head(n).reset_index(drop=True)

    @property
    def nothing(self) -> bool:
        """True when the two pictures are the same in every respect this module compares."""
        return (not (self.sites["status"] != "no change").any() and self.partners_started.empty
                and self.partners_ended.empty and self.end_dates_moved.empty and self.needs_reported.empty
                and self.needs_resolved.empty)

    def counts(self) -> dict[str, int]:
        """How many of each kind of change (for tests, captions and the command line)."""
        return {"opened": len(self.opened), "closed": len(self.closed),
                "rise": int((self.sites["status"] == "rise").sum()), "fall": int((self.sites["status"] == "fall").sum()),
                "partners_started": len(self.partners_started), "partners_ended": len(self.partners_ended),
                "end_dates_moved": len(self.end_dates_moved), "needs_reported": len(self.needs_reported),
                "needs_resolved": len(self.needs_resolved)}

    def lines(self, n_names: int = 3) -> list[str]:
        """The changes in a few plain sentences (the Overview's section and the deck's slide)."""
        out = [_("From {before} to {after}.").format(before=self.before, after=self.after)]
        if self.nothing:
            return out + [_("Nothing changed in sites, population, partners or needs.")]
        for t in self.totals.itertuples(index=False):
            who = _(POPULATION_GROUP_LABELS[t.population_group]) if t.population_group in POPULATION_GROUP_LABELS \
                else t.population_group
            out.append(_("{group}: {sites_before} → {sites_after} sites, {people_before} → {people_after} individuals "
                         "({change}).").format(group=who, sites_before=_n(t.sites_before), sites_after=_n(t.sites_after),
                                               people_before=_n(t.individuals_before),
                                               people_after=_n(t.individuals_after), change=_signed(t.change)))
        c = self.counts()
        out.append(_("Sites: {opened} opened{opened_names}, {closed} closed{closed_names}; {rose} rose, {fell} fell.")
                   .format(opened=f"{c['opened']:,}", opened_names=_names(self.opened, n_names),
                           closed=f"{c['closed']:,}", closed_names=_names(self.closed, n_names),
                           rose=f"{c['rise']:,}", fell=f"{c['fall']:,}"))
        big = self.biggest(n_names)
        if len(big):
            out.append(_("Biggest changes: {changes}.").format(changes=list_sep().join(
                f"{r.site_name if isinstance(r.site_name, str) else r.site_id} ({_signed(r.change)})"
                for r in big.itertuples(index=False))))
        moved = c["end_dates_moved"]
        out.append(_("Partners: {started} started{started_names}, {ended} ended{ended_names}; {moved}.").format(
            started=f"{c['partners_started']:,}", started_names=_lines_of(self.partners_started, n_names),
            ended=f"{c['partners_ended']:,}", ended_names=_lines_of(self.partners_ended, n_names),
            moved=ngettext("{n} end date moved", "{n} end dates moved", moved).format(n=f"{moved:,}")))
        out.append(_("Needs: {reported} reported, {resolved} resolved.").format(
            reported=f"{c['needs_reported']:,}", resolved=f"{c['needs_resolved']:,}"))
        return out


def _n(v) -> str:
    return fmt_number(None if v is None or pd.isna(v) else int(v))


def _signed(v) -> str:
    if v is None or pd.isna(v):
        return "—"
    return f"{int(v):+,}"


def _service(s) -> str:
    return _(SERVICE_LABELS[s]) if s in SERVICE_LABELS else str(s)


def _names(df: pd.DataFrame, n: int) -> str:
    if df.empty:
        return ""
    names = [str(s) if isinstance(s, str) and s else str(i) for s, i in zip(df["site_name"], df["site_id"])]
    names = list(dict.fromkeys(names))
    more = _(" and {n} more").format(n=f"{len(names) - n:,}") if len(names) > n else ""
    return " (" + ", ".join(names[:n]) + more + ")"


def _lines_of(df: pd.DataFrame, n: int) -> str:
    if df.empty:
        return ""
    items = list(dict.fromkeys(_("{partner} {service} in {area}").format(partner=p, service=_service(s), area=a)
                               for p, s, a in zip(df["partner"], df["service"], df["area"])))
    more = _(" and {n} more").format(n=f"{len(items) - n:,}") if len(items) > n else ""
    return " (" + "; ".join(items[:n]) + more + ")"


# --------------------------------------------------------------------------- pictures
def _day(value) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value).normalize()


def _population_on(ds: Dataset, on: pd.Timestamp | None) -> Dataset:
    if on is None:
        return ds
    return ds.with_tables(population=ds.population[ds.population["reference_date"] <= on])


def _picture_rows(ds: Dataset, on: pd.Timestamp | None, filters: Filters | None) -> pd.DataFrame:
    """The population rows counted on date ``on`` (each group's latest round by then)."""
    return latest_population(_population_on(ds, on), filters)


def picture_label(rows: pd.DataFrame, fallback: str = N_("no population rows")) -> str:
    """The rounds a picture's population rows come from, in words, in the reader's language:
    'IDPs round 130, 31 Jul 2023'."""
    if rows.empty:
        return _(fallback)
    parts = []
    for g, sub in rows.groupby("population_group", sort=True):
        d = sub["reference_date"].dropna()
        r = sub["dtm_round"].dropna()
        parts.append(_round_words(g, int(r.max()) if len(r) else None, d.max() if len(d) else None))
    return "; ".join(parts)


def _round_words(group: object, round_: int | None, date: object) -> str:
    """'IDPs round 130, 31 Jul 2023' or 'Returnees 31 Jan 2021', in the reader's language."""
    who = _(POPULATION_GROUP_LABELS[group]) if group in POPULATION_GROUP_LABELS else str(group)
    when = local_date(pd.Timestamp(date)) if date is not None and not pd.isna(date) else _("date not stated")
    if round_ is None:
        return _("{group} {date}").format(group=who, date=when)
    return _("{group} round {round}, {date}").format(group=who, round=local_digits(str(int(round_))), date=when)


def _rounds_label(rounds: list[tuple[str, int | None, pd.Timestamp]]) -> str:
    """'IDPs round 130, 31 Jul 2023; Returnees 31 Jan 2021' from (group, round, date) triples."""
    return "; ".join(_round_words(g, r, d) for g, r, d in rounds)


def _site_changes(base: Dataset, old_rows: pd.DataFrame, new_rows: pd.DataFrame,
                  sites: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([old_rows.assign(reference_date=_BEFORE), new_rows.assign(reference_date=_AFTER)],
                     ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=SITE_COLUMNS)
    return round_change_table(base.with_tables(population=both, sites=sites), _BEFORE, _AFTER)[SITE_COLUMNS]


def _totals(old_rows: pd.DataFrame, new_rows: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for g in sorted(set(old_rows["population_group"].dropna()) | set(new_rows["population_group"].dropna())):
        o, n = old_rows[old_rows["population_group"] == g], new_rows[new_rows["population_group"] == g]
        ib, ia = o["individuals"].sum(min_count=1), n["individuals"].sum(min_count=1)
        rows.append({"population_group": g, "sites_before": o["site_id"].nunique(), "sites_after": n["site_id"].nunique(),
                     "individuals_before": None if pd.isna(ib) else int(ib),
                     "individuals_after": None if pd.isna(ia) else int(ia),
                     "change": int((0 if pd.isna(ia) else ia) - (0 if pd.isna(ib) else ib))})
    out = pd.DataFrame(rows, columns=TOTAL_COLUMNS)
    for c in TOTAL_COLUMNS[1:]:
        out[c] = out[c].astype("Int64")
    return out


def _all_sites(old: Dataset, new: Dataset) -> pd.DataFrame:
    return pd.concat([new.sites, old.sites], ignore_index=True).drop_duplicates("site_id").reset_index(drop=True)


def _area(rows: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """Where a presence or need row applies, in words (site, site group, district or governorate name)."""
    site_names = sites.drop_duplicates("site_id").set_index("site_id")["site_name"]
    districts = sites.dropna(subset=["admin2_code"]).drop_duplicates("admin2_code").set_index("admin2_code")["admin2_name"]
    out = []
    for scope, sid in zip(rows["scope"], rows["scope_id"]):
        if scope == "site":
            out.append(str(site_names.get(sid, sid)))
        elif scope == "site_group":
            out.append(_("{name} (site group)").format(name=sid))
        elif scope == "district":
            out.append(_("{name} district").format(name=district_name(sid, districts.get(sid, sid))))
        elif scope == "governorate":
            out.append(governorate_name(sid) if sid in GOVERNORATES else str(sid))
        else:
            out.append(str(sid))
    return pd.Series(out, index=rows.index, dtype="string")


def _reaching(rows: pd.DataFrame, ds: Dataset, filters: Filters | None) -> pd.DataFrame:
    """The presence or need rows that reach a site kept by the filters (all rows without filters)."""
    if filters is None or not filters.active or rows.empty:
        return rows
    sites = filter_sites(ds.sites, filters, ds.population)
    sp = spread(rows.reset_index(drop=True), sites)
    return rows[sp.matched]


_LINE = ["partner", "service", "scope", "scope_id"]
_NEED = ["scope", "scope_id", "service"]


def _serving(ds: Dataset, on: pd.Timestamp | None, filters: Filters | None) -> pd.DataFrame:
    pres = _reaching(ds.presence, ds, filters)
    if pres.empty or on is None:
        return pres.iloc[0:0]
    pdays = PresenceDays.of(pres)
    return pres[serves_on(pdays.start, pdays.end, pdays.never, day(on))]


def _lines(rows: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """One row per presence line (partner, service, scope, area): the earliest start, the latest end (open wins)."""
    if rows.empty:
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    g = rows.assign(_open=rows["end_date"].isna()).groupby(_LINE, as_index=False, sort=True).agg(
        partner_type=("partner_type", "first"), start_date=("start_date", "min"), end_date=("end_date", "max"),
        _open=("_open", "any"))
    g.loc[g["_open"], "end_date"] = pd.NaT
    g["area"] = _area(g, sites)
    return g[PARTNER_COLUMNS].reset_index(drop=True)


def _minus(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows of ``a`` whose key is not in ``b``."""
    if a.empty or b.empty:
        return a.reset_index(drop=True)
    kb = set(map(tuple, b[key].astype("string").fillna("").to_numpy()))
    keep = [tuple(k) not in kb for k in a[key].astype("string").fillna("").to_numpy()]
    return a[keep].reset_index(drop=True)


def _end_dates_moved(old: pd.DataFrame, new: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    lo, ln = _lines(old, sites), _lines(new, sites)
    if lo.empty or ln.empty:
        return pd.DataFrame(columns=MOVED_COLUMNS)
    m = lo.merge(ln, on=_LINE, suffixes=("_b", "_a"))
    eb = np.where(m["end_date_b"].isna(), OPEN, m["end_date_b"].to_numpy(dtype="datetime64[D]").astype(np.int64))
    ea = np.where(m["end_date_a"].isna(), OPEN, m["end_date_a"].to_numpy(dtype="datetime64[D]").astype(np.int64))
    m = m[eb != ea].copy()
    eb, ea = eb[eb != ea], ea[eb != ea]
    how = [_("now open-ended") if a == OPEN else _("end date set") if b == OPEN
           else ngettext("extended by {n} day", "extended by {n} days", int(a - b)).format(n=local_digits(str(a - b)))
           if a > b else
           ngettext("brought forward by {n} day", "brought forward by {n} days", int(b - a)).format(
               n=local_digits(str(b - a))) for b, a in zip(eb.tolist(), ea.tolist())]
    out = pd.DataFrame({"partner": m["partner"], "service": m["service"], "scope": m["scope"],
                        "scope_id": m["scope_id"], "area": m["area_a"], "end_before": m["end_date_b"],
                        "end_after": m["end_date_a"], "how": pd.array(how, dtype="string")})
    return out[MOVED_COLUMNS].reset_index(drop=True)


def _needs_known(ds: Dataset, on: pd.Timestamp | None, filters: Filters | None, sites: pd.DataFrame) -> pd.DataFrame:
    needs = _reaching(ds.needs, ds, filters)
    if on is not None:
        needs = needs[needs["reported_on"] <= on]
    if needs.empty:
        return pd.DataFrame(columns=NEED_COLUMNS)
    needs = needs.sort_values("reported_on", kind="stable").drop_duplicates(_NEED, keep="last")
    needs = needs.assign(area=_area(needs, sites))
    return needs.sort_values(_NEED)[NEED_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- compare
def compare(old: Dataset, new: Dataset, *, old_as_of: dt.date | None = None, new_as_of: dt.date | None = None,
            filters: Filters | None = None, old_label: str | None = None, new_label: str | None = None) -> Changes:
    """What changed from ``old`` seen on ``old_as_of`` to ``new`` seen on ``new_as_of``.

    Args:
        old, new: two Datasets (two publications of the workspace), or the same one twice.
        old_as_of, new_as_of: the dates of the two pictures (default: each Dataset's latest date).
        filters: the sidebar's filters (sites kept, and the presence and needs that reach them).
        old_label, new_label: what each side is, in words (default: its rounds).
    """
    ob = _day(old_as_of) if old_as_of is not None else _day(old.latest_date())
    na = _day(new_as_of) if new_as_of is not None else _day(new.latest_date())
    old_rows, new_rows = _picture_rows(old, ob, filters), _picture_rows(new, na, filters)
    return _changes(old, new, old_rows, new_rows, ob, na, filters, old_label, new_label)


def _changes(old, new, old_rows, new_rows, ob, na, filters, old_label, new_label) -> Changes:
    sites = localised_names(_all_sites(old, new))  # names in the reader's language (Arabic: COD-AB's, site_name_ar)
    serve_b, serve_a = _lines(_serving(old, ob, filters), sites), _lines(_serving(new, na, filters), sites)
    started = _minus(serve_a, serve_b, _LINE)
    ended = _minus(serve_b, serve_a, _LINE)
    # an ended line's end date: as the newer data states it when it still lists the line
    later = _lines(_reaching(new.presence, new, filters), sites).set_index(_LINE)["end_date"]
    if len(ended) and len(later):
        idx = pd.MultiIndex.from_frame(ended[_LINE])
        stated = later.reindex(idx).to_numpy()
        ended["end_date"] = np.where(pd.isna(stated), ended["end_date"].to_numpy(), stated)
        ended["end_date"] = pd.to_datetime(ended["end_date"])
    moved = (_end_dates_moved(_reaching(old.presence, old, filters), _reaching(new.presence, new, filters), sites)
             if old is not new else pd.DataFrame(columns=MOVED_COLUMNS))
    nb, na_ = _needs_known(old, ob, filters, sites), _needs_known(new, na, filters, sites)
    when_b = _(" (as of {date})").format(date=local_date(ob)) if ob is not None and old_rows.empty else ""
    when_a = _(" (as of {date})").format(date=local_date(na)) if na is not None and new_rows.empty else ""
    return Changes(
        before=old_label or picture_label(old_rows) + when_b,
        after=new_label or picture_label(new_rows) + when_a,
        sites=_site_changes(new, old_rows, new_rows, sites),
        totals=_totals(old_rows, new_rows),
        partners_started=started, partners_ended=ended, end_dates_moved=moved,
        needs_reported=_minus(na_, nb, _NEED), needs_resolved=_minus(nb, na_, _NEED),
    )


def previous_round_dates(ds: Dataset, filters: Filters | None = None) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Per population group with two rounds or more: (previous round's date, latest round's date),
    as :func:`dsdash.figures.current_picture` decides them (over the whole data, not the filtered sites)."""
    return {g.group: (g.previous_date, g.date) for g in _with_previous(current_picture(ds, filters))}


def _with_previous(picture) -> list:
    """The picture's groups that have a previous round."""
    return [g for g in picture.groups if g.previous_date is not None and g.date is not None]


def compare_rounds(ds: Dataset, before: dt.date | None = None, after: dt.date | None = None, *,
                   filters: Filters | None = None) -> Changes | None:
    """What changed between two Master List rounds of one Dataset.

    With ``before`` and ``after``: the pictures on those two dates. Without: each population
    group's previous round against its latest, as :func:`dsdash.figures.current_picture` has
    them (IDP and returnee rounds may fall on different dates); None when no group has two
    rounds (nothing earlier to compare with).
    """
    if before is not None or after is not None:
        return compare(ds, ds, old_as_of=before, new_as_of=after, filters=filters)
    picture = current_picture(ds, filters)
    both = _with_previous(picture)
    if not both:
        return None
    pairs = {g.group: (g.previous_date, g.date) for g in both}
    old_label = _rounds_label([(g.group, g.previous_round, g.previous_date) for g in both])
    new_label = _rounds_label([(g.group, g.dtm_round, g.date) for g in both])
    new_rows = pd.concat([g.rows for g in picture.groups if g.group in pairs], ignore_index=True)
    old_parts = []
    for g, (b, _a) in pairs.items():
        rows = _picture_rows(ds, b, filters)
        old_parts.append(rows[rows["population_group"] == g])
    old_rows = pd.concat(old_parts, ignore_index=True)
    ob = max(b for b, _ in pairs.values())
    na = max(a for _, a in pairs.values())
    return _changes(ds, ds, old_rows, new_rows, ob, na, filters, old_label, new_label)


# --------------------------------------------------------------------------- for display
#: The display tables' column names (English, as the tables hold them; shown and exported in the
#: reader's language: :func:`dsdash.schema.column_label` on a page, :func:`changes_workbook`).
_TABLE_WORDS = (N_("Site"), N_("Site ID"), N_("District"), N_("Governorate"), N_("Population group"),
                N_("Individuals before"), N_("Individuals after"), N_("Change"), N_("Partner"), N_("Service"),
                N_("Where"), N_("Start"), N_("End"), N_("Severity"), N_("Reported on"), N_("Note"),
                N_("End before"), N_("End after"), N_("How"), N_("Dates as stated"))


def _group_words(g: object) -> str | None:
    return _(POPULATION_GROUP_LABELS[g]) if g in POPULATION_GROUP_LABELS else None


def _service_words(s: object) -> str | None:
    return _(SERVICE_LABELS[s]) if s in SERVICE_LABELS else None


def changes_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """:func:`display_tables` (or :func:`since_tables`) as one XLSX, a sheet per kind of change, its
    sheet names and column names in the reader's language (run it in the reader's language: a
    deferred download runs on another thread, :func:`dsdash.i18n.in_language`).

    Examples:
        >>> import io, openpyxl
        >>> from dsdash.i18n import language
        >>> t = {"Sites opened": pd.DataFrame({"Site": ["Kilo 18"], "Change": [42]})}
        >>> with language("ar"):
        ...     wb = openpyxl.load_workbook(io.BytesIO(changes_workbook(t)))
        >>> wb.sheetnames, [c.value for c in wb.active[1]], wb.active["A2"].value
        (['مواقع فُتحت'], ['الموقع', 'التغيّر'], 'Kilo 18')
    """
    from dsdash.export import to_xlsx_bytes

    return to_xlsx_bytes({_(title): df.rename(columns=lambda c: _(str(c))) for title, df in tables.items()})


def display_tables(changes: Changes) -> dict[str, pd.DataFrame]:
    """The changes as tables with column names in words, for a page (title → table; empty
    tables are kept, so a page can say 'none')."""
    def sites(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "Site": df["site_name"].fillna(df["site_id"]).astype("string"), "Site ID": df["site_id"].astype("string"),
            "District": df["admin2_name"].astype("string"), "Governorate": df["admin1_name"].astype("string"),
            "Population group": df["population_group"].map(_group_words).fillna(df["population_group"]),
            "Individuals before": df["before"].astype("Int64"), "Individuals after": df["after"].astype("Int64"),
            "Change": df["change"].astype("Int64")})

    def lines(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "Partner": df["partner"].astype("string"),
            "Service": df["service"].map(_service_words).fillna(df["service"]).astype("string"),
            "Where": df["area"].astype("string"), "Start": pd.to_datetime(df["start_date"]),
            "End": pd.to_datetime(df["end_date"])})

    def needs(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "Where": df["area"].astype("string"),
            "Service": df["service"].map(_service_words).fillna(df["service"]).astype("string"),
            "Severity": df["severity"].astype("string"), "Reported on": pd.to_datetime(df["reported_on"]),
            "Note": df["note"].astype("string")})

    moved = changes.end_dates_moved
    return {
        N_("Sites opened"): sites(changes.opened),
        N_("Sites closed"): sites(changes.closed),
        N_("Biggest population changes"): sites(changes.biggest()),
        N_("Partners started"): lines(changes.partners_started),
        N_("Partners ended"): lines(changes.partners_ended),
        N_("End dates moved"): pd.DataFrame({
            "Partner": moved["partner"].astype("string"),
            "Service": moved["service"].map(_service_words).fillna(moved["service"]).astype("string"),
            "Where": moved["area"].astype("string"), "End before": pd.to_datetime(moved["end_before"]),
            "End after": pd.to_datetime(moved["end_after"]), "How": moved["how"].astype("string")}),
        N_("Needs reported"): needs(changes.needs_reported),
        N_("Needs resolved"): needs(changes.needs_resolved),
    }


# --------------------------------------------------------------------------- the workspace's history
#: Audit-log actions that change what is published.
PUBLISHING_ACTIONS = ("seed", "publish", "withdraw")


#: Publishing actions by one person this close together are one publication (an upload of several files).
SAME_PUBLICATION = pd.Timedelta(minutes=2)


#: The publishing actions of the audit log in words (a publication's label).
ACTION_WORDS = {"publish": N_("publish"), "withdraw": N_("withdraw")}


def publication_points(log: pd.DataFrame) -> pd.DataFrame:
    """The moments the published workspace changed (seed, publish, withdraw), oldest first:
    at, label ('30 Nov 2026 14:05 UTC · publish 12, 13, 14 · Amal'). Each is a picture
    :meth:`dsdash.store.Store.published_as_of` can give; History compares two of them.
    Consecutive actions of one kind by one person within :data:`SAME_PUBLICATION` are one point
    (its last moment): saving and publishing three files at once is one publication."""
    if log.empty:
        return pd.DataFrame(columns=["at", "label"])
    pts = log[log["action"].isin(PUBLISHING_ACTIONS)].reset_index(drop=True)
    groups: list[list[int]] = []
    for i in range(len(pts)):
        prev = groups[-1][-1] if groups else None
        if prev is not None and pts.at[i, "who"] == pts.at[prev, "who"] and pts.at[i, "action"] == pts.at[prev, "action"] \
                and pd.Timestamp(pts.at[i, "at"]) - pd.Timestamp(pts.at[groups[-1][-1], "at"]) <= SAME_PUBLICATION:
            groups[-1].append(i)
        else:
            groups.append([i])
    rows = []
    for g in groups:
        sub = pts.iloc[g]
        ids = [x for v in sub["snapshot_ids"] for x in str(v).split(",") if x]
        last = sub.iloc[-1]
        what = (_("the embedded seed data") if last["action"] == "seed"
                else f"{_(ACTION_WORDS.get(last['action'], last['action']))} {', '.join(dict.fromkeys(ids))}")
        at = pd.Timestamp(last["at"])
        rows.append({"at": last["at"], "label": f"{local_date(at)} {at:%H:%M} UTC · {what} · {last['who']}"})
    return pd.DataFrame(rows, columns=["at", "label"])


#: Column names in words (translated where shown: dsdash.schema.column_label; exports keep them in English).
SNAPSHOT_LABELS = {
    "id": N_("Snapshot"), "kind": N_("Kind"), "file": N_("File"), "reference_date": N_("Reference date"),
    "population_group": N_("Population group"), "dtm_round": N_("DTM round"), "rows_in": N_("Rows in"),
    "rows_accepted": N_("Accepted"), "rows_rejected": N_("Rejected"), "locations": N_("Locations"),
    "households": N_("Households"), "individuals": N_("Individuals"), "status": N_("Status"),
    "superseded_by": N_("Superseded by"), "created_at": N_("Added"), "created_by": N_("Added by"), "note": N_("Note"),
}
LOG_LABELS = {"at": N_("When"), "who": N_("Who"), "action": N_("Action"), "snapshot_ids": N_("Snapshots"),
              "why": N_("Why")}
#: The actions of the audit log in words (shown in the reader's language; recorded as codes).
LOG_ACTIONS = {"seed": N_("seed"), "add": N_("add"), "publish": N_("publish"), "withdraw": N_("withdraw"),
               "supersede": N_("supersede"), "sign_in": N_("sign in"), "denied": N_("denied"),
               "user_add": N_("user added"), "role_change": N_("role changed"), "user_remove": N_("user removed"),
               "setting": N_("setting"), "sharing": N_("sharing class"), "exit_event": N_("exit event"),
               "exit_confirmed": N_("exit confirmed"), "exit_extended": N_("end extended"),
               "exit_handed_over": N_("handed over")}
#: A snapshot's status in words.
STATUS_WORDS = {"published": N_("published"), "withdrawn": N_("withdrawn"), "superseded": N_("superseded"),
                "stored": N_("stored")}
_OTHER_COLUMN_WORDS = (N_("When (UTC)"), N_("Snapshot"), N_("Organisation"), N_("Added (UTC)"), N_("Email"),
                       N_("Areas"), N_("Role"))  # headings of the audit log and the users table, for the catalog


def _kind_label(kind: object) -> str:
    return _("Embedded seed data") if kind == "embedded" else kind_label(str(kind))


_SEED_TABLES = {f"data/{fname}": table for table, fname in EMBEDDED_FILES.items()}


def file_text(kind: object, file: object) -> str:
    """A snapshot's file as users know it: the seed's tables by name ('Seed data: Sites'), an
    uploaded file by its name."""
    if kind == "embedded" and file in _SEED_TABLES:
        table = _SEED_TABLES[file]
        return _("Seed data: {table}").format(table=_(TABLE_LABELS[table]) if table in TABLE_LABELS else table)
    return str(file)


def snapshot_table(snaps: pd.DataFrame) -> pd.DataFrame:
    """The store's snapshots (:meth:`dsdash.store.Store.snapshots`) with column names and kinds in
    words, the newest first."""
    df = snaps[[c for c in SNAPSHOT_LABELS if c in snaps.columns]].iloc[::-1].copy()
    df["file"] = pd.array([file_text(k, f) for k, f in zip(df["kind"], df["file"])], dtype="string")
    df["kind"] = df["kind"].map(_kind_label).astype("string")
    df["population_group"] = df["population_group"].map(
        lambda g: _(POPULATION_GROUP_LABELS[g]) if g in POPULATION_GROUP_LABELS else None).astype("string")
    if "created_at" in df:
        df["created_at"] = pd.to_datetime(df["created_at"], utc=True).dt.tz_localize(None)
    return df.rename(columns=SNAPSHOT_LABELS)


def snapshot_choice(snaps: pd.DataFrame) -> dict[int, str]:
    """Snapshot id → '12 · DTM_IDP_ML_R130.xlsx · published' (for a pick list)."""
    return {int(i): f"{int(i)} · {file_text(k, f)} · {_(STATUS_WORDS[s]) if s in STATUS_WORDS else s}"
            for i, k, f, s in zip(snaps["id"], snaps["kind"], snaps["file"], snaps["status"])}


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log with column names in words, times in UTC without the zone suffix (said in the header)."""
    df = log.copy()
    df["at"] = pd.to_datetime(df["at"], utc=True).dt.tz_localize(None)
    if current() != "en" and "action" in df:  # the action in the reader's language; English: as recorded
        df["action"] = df["action"].map(lambda a: _(LOG_ACTIONS[a]) if a in LOG_ACTIONS else a).astype("string")
    return df.rename(columns={**LOG_LABELS, "at": "When (UTC)"})


# --------------------------------------------------------------------------- since a chosen date (issue 15)
EXIT_COLUMNS = ["partner", "service", "scope", "scope_id", "area", "end_date", "dates_as_stated", "note"]


@dataclass(frozen=True)
class SinceChanges:
    """What changed in one Dataset from ``since`` to ``until`` (the previous meeting to now).

    Attributes:
        exits_confirmed: presence lines whose *confirmed* end (status "ended", from the source or an
            editor's answer) falls in (since, until] (:data:`EXIT_COLUMNS`).
        planned_ends_passed: lines whose *planned* end (not confirmed) falls in (since, until]: on the
            follow-up list (:mod:`dsdash.coverage.followup`).
        changes: sites opened and closed, partners started and ended, needs reported
            (:func:`compare_rounds` of the two dates).
    """

    since: dt.date
    until: dt.date
    exits_confirmed: pd.DataFrame
    planned_ends_passed: pd.DataFrame
    changes: Changes

    def lines(self, n_names: int = 3) -> list[str]:
        """In a few sentences: exits confirmed, planned ends passed, needs, sites."""
        c = self.changes.counts()
        from dsdash.provenance import local_date

        out = [_("From {before} to {after}.").format(before=local_date(self.since), after=local_date(self.until))]
        out.append(_("Exits confirmed: {n}{names}.").format(n=f"{len(self.exits_confirmed):,}",
                                                           names=_exit_names(self.exits_confirmed, n_names)))
        out.append(_("Planned ends passed without confirmation: {n}{names}.").format(
            n=f"{len(self.planned_ends_passed):,}", names=_exit_names(self.planned_ends_passed, n_names)))
        out.append(_("Needs reported: {n}.").format(n=f"{c['needs_reported']:,}"))
        out.append(_("Sites: {opened} opened{opened_names}, {closed} closed{closed_names}.").format(
            opened=f"{c['opened']:,}", opened_names=_names(self.changes.opened, n_names),
            closed=f"{c['closed']:,}", closed_names=_names(self.changes.closed, n_names)))
        return out


def _exit_names(df: pd.DataFrame, n: int) -> str:
    if df.empty:
        return ""
    from dsdash.provenance import local_date

    names = [f"{r.partner} ({_service(r.service)}, {r.area}, {local_date(pd.Timestamp(r.end_date))})"
             for r in df.head(n).itertuples(index=False)]
    more = _(" and {n} more").format(n=f"{len(df) - n:,}") if len(df) > n else ""
    return " (" + "; ".join(names) + more + ")"


def changes_since(ds: Dataset, since: dt.date, until: dt.date | None = None, *,
                  filters: Filters | None = None) -> SinceChanges:
    """What changed from ``since`` to ``until`` (default: the data's latest date): exits confirmed,
    planned ends passed, needs reported, sites opened or closed (:class:`SinceChanges`).

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> ch = changes_since(load_embedded(), dt.date(2023, 12, 1), dt.date(2024, 1, 15))
        >>> sorted(set(ch.planned_ends_passed["partner"])), len(ch.exits_confirmed)
        (['Dary', 'UIMS'], 0)
    """
    from dsdash.coverage.presence import end_kind

    until = until or ds.latest_date() or dt.date.today()
    since_ts, until_ts = pd.Timestamp(since), pd.Timestamp(until)
    pres = _reaching(ds.presence, ds, filters)
    kinds = end_kind(pres) if len(pres) else pd.Series([], dtype="string")
    in_window = (pres["end_date"] > since_ts) & (pres["end_date"] <= until_ts)
    sites = ds.sites

    def table(mask) -> pd.DataFrame:
        rows = pres[mask.fillna(False).to_numpy(dtype=bool)]
        if rows.empty:
            return pd.DataFrame(columns=EXIT_COLUMNS)
        g = rows.groupby(_LINE, as_index=False, sort=True, dropna=False).agg(
            end_date=("end_date", "max"), dates_as_stated=("dates_as_stated", "first"), note=("note", "first"))
        g["area"] = _area(g, sites)
        return g.sort_values(["end_date", "partner"], kind="stable")[EXIT_COLUMNS].reset_index(drop=True)

    confirmed = table(in_window & (kinds == "confirmed"))
    planned = table(in_window & (kinds == "planned"))
    changes = compare_rounds(ds, before=since, after=until, filters=filters)
    return SinceChanges(since=pd.Timestamp(since).date(), until=pd.Timestamp(until).date(),
                        exits_confirmed=confirmed, planned_ends_passed=planned, changes=changes)


def since_tables(ch: SinceChanges) -> dict[str, pd.DataFrame]:
    """The changes since a date as tables in words (title → table)."""
    def exits(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "Partner": df["partner"].astype("string"),
            "Service": df["service"].map(_service_words).fillna(df["service"]).astype("string"),
            "Where": df["area"].astype("string"), "End": pd.to_datetime(df["end_date"]),
            "Dates as stated": df["dates_as_stated"].astype("string")})

    t = display_tables(ch.changes)
    return {N_("Exits confirmed"): exits(ch.exits_confirmed), N_("Planned ends passed"): exits(ch.planned_ends_passed),
            "Needs reported": t["Needs reported"], "Sites opened": t["Sites opened"], "Sites closed": t["Sites closed"]}
