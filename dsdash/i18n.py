"""Languages: every word dsdash shows goes through here (issue 18).

The interface text lives in gettext catalogs managed with Babel, the Python standard, so a
translator works in ``dsdash/locale/<lang>/LC_MESSAGES/<part>.po`` without touching code.
``make catalogs`` extracts the messages (``babel.cfg``), updates every catalog and compiles
the ``.mo`` files that are read here (:mod:`dsdash.catalogs`); ``tests/unit/test_i18n.py`` fails when a message of the
code has no translation, or when a ``.mo`` is older than its ``.po``.

The language is a context variable, set once per run by the interface (``ui.lang``) or the
command line (``--lang``): the builders of ``dsdash/`` call :func:`_` and read it, so no
language parameter runs through every function. Anything cached across languages must hold
the language in its key (:func:`current`).

Rules:
- The message id is the English text itself, with ``{name}`` placeholders filled by
  ``.format()`` after translation: ``_("{n} closed sites not drawn").format(n=...)``.
- Constants translated later are marked with :func:`N_` and translated where shown.
- Data stays as the user gave it: names, partners, sources and notes are never looked up.
- Adding a language (Sorani, ``ckb``, right to left) is adding a catalog and a line to
  :data:`LANGUAGES`.

Examples:
    >>> with language("ar"):
    ...     (current(), is_rtl())
    ('ar', True)
    >>> current()
    'en'
    >>> _("a message nobody translated")
    'a message nobody translated'
    >>> with language("ar", digits="arab"):
    ...     local_digits("1,234.5 on 10 Dec 2023")
    '١٬٢٣٤٫٥ on ١٠ Dec ٢٠٢٣'
    >>> local_digits("1,234")
    '1,234'
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator
import re

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@dataclass(frozen=True)
class Language:
    code: str  # the catalog's folder and the ``?lang=`` value
    name: str  # the language's own name, as the switch shows it
    rtl: bool  # written right to left
    babel: str  # the Babel/CLDR locale for numbers and dates


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", False, "en_GB"),
    "ar": Language("ar", "العربية", True, "ar_IQ"),
    # "ckb": Language("ckb", "کوردی", True, "ckb_IQ"),  # Sorani: add its catalog, then this line
}
DEFAULT = "en"
DIGITS = ("latn", "arab")  # Western digits (default) or Arabic-Indic digits

_lang: ContextVar[str] = ContextVar("dsdash_lang", default=DEFAULT)
_digits: ContextVar[str] = ContextVar("dsdash_digits", default="latn")


def pick(code: object) -> str:
    """A supported language code from a URL value, a browser locale (``ar-IQ``) or nothing.

    >>> pick("ar-IQ"), pick("AR"), pick("fr"), pick(None), pick(["ar"])
    ('ar', 'ar', 'en', 'en', 'ar')
    """
    if isinstance(code, (list, tuple)):
        code = code[0] if code else None
    text = str(code or "").strip().replace("_", "-").lower()
    if text in LANGUAGES:
        return text
    base = text.split("-")[0]
    return base if base in LANGUAGES else DEFAULT


def set_language(code: object, digits: str = "latn") -> str:
    """Make ``code`` the language of this thread's context from now on; returns the code used."""
    lang = pick(code)
    _lang.set(lang)
    _digits.set(digits if digits in DIGITS else "latn")
    return lang


@contextlib.contextmanager
def language(code: object, digits: str = "latn") -> Iterator[str]:
    """The language of the ``with`` block (tests, the command line, a deck in Arabic)."""
    t1 = _lang.set(pick(code))
    t2 = _digits.set(digits if digits in DIGITS else "latn")
    try:
        yield _lang.get()
    finally:
        _lang.reset(t1)
        _digits.reset(t2)


def current() -> str:
    return _lang.get()


def info(code: str | None = None) -> Language:
    return LANGUAGES[pick(code or current())]


def is_rtl(code: str | None = None) -> bool:
    return info(code).rtl


def digits() -> str:
    return _digits.get()


@lru_cache(maxsize=None)
def _catalog(code: str) -> _gettext.NullTranslations:
    if code == DEFAULT:
        return _gettext.NullTranslations()
    # One catalog per part of the app (dsdash.catalogs.DOMAINS), chained: the first that
    # knows a message answers.
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    for mo in sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.mo"), reverse=True):
        with mo.open("rb") as fh:
            cat = _gettext.GNUTranslations(fh)
        cat.add_fallback(chain)
        chain = cat
    return chain


def reload() -> None:
    """Forget the loaded catalogs (after ``make catalogs`` in a running process, and in tests)."""
    _catalog.cache_clear()


def _(message: str) -> str:
    """``message`` (English, the message id) in the current language; itself when untranslated."""
    return _catalog(current()).gettext(message)


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language (Arabic has six forms).

    >>> ngettext("{n} site", "{n} sites", 1).format(n=1), ngettext("{n} site", "{n} sites", 3).format(n=3)
    ('1 site', '3 sites')
    """
    return _catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for the catalog without translating it now: translate it with
    :func:`_` where it is shown, in that run's language."""
    return message


_TO_ARAB_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def local_digits(text: str) -> str:
    """``text`` with its digits as the reader set them: unchanged for Western digits (the
    default); Arabic-Indic digits, and their separators between digits, for ``digits="arab"``."""
    if digits() != "arab" or not text:
        return text
    text = re.sub(r"(?<=\d)[,.](?=\d)", lambda m: "٬" if m.group(0) == "," else "٫", text)
    return text.translate(_TO_ARAB_DIGITS)


def name(english: object, arabic: object = None) -> str:
    """A name from the data in the reader's language, falling back to the other one.

    >>> name("Falluja", "الفلوجة")
    'Falluja'
    >>> with language("ar"):
    ...     name("Falluja", "الفلوجة"), name("Kilo 18", None), name(None, "الفلوجة")
    ('الفلوجة', 'Kilo 18', 'الفلوجة')
    """

    def ok(v: object) -> str:
        if v is None:
            return ""
        try:
            import pandas as pd

            if pd.isna(v):
                return ""
        except (TypeError, ValueError):
            pass
        return str(v).strip()

    first, second = (ok(arabic), ok(english)) if current() == "ar" else (ok(english), ok(arabic))
    return first or second


def in_language(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)`` as a callable of no argument that runs in the language and digits
    current NOW: what a deferred download needs (Streamlit runs ``st.download_button``'s callable on
    another thread, where the reader's language is not set, so it would build English).

    >>> with language("ar"):
    ...     later = in_language(current)
    >>> import threading; out = []
    >>> t = threading.Thread(target=lambda: out.append(later())); t.start(); t.join()
    >>> out, current()
    (['ar'], 'en')
    """
    lang, digit_style = current(), digits()

    def run():
        with language(lang, digits=digit_style):
            return fn(*args, **kwargs)

    return run


def iso(text: object) -> str:
    """``text`` from the data (a name, a source, a path) set apart from the sentence around it
    for the bidirectional algorithm (Unicode first-strong isolate … pop directional isolate),
    in a right-to-left language only: an English name keeps its order inside an Arabic
    sentence, and does not turn the sentence left to right. In English, the text itself.

    >>> iso("Kilo 18")
    'Kilo 18'
    >>> with language("ar"):
    ...     iso("Kilo 18") == "\\u2068Kilo 18\\u2069"
    True
    """
    text = "" if text is None else str(text)
    return f"\u2068{text}\u2069" if text and is_rtl() else text


def list_sep() -> str:
    """The separator between items of a list in a sentence: "; " in English, "؛ " in Arabic."""
    return _("; ")
