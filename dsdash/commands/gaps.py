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

from dsdash.i18n import _, current, ngettext
from dsdash.commands.args import (
    EXIT_OK, EXIT_REJECTED, Misuse, add_data_dir, add_view_options, code_words, date_arg, frame_words, load_data,
    view_from_args,
)
from dsdash.coverage.engine import STATE_ORDER, prepare, providers_words, reported_sites
from dsdash.coverage.exits import exit_scenario
from dsdash.coverage.summary import people_without_service
from dsdash.periods import latest_dates
from dsdash.schema import column_label
from dsdash.periods import warnings as period_warnings


def register(sub) -> None:
    p = sub.add_parser("gaps", help=_("gap matrix on a date: states, providers and people per site × service"))
    add_view_options(p)
    p.add_argument("--state", action="append", metavar="STATE",
                   help=_("only cells in this state (lost, end_unconfirmed, at_risk, handed_over, no_report, "
                        "never_served, served); repeatable"))
    p.add_argument("--exit", dest="exits", action="append", metavar="PARTNER",
                   help=_("exit scenario: this partner leaves (repeatable); see --exit-date"))
    p.add_argument("--exit-date", dest="exit_date", type=date_arg, metavar="DATE",
                   help=_("first day without the --exit partners (default: the as-of date)"))
    p.add_argument("--by", choices=["admin1", "admin2", "catchment"],
                   help=_("also a table per area: sites, people, coverage and partners per governorate (admin1), "
                          "district (admin2) or catchment (of --catchment-kind); its rows add up to the totals"))
    p.add_argument("--catchment-kind", dest="catchment_kind", choices=["abc", "local", "jcf"], default="abc",
                   help=_("the catchments --by catchment groups by (default abc)"))
    add_data_dir(p)
    p.add_argument("--json", action="store_true", help=_("print JSON (every cell, people per service, scenario)"))
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


def _state(code: str) -> str:
    """A cell's state as the command line prints it: the code in English ("lost": scripts read it),
    short words in another language."""
    return code if current() == "en" else column_label(code)


def run(args) -> int:
    view = view_from_args(args)
    bad = [s for s in args.state or [] if s not in STATE_ORDER]
    if bad:
        raise Misuse(_("unknown --state {bad}; use one of {known}").format(bad=", ".join(bad),
                                                                          known=", ".join(STATE_ORDER)))
    if args.exit_date and not args.exits:
        raise Misuse(_("--exit-date needs at least one --exit PARTNER"))
    ds = load_data(args)
    as_of = view.resolved_as_of(ds)
    if as_of is None:
        raise Misuse(_("the data has no date to take as 'now'; give --as-of"))
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
        print(_("dsdash gaps: warning: presence row of {partner} ({service}) names {scope} '{scope_id}', which "
                "matches no site: not counted").format(partner=r.get("partner"), service=r.get("service"),
                                                       scope=r.get("scope"), scope_id=r.get("scope_id")),
              file=sys.stderr)
    said = period_warnings(ds, as_of)  # presence of another period; an as-of date past the latest data
    for w in said:
        print(_("dsdash gaps: warning: {warning}").format(warning=w), file=sys.stderr)
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
    by_area = note = None
    if args.by:  # dsdash.areas: per governorate, district or catchment (issue 16)
        from dsdash.areas import area_summary, outside_note

        by_area = area_summary(cov, level=args.by, kind=args.catchment_kind)
        note = outside_note(by_area, cov, args.catchment_kind) if args.by == "catchment" else ""

    if args.json:
        doc = {
            "as_of": cov.as_of.isoformat(), "horizon_days": cov.horizon_days,
            "sites": int(m["site_id"].nunique()), "services": filters.service_list(), "cells": len(m),
            "state_counts": counts, "adequacy_counts": adequacy,
            "presence_reported": {"sites": n_reported, "of": n_sites}, "people_without_service": _jsonable(people),
            "matrix": _jsonable(shown), "unmatched_presence": unmatched,
            "latest_data": {t: d.isoformat() if d else None for t, d in latest_dates(ds).items()}, "warnings": said,
        }
        if by_area is not None:
            doc["by_area"] = {"level": args.by, "catchment_kind": args.catchment_kind if args.by == "catchment" else None,
                              "rows": _jsonable(by_area), "outside": note}
        if scenario is not None:
            doc["exit_scenario"] = {
                "evaluated_on": scenario.evaluated_on.isoformat(), "partners": list(scenario.partners),
                "exit_date": scenario.exit_date.isoformat(), "transitions": _jsonable(scenario.transitions),
                "partner_ends": _jsonable(scenario.ends),
                "cells_turning_lost": _jsonable(scenario.cells)}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return EXIT_REJECTED if rejected else EXIT_OK

    n_site, n_service = int(m["site_id"].nunique()), len(filters.service_list())
    print(_("Coverage on {date} (horizon {horizon} days): {sites} × {services} = {cells}").format(
        date=cov.as_of.isoformat(), horizon=horizon, sites=ngettext("{n} site", "{n} sites", n_site).format(n=n_site),
        services=ngettext("{n} service", "{n} services", n_service).format(n=n_service),
        cells=ngettext("{n} cell", "{n} cells", len(m)).format(n=len(m))))
    print("  " + " · ".join(f"{_state(s)} {n}" for s, n in counts.items()))
    print(_("  presence reported for {n} of {of} sites").format(n=n_reported, of=n_sites))
    print("\n" + _("People per service and state (individuals, latest round of each group; closed sites left out):"))
    print(frame_words(people).to_string(index=False))
    if by_area is not None:
        from dsdash.areas import sum_row

        print("\n" + _("Per area ({level}; the rows add up to the totals):").format(
            level=args.by if current() == "en" else column_label({"admin1": "admin1_name", "admin2": "admin2_name"}.get(
                args.by, args.by))))
        print(frame_words(sum_row(by_area).drop(columns=["partner_names"])).to_string(index=False))
        if note:
            print(note)
    print("\n" + _("Cells{states}:").format(states=" (" + ", ".join(args.state) + ")" if args.state else ""))
    for r in shown.itertuples():
        ind = _("unknown") if pd.isna(r.individuals) else f"{int(r.individuals):,}"
        line = _("  {site_id}  {site_name}  {service}  {state}  people {people}").format(
            site_id=r.site_id, site_name=r.site_name, service=code_words("service", r.service),
            state=_state(r.state), people=ind)
        if r.providers:
            line += _("  providers: {providers}").format(providers=providers_words(r.providers))
        if r.lost_providers:
            line += _("  gone: {providers}").format(providers=providers_words(r.lost_providers))
        if isinstance(r.need_severity, str):
            line += _("  need: {need}").format(need=code_words("need_severity", r.need_severity))
        print(line)
    if scenario is not None:
        cells = scenario.cells
        print("\n" + ngettext("Exit scenario: {partners} leave on {exit_date} (evaluated on {date}): {cells} cell turns "
                              "lost, {individuals} individuals (summed over cells)",
                              "Exit scenario: {partners} leave on {exit_date} (evaluated on {date}): {cells} cells turn "
                              "lost, {individuals} individuals (summed over cells)", len(cells)).format(
            partners=", ".join(scenario.partners), exit_date=scenario.exit_date.isoformat(),
            date=scenario.evaluated_on.isoformat(), cells=len(cells), individuals=f"{int(cells['individuals'].sum()):,}"))
        for r in cells.itertuples():
            ind = _("unknown") if pd.isna(r.individuals) else f"{int(r.individuals):,}"
            line = _("  {site_id}  {site_name}  {service}  people {people}  was {state}").format(
                site_id=r.site_id, site_name=r.site_name, service=code_words("service", r.service), people=ind,
                state=_state(r.state_before))
            if isinstance(r.partners, str) and r.partners:  # the leaving partners that served it (none: its end not read)
                line += f"  ({providers_words(r.partners)})"
            print(line)
        for r in scenario.ends.itertuples():
            service = code_words("service", r.service)
            if pd.isna(r.end_date) and r.kind_of_end != "open":  # an end written but not read: no date to give
                print(_("  {partner} {service}: end date not read").format(partner=r.partner, service=service))
                continue
            when = "" if pd.isna(r.end_date) else f" {r.end_date:%Y-%m-%d}"
            print(_("  {partner} {service}: recorded end {kind}{when}").format(
                partner=r.partner, service=service, kind=code_words("kind_of_end", r.kind_of_end), when=when))
    return EXIT_REJECTED if rejected else EXIT_OK
