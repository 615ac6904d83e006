"""The FVM funnel slide names the figures of other units it leaves out, each as a sentence, without the
returned-or-relocated stage's internal marker (before: "… the funnel counts households returned + relocated;
Relocated: 50 individuals …", the marker glued into the sentence; review of F2's fix)."""

from __future__ import annotations

import io

from pptx import Presentation

from dsdash.deck.build import build_deck
from dsdash.importers import import_file

F4 = "Indicator,Period,Value,Unit\nReturned,2022,100,households\nReturned,2022,600,individuals\nRelocated,2023,50,individuals\n"


def test_the_funnel_slide_names_each_figure_left_out_once_as_a_sentence(ds):
    f4 = ds.with_tables(fvm=import_file(F4.encode(), "f4_fvm_units.csv").tables["fvm"])
    prs = Presentation(io.BytesIO(build_deck(f4)))
    slide = next(s for s in prs.slides if s.shapes.title is not None and "FVM" in s.shapes.title.text)
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "returned + relocated" not in text
    assert text.count("Relocated: 50 individuals (2023) left out, the funnel counts households.") == 1
    assert text.count("Returned: 600 individuals (2022) left out, the funnel counts households.") == 1
