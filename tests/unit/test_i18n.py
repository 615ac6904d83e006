"""Languages (issue 18): the catalogs cover every message of the code, and the language of one
context never leaks into another."""

import threading

from dsdash import catalogs, i18n


def test_every_message_of_the_code_has_its_translation_and_compiled_catalog():
    """Fails when a user-visible string wrapped in _() / N_() / ngettext() has no Arabic
    translation, a translation loses or invents a {placeholder}, or a .mo is stale: run
    `make catalogs`, translate what it lists, run it again."""
    found = catalogs.problems()
    assert not found, f"{len(found)} catalog problems, e.g.:\n" + "\n".join(found[:40])


def test_every_source_file_belongs_to_one_catalog():
    files = catalogs.source_files()
    assert "pages/overview.py" in files and "dsdash/deck/build.py" in files
    assert {catalogs.domain_of(f) for f in files} <= set(catalogs.DOMAINS)
    assert catalogs.domain_of("dsdash/deck/build.py") == "charts"
    assert catalogs.domain_of("pages/upload.py") == "manage"
    assert catalogs.domain_of("pages/map.py") == "explore"


def test_the_language_is_per_context_and_per_thread():
    seen = {}

    def other():
        seen["thread"] = i18n.current()

    with i18n.language("ar"):
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert i18n.current() == "ar"
    assert i18n.current() == "en"
    assert seen["thread"] == "en"


def test_arabic_is_right_to_left_and_every_language_has_its_catalogs():
    assert i18n.is_rtl("ar") and not i18n.is_rtl("en")
    for code in i18n.LANGUAGES:
        if code != i18n.DEFAULT:
            for domain in catalogs.DOMAINS:
                assert catalogs.po_path(code, domain).exists(), (code, domain)


def test_arabic_plurals_follow_the_catalog_formula():
    """Babel's Arabic formula puts 11-99 in form 5 and 100-102 in form 4 (CLDR 'many'/'other'
    in its own order): 21 days is يومًا, 100 days is يوم, 3 days is أيام."""
    with i18n.language("ar"):
        got = {n: i18n.ngettext("ends in {n} day", "ends in {n} days", n).format(n=n) for n in (1, 2, 3, 21, 100)}
        sites = i18n.ngettext("{n} site", "{n} sites", 21).format(n=21)
    assert got[21].endswith("21 يومًا") and got[100].endswith("100 يوم") and got[3].endswith("3 أيام")
    assert "يوم" in got[1] and "يومين" in got[2]
    assert sites.startswith("21 موقعًا")
