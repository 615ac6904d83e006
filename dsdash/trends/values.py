"""Values of the trend tables for a plotly line or a table cell: a missing figure is
``None`` (a gap in a line, drawn with ``connectgaps=False``), never a zero."""

from __future__ import annotations

import pandas as pd


def int_or_none(value) -> int | None:
    """
    Examples:
        >>> int_or_none(pd.NA) is None, int_or_none(12.0)
        (True, 12)
    """
    return None if value is None or pd.isna(value) else int(value)


def float_or_none(value) -> float | None:
    """
    Examples:
        >>> float_or_none(float("nan")) is None, float_or_none(12)
        (True, 12.0)
    """
    return None if value is None or pd.isna(value) else float(value)
