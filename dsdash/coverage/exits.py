"""Partner exits: "if these partners leave on this date", and who leaves soon.

Both reuse a :class:`~dsdash.coverage.engine.Prepared` (the Gaps page prepares once per
data set and filter) and read who serves where from the engine's providers table, never
from display text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsdash.coverage.engine import Exit, Prepared, check_horizon, match_partners
from dsdash.coverage.presence import NO_START, OPEN, day, end_kind, serves_on, to_datetimes
from dsdash.schema import DEFAULT_HORIZON_DAYS, CoverageState

#: Default look-ahead of the upcoming-exits list, in days.
UPCOMING_DAYS = 180


@dataclass(frozen=True)
class ExitScenario:
    """The cells that turn lost when ``partners`` leave on ``exit_date``.

    ``cells``: site_id, site_name, admin2_name, service, individuals, households, partners
    (the leaving partners that served the cell), state_before (had they stayed),
    state_after ("lost"), providers_before (as recorded, on the day before the exit),
    need_severity, need_note; largest individuals first (unknown counts last).
    ``transitions``: state_before, state_after, cells, individuals (summed over cells), for
    every cell the exit changes (e.g. served → handed_over).
    ``ends``: per leaving partner and service, whether its recorded end is planned, confirmed
    or open (kind_of_end), with the end date (the latest among its rows; NaT when open) and the
    source's words: the scenario says whether it anticipates a planned end or repeats a
    confirmed one.
    """

    cells: pd.DataFrame
    partners: tuple[str, ...]  # as the data spells them, alphabetical
    exit_date: dt.date
    evaluated_on: dt.date
    transitions: pd.DataFrame
    ends: pd.DataFrame | None = None


def exit_scenario(prep: Prepared, partners: Sequence[str], exit_date: dt.date, *, as_of: dt.date | None = None,
                  horizon_days: int = DEFAULT_HORIZON_DAYS) -> ExitScenario:
    """"If partners P leave on ``exit_date``": the cells that turn lost, ranked by people.

    The exit date is the first day without the partners. Coverage is evaluated on
    ``exit_date``, or on ``as_of`` when that is later, twice:

    * *had they stayed*: the partners' rows that serve on the day before the exit keep
      serving, open-ended (a scheduled end on 30 Apr 2024 does not hide the consequence
      of leaving on 1 May 2024);
    * *with the exit*: their rows end on ``exit_date − 1 day`` (:class:`Exit`).

    A cell turns lost when it is served, at risk or handed over had they stayed, and lost
    with the exit.

    Raises:
        ValueError: a partner name the data does not know, or a negative horizon.

    Examples:
        >>> from dsdash.coverage.engine import prepare
        >>> from dsdash.dataset import load_embedded
        >>> sc = exit_scenario(prepare(load_embedded()), ["IRC"], dt.date(2024, 5, 1))
        >>> sorted(set(sc.cells["service"])), len(sc.cells), int(sc.cells["individuals"].sum())
        (['civil_documentation'], 28, 18882)
    """
    h = check_horizon(horizon_days)
    presence = prep.ds.presence
    names = match_partners(presence, partners)
    x = pd.Timestamp(exit_date).date()
    on = x if as_of is None else max(x, pd.Timestamp(as_of).date())
    d, xd = day(on), day(x)
    partner = presence["partner"].astype("string").fillna("").to_numpy(dtype=object)
    leaving = np.isin(partner, np.array(list(names), dtype=object))
    pdays = prep.days
    stayed_end = pdays.end.copy()
    stayed_end[leaving & serves_on(pdays.start, pdays.end, pdays.never, xd - 1)] = OPEN
    before = prep.evaluate(d, h, stayed_end).matrix
    day_before = prep.evaluate(xd - 1, h, pdays.end)
    exits = tuple(Exit(p, x) for p in names)
    after = prep.evaluate(d, h, prep.exit_ends(exits), exits, confirmed=prep.exit_confirmed(exits)).matrix

    changed = (before["state"] != after["state"]).to_numpy(dtype=bool)
    ind = before["individuals"].to_numpy(dtype="float64", na_value=np.nan)
    moved = pd.DataFrame({"state_before": before["state"].to_numpy()[changed].astype(str),
                          "state_after": after["state"].to_numpy()[changed].astype(str),
                          "individuals": np.nan_to_num(ind[changed], nan=0.0)})
    transitions = (moved.groupby(["state_before", "state_after"], sort=True)
                   .agg(cells=("individuals", "size"), individuals=("individuals", "sum")).reset_index())
    transitions["individuals"] = transitions["individuals"].round().astype(np.int64)
    transitions["cells"] = transitions["cells"].astype(np.int64)

    turned = changed & (after["state"] == CoverageState.LOST.value).to_numpy(dtype=bool)
    out = before.loc[turned, ["site_id", "site_name", "admin2_name", "service", "individuals", "households"]].copy()
    prov = day_before.providers
    prov = prov[prov["active"] & prov["partner"].isin(list(names))]
    served_by = prov.groupby(["site_id", "service"], sort=False)["partner"].agg(lambda s: "; ".join(sorted(s)))
    key = pd.MultiIndex.from_arrays([out["site_id"], out["service"]])
    out["partners"] = pd.array(served_by.reindex(key).fillna("").to_numpy(), dtype="string")
    out["state_before"] = before.loc[turned, "state"]
    out["state_after"] = after.loc[turned, "state"]
    out["providers_before"] = day_before.matrix.loc[turned, "providers"].fillna("").astype("string")
    out["need_severity"] = before.loc[turned, "need_severity"]
    out["need_note"] = before.loc[turned, "need_note"]
    out = out.sort_values("individuals", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    return ExitScenario(cells=out, partners=tuple(sorted(names)), exit_date=x, evaluated_on=on,
                        transitions=transitions, ends=partner_ends(presence[leaving], prep.services))


def partner_ends(rows: pd.DataFrame, services: Sequence[str] | None = None) -> pd.DataFrame:
    """Per (partner, service) of these presence rows: kind_of_end ("confirmed" when every row's
    end is confirmed, "open" when a row has no end, "unknown" when a row's end was written but not
    read, else "planned"), end_date (the latest end),
    dates_as_stated; partners alphabetical, services in vocabulary order."""
    cols = ["partner", "service", "kind_of_end", "end_date", "dates_as_stated"]
    if services is not None:
        rows = rows[rows["service"].isin(list(services))]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    k = end_kind(rows)
    t = pd.DataFrame({"partner": rows["partner"].to_numpy(), "service": rows["service"].to_numpy(),
                      "k": k.to_numpy(), "end_date": rows["end_date"].to_numpy(),
                      "dates_as_stated": rows["dates_as_stated"].fillna("").to_numpy()
                      if "dates_as_stated" in rows else ""})
    g = t.groupby(["partner", "service"], sort=True).agg(
        kinds=("k", lambda s: set(s)), end_date=("end_date", "max"),
        dates_as_stated=("dates_as_stated", lambda s: "; ".join(dict.fromkeys(x for x in s if x)))).reset_index()
    g["kind_of_end"] = [("open" if "open" in ks else "unknown" if "unknown" in ks
                         else "confirmed" if ks == {"confirmed"} else "planned") for ks in g["kinds"]]
    g.loc[g["kind_of_end"] == "open", "end_date"] = pd.NaT
    for c in ("partner", "service", "kind_of_end", "dates_as_stated"):
        g[c] = g[c].astype("string")
    return g[cols]


def upcoming_exits(prep: Prepared, as_of: dt.date, *, horizon_days: int = UPCOMING_DAYS) -> pd.DataFrame:
    """Partners serving on ``as_of`` whose end date falls within ``horizon_days`` (as_of
    itself included: they leave the next day).

    Returns:
        One row per (partner, partner_type, service, end_date, handover_to): n_sites,
        individuals (sum over those sites, known counts only), n_sites_left_without /
        individuals_left_without (sites where no provider active on as_of continues
        after that end date — government bodies count as providers), days_left. Sorted by
        end date, then individuals (largest first).
    """
    cols = ["partner", "partner_type", "service", "end_date", "n_sites", "individuals", "handover_to",
            "n_sites_left_without", "individuals_left_without", "days_left"]
    h = check_horizon(horizon_days)
    d = day(as_of)
    r, cell = prep.row, prep.cell
    start_e, end_e = prep.days.start[r], prep.days.end[r]
    active = serves_on(start_e, end_e, prep.days.never[r], d)
    max_end = np.full(prep.n_cells, NO_START, dtype=np.int64)
    if active.any():
        np.maximum.at(max_end, cell[active], end_e[active])
    ending = active & (end_e <= d + h)
    if not ending.any():
        return pd.DataFrame(columns=cols)
    idx = np.flatnonzero(ending)
    ind_f = prep.individuals.to_numpy(dtype="float64", na_value=np.nan)
    p = prep.ds.presence
    rows = pd.DataFrame({
        "partner": p["partner"].to_numpy()[r[idx]],
        "partner_type": p["partner_type"].to_numpy()[r[idx]],
        "service": p["service"].to_numpy()[r[idx]],
        "end_day": end_e[idx],
        "handover_to": p["handover_to"].fillna("").to_numpy()[r[idx]],
        "site": cell[idx] // max(len(prep.services), 1),
        "without": max_end[cell[idx]] <= end_e[idx],
    })
    rows["ind"] = ind_f[rows["site"].to_numpy()]
    keys = ["partner", "partner_type", "service", "end_day", "handover_to"]
    rows = rows.sort_values("without", ascending=False).drop_duplicates(keys + ["site"])
    rows["ind_without"] = np.where(rows["without"], rows["ind"], 0.0)
    g = rows.groupby(keys, as_index=False, sort=False, dropna=False).agg(
        n_sites=("site", "size"), individuals=("ind", "sum"), n_known=("ind", "count"),
        n_sites_left_without=("without", "sum"), individuals_left_without=("ind_without", "sum"),
        n_known_without=("ind_without", "count"))
    # a sum over sites none of which has a count is unknown, not 0
    g["individuals"] = g["individuals"].where(g["n_known"] > 0)
    g["individuals_left_without"] = g["individuals_left_without"].where(g["n_known_without"] > 0)
    g["end_date"] = to_datetimes(g["end_day"].to_numpy())
    g["days_left"] = (g["end_day"] - d).astype(np.int64)
    g["handover_to"] = g["handover_to"].replace("", pd.NA).astype("string")
    for c in ("individuals", "individuals_left_without"):
        g[c] = g[c].round().astype("Int64")
    g["n_sites_left_without"] = g["n_sites_left_without"].astype(np.int64)
    for c in ("partner", "partner_type", "service"):
        g[c] = g[c].astype("string")
    g = g.sort_values(["end_day", "individuals"], ascending=[True, False], na_position="last", kind="stable")
    return g[cols].reset_index(drop=True)
