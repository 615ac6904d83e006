"""Legend entries of the site map, shared by the pydeck deck and the static image."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a colour swatch, a circle of a given radius, or a line width."""

    label: str
    colour: str  # hex
    kind: str = "colour"  # "colour" | "size" | "width"
    size: float = 0.0  # radius in px (size) or width in px (width)


@dataclass
class Legend:
    title: str
    items: list[LegendItem]
    note: str = ""


def nice_values(max_value: float) -> list[int]:
    """Three round legend values up to ``max_value``.

    Examples:
        >>> nice_values(3300), nice_values(0)
        ([500, 1000, 2000], [])
    """
    if not max_value or max_value <= 0:
        return []
    top = 10 ** math.floor(math.log10(max_value))
    candidates = sorted({v for v in (top / 10, top / 2, top, 2 * top, 5 * top) if 1 <= v <= max_value})
    vals = [int(v) for v in candidates][-3:]
    return vals
