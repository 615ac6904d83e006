"""Partner presence sheets (3W / 4W / 5W: who does what, where, when) into ``presence`` rows.

Where the data comes from: the coordination groups' partner mappings (ABC/JCF, DSTWG,
clusters), each agency with its own template, often with an HXL hashtag row
(``#org+name``, ``#org+impl``, ``#sector``, ``#adm1+code``, ``#loc+name``,
``#date+start``, ``#date+end``).

Caveats handled here:

- services are named freely ("WASH", "Shelter/NFI", "ICLA" …): :data:`SERVICE_SYNONYMS`
  maps them to our vocabulary; an unknown name rejects the row with the closest names;
- dates come as ISO, day/month/year, month-year (an end month means its last day),
  Excel serials or "ongoing" (an empty end date). A row is rejected only when its
  identity fails (partner, place, service); a date that cannot be read is a warning, the
  row is kept with the date empty, and an unread *end* date is flagged as unknown (status
  ``end_unknown``: never counted as serving, never taken for "ongoing"; :func:`_dates_and_status`);
- the place is the most specific one given: a site (id or name), a site group, a
  district (p-code or name) or a governorate. Site and district *names* are resolved to
  ids against the sites of the dataset being built (:func:`resolve_names`);
- the partner type is taken from a column or inferred from well-known names (UN
  agencies, ministries and directorates); otherwise "other", with a note.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dsdash.coverage.presence import partner_key, partner_keys
from dsdash.i18n import N_, _, ngettext
from dsdash.importers.common import blank_rows, closest, governorate_codes, pcodes, repeated_headers, rows_text
from dsdash.importers.detect import PRESENCE_HEADERS, Header
from dsdash.importers.readers import RawTable
from dsdash.parse import says_ongoing
from dsdash.provenance import local_date
from dsdash.schema import (
    PRESENCE, SERVICE_LABELS, SERVICE_SYNONYMS, LoadReport, PartnerType, PresenceStatus, Problem, Scope,
    normalise_text,
)
from dsdash.validate import as_text, check_table, coerce, empty_table

KIND = "presence"

_SERVICE_LOOKUP: dict[str, str] = {}
for _code, _names in SERVICE_SYNONYMS.items():
    for _n in _names + [_code, SERVICE_LABELS[_code]]:
        _SERVICE_LOOKUP.setdefault(normalise_text(_n), _code)

_TYPE_LOOKUP = {
    "un": "UN", "un agency": "UN", "united nations": "UN", "ingo": "INGO", "international ngo": "INGO",
    "international": "INGO", "nngo": "NNGO", "national ngo": "NNGO", "local ngo": "NNGO", "lngo": "NNGO",
    "ngo": "NNGO", "national": "NNGO", "government": "government", "gov": "government", "govt": "government",
    "ministry": "government", "authorities": "government", "public": "government", "other": "other",
    "red cross / red crescent": "other", "rcrc": "other", "private sector": "other",
}
_UN_NAMES = {"unhcr", "unicef", "iom", "who", "wfp", "unfpa", "undp", "un-habitat", "un habitat", "fao", "ocha",
             "unmas", "unops", "unesco", "ilo", "unami"}
_GOV_WORDS = ("ministry", "directorate", "momd", "governorate", "municipality", "government", "mayor")
_STATUS_LOOKUP = {
    "ongoing": "active", "active": "active", "on-going": "active", "running": "active", "in progress": "active",
    "planned": "planned", "pipeline": "planned", "in pipeline": "planned", "proposed": "planned",
    "not started": "planned", "upcoming": "planned", "to start": "planned", "mobilising": "planned",
    "مستمر": "active", "مستمرة": "active", "جاري": "active", "قيد التنفيذ": "active", "مخطط": "planned",
    "مخطط له": "planned", "منتهي": "ended", "منتهية": "ended", "مكتمل": "ended", "مكتملة": "ended",
    "completed": "ended", "complete": "ended", "ended": "ended", "closed": "ended", "finished": "ended",
    "stopped": "ended", "suspended": "ended", "phasing out": "scheduled_end", "scheduled end": "scheduled_end",
    "ending": "scheduled_end", "scheduled_end": "scheduled_end",
}


def service_code(name: object) -> str | None:
    """Our service code of a sector/service name as partners write it.

    Examples:
        >>> service_code("WASH"), service_code("Shelter/NFI"), service_code("ICLA"), service_code("Legal Aid ")
        ('water', 'shelter_nfi', 'protection_legal', 'protection_legal')
        >>> service_code("Astrology") is None
        True
    """
    return _SERVICE_LOOKUP.get(normalise_text(name))


def service_suggestions(name: object) -> list[str]:
    """The closest service names (our vocabulary's codes) for an unknown one."""
    out = []
    for s in closest(str(name), list(_SERVICE_LOOKUP), n=5):
        code = _SERVICE_LOOKUP[s]
        if code not in out:
            out.append(code)
    return out[:3]


def partner_type_of(partner: str, stated: object = None) -> tuple[str, bool]:
    """``(partner type, inferred?)`` from the stated type, else from the name.

    Examples:
        >>> partner_type_of("IRC", "International NGO"), partner_type_of("UNHCR"), partner_type_of("DoW Anbar", None)
        (('INGO', False), ('UN', True), ('other', True))
        >>> partner_type_of("Directorate of Water"), partner_type_of("U.N.H.C.R."), partner_type_of(" i.o.m. ")
        (('government', True), ('UN', True), ('UN', True))
    """
    if stated is not None and not (isinstance(stated, float) and stated != stated):
        t = normalise_text(stated)
        if t in _TYPE_LOOKUP:
            return _TYPE_LOOKUP[t], False
        for v in PartnerType.values():
            if t == v.lower():
                return v, False
    n = partner_key(partner)  # "U.N.H.C.R." is UNHCR
    if n in _UN_NAMES or n.split(" ")[0] in _UN_NAMES:
        return "UN", True
    if any(w in n for w in _GOV_WORDS):
        return "government", True
    return "other", True


#: Sheet names of a template's dropdown lists (English, French, Arabic), not of its data.
_LOOKUP_SHEET = re.compile(r"(?<![a-z])(lists?|drop ?-?downs?|look ?-?ups?|(data )?validations?|refs?|reference( data)?|"
                           r"codes?|code ?lists?|options|choices|categories|vocabular(y|ies)|listes?)(?![a-z])|قوائم|قائمة|القوائم")
#: The fields that make a presence row: who, what, where.
_IDENTITY = (("partner", "implementer"), ("service",),
             ("site_id", "site_name", "site_group", "district", "district_code", "governorate", "governorate_code"))


def _lookup_lists(m: dict[str, pd.Series], sheet: str | None) -> str | None:
    """Why a sheet is a template's lookup lists (partners, sectors, governorates … as dropdown
    sources), or None when it reads as presence.

    Lookup lists are columns written independently: every column holds each value once, the
    columns end at different rows (7 partners, 5 sectors, 6 governorates), and no column gives
    dates. A sheet named like one ("Lists", "Dropdowns", "Lookups", "Validation" …) needs only
    distinct values per column; any other sheet also needs its partner and service lists to end
    at different rows, no dates and at least 3 rows (a short presence sheet with a blank cell, or
    with optional columns left blank, stays presence).

    Examples:
        >>> s = lambda *v: pd.Series(list(v), dtype="string")
        >>> lists = {"partner": s("UNHCR", "IOM", "WHO", pd.NA), "service": s("WASH", "Health", pd.NA, pd.NA),
        ...          "governorate": s("Anbar", "Ninewa", "Kirkuk", "Diyala")}
        >>> _lookup_lists(lists, "Lists") is not None, _lookup_lists(lists, "Sheet3") is not None
        (True, True)
        >>> rows = {"partner": s("IOM", "IOM", "WHO"), "service": s("WASH", "Health", "Health"),
        ...         "governorate": s("Anbar", "Anbar", "Kirkuk")}
        >>> _lookup_lists(rows, "Lists") is None
        True
    """
    cols = {f: v for f, v in m.items() if f in {x for g in _IDENTITY for x in g} | {"partner_type", "funded_by"}}
    if not cols or not all(any(f in m for f in g) for g in _IDENTITY):
        return None
    counts = {}
    for f, v in cols.items():
        have = v.notna().to_numpy()
        vals = v[have].map(normalise_text)
        if vals.duplicated().any():
            return None  # a value repeats down a column: rows of data
        last = int(np.flatnonzero(have)[-1]) + 1 if have.any() else 0
        if have[:last].sum() != last:
            return None  # a gap inside a column: rows with a blank cell, not a list
        counts[f] = last
    named = bool(_LOOKUP_SHEET.search(normalise_text(sheet or "")))
    ragged = len(set(counts.values())) > 1
    dated = any(f in m and m[f].notna().any() for f in ("start_date", "end_date", "status"))
    # unnamed: the partners' and the services' lists end at different rows (rows of data have both; a row
    # without one of them could never be presence)
    who = max((counts[f] for f in ("partner", "implementer") if f in counts), default=0)
    lists = who != counts.get("service", 0)
    if not named and (not lists or dated or max(counts.values(), default=0) < 3):
        return None
    sizes = ", ".join(f"{n} {f.replace('_', ' ')}" for f, n in counts.items())
    return (_("its columns are separate lookup lists (values each once, columns of different lengths: {sizes}), "
              "not rows of who serves where").format(sizes=sizes) if ragged else
            _("the sheet's name says it holds lookup lists and every column holds each value once ({sizes}); "
              "not rows of who serves where").format(sizes=sizes))


def import_presence(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Read a 3W/4W/5W sheet into the ``presence`` table (scope ids of names resolved later)."""
    sheet = raw.sheet
    rep = LoadReport(file=file, kind=KIND, encoding=raw.encoding, sheet=sheet)
    start = header.row + 1 + (1 if header.hxl_row is not None else 0)
    body = raw.frame.iloc[start:]
    cols = header.columns
    sub = body[list(cols.values())]
    repeated, repeated_note = repeated_headers(body, header, PRESENCE_HEADERS, ("service", "partner", "implementer"))
    keep_rows = ~blank_rows(sub) & ~repeated
    body = body[keep_rows]
    rownums = body.index.to_numpy() + 1
    m = {f: as_text(pd.Series(body[j].to_numpy(dtype=object))) for f, j in cols.items()}
    n = len(body)
    lab = header.labels
    rep.notes.append(_("header found on row {row}").format(row=header.row + 1)
                     + (_(" with an HXL hashtag row") if header.hxl_row is not None else ""))
    if repeated_note:
        rep.notes.append(repeated_note)
    if header.unused:
        rep.notes.append(_("columns not used: {columns}").format(columns=", ".join(header.unused[:20])))
    lookup = _lookup_lists(m, sheet)
    if lookup:  # a dropdown sheet of a 4W template: nobody's presence; the sheet is not read
        rep.problems.append(Problem(file, _("sheet not read as partner presence: {reason}").format(reason=lookup),
                                    None, None, sheet, "warning"))
        return {"presence": empty_table(PRESENCE)}, rep
    probs = rep.problems
    pre_bad = np.zeros(n, dtype=bool)
    na = pd.Series(pd.NA, index=range(n), dtype="string")

    partner = _one_spelling(m.get("implementer", na).fillna(m.get("partner", na)), rep)
    # a row naming an implementing partner beside the reporting one (4W/5W): the service is the implementer's,
    # and the organisation type the sheet states is the reporting partner's, not the implementer's (UNHCR's
    # "UN" is not Harikar's): the implementer's type comes from its name
    reporter = m.get("partner", na)
    other = (partner.notna() & reporter.notna() & (partner_keys(partner) != partner_keys(reporter))
             ).fillna(False).to_numpy(dtype=bool)
    if other.any():
        rep.notes.append(ngettext(
            "{n} row names an implementing partner beside the reporting partner (column '{column}'): the presence "
            "is the implementer's; the stated organisation type is not applied to it",
            "{n} rows name an implementing partner beside the reporting partner (column '{column}'): the presence "
            "is the implementer's; the stated organisation type is not applied to it", int(other.sum())).format(
            n=int(other.sum()), column=lab.get("partner", "partner")))
    # a row without a partner is rejected for that alone (one error naming the partner columns, not an echo
    # per column: the organisation type is not asked for when nobody is named)
    who = [lab[f] for f in ("partner", "implementer") if f in lab]
    for i in np.flatnonzero(partner.isna().to_numpy()):
        probs.append(Problem(file, _("the partner is empty: a row needs the organisation that delivers the service"),
                             int(rownums[i]), " / ".join(who) or "partner", sheet))
        pre_bad[i] = True
    ptype = np.empty(n, dtype=object)
    inferred = 0
    stated = m.get("partner_type", na).mask(pd.Series(other, index=range(n)))
    for i in range(n):
        if pd.isna(partner.iat[i]):
            ptype[i] = None
            continue
        t, inf = partner_type_of(partner.iat[i], None if pd.isna(stated.iat[i]) else stated.iat[i])
        ptype[i] = t
        inferred += inf
        if inf and not pd.isna(stated.iat[i]):
            probs.append(Problem(file, _("organisation type '{stated}' not recognised; taken as '{type}'").format(
                                     stated=stated.iat[i], type=t),
                                 int(rownums[i]), lab.get("partner_type"), sheet, "warning"))
    if inferred:
        rep.notes.append(ngettext("{n} row: partner type inferred from the partner's name",
                                  "{n} rows: partner type inferred from the partner's name", inferred).format(n=inferred))

    svc_raw = m.get("service", na)
    svc = svc_raw.map(lambda v: service_code(v) if not pd.isna(v) else None).astype("string")
    for i in np.flatnonzero(svc.isna().to_numpy() & svc_raw.notna().to_numpy()):
        sugg = service_suggestions(svc_raw.iat[i])
        probs.append(Problem(file, _("'{value}' is not a service we know").format(value=svc_raw.iat[i])
                             + (_(" (closest: {names})").format(names=", ".join(sugg)) if sugg else
                                _(" (services: {names})").format(names=", ".join(SERVICE_LABELS))), int(rownums[i]),
                             lab.get("service"),
                             sheet))
        pre_bad[i] = True

    # ---- scope: the most specific place given
    scope = np.full(n, None, dtype=object)
    scope_id = np.full(n, None, dtype=object)
    resolve = np.full(n, None, dtype=object)  # "site_name" / "district_name" when the id is a name
    gov_codes = pd.Series(pd.NA, index=range(n), dtype="string")
    if "governorate_code" in m:
        gov_codes = pcodes(m["governorate_code"]).str.slice(0, 5)
    if "governorate" in m:
        by_name, unknown = governorate_codes(m["governorate"])
        gov_codes = gov_codes.fillna(by_name)
        for i in np.flatnonzero(gov_codes.isna().to_numpy() & m["governorate"].notna().to_numpy()):
            v = m["governorate"].iat[i]
            s = unknown.get(str(v), [])
            probs.append(Problem(file, _("'{value}' is not a governorate of Iraq").format(value=v)
                                 + (_(" (closest: {names})").format(names=", ".join(s)) if s else ""), int(rownums[i]),
                                 lab.get("governorate"), sheet))
            pre_bad[i] = True
    dist_codes = pcodes(m["district_code"]) if "district_code" in m else na
    levels = [
        ("site_id", Scope.SITE.value, None), ("site_name", Scope.SITE.value, "site_name"),
        ("site_group", Scope.SITE_GROUP.value, None), ("__dcode", Scope.DISTRICT.value, None),
        ("district", Scope.DISTRICT.value, "district_name"), ("__gcode", Scope.GOVERNORATE.value, None),
    ]
    values = dict(m)
    values["__dcode"] = dist_codes
    values["__gcode"] = gov_codes
    for fld, sc, res in reversed(levels):
        if fld not in values:
            continue
        v = values[fld].to_numpy(dtype=object, na_value=None)
        has = np.array([x is not None for x in v], dtype=bool)
        scope[has] = sc
        scope_id[has] = v[has]
        resolve[has] = res
    for i in np.flatnonzero(np.array([s is None for s in scope]) & ~pre_bad):
        places = [lab[f] for f in ("site_id", "site_name", "site_group", "district", "district_code", "governorate",
                                   "governorate_code") if f in lab]
        probs.append(Problem(file, _("no place given (site, site group, district or governorate)"), int(rownums[i]),
                             " / ".join(places) or "location", sheet))
        pre_bad[i] = True

    # ---- status as stated (the dates decide the rest, once read: see _dates_and_status)
    st_raw = m.get("status", na)
    stated = np.full(n, None, dtype=object)
    for i in np.flatnonzero(st_raw.notna().to_numpy()):
        s = _STATUS_LOOKUP.get(normalise_text(st_raw.iat[i]))
        if s:
            stated[i] = s
        else:
            probs.append(Problem(file, _("status '{value}' not recognised (ongoing, completed, planned …); the dates "
                                         "decide").format(value=st_raw.iat[i]), int(rownums[i]), lab.get("status"), sheet, "warning"))

    def as_stated(cells: pd.Series) -> pd.Series:  # a workbook's date cell as its date ('2024-01-01', not '… 00:00:00')
        return cells.fillna("").str.replace(r"^(\d{4}-\d\d-\d\d)[ T]00:00:00$", r"\1", regex=True)

    stated_dates = (as_stated(m.get("start_date", na)) + " – " + as_stated(m.get("end_date", na))).str.strip(" –")
    source = pd.Series(rownums.astype(str), dtype="string").radd(f"{file}{f' sheet {sheet}' if sheet else ''}, row ")
    raw_rows = pd.DataFrame({
        "partner": partner, "partner_type": ptype, "funded_by": m.get("funded_by", na), "scope": scope,
        "scope_id": scope_id, "service": svc.mask(svc.isna(), svc_raw), "start_date": m.get("start_date", na),
        "end_date": m.get("end_date", na), "dates_as_stated": stated_dates.mask(stated_dates == ""),
        "status": np.where(pd.isna(stated), PresenceStatus.ACTIVE.value, stated),
        "handover_to": m.get("handover_to", na), "note": m.get("note", na), "source": source,
    })
    labels = {**lab, "partner": lab.get("implementer", lab.get("partner", "partner")),
              "scope_id": lab.get("site_name", lab.get("site_id", "location"))}
    typed, keep = check_table(raw_rows, PRESENCE, rownums, file=file, sheet=sheet, report=rep, pre_bad=pre_bad,
                              labels=labels, key=(), if_unread=IF_UNREAD)
    texts = {f: m.get(f, na).to_numpy(dtype=object, na_value=None)[keep] for f in ("start_date", "end_date")}
    _dates_and_status(typed, texts, stated[keep], rownums[keep], file, sheet, rep, lab)
    typed["resolve"] = pd.array(resolve[keep], dtype="string")
    typed["row"] = pd.array(rownums[keep], dtype="Int64")
    title = rows_text(raw.frame, header.row)
    if title:
        rep.notes.append(_("title: {title}").format(title=title[:120]))
    return {"presence": coerce(typed, PRESENCE)}, rep


def _one_spelling(partner: pd.Series, rep: LoadReport) -> pd.Series:
    """Partner names with spaces collapsed, and each partner under one spelling: names that are one
    partner by :func:`dsdash.coverage.presence.partner_key` (" iom " and "IOM", "HARIKAR" and
    "Harikar", "I.O.M." and "IOM") take the spelling written first; a note says which were merged."""
    clean = partner.str.replace(r"\s+", " ", regex=True).str.strip()
    clean = clean.mask(clean == "")
    keys = partner_keys(clean)
    first = clean.groupby(keys, sort=False).first()
    out = keys.map(first).astype("string").where(clean.notna())
    merged = {}
    for was, now in zip(partner.tolist(), out.tolist()):
        if isinstance(was, str) and isinstance(now, str) and was != now:
            merged.setdefault(was, now)
    if merged:
        rep.notes.append(ngettext(
            "{n} partner name read as the same partner written earlier in the file (case, spaces and the dots of an "
            "acronym do not count): {pairs}",
            "{n} partner names read as the same partners written earlier in the file (case, spaces and the dots of an "
            "acronym do not count): {pairs}", len(merged)).format(
            n=len(merged), pairs=", ".join(f"'{a}' as '{b}'" for a, b in list(merged.items())[:10])))
    return out


#: What an unread date means for a presence row (see :func:`_dates_and_status`).
IF_UNREAD = {
    "start_date": N_("the start is treated as unknown (serving since before the records)"),
    "end_date": N_("the end is treated as unknown: the row is kept with status 'end date not read' and is not "
                   "counted as serving (its cell shows 'end unconfirmed'); correct the date to see when it ends"),
}


def _dates_and_status(typed: pd.DataFrame, texts: dict[str, np.ndarray], stated: np.ndarray, rownums: np.ndarray,
                      file: str, sheet: str | None, rep: LoadReport, lab: dict) -> None:
    """Each accepted row's status, from what the file states and the dates as read (in place).

    ``texts``: the start and end dates as written, ``stated``: the stated status (or None),
    one per accepted row.

    - A stated status wins (completed → ``ended``, ongoing → ``active``, planned → ``planned`` …).
    - Otherwise an end date makes it ``scheduled_end``, no end date (or "ongoing") ``active``.
    - An end date that is written but cannot be read is not "ongoing": the row is kept
      with its end empty and status ``end_unknown`` (unless the file states "ended"), its
      note says the end date was not read (the text stays in ``dates_as_stated``), and the
      report warns. Coverage never counts it as serving: from its start its cell is "end
      unconfirmed", the partner listed with "end date not known" (:mod:`dsdash.coverage.presence`).
    - A ``planned`` row without a start date has not started: it never counts as serving.
    - A start after the end is a warning (the row never counts as serving), not a rejection.
    """
    n = len(typed)
    if not n:
        return
    notes = typed["note"].astype(object).where(typed["note"].notna(), None).to_numpy(dtype=object, copy=True)
    unknown = {}
    for f, what in (("start_date", "start"), ("end_date", "end")):
        text = as_text(pd.Series(texts[f], dtype=object))
        # written but not read (check_table read the column: a cell failed, or the column was ignored);
        # "ongoing" and the like read as no date without a problem: an open end, not an unknown one
        unread = text.notna().to_numpy() & typed[f].isna().to_numpy()
        if unread.any():
            cells = text[unread]
            unread[unread] = ~cells.isin([v for v in cells.unique() if says_ongoing(v)]).to_numpy()
        unknown[f] = unread
        for i in np.flatnonzero(unknown[f]):
            msg = f"{what} date '{text.iat[i]}' not read: the {what} is unknown"
            notes[i] = msg if notes[i] is None else f"{notes[i]}; {msg}"
    end_known = typed["end_date"].notna().to_numpy()
    default = np.where(end_known, PresenceStatus.SCHEDULED_END.value, PresenceStatus.ACTIVE.value)
    status = np.where(pd.isna(stated), default, stated)
    # an end written but not read: when the row ends is not known (never "ongoing"), unless the file says it ended,
    # or that it is planned with no start (not started: it stays planned, and never serves)
    unstarted = (status == PresenceStatus.PLANNED.value) & typed["start_date"].isna().to_numpy()
    status = np.where(unknown["end_date"] & (status != PresenceStatus.ENDED.value) & ~unstarted,
                      PresenceStatus.END_UNKNOWN.value, status)
    typed["status"] = pd.array(status, dtype="string")
    typed["note"] = pd.array(notes, dtype="string")
    start, end = typed["start_date"], typed["end_date"]
    for i in np.flatnonzero((start.notna() & end.notna() & (start > end)).to_numpy()):
        rep.problems.append(Problem(file, _("starts ({start}) after it ends ({end}): the row never counts as serving; "
                                            "check the dates").format(start=local_date(pd.Timestamp(start.iat[i])),
                                                                      end=local_date(pd.Timestamp(end.iat[i]))), int(rownums[i]),
                                    lab.get("end_date"), sheet, "warning"))


def resolve_names(presence: pd.DataFrame, sites: pd.DataFrame, reports: dict[str, LoadReport]) -> pd.DataFrame:
    """Turn site and district *names* in scope_id into ids, against ``sites``.

    Rows whose name matches no site keep the name and get a warning in their file's report
    (coverage lists them as matching no site).
    """
    if "resolve" not in presence.columns or presence["resolve"].isna().all():
        return presence.drop(columns=["resolve", "row"], errors="ignore")
    out = presence.copy()
    site_by_name: dict[str, str] = {}
    for sid, name, ar in sites[["site_id", "site_name", "site_name_ar"]].itertuples(index=False):
        for nm in (name, ar):
            if isinstance(nm, str) and nm:
                site_by_name.setdefault(normalise_text(nm), sid)
    site_ids = set(sites["site_id"].dropna())
    dist_by_name: dict[str, str] = {}
    for code, name in sites[["admin2_code", "admin2_name"]].dropna().itertuples(index=False):
        dist_by_name.setdefault(normalise_text(name), code)
    ids = np.array(out["scope_id"].astype(object).tolist(), dtype=object)
    for i, (how, sid) in enumerate(zip(out["resolve"].tolist(), ids)):
        if how is pd.NA or how is None or (how == "site_name" and sid in site_ids):
            continue
        table = site_by_name if how == "site_name" else dist_by_name
        hit = table.get(normalise_text(sid))
        if hit:
            ids[i] = hit
            continue
        src = str(out["source"].iat[i])
        rep = next((r for f, r in reports.items() if src.startswith(f)), None)
        if rep is not None:
            sugg = closest(str(sid), list(table))
            rep.problems.append(Problem(
                rep.file, (_("site '{value}' matches no site of the data being built") if how == "site_name" else
                           _("district '{value}' matches no district of the data being built")).format(value=sid)
                + (_(" (closest: {names})").format(names=", ".join(sugg)) if sugg else "")
                + _("; kept, it will show as unmatched"),
                int(out["row"].iat[i]) if "row" in out and not pd.isna(out["row"].iat[i]) else None,
                "site" if how == "site_name" else "district", rep.sheet, "warning"))
    out["scope_id"] = pd.array(ids, dtype="string")
    return out.drop(columns=["resolve", "row"], errors="ignore")
