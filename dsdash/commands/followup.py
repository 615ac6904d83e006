"""``python -m dsdash followup``: planned ends to confirm, extend or hand over, and the answers.

Examples:
    python -m dsdash followup --as-of 2024-01-15 [--within 30] [--json]
    python -m dsdash followup confirm IRC --date 2024-05-01 [--service civil_documentation] [--note TEXT]
    python -m dsdash followup extend IRC --to 2024-12-31 [--service civil_documentation] [--note TEXT]
    python -m dsdash followup handover IRC --to "Directorate of Civil Affairs" --date 2024-04-30 [--service S]
    python -m dsdash followup events [--json]

The list (rules: :mod:`dsdash.coverage.followup`) reads the published workspace (``--db``) or
``--data-dir``, with the view options of ``gaps`` (filters). ``confirm`` records that the partner
left (``--date``: its actual last day), ``extend`` that its planned end moved (``--to``: the new
planned end), ``handover`` that another body took the service over after ``--date``. They are
stored in the workspace (``--db``) with who (``$DSDASH_USER``, else the OS user) and when, and go
into the audit log (``store log``); ``--service`` and ``--scope-id`` narrow the event to some of
the partner's rows (default: all of them). ``events`` lists what was recorded.

Exit codes: 0 done; 2 misuse (bad date, unknown partner or service, a hand-over without whom).
"""

from __future__ import annotations

import json
import sys

import pandas as pd

from dsdash.i18n import _, iso, list_sep, ngettext
from dsdash.commands.args import (
    EXIT_OK, Misuse, add_data_dir, add_db, add_view_options, code_words, date_arg, load_data, open_workspace, view_from_args,
)
from dsdash.commands.gaps import _jsonable
from dsdash.coverage.engine import prepare
from dsdash.coverage.followup import FOLLOWUP_DAYS, days_text, followup_list
from dsdash.coverage.presence import exit_event_words, first_spellings, partner_key
from dsdash.schema import Service, normalise_text


def register(sub) -> None:
    p = sub.add_parser("followup", help=_("planned ends to follow up (passed unconfirmed, or due soon); record "
                                        "confirm / extend / handover"))
    p.add_argument("action", nargs="?", default="list", choices=("list", "confirm", "extend", "handover", "events"),
                   help=_("list (default), confirm, extend or handover PARTNER, or events (what was recorded)"))
    p.add_argument("partner", nargs="?", help=_("the partner (confirm, extend, handover)"))
    add_view_options(p)
    p.add_argument("--within", type=int, default=FOLLOWUP_DAYS, metavar="DAYS",
                   help=f"list planned ends within DAYS after the date too (default {FOLLOWUP_DAYS})")
    p.add_argument("--date", dest="event_date", type=date_arg, metavar="DATE",
                   help=_("confirm: the partner's actual last day; handover: its last day before the hand-over"))
    p.add_argument("--to", dest="to", metavar="DATE|BODY",
                   help=_("extend: the new planned end (a date); handover: the body that took over"))
    p.add_argument("--scope-id", dest="scope_id", metavar="ID",
                   help=_("only the partner's rows for this site, site group, district or governorate"))
    p.add_argument("--note", default="", help=_("why, or where the answer came from (goes into the audit log)"))
    add_data_dir(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=run)


def _say(text: str) -> None:
    print(f"dsdash followup: {text}", file=sys.stderr)


def run(args) -> int:
    if args.action == "list":
        return run_list(args)
    if args.action == "events":
        return run_events(args)
    return run_record(args)


def run_list(args) -> int:
    if args.partner:
        raise Misuse(_("unexpected argument {partner!r} (did you mean 'followup confirm {partner} …'?)")
                     .format(partner=args.partner))
    if args.within < 0:
        raise Misuse(_("--within must be 0 or more"))
    view = view_from_args(args)
    ds = load_data(args)
    as_of = view.resolved_as_of(ds)
    if as_of is None:
        raise Misuse(_("the data has no date to take as 'now'; give --as-of"))
    f = followup_list(prepare(ds, view.filters), as_of, within_days=args.within)
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "within_days": args.within, "entries": len(f),
                          "followup": _jsonable(f)}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(_("Follow-up on {date}: planned ends passed without confirmation, or within {days} days, and ends not "
            "read: {n}").format(
        date=as_of.isoformat(), days=args.within, n=len(f)))
    for r in f.to_dict(orient="records"):
        ind = _("unknown") if pd.isna(r["individuals"]) else f"{int(r['individuals']):,}"
        wo = _("unknown") if pd.isna(r["individuals_without"]) else f"{int(r['individuals_without']):,}"
        when = (days_text(r) if pd.isna(r["end_date"])  # an end not read: no date to give
                else _("planned end {date}").format(date=f"{r['end_date']:%Y-%m-%d}") + "  " + days_text(r))
        sites = ngettext("{n} site", "{n} sites", int(r["n_sites"])).format(n=int(r["n_sites"]))
        without = ngettext("{n} site", "{n} sites", int(r["n_sites_without"])).format(n=int(r["n_sites_without"]))
        print(_("  {partner}  {service}  {when}  {sites}, {people} people; left without: "
                "{sites_without}, {people_without} people").format(
            partner=r["partner"], service=code_words("service", r["service"]), when=when,
            sites=sites, people=ind, sites_without=without, people_without=wo))
        names = [x for x in str(r["site_names"] or "").split("; ") if x]
        print(_("    sites: {names}").format(names=list_sep().join(iso(x) for x in names)))
    return EXIT_OK


def _service(text: str | None) -> str | None:
    if not text:
        return None
    key = normalise_text(text).replace(" ", "_")
    if key not in Service.values():
        raise Misuse(_("unknown --service {bad}; use one of {known}").format(bad=repr(text),
                                                                            known=", ".join(Service.values())))
    return key


def run_record(args) -> int:
    if not args.partner:
        raise Misuse(_("followup {action} needs a PARTNER").format(action=args.action))
    if args.data_dir:
        raise Misuse(_("events are recorded in the workspace (--db), not in a --data-dir folder"))
    chosen = [x.strip() for v in (args.services or []) for x in v.split(",") if x.strip()]
    if len(chosen) > 1:
        raise Misuse(_("an event names one --service (or none: all the partner's services)"))
    service = _service(chosen[0] if chosen else None)
    handover_to = None
    if args.action == "confirm":
        if args.event_date is None:
            raise Misuse(_("followup confirm needs --date (the partner's actual last day)"))
        kind, when = "confirmed", args.event_date
    elif args.action == "extend":
        if not args.to:
            raise Misuse(_("followup extend needs --to DATE (the new planned end)"))
        try:
            when = date_arg(args.to)
        except Exception as exc:  # argparse.ArgumentTypeError
            raise Misuse(f"--to: {exc}") from None
        kind = "extended"
    else:
        if not args.to or args.event_date is None:
            raise Misuse(_("followup handover needs --to BODY and --date (the partner's last day)"))
        kind, when, handover_to = "handed_over", args.event_date, args.to
    store = open_workspace(args)
    try:
        known = first_spellings(store.published_dataset().presence["partner"])  # "IOM", "I.O.M.": one partner
        partner = known.get(partner_key(args.partner))
        if partner is None:
            raise Misuse(_("unknown partner {partner}; the published presence has: {known}").format(
                partner=repr(args.partner), known=", ".join(sorted(known.values()))))
        try:
            eid = store.record_exit_event(partner, kind, when, service=service, scope_id=args.scope_id,
                                          handover_to=handover_to, note=args.note)
        except ValueError as exc:
            raise Misuse(str(exc)) from None
        ev = store.exit_events().set_index("id").loc[eid]
    finally:
        store.close()
    print(eid)
    _say(_("recorded {event} (by {who})").format(event=exit_event_words(ev.to_dict()), who=ev["recorded_by"]))
    return EXIT_OK


def run_events(args) -> int:
    store = open_workspace(args)
    try:
        ev = store.exit_events()
    finally:
        store.close()
    if args.json:
        rows = _jsonable(ev.assign(recorded_at=[t.isoformat() for t in ev["recorded_at"]]) if len(ev) else ev)
        for r in rows:
            if r.get("end_date") is not None and not isinstance(r["end_date"], str):
                r["end_date"] = r["end_date"].isoformat()
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if ev.empty:
        print(_("No exit event recorded."))
    for r in ev.to_dict(orient="records"):
        print(f"  {r['id']}  {r['recorded_at']:%Y-%m-%d %H:%M}  {r['recorded_by']}  {exit_event_words(r)}")
    return EXIT_OK
