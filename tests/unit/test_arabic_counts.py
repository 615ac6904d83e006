"""Arabic counts outside ngettext need no agreement (the leftover of issue 18): a message that does
not go through ``ngettext`` cannot give a count its noun's form, since Arabic's form depends on the
number (3 أيام, 11 يومًا, 100 يوم). Such messages say the count as a label's value ('الأفراد: {n}',
'الأيام الـ{n} القادمة'), never ``{n}`` followed by one form of the noun; the accusative singular
(يومًا, فردًا, صفًا, موقعًا) is the form of 11-99 only, wrong for 3-10 and 100+."""

import re

from dsdash import catalogs
from dsdash.i18n import _, language

#: Arabic letters and their marks (not the Arabic comma or semicolon).
WORD = r"[\u0621-\u064A\u064B-\u0652\u0670]+"
#: A placeholder followed by a noun in the accusative singular with tanween (يومًا, فرداً, قضاءً).
COUNT_THEN_11_99_NOUN = re.compile(r"\{(\w+)(?::[^}]*)?\}\s*(" + WORD + r"(?:ًا|اً|ءً|ةً))(?![\u0621-\u0652])")
#: Placeholders that hold no count, and the adverb that may follow them ('backed up {where}').
NOT_COUNTS = {("where", "احتياطيًا")}


def _offenders() -> list[str]:
    out = []
    for domain in ("imports", "manage", "explore", "charts"):
        for m in catalogs.read("ar", domain):
            if not m.id or isinstance(m.id, tuple) or not m.string:
                continue  # plural messages (ngettext) have one form per number class
            for hit in COUNT_THEN_11_99_NOUN.finditer(m.string):
                if (hit.group(1), hit.group(2)) not in NOT_COUNTS:
                    out.append(f"{domain}: {m.id!r} -> {m.string!r}")
    return out


def test_no_count_outside_ngettext_takes_the_11_99_form_of_its_noun():
    assert _offenders() == []


def test_the_pattern_finds_what_it_is_for():
    """The check is not vacuous: the forms it looks for are found where they are right (ngettext's
    11-99 form) and where they were wrong."""
    right = catalogs.read("ar", "explore").get("{n} site").string[5]  # ngettext's form for 11-99
    assert right == "{n} موقعًا" and COUNT_THEN_11_99_NOUN.search(right)
    assert COUNT_THEN_11_99_NOUN.search("خلال {days} يوماً من {date}")
    assert COUNT_THEN_11_99_NOUN.search("({n:,} حرفًا؛ الحد {limit:,})")
    assert not COUNT_THEN_11_99_NOUN.search("الأفراد: {n}")


def test_the_reworded_messages_read_right_for_every_count():
    with language("ar"):
        for n in (3, 11, 100):
            assert _("{n} individuals").format(n=n) == f"الأفراد: {n}"  # the map legends' words (charts)
            assert _("every provider ends within {n} days").format(n=n) == \
                f"ينتهي عمل كل المقدّمين خلال الأيام الـ{n} القادمة"
