"""Validation at the boundary: a raw table in, a typed table and a report out.

Every table that enters dsdash (the embedded CSV files, an upload, a command-line
file) passes through :func:`validate_table` exactly once. Rows that break a rule are
rejected with a :class:`~dsdash.schema.Problem` naming file, sheet, row and column;
everything else is accepted, typed, and carries on. Nothing is dropped silently:
``rows_in == rows_accepted + rows_rejected`` always.
"""

from __future__ import annotations

import pandas as pd

from dsdash.parse import ParseError, is_blank, parse_date, parse_number
from dsdash.schema import LoadReport, Problem, TableSpec

#: pandas dtypes of each column kind in a validated table.
DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "date": "datetime64[s]"}


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty table with the spec's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.kind]) for c in spec.columns})


def coerce(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Cast already-clean columns to the spec's dtypes (no checks). Extra columns are kept."""
    out = df.copy()
    for c in spec.columns:
        if c.name not in out.columns:
            out[c.name] = pd.Series([None] * len(out), dtype=DTYPES[c.kind], index=out.index)
        elif c.kind == "date":
            out[c.name] = pd.to_datetime(out[c.name]).astype("datetime64[s]")
        else:
            out[c.name] = out[c.name].astype(DTYPES[c.kind])
    front = spec.column_names
    return out[front + [c for c in out.columns if c not in front]]


def validate_table(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    file: str,
    sheet: str | None = None,
    first_row: int = 2,
    kind: str | None = None,
    report: LoadReport | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Check and type a raw table against its spec.

    Args:
        df: the raw rows, one column per spec column (names already mapped); values may
            be strings, numbers or blanks. Extra columns are kept as they are.
        spec: the table's spec from :data:`dsdash.schema.TABLES`.
        file: the file name to put in messages.
        sheet: the sheet name, for workbooks.
        first_row: the file row number of ``df``'s first row (2 = just under a header).
        kind: the kind to record in the report (default: the table name).
        report: an existing report to add to (its counts are incremented).

    Returns:
        The accepted rows, typed, and the report.
    """
    rep = report or LoadReport(file=file, kind=kind or spec.name, sheet=sheet)
    n = len(df)
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    if missing:
        rep.rows_in += n
        rep.rows_rejected += n
        for m in missing:
            rep.problems.append(Problem(file, f"required column '{m}' is missing", sheet=sheet, column=m))
        return empty_table(spec), rep

    values: dict[str, list] = {c.name: [None] * n for c in spec.columns}
    bad = [False] * n
    rows = df.reset_index(drop=True)
    for c in spec.columns:
        if c.name not in rows.columns:
            continue
        col = rows[c.name].tolist()
        out = values[c.name]
        for i, v in enumerate(col):
            rownum = first_row + i
            if is_blank(v):
                if c.required:
                    rep.problems.append(Problem(file, "value is empty but required", rownum, c.name, sheet))
                    bad[i] = True
                continue
            try:
                if c.kind == "str":
                    val = str(v).strip()
                    if c.vocab is not None and val not in c.vocab:
                        raise ParseError(f"'{val}' is not one of: {', '.join(c.vocab)}")
                elif c.kind in ("int", "float"):
                    val, warn = parse_number(v, integer=c.kind == "int")
                    if warn:
                        rep.problems.append(Problem(file, warn, rownum, c.name, sheet, level="warning"))
                    if c.min is not None and val < c.min:
                        raise ParseError(f"{val} is below the minimum {c.min:g}")
                    if c.max is not None and val > c.max:
                        raise ParseError(f"{val} is above the maximum {c.max:g}")
                else:
                    val = parse_date(v, role="end" if c.name.endswith("end") or c.name.endswith("end_date") else "start")
                    if val is None and c.required:
                        raise ParseError("a date is required here")
            except ParseError as exc:
                rep.problems.append(Problem(file, str(exc), rownum, c.name, sheet))
                bad[i] = True
                continue
            out[i] = val

    keep = [i for i in range(n) if not bad[i]]
    typed = pd.DataFrame({k: [v[i] for i in keep] for k, v in values.items()})
    extra = [c for c in rows.columns if c not in values]
    for c in extra:
        typed[c] = rows[c].iloc[keep].tolist() if keep else []
    typed = coerce(typed, spec)
    if spec.key:
        dup = typed.duplicated(list(spec.key), keep="first")
        if dup.any():
            for j in typed.index[dup]:
                rownum = first_row + keep[j]
                key = ", ".join(f"{k}={typed.at[j, k]}" for k in spec.key)
                rep.problems.append(
                    Problem(file, f"duplicate key ({key}): an earlier row has the same key", rownum, spec.key[0], sheet)
                )
            typed = typed[~dup].reset_index(drop=True)
    accepted = len(typed)
    rep.rows_in += n
    rep.rows_accepted += accepted
    rep.rows_rejected += n - accepted
    rep.check()
    return typed, rep
