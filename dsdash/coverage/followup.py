"""The follow-up list: planned ends to confirm, extend or hand over (issue 15).

IFRC GO closes a project after its end date and asks its owner beforehand to confirm or
extend it. dsdash lists, on a date D, every partner whose **planned** end (not confirmed:
:func:`dsdash.coverage.presence.end_kind`)

* has passed without confirmation (``followup_status`` "passed"; ``days_unconfirmed`` =
  D − end), or
* falls within the next ``within_days`` days (default 30; "due"; ``days_left`` = end − D),

with the sites, services and people at stake, and who is left without the service while the
answer is pending: sites where no other partner serves the cell on the day after the
planned end (government bodies count as serving). A row whose end date was written but could
not be read (status "end_unknown": never counted as serving, its cells "end unconfirmed") is
listed too once it has started (``followup_status`` "unread", no end date, no days): when it
ends is exactly what to ask the partner; left without = sites nobody else serves on D. Rows
that never served (ended without a date, start after end, planned without a start) are not
listed. An editor answers with an exit event (confirmed, extended, handed over:
:func:`dsdash.coverage.presence.apply_exit_events`), which takes the entry off the list: a
confirmed end is no longer planned, an extended one moves out of the window (an end not read
gets the date the answer gives).

Everything is read from a :class:`~dsdash.coverage.engine.Prepared` (filtered sites, chosen
services), so the list follows the page's filters.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dsdash.i18n import _, ngettext
from dsdash.coverage.engine import Prepared
from dsdash.coverage.presence import OPEN, day, to_datetimes

#: Default window of the follow-up list, in days after the date.
FOLLOWUP_DAYS = 30
PASSED, UNREAD, DUE = "passed", "unread", "due"
_RANK = {PASSED: 0, UNREAD: 1, DUE: 2}  # the list's order: passed, end not read, coming up

COLUMNS = ["partner", "partner_type", "service", "end_date", "followup_status", "days_unconfirmed", "days_left",
           "n_sites", "site_names", "individuals", "n_sites_without", "individuals_without", "dates_as_stated"]


def followup_list(prep: Prepared, as_of, *, within_days: int = FOLLOWUP_DAYS) -> pd.DataFrame:
    """Planned ends to follow up on ``as_of`` (rules in the module docstring).

    Returns:
        One row per (partner, partner_type, service, planned end): followup_status ("passed" or
        "due"), days_unconfirmed / days_left (Int64, one of them empty), n_sites, sites (their
        names, "; "-joined, alphabetical), individuals (sum over the sites, known counts only; empty
        when none is known), n_sites_without / individuals_without (sites nobody else serves after
        the planned end), dates_as_stated (the source's words). Passed ones first, longest
        unconfirmed first, then due ones by end date; ties by individuals (largest first).

    Examples:
        >>> from dsdash.coverage.engine import prepare
        >>> from dsdash.dataset import load_embedded
        >>> f = followup_list(prepare(load_embedded()), dt.date(2024, 1, 15))
        >>> f[["partner", "service", "followup_status", "days_unconfirmed", "n_sites"]].values.tolist()
        [['Dary', 'health', 'passed', 15, 19], ['UIMS', 'gbv', 'passed', 15, 15]]
    """
    if within_days < 0:
        raise ValueError(f"within_days must be 0 or more, not {within_days}")
    d = day(as_of)
    pdays = prep.days
    r, cell = prep.row, prep.cell
    end_e = pdays.end[r]
    planned = ~pdays.confirmed[r] & (end_e != OPEN) & ~pdays.never[r]
    unread = (np.zeros(len(r), dtype=bool) if pdays.end_unknown is None
              else pdays.end_unknown[r] & (pdays.start[r] <= d))  # started, its end not read
    cand = np.flatnonzero((planned & (end_e <= d + int(within_days)) & (pdays.start[r] <= end_e)) | unread)
    if not len(cand):
        return pd.DataFrame(columns=COLUMNS)
    presence = prep.ds.presence
    K = max(len(prep.services), 1)
    partner_of_pair = prep.pc_e
    # who else serves the cell on the day after each candidate's end (any other row: another partner's, or the
    # same partner's next one, a renewal); an end not read: on the date itself (the row is not counted as serving)
    cells_c = cell[cand]
    is_unread = unread[cand]
    ends = end_e[cand].copy()
    ends[is_unread] = d - 1  # (their end is OPEN: the day after it would overflow)
    on_next = ends + 1
    others = np.zeros(len(cand), dtype=bool)
    in_cells = np.flatnonzero(np.isin(cell, np.unique(cells_c)))
    if len(in_cells):
        o = pd.DataFrame({"cell": cell[in_cells], "row": r[in_cells], "s": pdays.start[r[in_cells]],
                          "e": end_e[in_cells], "never": pdays.never[r[in_cells]]})
        c = pd.DataFrame({"i": np.arange(len(cand)), "cell": cells_c, "row": r[cand], "d1": on_next})
        j = c.merge(o, on="cell", suffixes=("", "_o"))
        ok = (j["row"] != j["row_o"]) & ~j["never"] & (j["s"] <= j["d1"]) & (j["d1"] <= j["e"])
        others[np.unique(j.loc[ok, "i"].to_numpy())] = True
    site = cells_c // K
    ind = prep.individuals.to_numpy(dtype="float64", na_value=np.nan)[site]
    rows = pd.DataFrame({  # a partner by its key ("IRC", "I.R.C."), named as first written, its type as first given
        "partner": np.asarray(prep.partners.to_pylist(), dtype=object)[partner_of_pair[cand]],
        "partner_type": presence["partner_type"].to_numpy()[r[cand]],
        "service": presence["service"].to_numpy()[r[cand]],
        "end_day": end_e[cand],
        "dates_as_stated": presence["dates_as_stated"].fillna("").to_numpy()[r[cand]]
        if "dates_as_stated" in presence else "",
        "site": site,
        "site_name": prep.sites["site_name"].astype("string").fillna("").to_numpy(dtype=object)[site],
        "ind": ind,
        "without": ~others,
    })
    keys = ["partner", "service", "end_day"]
    rows = rows.sort_values("without", ascending=False, kind="stable").drop_duplicates(keys + ["site"])
    rows["ind_without"] = np.where(rows["without"], rows["ind"], 0.0)
    rows["known_without"] = rows["without"] & rows["ind"].notna()
    g = rows.groupby(keys, as_index=False, sort=False, dropna=False).agg(
        partner_type=("partner_type", "first"), n_sites=("site", "size"), site_names=("site_name", lambda s: "; ".join(sorted(set(s)))),
        individuals=("ind", "sum"), n_known=("ind", "count"), n_sites_without=("without", "sum"),
        individuals_without=("ind_without", "sum"), n_known_without=("known_without", "sum"),
        dates_as_stated=("dates_as_stated", lambda s: "; ".join(dict.fromkeys(x for x in s if x))))
    g["individuals"] = g["individuals"].where(g["n_known"] > 0).round().astype("Int64")
    g["individuals_without"] = g["individuals_without"].where(
        (g["n_known_without"] > 0) | (g["n_sites_without"] == 0)).round().astype("Int64")
    no_end = (g["end_day"] == OPEN).to_numpy()
    end_day = np.where(no_end, d, g["end_day"].to_numpy())
    passed = ~no_end & (end_day < d)
    g["followup_status"] = np.where(no_end, UNREAD, np.where(passed, PASSED, DUE))
    g["days_unconfirmed"] = pd.Series(d - end_day, dtype="Int64").where(passed)
    g["days_left"] = pd.Series(end_day - d, dtype="Int64").where(~passed & ~no_end)
    g["end_date"] = to_datetimes(g["end_day"].to_numpy())
    g["n_sites_without"] = g["n_sites_without"].astype(np.int64)
    g["_rank"] = g["followup_status"].map(_RANK)
    g["_order"] = np.where(passed, -(d - end_day), end_day - d)
    g = g.sort_values(["_rank", "_order", "individuals", "partner"], ascending=[True, True, False, True],
                      na_position="last", kind="stable")
    for c in ("partner", "partner_type", "service", "followup_status", "site_names", "dates_as_stated"):
        g[c] = g[c].astype("string")
    g["dates_as_stated"] = g["dates_as_stated"].replace("", pd.NA)
    return g[COLUMNS].reset_index(drop=True)


def followup_people(f: pd.DataFrame) -> int:
    """People at stake on the list: individuals at sites left without a service, summed over entries."""
    return int(f["individuals_without"].sum()) if len(f) else 0


def days_text(row) -> str:
    """"unconfirmed for 15 days", "ends in 12 days" or "end date not read" (for tables, slides and the
    command line)."""
    if row["followup_status"] == UNREAD:
        return _("end date not read")
    if row["followup_status"] == PASSED:
        n = int(row["days_unconfirmed"])
        return ngettext("unconfirmed for {n} day", "unconfirmed for {n} days", n).format(n=n)
    n = int(row["days_left"])
    return _("ends today") if n == 0 else ngettext("ends in {n} day", "ends in {n} days", n).format(n=n)


def as_of_date(value) -> dt.date:
    return pd.Timestamp(value).date()
