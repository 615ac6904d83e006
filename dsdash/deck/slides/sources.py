"""Sources and methods: every source of every row the deck used, as citations
(:mod:`dsdash.sources`), each once per theme with the rounds of one series said once
("IOM DTM Return Index, rounds 1–4, 6–16"), the methods and the caveats; continued on
further slides when the sources do not fit one."""

from __future__ import annotations

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import lines, titled_slide
from dsdash.i18n import N_, _
from dsdash.sources import grouped

NAME = "sources"
TITLE = N_("Sources and methods")
SOURCE_LINES = 40  # 8-point lines that fit in the sources column (from 1.05 in to above the footer)


def source_pages(sources: list[tuple[str, list[str]]], per_page: int = SOURCE_LINES,
                 chars_per_line: int = 120) -> list[list[tuple[str, bool]]]:
    """The sources as (text, bold) lines cut into pages that fit one slide each (a long
    source counts as the lines it wraps to); a heading repeats on the next page.

    Examples:
        >>> source_pages([("A", ["x", "y", "z"])], per_page=3)
        [[('A', True), ('• x', False), ('• y', False)], [('A (continued)', True), ('• z', False)]]
    """
    pages: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for name, docs in sources:
        heading = (name, True)
        if used + 2 > per_page and pages[-1]:
            pages.append([])
            used = 0
        pages[-1].append(heading)
        used += 1
        for d in docs:
            need = -(-len(d) // chars_per_line)
            if used + need > per_page:
                pages.append([(_("{name} (continued)").format(name=name), True)])
                used = 1
            pages[-1].append((f"• {d}", False))
            used += need
    return pages


def cited(c: DeckContent) -> list[tuple[str, list[str]]]:
    """The deck's sources per theme as the slide lists them: each citation once on the
    slide (a document a theme shares with an earlier one is referred to, not repeated), a
    series' rounds on one line.

    Examples:
        >>> from types import SimpleNamespace as NS
        >>> cited(NS(sources=[("Sites", ["A", "B"]), ("Presence", ["A"]), ("Needs", ["A", "C"])]))
        [('Sites', ['A', 'B']), ('Presence', ["the documents under 'Sites' above"]), ('Needs', ['C'])]
    """
    seen: dict[str, str] = {}
    out = []
    for name, docs in c.sources:
        docs = grouped(docs)
        new = [d for d in docs if d not in seen]
        if not new and docs:
            new = [_("the documents under '{theme}' above").format(theme=seen[docs[0]])]
        for d in docs:
            seen.setdefault(d, name)
        out.append((name, new))
    return out


def outline(c: DeckContent) -> list[str]:
    return [_("{theme}: {n} source(s)").format(theme=name, n=len(docs)) for name, docs in cited(c)] + c.notes


def draw(prs, c: DeckContent) -> None:
    pages = source_pages(cited(c))
    for i, left in enumerate(pages):
        slide = titled_slide(prs, _(TITLE) if i == 0 else _("{name} (continued)").format(name=_(TITLE)), c)
        lines(slide, 0.5, 1.05, 7.6, 5.9, left, 8 if len(pages) > 1 or len(left) > 26 else 10)
        if i == 0:
            right: list[tuple[str, bool]] = [(_("Methods"), True)] + [(f"• {m}", False) for m in c.methods]
            if c.notes:
                right += [(_("Caveats"), True)] + [(f"• {x}", False) for x in c.notes]
            lines(slide, 8.3, 1.05, 4.6, 5.9, right, 9)
