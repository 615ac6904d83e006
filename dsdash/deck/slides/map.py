"""The site map, an image rendered offline (:attr:`DeckContent.map_png`)."""

from __future__ import annotations

import io

from pptx.util import Inches

from dsdash.deck.content import DeckContent, map_lens
from dsdash.deck.draw import text, titled_slide
from dsdash.i18n import N_, _

NAME = "map"
TITLE = N_("Sites")


def outline(c: DeckContent) -> list[str]:
    colour = (_("coloured by coverage of the chosen services on {date}").format(date=c.day(c.as_of))
              if map_lens(c.filters) == "coverage" else _("coloured by site type (choose services to colour by coverage)"))
    return [_("Map of the sites after filters ({filters}), {colour}").format(filters=c.filters.describe(), colour=colour)]


def draw(prs, c: DeckContent) -> None:
    slide = titled_slide(prs, _(TITLE), c)
    if not c.map_png:
        text(slide, 0.5, 3, 12, 1, _("Map not rendered."), 18)
        return
    # 16:9 picture under the title, kept inside the slide and above the footer
    h = 5.85
    w = h * 1200 / 675
    slide.shapes.add_picture(io.BytesIO(c.map_png), Inches((13.333 - w) / 2), Inches(1.05), height=Inches(h))
