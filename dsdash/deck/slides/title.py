"""The title slide: the forum's meeting pack, its full name, date, area and filters."""

from __future__ import annotations

from pptx.util import Inches, Pt

from dsdash.deck.content import FORUM_NAMES, DeckContent
from dsdash.deck.draw import text
from dsdash.export import xml_safe
from dsdash.i18n import _

NAME = "title"
TITLE = None  # the deck's own title, "<forum> meeting pack" (DeckContent.title)


def outline(c: DeckContent) -> list[str]:
    return [c.subtitle, _("Filters: {filters}").format(filters=c.filters.describe()),
            _("Data: {name}").format(name=c.dataset_name),
            *([c.audience] if c.audience else []), *c.warnings]


def draw(prs, c: DeckContent) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = c.title
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.8), Inches(2.0)
    slide.shapes.title.width, slide.shapes.title.height = Inches(11.7), Inches(1.4)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.5), Inches(11.7), Inches(2.2)
    forum = FORUM_NAMES.get(c.forum.upper())
    lines = [_(forum) if forum else c.forum, c.subtitle, _("Filters: {filters}").format(filters=c.filters.describe()),
             _("Data: {name}").format(name=c.dataset_name), *([c.audience] if c.audience else [])]
    tf = sub.text_frame
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = xml_safe(line)
        for r in p.runs:
            r.font.size = Pt(20 if i < 2 else 14)
    if c.warnings:  # said first: presence of another period, an as-of date past the latest data
        text(slide, 0.8, 5.0, 11.7, 1.55, "\n".join(c.warnings), 11, bold=True, colour="#B71C1C")
    text(slide, 0.8, 6.6, 11.7, 0.5, _("Prepared with dsdash. Every figure carries its source; see the last slide."),
         11, colour="#777777")
