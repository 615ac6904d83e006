"""A user's ABC/JCF catchments table: coordination areas as sets of districts (issue 16).

The bundled ``data/catchments.csv`` marks most of its rows "assumed": the seeds name the areas
but not their districts. A focal point who knows better uploads a table of their own (Upload
page, ``python -m dsdash store add FILE``, or ``--catchments FILE`` on a command); once
published it replaces the bundled table everywhere (:func:`dsdash.catchments.catchments_of`).

Two layouts, recognised by their header (:func:`find_catchments`, tried before every other kind):

- **one row per catchment**: a name and a cell listing its districts, as p-codes
  (``IQG01Q01; IQG01Q03``; separated by ``;``, ``,``, ``|``, ``/`` or spaces) or as COD-AB
  district names (``Al-Falluja``) when they name exactly one district;
- **one row per catchment and district** (the layout of ``data/catchments.csv`` and of the
  app's download).

Columns (header spellings in :data:`HEADERS`): the catchment's name and its districts (both
required); optionally its kind (``abc``, ``local``, ``jcf``; default ``abc``), the basis
(``stated`` / ``assumed``, or an "assumed" column of yes/no), the reasoning, the source, and what
it replaces. Every row of the file is accepted or rejected (rows in = accepted + rejected):

- rejected: no name; no district; a district that is not one of the 101 COD-AB districts
  (named, with the closest p-codes); a kind or basis that cannot be read; a district already in
  another catchment of the same kind (catchments of one kind do not overlap, so per-catchment
  totals add up);
- a warning, row kept: an assumed row without its reasoning; a row without a source (the file
  and row are its source then); a district listed twice for the same catchment.

Names come from the file and are untrusted: they are kept as text and shown as data only. The
district names and governorates kept are COD-AB's, not the file's.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd

from dsdash.i18n import _
from dsdash.importers.common import blank_rows, closest
from dsdash.importers.detect import Header, TopRows, header_key
from dsdash.importers.readers import RawTable
from dsdash.schema import CATCHMENTS, LoadReport, Problem, normalise_text
from dsdash.validate import coerce

#: Kind name (the report's kind).
KIND = "catchments"

#: Field → header spellings (as :func:`dsdash.importers.detect.header_key` has them).
HEADERS: dict[str, tuple[str, ...]] = {
    "catchment": ("catchment", "catchment name", "catchment area", "name of catchment", "catchments", "abc",
                  "jcf", "abc/jcf", "abc jcf", "abc or jcf", "abc area", "jcf area", "area name", "name",
                  "#region+name"),
    "districts": ("districts", "district", "district p-codes", "district pcodes", "district p-code",
                  "district pcode", "district codes", "district code", "admin2_code", "admin2 code", "admin2 codes",
                  "admin2 pcode", "admin2 pcodes", "admin2 p-code", "adm2 pcode", "adm2_pcode", "adm2 code",
                  "adm2", "admin2", "#adm2+code", "#adm2+name"),
    "kind": ("kind", "catchment kind", "catchment type", "type", "level", "#region+type"),
    "basis": ("basis", "stated or assumed", "#status+basis"),
    "assumed": ("assumed", "is assumed", "assumption"),
    "reasoning": ("reasoning", "reason", "why", "notes", "note", "comment", "comments", "#description+reasoning"),
    "source": ("source", "sources", "reference", "references", "#meta+source"),
    "replaces": ("replaces", "replaced", "#region+replaced"),
}
_LOOKUP = {header_key(s): f for f, syn in HEADERS.items() for s in syn}
_CATCHMENT_KEYS = frozenset(k for k, f in _LOOKUP.items() if f == "catchment")
_DISTRICTS_KEYS = frozenset(k for k, f in _LOOKUP.items() if f == "districts")
#: Header words that belong to other kinds: a header naming one is not a catchments table.
_OTHER_KINDS = re.compile(r"individual|household|famil|partner|organi[sz]ation|service|sector|site|latitude|"
                          r"longitude|indicator|origin|destination|#org|#loc|#population")
#: Kinds of catchment, and how a file may write them.
KIND_WORDS = {"abc": "abc", "abcs": "abc", "area based coordination": "abc", "area-based coordination": "abc",
              "area based coordination group": "abc", "area-based coordination group": "abc",
              "local": "local", "local coordination body": "local", "local body": "local",
              "jcf": "jcf", "jcfs": "jcf", "joint coordination forum": "jcf", "joint coordination forums": "jcf"}
_YES = {"yes", "y", "true", "1", "x", "assumed", "نعم"}
_NO = {"no", "n", "false", "0", "stated", "", "لا"}
_SPLIT = re.compile(r"\s*[;,|/\n]\s*")
PCODE = re.compile(r"^IQG\d{2}Q\d{2}$")
BOUNDARIES_NAME = "COD-AB districts (bundled, 101)"


@lru_cache(maxsize=1)
def districts() -> pd.DataFrame:
    """The 101 COD-AB districts of the bundled boundaries: pcode, name, name_ar, admin1_code
    (read from the GeoJSON's properties; no geometry needed to check a p-code)."""
    from dsdash.spatial import BUNDLED_DIR, BUNDLED_FILES

    with open(BUNDLED_DIR / BUNDLED_FILES["adm2"], encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    return pd.DataFrame([{k: f["properties"].get(k) for k in ("pcode", "name", "name_ar", "admin1_code")}
                         for f in feats])


def _name_key(text: str) -> str:
    t = normalise_text(text).replace("'", "").replace("’", "")
    t = re.sub(r"^al[- ]", "", t)
    return re.sub(r"[\s-]+", " ", t).strip()


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    d = districts()
    out: dict[str, list[str]] = {}
    for code, name, name_ar in zip(d["pcode"], d["name"], d["name_ar"]):
        for n in {_name_key(name), normalise_text(name_ar or "")} - {""}:
            out.setdefault(n, []).append(code)
    return out


def resolve_district(value: str) -> tuple[str | None, str | None]:
    """(p-code, None) for a district p-code or an unambiguous COD-AB district name; (None, why) else.

    Examples:
        >>> resolve_district("iqg01q01"), resolve_district("Falluja")[0], resolve_district("Al-Ramadi")[0]
        (('IQG01Q01', None), 'IQG01Q01', 'IQG01Q03')
        >>> resolve_district("IQG01Q99")[1]
        "district p-code 'IQG01Q99' is not one of the 101 COD-AB districts (districts of IQG01: IQG01Q01, IQG01Q02, IQG01Q03, IQG01Q04, IQG01Q05, IQG01Q06, IQG01Q07)"
    """
    v = str(value).strip()
    code = v.upper().replace(" ", "")
    known = set(districts()["pcode"])
    if code in known:
        return code, None
    if PCODE.match(code) or code.startswith("IQ"):
        same = sorted(c for c in known if c[:5] == code[:5])
        near = same[:8] if same else sorted(c.upper() for c in closest(code.lower(), sorted(c.lower() for c in known)))
        hint = (_(" (districts of {gov}: {codes})").format(gov=code[:5], codes=", ".join(near)) if same else
                _(" (closest: {codes})").format(codes=", ".join(near)) if near else "")
        return None, _("district p-code '{code}' is not one of the 101 COD-AB districts").format(code=v) + hint
    hits = _by_name().get(_name_key(v), [])
    if len(hits) == 1:
        return hits[0], None
    if len(hits) > 1:
        return None, _("district name '{name}' names {n} districts ({codes}); give the p-code").format(
            name=v, n=len(hits), codes=", ".join(hits))
    return None, _("district '{name}' is neither a p-code nor a name of the 101 COD-AB districts").format(name=v)


def find_catchments(frame: pd.DataFrame, top: TopRows | None = None) -> Header | None:
    """A catchments table: a header naming a catchment and its districts, and nothing of another kind.
    ``top``: the sheet's first rows with their keys, when :func:`dsdash.importers.kinds.detect` has them.

    Examples:
        >>> h = find_catchments(pd.DataFrame([["Catchment", "District p-codes", "Source"], ["East Anbar", "IQG01Q01", "x"]]))
        >>> h.kind, h.row, h.columns
        ('catchments', 0, {'catchment': 0, 'districts': 1, 'source': 2})
        >>> find_catchments(pd.DataFrame([["Site", "District", "Individuals"]])) is None
        True
    """
    top = TopRows(frame) if top is None else top
    for i, (row, keys) in enumerate(zip(top.rows, top.any_keys)):
        if _CATCHMENT_KEYS.isdisjoint(keys) or _DISTRICTS_KEYS.isdisjoint(keys):
            continue  # names no catchment, or no districts
        cols: dict[str, int] = {}
        labels: dict[str, str] = {}
        for j, k in enumerate(keys):
            f = _LOOKUP.get(k)
            if k == "admin2 name" or k == "district name":
                f = f or "district_name"
            if f and f not in cols:
                cols[f] = j
                labels[f] = str(row[j]).strip()
        if "catchment" in cols and "districts" in cols:
            if any(_OTHER_KINDS.search(k) for k in keys if k):
                return None
            hxl = i + 1 if i + 1 < len(top.rows) and top.is_hxl(i + 1) else None
            return Header(KIND, i, cols, labels, len(cols), hxl,
                          unused=[str(row[j]).strip() for j, k in enumerate(keys) if k and j not in cols.values()])
    return None


def _text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    return str(v).strip()


def import_catchments(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Read one catchments sheet: ``({"catchments": rows}, report)``, one table row per catchment ×
    district, every file row accepted or rejected with its reason (see the module)."""
    rep = LoadReport(file=file, kind=KIND, encoding=raw.encoding, sheet=raw.sheet)
    start = header.row + 1 + (1 if header.hxl_row is not None else 0)
    body = raw.frame.iloc[start:]
    body = body[~blank_rows(body[list(header.columns.values())])]
    c = header.columns
    head_keys = {f: header_key(header.labels.get(f, f)) for f in c}
    if "kind" not in c:
        rep.notes.append(_("no column for the kind of catchment: every catchment read as an ABC"))
    if "basis" not in c and "assumed" not in c:
        rep.notes.append(_("no basis or 'assumed' column: every row read as stated by its source"))
    if header.unused:
        rep.notes.append(_("columns not used: {names}").format(names=", ".join(header.unused)))
    d = districts().set_index("pcode")
    rows: list[dict] = []
    owner: dict[tuple[str, str], tuple[str, int]] = {}  # (kind, district) → (catchment, row)
    kind_of: dict[str, str] = {}
    for idx, vals in zip(body.index, body.to_numpy(dtype=object)):
        rowno = int(idx) + 1
        get = {f: _text(vals[j]) for f, j in c.items()}
        if all(get.get(f) == head_keys.get(f) or header_key(get.get(f)) == head_keys.get(f) for f in c):
            continue  # a header repeated mid-file
        rep.rows_in += 1

        def reject(reason: str, column: str | None = None) -> None:
            rep.rows_rejected += 1
            rep.problems.append(Problem(file, reason, row=rowno, column=column, sheet=raw.sheet))

        name = get["catchment"]
        col_name, col_d = header.labels.get("catchment"), header.labels.get("districts")
        if not name:
            reject(_("the catchment has no name"), col_name)
            continue
        kind = "abc"
        if "kind" in c and get["kind"]:
            kind = KIND_WORDS.get(normalise_text(get["kind"]))
            if kind is None:
                reject(_("kind '{value}' is not one of abc, local, jcf").format(value=get["kind"]),
                       header.labels.get("kind"))
                continue
        if kind_of.get(name, kind) != kind:
            reject(_("catchment '{name}' is of kind '{kind}' on an earlier row").format(name=name, kind=kind_of[name]),
                   header.labels.get("kind"))
            continue
        basis = "stated"
        if "basis" in c and get["basis"]:
            b = normalise_text(get["basis"])
            if b not in ("stated", "assumed"):
                reject(_("basis '{value}' is neither 'stated' nor 'assumed'").format(value=get["basis"]),
                       header.labels.get("basis"))
                continue
            basis = b
        elif "assumed" in c:
            a = normalise_text(get["assumed"])
            if a not in _YES | _NO:
                reject(_("'{value}' is not yes or no (assumed?)").format(value=get["assumed"]),
                       header.labels.get("assumed"))
                continue
            basis = "assumed" if a in _YES else "stated"
        cells = [x for x in _SPLIT.split(get["districts"]) if x.strip()]
        if len(cells) == 1 and " " in cells[0] and all(PCODE.match(t.upper()) for t in cells[0].split()):
            cells = cells[0].split()  # p-codes separated by spaces
        if not cells:
            reject(_("no district given"), col_d)
            continue
        codes, bad = [], []
        for x in cells:
            code, why = resolve_district(x)
            (codes.append(code) if code else bad.append(why))
        if bad:
            reject("; ".join(bad), col_d)
            continue
        taken = [(k, owner[(kind, k)]) for k in dict.fromkeys(codes) if (kind, k) in owner
                 and owner[(kind, k)][0] != name]
        if taken:
            k, (other, r) = taken[0]
            reject(_("district {code} ({district}) is already in catchment '{other}' (row {row}) of the same kind; "
                     "catchments of one kind do not overlap").format(code=k, district=d.at[k, "name"], other=other,
                                                                    row=r), col_d)
            continue
        source = get.get("source", "")
        if not source:
            source = _("{file}, row {row}").format(file=file, row=rowno)
            rep.problems.append(Problem(file, _("no source given: the file and row are its source"), row=rowno,
                                        column=header.labels.get("source"), sheet=raw.sheet, level="warning"))
        reasoning = get.get("reasoning", "")
        if basis == "assumed" and not reasoning:
            rep.problems.append(Problem(file, _("an assumed row without its reasoning"), row=rowno,
                                        column=header.labels.get("reasoning"), sheet=raw.sheet, level="warning"))
        seen = {(r["catchment"], r["admin2_code"]) for r in rows}
        for k in dict.fromkeys(codes):
            if (name, k) in seen:
                rep.problems.append(Problem(file, _("district {code} listed twice for catchment '{name}'").format(
                    code=k, name=name), row=rowno, column=col_d, sheet=raw.sheet, level="warning"))
                continue
            owner[(kind, k)] = (name, rowno)
            rows.append({"catchment": name, "kind": kind, "replaces": get.get("replaces", ""),
                         "admin1_code": d.at[k, "admin1_code"], "admin2_code": k, "admin2_name": d.at[k, "name"],
                         "basis": basis, "reasoning": reasoning, "source": source, "file": file})
        kind_of[name] = kind
        rep.rows_accepted += 1
    df = pd.DataFrame(rows, columns=CATCHMENTS.column_names)
    if rep.rows_in and not rep.rows_accepted:
        rep.notes.append(_("no catchment accepted: the bundled table stays in use"))
    return {"catchments": coerce(df, CATCHMENTS)}, rep
