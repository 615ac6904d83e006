"""The static map in Arabic (issue 18): every drawn text holding Arabic is shaped (arabic-reshaper's
presentation forms: matplotlib would draw the letters unjoined) and drawn with the bundled Noto Sans
Arabic, registered from static/fonts; the words are those of the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib import font_manager
from matplotlib.text import Text

from dsdash.i18n import language
from dsdash.map.static import FONTS_DIR, arabic_display, register_fonts, static_map_figure

LETTERS = re.compile("[\u0621-\u064a]")  # Arabic letters in their base (unshaped) forms
SHAPED = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")  # presentation forms


def drawn(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text()]


def test_the_bundled_arabic_fonts_are_registered():
    names = register_fonts()
    assert "Noto Sans Arabic" in names and "Noto Naskh Arabic" in names
    path = font_manager.findfont(font_manager.FontProperties(family="Noto Sans Arabic"), fallback_to_default=False)
    assert Path(path).name.startswith("NotoSansArabic")


def test_arabic_labels_of_the_map_are_shaped_and_drawn_with_noto(ds):
    with language("ar"):
        fig = static_map_figure(ds, width_px=1200, height_px=675, lens="site_type")
    texts = drawn(fig)
    arabic = [t for t in texts if SHAPED.search(t.get_text()) or LETTERS.search(t.get_text())]
    words = "\n".join(t.get_text() for t in arabic)
    # the title, the legend, the caption and the governorates' Arabic names: all shaped
    assert len(arabic) >= 5
    assert not LETTERS.search(words), [t.get_text() for t in arabic if LETTERS.search(t.get_text())]
    assert arabic_display("المواقع") in words  # the title's first word, from the catalog
    for t in arabic:
        assert t.get_fontfamily()[0] == "Noto Sans Arabic"
        assert Path(font_manager.findfont(t.get_fontproperties())).parent in (FONTS_DIR, *map(Path, _noto_dirs()))


def _noto_dirs() -> list[str]:
    """Where else the Noto Sans Arabic files may be found (a system copy)."""
    return sorted({str(Path(f.fname).parent) for f in font_manager.fontManager.ttflist
                   if f.name == "Noto Sans Arabic"})


def test_the_english_map_shapes_the_governorates_arabic_names(ds):
    fig = static_map_figure(ds, width_px=800, height_px=500)
    arabic = [t.get_text() for t in drawn(fig) if SHAPED.search(t.get_text()) or LETTERS.search(t.get_text())]
    assert arabic and not any(LETTERS.search(a) for a in arabic)
    assert any("Sites:" in t.get_text() for t in drawn(fig))  # the English words stay English
