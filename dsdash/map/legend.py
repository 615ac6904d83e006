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


def count_edges(max_value: float, classes: int) -> list[int]:
    """Upper bounds of ``classes`` classes of whole counts 1 … ``max_value`` (class ``k`` holds
    the counts above the bound before it, up to its own), so no count is in two classes.

    Examples:
        >>> count_edges(12, 4), count_edges(6, 4), count_edges(0, 4)
        ([3, 6, 9, 12], [2, 3, 5, 6], [])
    """
    top = int(math.ceil(max_value or 0))
    if top <= 0:
        return []
    edges = [int(math.ceil(top * k / classes)) for k in range(1, classes + 1)]
    return edges


def count_class(value: float, edges: list[int]) -> int:
    """The class of a count: 0 for none (0, blank), else 1 + the first class whose bound holds it.

    Examples:
        >>> [count_class(v, [3, 6, 9, 12]) for v in (0, 1, 3, 4, 6, 7, 12)]
        [0, 1, 1, 2, 2, 3, 4]
    """
    if not value or value != value or value <= 0 or not edges:
        return 0
    v = int(math.ceil(value))
    return next((k + 1 for k, e in enumerate(edges) if v <= e), len(edges))


def count_labels(edges: list[int]) -> list[str | None]:
    """The legend label of each class of :func:`count_edges`: "1–3", "4–6", "7" (one value);
    None for a class that holds no whole count (small maxima).

    Examples:
        >>> count_labels([3, 6, 9, 12]), count_labels([1, 1, 2])
        (['1–3', '4–6', '7–9', '10–12'], ['1', None, '2'])
    """
    out: list[str | None] = []
    lo = 1
    for e in edges:
        if e < lo:
            out.append(None)
            continue
        out.append(f"{lo:,}" if e == lo else f"{lo:,}–{e:,}")
        lo = e + 1
    return out
