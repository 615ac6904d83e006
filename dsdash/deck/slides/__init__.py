"""The deck's slides, one module per kind, in the order of :data:`SLIDES`.

Each slide module holds:

- ``NAME``: its key (as in :data:`SLIDE_TITLES`);
- ``TITLE``: its slide title (``None`` for the title slide, which shows
  :attr:`DeckContent.title <dsdash.deck.content.DeckContent.title>`);
- ``outline(content) -> list[str]``: what the slide will hold, for the page's preview;
- ``draw(prs, content)``: adds its slide(s) to a python-pptx ``Presentation``;
- optionally ``shown(content) -> bool``: False leaves the slide out of the deck and the preview.

:func:`dsdash.deck.build.render_deck` and :func:`dsdash.deck.build.deck_outline` both walk
:data:`SLIDES`: adding a slide is one module here plus one entry in the tuple.
"""

from __future__ import annotations

from dsdash.deck.slides import changes, exits, figures, followup, fvm, gaps, index, map, national, sources, title
from dsdash.deck.slides import wwww

#: The slides in deck order.
SLIDES = (title, figures, changes, national, index, fvm, map, gaps, wwww, exits, followup, sources)

#: Slide key -> title, in deck order (``None``: the forum's meeting pack title).
SLIDE_TITLES = {s.NAME: s.TITLE for s in SLIDES}
