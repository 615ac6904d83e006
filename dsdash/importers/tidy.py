"""Tables of ours, as dsdash exports them (any table of :data:`dsdash.schema.TABLES`), read back.

The header names our columns exactly, or by their labels as the app's downloads write
them (:data:`dsdash.schema.COLUMN_LABELS`), with or without the HXL row under it, so a sheet
is recognised by :func:`find_tidy_table` before any header synonyms are tried: the kind
is ``table:<name>``.
"""

from __future__ import annotations

import pandas as pd

from dsdash.importers.common import blank_rows, repeated_headers
from dsdash.importers.detect import Header, TopRows, header_key
from dsdash.importers.readers import RawTable
from dsdash.schema import LABEL_TO_COLUMN, TABLES, LoadReport
from dsdash.validate import check_table, coerce

#: Kind name; a report's kind is ``table:<name of the table>``.
KIND = "table"


#: Per table of ours: (its required columns, all its columns), as sets.
_SPEC_SETS = {name: ({c.name for c in spec.columns if c.required}, set(spec.column_names))
              for name, spec in TABLES.items()}
#: The header keys of every column of ours, by name or by label (a cell naming one has one of these keys).
_ANY_KEY = frozenset(header_key(k) for k in (set().union(*(names for _required, names in _SPEC_SETS.values()))
                                               | {label for label, name in LABEL_TO_COLUMN.items()}))


def find_tidy_table(frame: pd.DataFrame, top: TopRows | None = None) -> Header | None:
    """A table of ours (the columns of a :data:`dsdash.schema.TABLES` spec, as exported
    by dsdash), with or without the HXL row: kind ``table:<name>``. ``top``: the sheet's first
    rows with their keys, when :func:`dsdash.importers.kinds.detect` has them.

    Examples:
        >>> frame = pd.DataFrame([["Movements, 2023", None, None], ["origin_name", "destination_name", "source"]])
        >>> h = find_tidy_table(frame)
        >>> h.kind, h.row, h.columns
        ('table:movements', 1, {'origin_name': 0, 'destination_name': 1, 'source': 2})
    """
    top = TopRows(frame) if top is None else top
    for i, (row, any_keys) in enumerate(zip(top.rows, top.any_keys)):
        if _ANY_KEY.isdisjoint(any_keys):
            continue  # no cell could name a column of ours (as its name or its label)
        keys = [str(v).strip() if v is not None else "" for v in row]
        keys = [LABEL_TO_COLUMN.get(k, k) for k in keys]  # the app's downloads have labels in the header
        present = set(keys)
        for name, spec in TABLES.items():
            required, names = _SPEC_SETS[name]
            if required <= present and sum(k in names for k in keys) >= max(3, len(required)):
                cols = {k: j for j, k in enumerate(keys) if k in spec.column_names}
                hxl = i + 1 if i + 1 < len(top.rows) and top.is_hxl(i + 1) else None
                return Header(f"{KIND}:{name}", i, cols, {k: k for k in cols}, len(cols), hxl)
    return None


def import_table(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """One table of ours, checked against its spec: ``({name: typed rows}, report)``."""
    name = header.kind.split(":", 1)[1]
    spec = TABLES[name]
    start = header.row + 1 + (1 if header.hxl_row is not None else 0)
    body = raw.frame.iloc[start:]
    repeated, repeated_note = repeated_headers(body, header, {c: (header_key(c),) for c in spec.column_names})
    body = body[~blank_rows(body[list(header.columns.values())]) & ~repeated]  # an index column is not data
    df = pd.DataFrame({c: body[j].to_numpy(dtype=object) for c, j in header.columns.items()})
    rep = LoadReport(file=file, kind=header.kind, encoding=raw.encoding, sheet=raw.sheet)
    if repeated_note:
        rep.notes.append(repeated_note)
    typed, _ = check_table(df, spec, body.index.to_numpy() + 1, file=file, sheet=raw.sheet, report=rep)
    return {name: coerce(typed, spec)}, rep
