"""``python -m dsdash trends [FILE...]``: each population group's latest Master List round and
its change from the previous round (the Trends page's change table), the national trend's
latest change, index severity by round, and the FVM funnel of the published workspace
(``--db``) or a ``--data-dir``; FILEs (Master Lists …) are tried on top, not stored
(``--json`` for scripts)."""

from __future__ import annotations

import json

import pandas as pd

from dsdash.i18n import _
from dsdash.commands.args import (
    EXIT_MISUSE, EXIT_OK, add_data_dir, add_import_options, ask_for_what_files_need, import_paths, load_data,
)
from dsdash.figures import current_picture
from dsdash.provenance import local_date
from dsdash.trends.fvm import fvm_footnotes, fvm_funnel
from dsdash.trends.index import INDEX_LABELS, index_table
from dsdash.trends.national import NATIONAL_METHOD, national_latest_change
from dsdash.trends.rounds import round_change_summary, round_change_table


def register(sub) -> None:
    p = sub.add_parser("trends", help=_("latest national change, index severity by round, FVM funnel"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    add_import_options(p, files_required=False)  # Master Lists etc. tried on top of the data, not stored
    add_data_dir(p)
    p.set_defaults(func=run)


def _records(df: pd.DataFrame) -> list[dict]:
    out = df.copy()
    for c in out.columns:
        if str(out[c].dtype).startswith("datetime"):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records"))


def master_list_change(ds) -> dict:
    """Per population group: its latest Master List round (:func:`dsdash.figures.current_picture`)
    and the change table's totals from its previous round (:func:`round_change_table`, the
    Trends page's table): sites by status and the change in individuals."""
    picture = current_picture(ds)
    groups = []
    for g in picture.groups:
        row = {"population_group": g.group, "reference_date": f"{g.date:%Y-%m-%d}" if g.date is not None else None,
               "dtm_round": g.dtm_round, "sites": g.sites, "individuals": g.individuals,
               "previous_date": None, "change": None, "appeared": None, "closed": None, "rise": None, "fall": None}
        if g.has_previous:
            summary = round_change_summary(round_change_table(ds, g.previous_date, g.date, g.group))
            by = dict(zip(summary["status"], summary["sites"]))
            row.update(previous_date=f"{g.previous_date:%Y-%m-%d}", change=int(summary["change"].sum()),
                       **{k: int(by.get(k, 0)) for k in ("appeared", "closed", "rise", "fall")})
        groups.append(row)
    return {"current": picture.record(), "groups": groups}


def run(args) -> int:
    results = import_paths(args) if args.files else []
    if ask_for_what_files_need(results, "trends"):
        return EXIT_MISUSE
    ds = load_data(args, results)
    change = national_latest_change(ds)
    index = {i: index_table(ds, i)[["round", "round_label", "period_end", "locations_assessed",
                                     "locations_severe", "population_severe", "share_severe", "is_gap"]]
             for i in INDEX_LABELS}
    funnel = fvm_funnel(ds)
    rounds = master_list_change(ds)
    if args.json:
        print(json.dumps({"master_list_rounds": rounds, "national_latest_change": _records(change),
                          "index": {k: _records(v) for k, v in index.items()},
                          "fvm_funnel": _records(funnel), "fvm_footnotes": fvm_footnotes(ds)},
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    print(_("Master List rounds (latest round of each group)"))
    for g in rounds["groups"]:
        line = _("  {group} {date}: {sites} sites, {individuals} individuals").format(
            group=f"{g['population_group']:10}", date=g["reference_date"], sites=f"{g['sites']:,}",
            individuals=f"{g['individuals'] or 0:,}")
        if g["change"] is not None:
            line += _("  {change} since {date} (appeared {appeared}, closed {closed})").format(
                change=f"{g['change']:+,}", date=g["previous_date"], appeared=f"{g['appeared']:,}",
                closed=f"{g['closed']:,}")
        print(line)
    print(_("National (IOM DTM; {method})").format(method=NATIONAL_METHOD))
    for r in change.itertuples():
        print(_("  {label} R{round} {date}: {latest}  {change} since R{previous}").format(
            label=f"{r.label:10}", round=r.latest_round, date=local_date(r.latest_date), latest=f"{r.latest:>10,}",
            change=f"{r.change:+,}", previous=r.previous_round) + (f" ({r.note})" if r.note else ""))
    for key, t in index.items():
        print(_("DTM {index} (people in severe conditions, share)").format(index=_(INDEX_LABELS[key])))
        for r in t.itertuples():
            pop = _("gap: not in the data") if r.is_gap else (
                _("no figure") if pd.isna(r.population_severe) else f"{int(r.population_severe):,} ({r.share_severe:g} %)")
            print(f"  {r.round_label:14} {pop}")
    print(_("FVM funnel (households, cumulative)"))
    for r in funnel.itertuples():
        rate = "" if pd.isna(r.rate_pct) else _("  {rate} % of {base}").format(rate=f"{r.rate_pct:.1f}",
                                                                                base=r.base.lower())
        print(f"  {r.stage:42} {r.households:>6,}{rate}")
    for n in fvm_footnotes(ds):
        print(f"  {n}")
    return EXIT_OK
