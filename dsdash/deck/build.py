"""Build the meeting deck: :func:`build_deck` computes the content
(:func:`dsdash.deck.content.deck_content`) and :func:`render_deck` draws each slide of
:data:`dsdash.deck.slides.SLIDES` as a 16:9 PPTX; :func:`deck_outline` is the same walk as
text, for a preview."""

from __future__ import annotations

import datetime as dt
import io
from typing import Callable

from pptx import Presentation
from pptx.util import Inches

from dsdash.dataset import Dataset
from dsdash.deck.content import DeckContent, deck_content
from dsdash.deck.slides import SLIDES
from dsdash.deck.rtl import mirror_deck
from dsdash.filters import Filters
from dsdash.i18n import _, in_language, is_rtl, language
from dsdash.schema import DEFAULT_HORIZON_DAYS


def build_deck(ds: Dataset, *, filters: Filters | None = None, as_of: dt.date | None = None,
               forum: str = "DSTWG", area: str | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS,
               previous: Dataset | None = None, audience: str = "") -> bytes:
    """The meeting deck as PPTX bytes (see :mod:`dsdash.deck` for the slides; ``previous``: the
    previous publication "What changed" compares with, default each group's previous round)."""
    return render_deck(deck_content(ds, filters=filters, as_of=as_of, forum=forum, area=area,
                                    horizon_days=horizon_days, previous=previous, audience=audience))


def deck_builder(ds: Dataset, **kwargs) -> Callable[[], bytes]:
    """:func:`build_deck` as a callable of no argument, for a download built later (Streamlit's
    deferred download runs it on another thread, where the session's language is not set): it
    builds the deck in the language and digits current NOW.

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> with language("ar"):
        ...     build = deck_builder(load_embedded(), forum="JCF")
        >>> import io; from pptx import Presentation
        >>> Presentation(io.BytesIO(build())).slides[0].shapes.title.text
        'حزمة اجتماع JCF'
    """
    return in_language(build_deck, ds, **kwargs)


def render_deck(content: DeckContent) -> bytes:
    """Draw a :class:`DeckContent` as a 16:9 PPTX with native charts, in the current language
    (:func:`dsdash.i18n.current`; right to left when it is so written); returns bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for slide in shown_slides(content):
        slide.draw(prs, content)
    if is_rtl():  # Arabic: the drawn slides mirrored, right to left (dsdash.deck.rtl)
        mirror_deck(prs)
    prs.core_properties.title = content.title
    prs.core_properties.subject = content.subtitle
    prs.core_properties.author = "dsdash"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def shown_slides(content: DeckContent) -> list:
    """The slide modules of :data:`SLIDES` this content has a slide for (a module with
    ``shown(content)`` returning False is left out, e.g. "What changed" with nothing earlier)."""
    return [s for s in SLIDES if getattr(s, "shown", None) is None or s.shown(content)]


def deck_outline(content: DeckContent) -> list[tuple[str, list[str]]]:
    """What each slide will hold, as (slide title, summary lines) for a preview."""
    return [(_(slide.TITLE) if slide.TITLE else content.title, slide.outline(content))
            for slide in shown_slides(content)]
