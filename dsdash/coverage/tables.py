"""Tables and key figures of the Gaps and exits page (and the command line), built from a
:class:`~dsdash.coverage.engine.Coverage`.

Every builder returns a DataFrame or key figures that tests inspect without Streamlit.
Names of sites and partners are untrusted text: tables keep them as text for
``st.dataframe``; figures (:mod:`dsdash.coverage.plots`) escape them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsdash.coverage.engine import METHOD, STATE_ORDER, Coverage, Prepared
from dsdash.coverage.exits import ExitScenario
from dsdash.coverage.presence import OPEN, day, first_spellings, serves_on
from dsdash.coverage.summary import site_states
from dsdash.dataset import Dataset
from dsdash.periods import Staleness, latest_dates
from dsdash.provenance import KeyFigure, date_text, document, fmt_number
from dsdash.i18n import N_, _, current, iso, list_sep, ngettext
from dsdash.schema import (
    COVERAGE_STATE_LABELS,
    localised_names,
    translated,
    DEFAULT_HORIZON_DAYS,
    INDIVIDUALS_METHOD_LABELS,
    SERVICE_LABELS,
    CoverageState,
)

HANDED_OVER, LOST = CoverageState.HANDED_OVER.value, CoverageState.LOST.value

#: Readable column names of the matrix table on screen.
MATRIX_LABELS = {
    "site_name": N_("Site"), "admin2_name": N_("District"), "service_label": N_("Service"), "state_label": N_("State"),
    "individuals": N_("Individuals"), "providers": N_("Providers on the date"), "next_end": N_("Next end"),
    "lost_providers": N_("Partners gone"), "need_severity": N_("Reported need"), "need_note": N_("Need (as reported)"),
}


def sources_text(ds: Dataset) -> str:
    """'Source: …' for the gap figures: the documents behind presence, needs and population."""
    docs: dict[str, str] = {}  # file or first words → the document's description (first met)
    for t in ("presence", "needs", "population"):
        for s in ds.tables[t]["source"].dropna().unique():
            d = document(s)
            docs.setdefault(d.split(" (")[0], d)
    docs = list(docs.values())
    if not docs:
        return _("Source: no presence or population rows")
    head = list_sep().join(iso(d) for d in docs[:3])  # each source set apart, the reader's separator
    more = _(" and {n} more").format(n=len(docs) - 3) if len(docs) > 3 else ""
    return _("Source: {documents}").format(documents=head) + more


def caption(ds: Dataset, cov: Coverage, what: str = "") -> str:
    """Source · date · method line for a figure built from the gap matrix ``cov``."""
    pop = ds.population
    methods = sorted(set(pop["individuals_method"].dropna()))
    method = "; ".join(_(INDIVIDUALS_METHOD_LABELS.get(m, m)) for m in methods) or _("no population count")
    dates = pop["reference_date"].dropna()
    pop_date = _("people as of {date}").format(date=date_text(dates.max())) if len(dates) else _("people: no count")
    when = _("coverage on {date}, horizon {n} days, {people}").format(date=date_text(cov.as_of), n=cov.horizon_days,
                                                                      people=pop_date)
    stale = Staleness(cov.as_of, latest_dates(ds)).note("presence", "population")
    when += f" ({stale})" if stale else ""
    return (f"{what + ' · ' if what else ''}{sources_text(ds)} · {when} · "
            + _("Method: {method}; {counted}.").format(method=_(METHOD), counted=method))


def matrix_table(matrix: pd.DataFrame, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The matrix for the screen: sites by people affected, readable labels, dates as dates;
    with ``sites`` (the sites table), site and district names in the reader's language
    (:func:`dsdash.schema.localised_names`)."""
    order = site_states(matrix)["site_id"].tolist()
    m = matrix.copy()
    if sites is not None and current() != "en" and "site_name_ar" in sites.columns:
        ar = sites.drop_duplicates("site_id").set_index("site_id")["site_name_ar"]
        m = localised_names(m.assign(site_name_ar=m["site_id"].map(ar)))
    m["_o"] = m["site_id"].map({s: i for i, s in enumerate(order)})
    m = m.sort_values(["_o"], kind="stable")
    out = pd.DataFrame({
        "site_name": m["site_name"], "admin2_name": m["admin2_name"],
        "service_label": m["service"].map(translated(SERVICE_LABELS)).fillna(m["service"]).astype("string"),
        "state_label": m["state"].map(translated(COVERAGE_STATE_LABELS)).astype("string"),
        "individuals": m["individuals"], "providers": m["providers"],
        "next_end": m["next_end"].dt.date, "lost_providers": m["lost_providers"],
        "need_severity": m["need_severity"], "need_note": m["need_note"],
    })
    return out.rename(columns=translated(MATRIX_LABELS)).reset_index(drop=True)


def state_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Cells and people (summed over cells) per state, worst first."""
    ind = matrix["individuals"].astype("Float64")
    rows = []
    for s in STATE_ORDER:
        sel = matrix["state"] == s
        rows.append({"state": s, "label": _(COVERAGE_STATE_LABELS[s]), "cells": int(sel.sum()),
                     "people_in_cells": int(ind[sel].sum())})
    return pd.DataFrame(rows)


def gap_figures(cov: Coverage, ds: Dataset) -> list[KeyFigure]:
    """Key figures of the matrix, each with source, date and method."""
    matrix = cov.matrix
    st = site_states(matrix)
    counts = state_counts(matrix).set_index("state")
    src = sources_text(ds).removeprefix(_("Source: "))
    date = _("coverage on {date}").format(date=date_text(cov.as_of))
    lost_sites = st[st["n_lost"] > 0]
    people_lost = lost_sites["individuals"].sum(min_count=1)
    return [
        KeyFigure(_("Services lost (site × service)"), int(counts.at["lost", "cells"]), "cells", src, date,
                  _("served before the date by a partner whose exit is confirmed; nobody serves now")),
        KeyFigure(_("End unconfirmed (site × service)"), int(counts.at["end_unconfirmed", "cells"]), "cells", src, date,
                  _("a partner's planned end passed and nobody has confirmed the exit; "
                    "{n} individuals in those cells (summed over cells)").format(
                      n=fmt_number(int(counts.at["end_unconfirmed", "people_in_cells"])))),
        KeyFigure(_("People at sites with a lost service"), None if pd.isna(people_lost) else int(people_lost),
                  "individuals", src, date, _("sum over those sites of the latest DTM round of each group "
                                              "(closed sites left out)")),
        KeyFigure(_("At risk (site × service)"), int(counts.at["at_risk", "cells"]), "cells", src, date,
                  _("every provider ends within {n} days").format(n=cov.horizon_days)),
        KeyFigure(_("Handed over to government"), int(counts.at["handed_over", "cells"]), "cells", src, date,
                  _("only a government body serves the cell")),
    ]


def partner_names(ds: Dataset) -> list[str]:
    """Partners of the presence table, alphabetical (for the exit-scenario choice): one name per
    partner (:func:`~dsdash.coverage.presence.partner_key`: "IOM", " iom " and "I.O.M." are one),
    as first written."""
    return sorted(first_spellings(ds.presence["partner"]).values(), key=str.lower)


def handover_table(ds: Dataset, cov: Coverage) -> pd.DataFrame:
    """Cells left to government bodies, with the seed's notes on their capacity.

    Two kinds of rows: ``handed_over`` cells (only a government body serves on the date;
    ``note`` is that body's presence note), and ``lost`` cells where a partner that left
    named a body to take over (``handover_to``) but no government presence is recorded
    there (the request was not taken up). Largest sites first.

    Columns: site_name, service, state, individuals, government_body, since, handed_over_by,
    note, need_severity, need_note, site_id.
    """
    cols = ["site_name", "service", "state", "individuals", "government_body", "since", "handed_over_by", "note",
            "need_severity", "need_note", "site_id"]
    m = cov.matrix
    state = m["state"].to_numpy(dtype=object)
    cells = m[np.isin(state, [HANDED_OVER, LOST])]
    if cells.empty:
        return pd.DataFrame(columns=cols)
    prep, p = cov.prepared, ds.presence
    pd_ = prep.days
    d = day(cov.as_of)
    sel = np.flatnonzero(np.isin(state[prep.cell], [HANDED_OVER, LOST]))
    sel = sel[np.argsort(prep.row[sel], kind="stable")]  # in presence-row order
    r, c = prep.row[sel], prep.cell[sel]
    ex = pd.DataFrame({
        "site_id": m["site_id"].to_numpy()[c], "service": m["service"].to_numpy()[c], "state": state[c],
        "partner": p["partner"].to_numpy()[r], "handover_to": p["handover_to"].to_numpy()[r],
        "note": p["note"].to_numpy()[r], "start_date": p["start_date"].to_numpy()[r],
        "gov": prep.gov_e[sel], "active": serves_on(pd_.start[r], pd_.end[r], pd_.never[r], d),
        "gone": (pd_.end[r] != OPEN) & (pd_.end[r] < d),
    })
    gov_now = ex[ex["gov"] & ex["active"] & (ex["state"] == HANDED_OVER)]
    asked = ex[ex["handover_to"].notna() & ex["gone"]]
    # a partner "handed over" to a body serving now when its handover_to names that body
    bodies = gov_now.groupby(["site_id", "service"])["partner"].agg(lambda s: set(map(str, s))).to_dict()

    def joined(s: pd.Series) -> str:
        return "; ".join(dict.fromkeys(str(x) for x in s.dropna() if str(x)))

    rows = []
    key = ["site_id", "service"]
    by_asked = {k: g for k, g in asked.groupby(key)}
    for k, g in gov_now.groupby(key):
        a = by_asked.get(k)
        rows.append({"site_id": k[0], "service": k[1], "state": "handed_over",
                     "government_body": joined(g["partner"]),
                     "since": pd.Timestamp(g["start_date"].min()).date() if g["start_date"].notna().any() else None,
                     "handed_over_by": joined(a.loc[[str(h) in bodies.get(k, set()) for h in a["handover_to"]],
                                                    "partner"]) if a is not None else "",
                     "note": joined(g["note"])})
    lost_keys = set(map(tuple, cells.loc[cells["state"] == "lost", key].to_numpy().tolist()))
    for k, g in by_asked.items():
        if k in lost_keys:
            rows.append({"site_id": k[0], "service": k[1], "state": "lost",
                         "government_body": joined(g["handover_to"]) + " (asked; no government presence recorded)",
                         "since": None, "handed_over_by": joined(g["partner"]), "note": joined(g["note"])})
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows).merge(
        cells[["site_id", "service", "site_name", "individuals", "need_severity", "need_note"]], on=key, how="left")
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"])
    out["state"] = out["state"].map(translated(COVERAGE_STATE_LABELS))
    out = out.sort_values(["individuals", "site_name", "service"], ascending=[False, True, True], na_position="last")
    for c in ("site_name", "service", "state", "government_body", "handed_over_by", "note", "site_id"):
        out[c] = out[c].astype("string")
    return out[cols].reset_index(drop=True)


@dataclass(frozen=True)
class PresenceTimeline:
    """One bar per presence row covering the filtered sites and services (``table``), and
    how many rows were left out because they never served (``left_out``)."""

    table: pd.DataFrame
    left_out: int
    #: the rows left out by why: "undated" (ended on a date the source does not give), "unstarted" (planned,
    #: with no start date), "inverted" (starting after their end)
    left_out_by: tuple[tuple[str, int], ...] = ()

    def left_out_text(self) -> str:
        """The rows left out, by why, for the caption under the timeline: "no row left out", or
        "2 rows left out: 1 ended on a date the source does not give, 1 planned with no start date"."""
        if not self.left_out:
            return _("no row left out")
        why = {"undated": N_("{n} ended on a date the source does not give"),
               "unstarted": N_("{n} planned with no start date"), "inverted": N_("{n} starting after their end")}
        return ngettext("{n} row left out", "{n} rows left out", self.left_out).format(n=fmt_number(self.left_out)) + (
            ": " + list_sep().join(_(why[k]).format(n=fmt_number(v)) for k, v in self.left_out_by if v)
            if self.left_out_by else "")


def timeline_table(prep: Prepared, as_of: dt.date, *, horizon_days: int = DEFAULT_HORIZON_DAYS) -> PresenceTimeline:
    """One bar per presence row covering the prepared (filtered) sites and services.

    Open starts are drawn from the left edge (a year before the as-of date or the earliest
    known date) and open ends to the right edge (the horizon after the as-of date or the
    latest known date); ``start_known`` / ``end_known`` say which (a row whose end was written
    but not read has status "end_unknown": drawn to the edge, its hover says so). Rows that never
    serve (ended on a date the source does not give, planned with no start date, starting after
    their end) are left out and counted.
    """
    cols = ["label", "partner", "partner_type", "service", "area", "n_sites", "start", "end", "start_known",
            "end_known", "status", "dates_as_stated", "note"]
    ds = prep.ds
    n_sites = np.bincount(prep.row, minlength=len(ds.presence))
    reaching = n_sites > 0
    pdays = prep.days
    drawn = ~pdays.never_before  # rows whose end was not read served from their start: drawn, "end date not read"
    out_rows = reaching & ~drawn
    left_out = int(out_rows.sum())
    undated = out_rows & pdays.ended_undated
    unstarted = out_rows & ~undated & (pdays.unstarted if pdays.unstarted is not None else False)
    by = (("undated", int(undated.sum())), ("unstarted", int(unstarted.sum())),
          ("inverted", int((out_rows & ~undated & ~unstarted).sum())))
    keep = np.flatnonzero(reaching & drawn)
    if not len(keep):
        return PresenceTimeline(pd.DataFrame(columns=cols), left_out, by)
    rows = ds.presence.iloc[keep].copy()
    rows["n_sites"] = n_sites[keep]
    d = pd.Timestamp(as_of)
    known = pd.concat([rows["start_date"], rows["end_date"]]).dropna()
    left = min([d - pd.Timedelta(days=365)] + ([known.min() - pd.Timedelta(days=30)] if len(known) else []))
    right = max([d + pd.Timedelta(days=int(horizon_days))] + ([known.max() + pd.Timedelta(days=30)] if len(known) else []))
    area = rows["scope"].map({"site": "site", "site_group": "site group", "district": "district",
                              "governorate": "governorate"}).fillna(rows["scope"]) + " " + rows["scope_id"]
    site_names = ds.sites.set_index("site_id")["site_name"]
    is_site = rows["scope"] == "site"
    area = area.where(~is_site, "site " + rows["scope_id"].map(site_names).fillna(rows["scope_id"]))
    out = pd.DataFrame({
        "partner": rows["partner"], "partner_type": rows["partner_type"], "service": rows["service"],
        "area": area.astype("string"), "n_sites": rows["n_sites"].astype("Int64"),
        "start": rows["start_date"].fillna(left), "end": rows["end_date"].fillna(right) + pd.Timedelta(days=1),
        "start_known": rows["start_date"].notna(), "end_known": rows["end_date"].notna(),
        "status": rows["status"], "dates_as_stated": rows["dates_as_stated"], "note": rows["note"],
    })
    out["label"] = (out["partner"] + " · " + out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"])).astype("string")
    out = out.sort_values(["partner_type", "partner", "service", "start"], kind="stable")
    return PresenceTimeline(out[cols].reset_index(drop=True), left_out, by)




def scenario_table(scenario: ExitScenario) -> pd.DataFrame:
    """The scenario for the screen: readable service and state labels."""
    if scenario.cells.empty:
        return scenario.cells
    out = scenario.cells.copy()
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"]).astype("string")
    out["state_before"] = out["state_before"].map(translated(COVERAGE_STATE_LABELS)).astype("string")
    out["state_after"] = out["state_after"].map(translated(COVERAGE_STATE_LABELS)).astype("string")
    return out.drop(columns=["site_id"])


def scenario_figures(scenario: ExitScenario, ds: Dataset) -> list[KeyFigure]:
    """Key figures of an exit scenario: cells that turn lost, sites, people."""
    src = sources_text(ds).removeprefix(_("Source: "))
    date = _("exit on {exit}, evaluated on {date}").format(exit=date_text(scenario.exit_date),
                                                           date=date_text(scenario.evaluated_on))
    cells = scenario.cells
    ind = cells["individuals"].astype("Float64")
    per_site = ind.groupby(cells["site_id"]).first() if len(cells) else ind
    people = per_site.sum()
    return [
        KeyFigure(_("Services that turn lost (site × service)"), len(cells), "cells", src, date,
                  _("served had the partners stayed; nobody serves with the exit")),
        KeyFigure(_("Sites affected"), int(cells["site_id"].nunique()), "sites", src, date, _("sites with such a cell")),
        KeyFigure(_("People at those sites"), int(people) if len(cells) else 0, "individuals", src, date,
                  _("latest DTM count of each site, counted once per site")),
    ]


def unmatched_table(cov: Coverage) -> pd.DataFrame:
    """Presence rows whose area matches no site, for a warning table."""
    cols = ["partner", "service", "scope", "scope_id", "start_date", "end_date", "source"]
    return cov.unmatched.reindex(columns=cols).reset_index(drop=True)


def completeness_text(prep: Prepared, as_of) -> str:
    """"Presence reported for 22 of 28 sites on 15 May 2024" (the rest are "no report" cells)."""
    from dsdash.coverage.engine import reported_sites
    n, of = reported_sites(prep, as_of)
    return _("Presence reported for {n} of {of} sites on {date}").format(
        n=fmt_number(n), of=fmt_number(of), date=date_text(as_of)) + (
        "" if n == of else _("; the other {n} are outside every presence report: their cells read "
                             "'no report' (we don't know), not 'never served'").format(n=fmt_number(of - n)))


def followup_table(f: pd.DataFrame) -> pd.DataFrame:
    """The follow-up list for the screen: service in words, dates as dates, "unconfirmed for 15 days"."""
    from dsdash.coverage.followup import days_text
    cols = ["partner", "service", "end_date", "followup_status", "days_unconfirmed", "days_left", "n_sites",
            "individuals", "n_sites_without", "individuals_without", "site_names", "dates_as_stated"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    out = f[cols].copy()
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"]).astype("string")
    out["end_date"] = [None if pd.isna(x) else x.date() for x in out["end_date"]]
    out["followup_status"] = [days_text(r) for r in f.to_dict(orient="records")]
    return out.reset_index(drop=True)


def followup_choices(f: pd.DataFrame) -> list[str]:
    """One label per follow-up entry, for the page's choice: "Dary · Health · planned end 31 Dec 2023"
    ("… · end date not read" when the source's end could not be read)."""
    return [f"{r['partner']} · {_(SERVICE_LABELS.get(r['service'], r['service']))} · "
            + (_("end date not read") if pd.isna(r["end_date"])
               else _("planned end {date}").format(date=date_text(r["end_date"])))
            for r in f.to_dict(orient="records")]


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """Recorded exit events for the screen: what, the date, to whom, why, who and when."""
    cols = ["event", "partner", "service", "scope_id", "end_date", "handover_to", "note", "recorded_by", "recorded_at"]
    if events is None or events.empty:
        return pd.DataFrame(columns=cols)
    out = events.rename(columns={"kind": "event"}).reindex(columns=cols).copy()
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"]).fillna("all").astype("string")
    out["scope_id"] = out["scope_id"].fillna("everywhere").astype("string")
    out["recorded_at"] = [pd.Timestamp(t).strftime("%d %b %Y %H:%M") + " UTC" for t in out["recorded_at"]]
    out["end_date"] = pd.to_datetime(out["end_date"]).dt.date
    return out.iloc[::-1].reset_index(drop=True)


def partner_ends_table(scenario: ExitScenario) -> pd.DataFrame:
    """Whether each leaving partner's recorded end is planned, confirmed or open, per service."""
    cols = ["partner", "service", "kind_of_end", "end_date", "dates_as_stated"]
    ends = scenario.ends
    if ends is None or ends.empty:
        return pd.DataFrame(columns=cols)
    out = ends.copy()
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"]).astype("string")
    out["end_date"] = out["end_date"].dt.date
    return out[cols]


def adequacy_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """People per service and adequacy grade (:func:`dsdash.coverage.summary.people_by_adequacy`), in words."""
    from dsdash.coverage.summary import people_by_adequacy
    out = people_by_adequacy(matrix)
    if out.empty:
        return out
    out["service"] = out["service"].map(translated(SERVICE_LABELS)).fillna(out["service"]).astype("string")
    out["share_covered"] = (out["share_covered"] * 100).round(1)
    return out.rename(columns={"share_covered": "share_pct"})
