"""The deck's "who does what where" slide, read back with python-pptx: on 10 Dec 2023 its
partner counts per service × district equal a hand count from data/presence.csv."""

import datetime as dt
import io

from pptx import Presentation

from dsdash.deck.build import build_deck
from dsdash.deck.slides.wwww import TITLE
from dsdash.schema import SERVICE_LABELS, Service
from tests.unit.deck.test_build import slide, table_rows, tables
from tests.unit.test_wwww import hand_count

DAY = dt.date(2023, 12, 10)
CODES = {"Al-Falluja": "IQG01Q01", "Al-Kaim": "IQG01Q02", "Al-Ramadi": "IQG01Q03", "Al-Rutba": "IQG01Q04"}


def test_the_slide_counts_partners_as_a_hand_count_does(ds):
    prs = Presentation(io.BytesIO(build_deck(ds, as_of=DAY)))
    s = slide(prs, TITLE)
    (t,) = tables(s)
    rows = table_rows(t)
    assert rows[0] == ["Service", "Al-Falluja", "Al-Ramadi", "Al-Rutba", "Al-Kaim"]  # most people first
    hand = hand_count()
    by_label = {SERVICE_LABELS[v]: v for v in Service.values()}
    assert [r[0] for r in rows[1:]] == [SERVICE_LABELS[v] for v in Service.values()]
    for r in rows[1:]:
        for name, cell in zip(rows[0][1:], r[1:]):
            assert int(cell) == len(hand.get((CODES[name], by_label[r[0]]), set())), (r[0], name)
    text = "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
    assert "Al-Falluja 12,294" in text and "10 Dec 2023" in text
