"""Key figures: one card per figure with its change since the previous round and its
source line (:func:`dsdash.deck.content.key_figures`)."""

from __future__ import annotations

from pptx.util import Inches

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import rgb, text, titled_slide
from dsdash.i18n import N_, _

NAME = "figures"
TITLE = N_("Key figures")


def outline(c: DeckContent) -> list[str]:
    lines = [f"{_(k.label)}: {k.text}" + (f" ({k.change_text})" if k.change_text else "") for k in c.figures]
    return lines + ([c.rounds] if c.rounds else [])


def draw(prs, c: DeckContent) -> None:
    slide = titled_slide(prs, _(TITLE), c, c.rounds or None)  # each group's latest round, under the cards
    figs = c.figures
    rows = [figs[:3], figs[3:]] if len(figs) > 4 else [figs]
    y = 1.2
    for row in rows:
        n = max(len(row), 1)
        gap = 0.2
        w = (12.3 - gap * (n - 1)) / n
        for i, kf in enumerate(row):
            x = 0.5 + i * (w + gap)
            box = slide.shapes.add_shape(1, Inches(x), Inches(y), Inches(w), Inches(2.45))  # rectangle
            box.fill.solid()
            box.fill.fore_color.rgb = rgb("#F3F6FA")
            box.line.color.rgb = rgb("#D0D7E2")
            text(slide, x + 0.12, y + 0.06, w - 0.24, 0.55, _(kf.label), 12, bold=True, colour="#333333")
            text(slide, x + 0.12, y + 0.58, w - 0.24, 0.6, kf.text, 28, bold=True, colour="#1F3B5C")
            change = kf.change_text or _("no earlier round in the data")
            text(slide, x + 0.12, y + 1.18, w - 0.24, 0.45, change, 10, colour="#444444")
            text(slide, x + 0.12, y + 1.62, w - 0.24, 0.8, kf.caption, 8, colour="#666666")
        y += 2.6
