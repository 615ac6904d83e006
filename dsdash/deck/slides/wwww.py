"""Who does what where: the number of partners per service (rows) and district (columns) on the
as-of date, a native table; each district's people and people without the service in the notes
below. Areas with most people first; at most :data:`MAX_AREAS` columns."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import rgb, table, text, tint, titled_slide
from dsdash.i18n import N_, _, list_sep
from dsdash.provenance import fmt_number
from dsdash.schema import COLOURS, SERVICE_LABELS, localised_names

NAME = "wwww"
TITLE = N_("Who does what where: partners per service and district")
MAX_AREAS = 6


def _areas(t: pd.DataFrame) -> list[tuple[str, str]]:
    people = t.drop_duplicates("admin2_code").set_index("admin2_code")["individuals"]
    names = t.drop_duplicates("admin2_code").set_index("admin2_code")["admin2_name"]
    order = people.sort_values(ascending=False, kind="stable").index[:MAX_AREAS]
    return [(str(code), str(names[code])) for code in order]


def slide_table(c: DeckContent) -> pd.DataFrame:
    """The slide's grid: one row per service, one column per district (names), cells = partners."""
    t = _table(c)
    if t.empty:
        return pd.DataFrame()
    areas = _areas(t)
    grid = t.pivot_table(index="service", columns="admin2_code", values="n_partners", aggfunc="sum", sort=False)
    grid = grid.reindex(columns=[a for a, _ in areas]).fillna(0).astype(int)
    grid.columns = [n for _code, n in areas]
    grid.index = [_(SERVICE_LABELS.get(s, s)) for s in grid.index]
    return grid


def _table(c: DeckContent) -> pd.DataFrame:
    """The deck's who-does-what-where table, its districts named in the reader's language (COD-AB's
    Arabic names in Arabic)."""
    t = c.wwww if c.wwww is not None else pd.DataFrame(columns=["admin2_code", "admin2_name", "service"])
    return localised_names(t)


def shown(c: DeckContent) -> bool:
    return c.wwww is not None and not c.wwww.empty


def outline(c: DeckContent) -> list[str]:
    g = slide_table(c)
    if g.empty:
        return [_("No sites in the filters.")]
    return [_("{services} services × {districts} districts on {date}").format(
        services=len(g), districts=g.shape[1], date=c.day(c.as_of))] + [
        _("{district}: {n} of {services} services with a partner").format(
            district=name, n=int((g[name] > 0).sum()), services=len(g)) for name in g.columns[:3]]


def draw(prs, c: DeckContent) -> None:
    g = slide_table(c)
    slide = titled_slide(prs, _(TITLE), c,
                         _("Number of partners serving at least one of the district's filtered sites with each service "
                           "on {date} (government directorates included; 0: none). Districts: the sites' stated COD-AB "
                           "districts, most people first. Source: partner presence (sources slide); people: each "
                           "group's latest round.").format(date=c.day(c.as_of)))
    if g.empty:
        text(slide, 0.5, 1.4, 12, 1, _("No sites in the filters."), 18)
        return
    n_areas = g.shape[1]
    widths = [3.0] + [min(1.6, 9.3 / n_areas)] * n_areas
    rows = [[str(svc), *[fmt_number(int(v)) for v in r]] for svc, r in zip(g.index, g.to_numpy())]
    size = 10 if len(rows) > 12 else 11
    tbl = table(slide, rows, [_("Service"), *g.columns], 0.5, 1.05, widths, size=size, row_h=0.3, right_from=1)
    for i, r in enumerate(g.to_numpy(), start=1):
        for j, v in enumerate(r, start=1):
            cell = tbl.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(tint(COLOURS["served"] if v > 0 else COLOURS["never_served"], 0.7))
    t = _table(c)
    people = t.drop_duplicates("admin2_code").set_index("admin2_name")["individuals"]
    note = _("People at the district's sites: ") + list_sep().join(
        f"{name} {fmt_number(int(people[name]))}" for name in g.columns if name in people.index)
    text(slide, 0.5, 6.05, 12.3, 0.35, note, 10, colour="#555555")
