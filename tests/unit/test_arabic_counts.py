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


# The form of 100 and up (and of round hundreds): the bare singular, 'فرد', 'جولة', 'أسرة', right only for
# 100+ and wrong for 3-99. Its letters do not tell it from a verb or a particle after a placeholder ('{n}
# تحتمل', '{n} من'), so the nouns the app counts are named, each as (singular, plural): a new counted noun
# is added here. A count outside ngettext takes neither form (nor the 3-10 plural: '{n} أيام' is wrong for
# 11 and up); inside ngettext, the 3-10 form takes the plural and the 11-99 and 100+ forms do not.
COUNTED = [
    ("أسرة", "أسر"), ("فرد", "أفراد"), ("عائد", "عائدين"), ("نازح", "نازحين"), ("شخص", "أشخاص"),
    ("موقع", "مواقع"), ("قضاء", "أقضية"), ("ناحية", "نواحٍ"), ("ناحية", "نواحي"), ("محافظة", "محافظات"),
    ("خدمة", "خدمات"), ("شريك", "شركاء"), ("جولة", "جولات"), ("يوم", "أيام"), ("شهر", "أشهر"),
    ("سنة", "سنوات"), ("تاريخ", "تواريخ"), ("صف", "صفوف"), ("عمود", "أعمدة"), ("خلية", "خلايا"),
    ("قيمة", "قيم"), ("ورقة", "أوراق"), ("منطقة", "مناطق"), ("نطاق", "نطاقات"), ("مصدر", "مصادر"),
    ("نقطة", "نقاط"), ("انسحاب", "انسحابات"), ("سطر", "أسطر"), ("مشكلة", "مشكلات"), ("مستوى", "مستويات"),
    ("منزلة", "منازل"), ("لقطة", "لقطات"), ("ملف", "ملفات"), ("نشرة", "نشرات"), ("تأكيد", "تأكيدات"),
    ("جزء", "أجزاء"), ("حرف", "أحرف"), ("مؤشر", "مؤشرات"),
]
SINGULARS = sorted({s for s, _p in COUNTED}, key=len, reverse=True)
PLURALS = sorted({p for _s, p in COUNTED}, key=len, reverse=True)


def _after_count(nouns: list[str], tanween: bool = True) -> re.Pattern:
    """A placeholder, then one of ``nouns`` as a whole word (with its accusative tanween if ``tanween``)."""
    ending = r"(?:ًا|اً|ً)?" if tanween else ""
    return re.compile(r"\{(\w+)(?::[^}]*)?\}\s*((?:" + "|".join(nouns) + ")" + ending + r")(?![\u0621-\u0652\u0670])")


COUNT_THEN_NOUN = _after_count(SINGULARS + PLURALS)  # any form: outside ngettext
COUNT_THEN_100_FORM = _after_count(SINGULARS, tanween=False)  # 'جولة' (not 'جولةً')
COUNT_THEN_PLURAL = _after_count(PLURALS)  # 'جولات'
#: The 100+ form ending its phrase ('{n} مشكلة)', not the first noun of a construct, 'تاريخ انتهاء'): wrong for 11-99.
COUNT_THEN_100_FORM_ALONE = re.compile(COUNT_THEN_100_FORM.pattern + r"(?=\s*(?:$|[)(،؛:.,]))")
#: A placeholder that is no count, and the noun after it: 'الصف {row} صف مجاميع' (row 7 is a totals row).
NOT_COUNTED = {("row", "صف")}


def _noun_offenders(read=catalogs.read) -> list[str]:
    """Every count followed by one form of its noun where that form is wrong for some counts, one line each."""
    out = []
    for domain in ("imports", "manage", "explore", "charts"):
        for m in read("ar", domain):
            if not m.id or not m.string:
                continue
            if not isinstance(m.id, tuple):
                found = [h for h in COUNT_THEN_NOUN.finditer(m.string) if (h.group(1), h.group(2)) not in NOT_COUNTED]
                out += [f"{domain}: {m.id!r} -> {m.string!r} ({h.group(0)!r})" for h in found]
                continue
            forms = list(m.string) + [""] * 6
            wrong = ([(3, h) for h in COUNT_THEN_100_FORM.finditer(forms[3])]  # 3-10: the plural
                     + [(i, h) for i in (4, 5) for h in COUNT_THEN_PLURAL.finditer(forms[i])]  # 11+: a singular
                     + [(5, h) for h in COUNT_THEN_100_FORM_ALONE.finditer(forms[5])])  # 11-99: with tanween
            out += [f"{domain}: {m.id[0]!r} form {i} -> {forms[i]!r} ({h.group(0)!r})" for i, h in wrong]
    return out


def test_no_count_outside_ngettext_is_followed_by_one_form_of_its_noun():
    """'{value} فرد', '{n} جولة', '{services} خدمة × {districts} قضاء' (the form of 100+) and '{n} أيام' (3-10)
    were each wrong for most counts; they say 'الأفراد: {value}', 'الجولات: {n}', 'الخدمات: {services} ×
    الأقضية: {districts}', 'أيامًا مختلفة عددها {n}'. Plural forms follow the number class they are for."""
    assert _noun_offenders() == []


def test_the_noun_check_finds_the_forms_it_is_for():
    """Not vacuous: it finds the 100+ form where ngettext puts it (form 4) and where it was wrong, and lets
    a label's value, a verb after a count and a count read as 'of them' pass."""
    site = catalogs.read("ar", "explore").get(("{n} site", "{n} sites")).string
    assert COUNT_THEN_100_FORM.search(site[4]) and COUNT_THEN_PLURAL.search(site[3])
    assert not COUNT_THEN_PLURAL.search(site[4]) and not COUNT_THEN_100_FORM.search(site[5])
    assert COUNT_THEN_100_FORM_ALONE.search("({n} ناحية)") and COUNT_THEN_100_FORM_ALONE.search("{n} مشكلة")
    assert not COUNT_THEN_100_FORM_ALONE.search("تغيّر {n} تاريخ انتهاء")  # a construct: 'تاريخَ انتهاءٍ'
    for wrong in ("{value} فرد", "{n} جولة، حتى {date}", "{services} خدمة × {districts} قضاء في {date}",
                  "{n:,} من {filled:,} قيمة لم تُقرأ", "يذكر نص المصدر {stated} أسرة", "({n} موقع)",
                  "… و{n} انسحاب آخر", "يضم {n} أيام مختلفة", "({n} نواحٍ)", "{n} ناحيةً"):
        assert COUNT_THEN_NOUN.search(wrong), wrong
    for right in ("الأفراد: {value}", "الجولات: {n}، حتى {date}", "الخدمات: {services} × الأقضية: {districts}",
                  "{n} تحتمل الصيغتين", "{m:,} منها بلا تاريخ", "الصف {row} صف مجاميع"):
        assert not [h for h in COUNT_THEN_NOUN.finditer(right) if (h.group(1), h.group(2)) not in NOT_COUNTED], right


def test_the_reworded_counts_read_right_for_every_count():
    with language("ar"):
        for n in (3, 11, 100):
            assert _("{value} individuals").format(value=n) == f"الأفراد: {n}"  # chart hovers (charts)
            assert _("{n} rounds, to {date}").format(n=n, date="2024") == f"الجولات: {n}، حتى 2024"
            assert _("{services} services × {districts} districts on {date}").format(
                services=n, districts=n, date="2024") == f"الخدمات: {n} × الأقضية: {n}، في 2024"
            assert _("{n} households").format(n=n) == f"الأسر: {n}"  # the arcs' legend (explore)
