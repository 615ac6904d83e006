"""Sub-district Return Index scores a user loads, to apply the DTM hotspot rule to.

The file (CSV or XLSX, first sheet; header in its first filled row) is read by
:func:`dsdash.importers.readers.read_table_file` like every other kind: size and
zip-bomb checks, workbooks through defusedxml, CSV in UTF-8, Windows-1256 or UTF-16.
Headers are matched by :data:`HEADER_SYNONYMS` into the columns of
:data:`dsdash.schema.SUBDISTRICT_SEVERITY`: ``admin3_name`` (required),
``livelihoods_severity``, ``safety_severity`` (high / medium / low), ``returnees``, and
optionally ``admin1_name``, ``admin2_name``. Bad rows are rejected by file, row and column.
The rule itself is :mod:`dsdash.trends.hotspots`.
"""

from __future__ import annotations

import pandas as pd

from dsdash.i18n import _
from dsdash.importers.common import blank_rows
from dsdash.importers.readers import read_table_file
from dsdash.schema import SUBDISTRICT_SEVERITY, LoadReport, Problem, normalise_text, severity_word
from dsdash.validate import validate_table

#: Kind name (the report's kind).
KIND = SUBDISTRICT_SEVERITY.name

#: Header spellings → SUBDISTRICT_SEVERITY column.
HEADER_SYNONYMS = {
    "admin1_name": ["governorate", "admin1", "adm1", "admin1_name", "gov", "#adm1+name"],
    "admin2_name": ["district", "admin2", "adm2", "admin2_name", "#adm2+name"],
    "admin3_name": ["sub-district", "subdistrict", "sub district", "admin3", "adm3", "admin3_name", "#adm3+name"],
    "livelihoods_severity": ["livelihoods_severity", "livelihoods and basic services", "livelihoods & basic services",
                             "livelihoods", "scale 1", "livelihoods severity", "#severity+livelihoods"],
    "safety_severity": ["safety_severity", "safety and social cohesion", "safety & social cohesion", "safety",
                        "scale 2", "safety severity", "#severity+safety"],
    "returnees": ["returnees", "returnee individuals", "number of returnees", "returnees (individuals)",
                  "#population+returnees"],
}

#: Columns a sub-district file cannot do without (any one of each tuple).
NEEDS = (("admin3_name",),)

_SEVERITY_COLUMNS = ("livelihoods_severity", "safety_severity")


def header_map(columns) -> dict[str, str]:
    """File header → our column, for the headers :data:`HEADER_SYNONYMS` knows (the first
    header naming a column takes it).

    Examples:
        >>> header_map(["Sub-District", "Scale 1", "Returnees", "Note"])
        {'Sub-District': 'admin3_name', 'Scale 1': 'livelihoods_severity', 'Returnees': 'returnees'}
    """
    lookup = {normalise_text(s): target for target, syn in HEADER_SYNONYMS.items() for s in syn}
    out = {}
    for c in columns:
        t = lookup.get(normalise_text(c))
        if t and t not in out.values():
            out[c] = t
    return out


def _columns(header: pd.Series, body: pd.DataFrame) -> dict[str, object]:
    """Column name → frame column, from the header row: a blank header is named by its
    position (a column with neither header nor data, a trailing separator, is left out);
    a repeated one is made unique."""
    out: dict[str, object] = {}
    for j, (col, v) in enumerate(header.items(), start=1):
        name = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()
        if not name:
            if blank_rows(body[[col]]).all():
                continue
            name = f"column {j}"
        out[f"{name} ({j})" if name in out else name] = col
    return out


def read_subdistrict_file(data: bytes, filename: str) -> tuple[pd.DataFrame, LoadReport]:
    """Read sub-district Return Index scores (CSV or XLSX, first sheet) into the
    SUBDISTRICT_SEVERITY form, validated. Severity spellings ("High", "Medium severity",
    "very high") are normalised; anything else is rejected by row and column.

    Returns ``(accepted rows, report)``; never raises on bad input.

    Examples:
        >>> df, rep = read_subdistrict_file(b"Sub-district,Scale 1,Returnees\\nSinjar,High,100\\n", "s.csv")
        >>> df[["admin3_name", "livelihoods_severity", "returnees"]].values.tolist(), rep.rows_accepted
        ([['Sinjar', 'high', 100]], 1)
    """
    rep = LoadReport(file=filename, kind=KIND)
    try:
        sheet = read_table_file(data, filename)[0]
    except Exception as exc:  # noqa: BLE001 - a file that cannot be read at all: one clear message
        rep.problems.append(Problem(filename, _("cannot read the file as CSV or Excel: {why}").format(why=exc)))
        return pd.DataFrame(columns=SUBDISTRICT_SEVERITY.column_names), rep
    rep.encoding, rep.sheet = sheet.encoding, sheet.sheet
    frame = sheet.frame
    filled = ~blank_rows(frame)
    top = int(filled.argmax()) if filled.any() else len(frame)
    body = frame.iloc[top + 1:]
    body = body[~blank_rows(body)]
    columns = _columns(frame.iloc[top], body) if top < len(frame) else {}
    raw = pd.DataFrame({name: body[col].to_numpy(dtype=object) for name, col in columns.items()})
    raw = raw.rename(columns=header_map(raw.columns))
    for c in _SEVERITY_COLUMNS:
        if c in raw.columns:
            raw[c] = [(severity_word(v) if str(v).strip() else "") for v in raw[c]]
    df, rep = validate_table(raw, SUBDISTRICT_SEVERITY, file=filename, sheet=sheet.sheet, first_row=top + 2,
                             report=rep, reject={"admin3_name", *_SEVERITY_COLUMNS, "returnees"})  # the rule's inputs
    for c in (*_SEVERITY_COLUMNS, "returnees"):
        if c not in raw.columns:
            headers = ", ".join(map(str, raw.columns))
            rep.problems.append(Problem(filename, _("column '{column}' not found (headers: {headers})").format(
                column=c, headers=headers), column=c,
                                        level="warning"))
    from dsdash.importers import cell_problems

    rep.problems.extend(cell_problems(sheet, filename, top if top < len(frame) else None))
    return df, rep
