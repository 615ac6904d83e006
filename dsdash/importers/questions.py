"""What a file does not say and the user must give before it is used: its questions.

A question is a :class:`~dsdash.schema.Problem` of level ``"question"`` about the whole file:
its rows are read, checked and counted, but the file is not used (not in a dataset, not
stored) until the user answers it. A DTM Master List asks two, each answered by one option of
:func:`dsdash.importers.import_file` (the Upload page's field, or the command line's option):

- its **reference date** (``reference_date``: the page's date, ``--date``), when no date is
  stated in the file name, the title rows or a date column (:mod:`.dtm`);
- its **population group** (``population_group``: IDP or returnee, the page's pick list,
  ``--group``), when neither the file name, the title rows, the sheet name nor the headers
  say it.

Both may be open at once; each is named wherever the answer is asked for.

Examples:
    >>> q = group_question("anbar.csv", None, 3)
    >>> q.level, answer_of(q), need_text(q)
    ('question', 'population_group', 'the population group (IDP or returnee)')
    >>> answer_of(Problem("a.csv", "3 rows readable; the reference date is needed", level="question"))
    'reference_date'
    >>> q.reason
    '3 rows readable; the population group (IDP or returnee) is needed (the file name, title rows, sheet name and headers do not say it): give it on the Upload page, or with --group on the command line'
"""

from __future__ import annotations

from dataclasses import dataclass

from dsdash.i18n import _, ngettext
from dsdash.schema import Problem

#: The options that answer a question, as :func:`dsdash.importers.import_file` takes them,
#: in the order they are asked for.
GROUP, DATE = "population_group", "reference_date"
ANSWERS = (GROUP, DATE)


@dataclass
class Question(Problem):
    """A question about a whole file, with the option of :func:`~dsdash.importers.import_file`
    that answers it (``answer``: :data:`GROUP` or :data:`DATE`)."""

    level: str = "question"
    answer: str = DATE


def answer_of(p: Problem) -> str:
    """The option that answers a question (a question made without one is the date's: the first
    question a Master List asked)."""
    return getattr(p, "answer", DATE)


def answers(problems) -> list[str]:
    """The options the questions among ``problems`` need, once each, in :data:`ANSWERS` order.

    >>> answers([group_question("a.csv", None, 1), Problem("a.csv", "x", level="question")])
    ['population_group', 'reference_date']
    """
    need = {answer_of(p) for p in problems if p.level == "question"}
    return [a for a in ANSWERS if a in need]


def group_question(file: str, sheet: str | None, n: int) -> Question:
    """The question of a Master List whose population group is stated nowhere: its ``n`` rows are
    readable, and the group is needed."""
    return Question(file, ngettext(
        "{n:,} row readable; the population group (IDP or returnee) is needed (the file name, title rows, sheet "
        "name and headers do not say it): give it on the Upload page, or with --group on the command line",
        "{n:,} rows readable; the population group (IDP or returnee) is needed (the file name, title rows, sheet "
        "name and headers do not say it): give it on the Upload page, or with --group on the command line",
        n).format(n=n), sheet=sheet, answer=GROUP)


def need_text(p: Problem) -> str:
    """What a question needs, in a few words (the reports' "needs" column)."""
    return _("the population group (IDP or returnee)") if answer_of(p) == GROUP else _("the reference date")
