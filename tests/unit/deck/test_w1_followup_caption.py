"""Review walk B1 (fix phase): the Follow-up slide's caption says how 'left without' is counted now: a
renewal by the same partner serves, and an end not read is counted on the date itself."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation

from dsdash.deck.build import render_deck
from dsdash.deck.content import deck_content
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.filters import Filters
from tests.unit.deck.test_build import all_text, slide


def test_the_caption_says_renewals_serve_and_unread_ends_count_on_the_date(ds):
    c = deck_content(ds, as_of=dt.date(2024, 1, 15), with_map=False, filters=Filters(services=("health",)))
    text = all_text(slide(Presentation(io.BytesIO(render_deck(c))), SLIDE_TITLES["followup"]))
    assert "a renewal by the same one" in text and "an end not read: on the date itself" in text
    assert "no other partner serves after that end" not in text
