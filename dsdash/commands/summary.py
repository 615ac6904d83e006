"""``python -m dsdash summary [FILE...] [--json]``: per file, what it holds, and the current
picture of the data they make together.

For each file: ``kind``, ``rows_in``, ``rows_accepted``, ``rows_rejected``,
``locations``, ``households``, ``individuals``, and the same by governorate (COD-AB name
and p-code). Then the *current picture* (:func:`dsdash.figures.current_picture`, the
numbers the Overview, the map and the deck show): the files imported together on top of
the published workspace as the app would (each population group's latest round; sites missing
from it closed; nothing is stored), or, without FILE, the published workspace itself (``--db``;
or the tables of ``--data-dir``).
``--json`` prints ``{"files": [...], "current": {...}}``.

Exit codes as ``validate``: 0 all loaded, 1 something rejected, 2 misuse or a file that
needs an option. A Master List without its reference date or its population group is still
counted (its rows are readable); the command asks for ``--date`` or ``--group`` on stderr and
exits 2.
"""

from __future__ import annotations

import json

from dsdash.i18n import _, iso, list_sep, ngettext
from dsdash.commands.args import (
    EXIT_MISUSE, EXIT_OK, EXIT_REJECTED, add_data_dir, add_import_options, ask_for_what_files_need, import_paths,
    load_data,
)
from dsdash.figures import current_picture
from dsdash.importers import kinds
from dsdash.importers.summary import file_summary
from dsdash.schema import POPULATION_GROUP_LABELS


def register(sub) -> None:
    p = sub.add_parser("summary", help=_("locations, households and individuals per file and governorate, and the "
                                       "current picture (latest round of each group)"))
    add_import_options(p, files_required=False)
    add_data_dir(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=run)


def run(args) -> int:
    results = import_paths(args) if args.files else []
    out = [file_summary(res) for res in results]
    ds = load_data(args, results)
    picture = current_picture(ds).record()
    # a file that waits for its group or date is not in the picture: said, so the seed's (or the other files')
    # picture is not read as the file's own
    waiting = [r.file for res in results for r in res.reports if r.questions]
    if args.json:
        print(json.dumps({"files": out, "current": picture, **({"left_out": waiting} if waiting else {})},
                         ensure_ascii=False, indent=1))
    else:
        for s in out:
            print(_("{file}: {kind}; rows in {rows_in} = accepted {accepted} + rejected {rejected}").format(
                file=s["file"], kind=kinds.label(s["kind"]), rows_in=f"{s['rows_in']:,}", accepted=f"{s['rows_accepted']:,}",
                rejected=f"{s['rows_rejected']:,}"))
            print(_("  locations {locations}, households {households}, individuals {individuals}").format(
                locations=f"{s['locations']:,}", households=_n(s["households"]), individuals=_n(s["individuals"])))
            for g in s["by_governorate"]:
                print(_("  {code} {name} locations {locations}  households {households}  individuals {individuals}")
                      .format(code=g["admin1_code"], name=f"{g['admin1_name']:<16}", locations=f"{g['locations']:>6,}",
                              households=f"{_n(g['households']):>10}", individuals=f"{_n(g['individuals']):>11}"))
        if waiting:  # said before the picture: its figures are not the waiting file's
            names = list(dict.fromkeys(waiting))
            used = any(res.usable for res in results)
            print((ngettext("Not in the picture below until its questions are answered (--group, --date): {files}; "
                            "the picture is the published workspace's, with the other files on top",
                            "Not in the picture below until their questions are answered (--group, --date): "
                            "{files}; the picture is the published workspace's, with the other files on top",
                            len(names)) if used else
                   ngettext("Not in the picture below until its questions are answered (--group, --date): {files}; "
                            "the picture is the published workspace's, without it",
                            "Not in the picture below until their questions are answered (--group, --date): "
                            "{files}; the picture is the published workspace's, without them", len(names)))
                  .format(files=list_sep().join(iso(f) for f in names)))
        print(picture_text(picture))
    if ask_for_what_files_need(results, "summary"):
        return EXIT_MISUSE
    return EXIT_OK if all(r.ok for res in results for r in res.reports) else EXIT_REJECTED


def picture_text(p: dict) -> str:
    """The current picture as lines of text (the Overview's site figures)."""
    change = "" if p["change_individuals"] is None else f" ({p['change_individuals']:+,} {p['change_label']})"
    lines = [_("Current picture (latest round of each group, {rounds}): sites {sites}, households {households}, "
               "individuals {individuals}{change}").format(
        rounds=p["rounds"], sites=f"{p['sites']:,}", households=_n(p["households"]),
        individuals=_n(p["individuals"]), change=change)]
    if p["closed_sites"]:
        lines.append(_("  {n} closed sites not counted").format(n=f"{p['closed_sites']:,}"))
    for g in p["groups"]:
        lines.append(_("  {group} {date}: sites {sites}, individuals {individuals}, opened {opened}, closed {closed}")
                     .format(group=_(POPULATION_GROUP_LABELS.get(g["population_group"], g["population_group"])),
                             date=g["reference_date"], sites=f"{g['sites']:,}",
                             individuals=_n(g["individuals"]), opened=f"{g['opened']:,}", closed=f"{g['closed']:,}"))
    return "\n".join(lines)


def _n(v) -> str:
    return "—" if v is None else f"{v:,}"
