"""``python -m dsdash gaps``: the site × service gap matrix on a date, as text or JSON.

Examples:
    python -m dsdash gaps --as-of 2023-12-10
    python -m dsdash gaps --as-of 2024-05-01 --horizon 60 --state lost --json
    python -m dsdash gaps --as-of 2024-01-01 --exit IRC --exit NRC --exit-date 2024-02-01

Exit codes: 0 done (presence rows that match no site are listed on stderr), 1 done but
rows of a --data-dir file were rejected (each named on stderr; the published workspace's files
were checked when they were stored: ``store list``), 2 misuse (bad date,
negative horizon, unknown state, service or partner, unreadable data folder).
"""

from __future__ import annotations

import json
import sys

import pandas as pd

from dsdash.commands.args import (
    EXIT_OK, EXIT_REJECTED, Misuse, add_data_dir, add_view_options, date_arg, load_data, view_from_args,
)
from dsdash.coverage.engine import STATE_ORDER, prepare, reported_sites
from dsdash.coverage.exits import exit_scenario
from dsdash.coverage.summary import people_without_service
from dsdash.periods import latest_dates
from dsdash.periods import warnings as period_warnings


def register(sub) -> None:
    p = sub.add_parser("gaps", help="gap matrix on a date: states, providers and people per site × service")
    add_view_options(p)
    p.add_argument("--state", action="append", metavar="STATE",
                   help="only cells in this state (lost, end_unconfirmed, at_risk, handed_over, no_report, "
                        "never_served, served); repeatable")
    p.add_argument("--exit", dest="exits", action="append", metavar="PARTNER",
                   help="exit scenario: this partner leaves (repeatable); see --exit-date")
    p.add_argument("--exit-date", dest="exit_date", type=date_arg, metavar="DATE",
                   help="first day without the --exit partners (default: the as-of date)")
    add_data_dir(p)
    p.add_argument("--json", action="store_true", help="print JSON (every cell, people per service, scenario)")
    p.set_defaults(func=run)


def _jsonable(df: pd.DataFrame) -> list[dict]:
    out = []
    for rec in df.to_dict(orient="records"):
        row = {}
        for k, v in rec.items():
            if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)):
                row[k] = None
            elif isinstance(v, pd.Timestamp):
                row[k] = v.date().isoformat()
            elif hasattr(v, "item"):
                row[k] = v.item()
            else:
                row[k] = v
        out.append(row)
    return out


def run(args) -> int:
    view = view_from_args(args)
    bad = [s for s in args.state or [] if s not in STATE_ORDER]
    if bad:
        raise Misuse(f"unknown --state {', '.join(bad)}; use one of {', '.join(STATE_ORDER)}")
    if args.exit_date and not args.exits:
        raise Misuse("--exit-date needs at least one --exit PARTNER")
    ds = load_data(args)
    as_of = view.resolved_as_of(ds)
    if as_of is None:
        raise Misuse("the data has no date to take as 'now'; give --as-of")
    filters, horizon = view.filters, view.horizon_days
    prep = prepare(ds, filters)
    cov = prep.on(as_of, horizon)
    m = cov.matrix
    scenario = None
    if args.exits:
        try:
            scenario = exit_scenario(prep, args.exits, args.exit_date or as_of, as_of=as_of, horizon_days=horizon)
        except ValueError as exc:
            raise Misuse(str(exc)) from None
    unmatched = _jsonable(cov.unmatched)
    for r in unmatched:
        print(f"dsdash gaps: warning: presence row of {r.get('partner')} ({r.get('service')}) names "
              f"{r.get('scope')} '{r.get('scope_id')}', which matches no site: not counted", file=sys.stderr)
    said = period_warnings(ds, as_of)  # presence of another period; an as-of date past the latest data
    for w in said:
        print(f"dsdash gaps: warning: {w}", file=sys.stderr)
    rejected = 0
    for rep in (ds.reports if args.data_dir else []):  # the workspace's files were checked when stored
        rejected += rep.rows_rejected
        for prob in rep.grouped():  # rejected rows, and cells left empty (grouped by column and reason)
            print(f"dsdash gaps: {prob}", file=sys.stderr)
    people = people_without_service(m)
    counts = {s: int((m["state"] == s).sum()) for s in STATE_ORDER}
    n_reported, n_sites = reported_sites(prep, as_of)
    adequacy = {a: int((m["adequacy"] == a).sum()) for a in ("covered", "partially_covered", "not_covered")}
    shown = m[m["state"].isin(args.state)] if args.state else m

    if args.json:
        doc = {
            "as_of": cov.as_of.isoformat(), "horizon_days": cov.horizon_days,
            "sites": int(m["site_id"].nunique()), "services": filters.service_list(), "cells": len(m),
            "state_counts": counts, "adequacy_counts": adequacy,
            "presence_reported": {"sites": n_reported, "of": n_sites}, "people_without_service": _jsonable(people),
            "matrix": _jsonable(shown), "unmatched_presence": unmatched,
            "latest_data": {t: d.isoformat() if d else None for t, d in latest_dates(ds).items()}, "warnings": said,
        }
        if scenario is not None:
            doc["exit_scenario"] = {
                "evaluated_on": scenario.evaluated_on.isoformat(), "partners": list(scenario.partners),
                "exit_date": scenario.exit_date.isoformat(), "transitions": _jsonable(scenario.transitions),
                "partner_ends": _jsonable(scenario.ends),
                "cells_turning_lost": _jsonable(scenario.cells)}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return EXIT_REJECTED if rejected else EXIT_OK

    print(f"Coverage on {cov.as_of.isoformat()} (horizon {horizon} days): {m['site_id'].nunique()} sites × "
          f"{len(filters.service_list())} services = {len(m)} cells")
    print("  " + " · ".join(f"{s} {n}" for s, n in counts.items()))
    print(f"  presence reported for {n_reported} of {n_sites} sites")
    print("\nPeople per service and state (individuals, latest round of each group; closed sites left out):")
    print(people.to_string(index=False))
    print(f"\nCells{' (' + ', '.join(args.state) + ')' if args.state else ''}:")
    for r in shown.itertuples():
        ind = "unknown" if pd.isna(r.individuals) else f"{int(r.individuals):,}"
        line = f"  {r.site_id}  {r.site_name}  {r.service}  {r.state}  people {ind}"
        if r.providers:
            line += f"  providers: {r.providers}"
        if r.lost_providers:
            line += f"  gone: {r.lost_providers}"
        if isinstance(r.need_severity, str):
            line += f"  need: {r.need_severity}"
        print(line)
    if scenario is not None:
        cells = scenario.cells
        print(f"\nExit scenario: {', '.join(scenario.partners)} leave on {scenario.exit_date.isoformat()} "
              f"(evaluated on {scenario.evaluated_on.isoformat()}): {len(cells)} cells turn lost, "
              f"{int(cells['individuals'].sum()):,} individuals (summed over cells)")
        for r in cells.itertuples():
            ind = "unknown" if pd.isna(r.individuals) else f"{int(r.individuals):,}"
            print(f"  {r.site_id}  {r.site_name}  {r.service}  people {ind}  was {r.state_before}  ({r.partners})")
        for r in scenario.ends.itertuples():
            when = "" if pd.isna(r.end_date) else f" {r.end_date:%Y-%m-%d}"
            print(f"  {r.partner} {r.service}: recorded end {r.kind_of_end}{when}")
    return EXIT_REJECTED if rejected else EXIT_OK
