"""Sources in words: the registry of the documents dsdash's data comes from, and the
citation a reader (a donor, a minister's office) accepts for each.

Every row of every table carries a ``source`` text that says where it was read, for the
people who maintain the data: ``seed 000_ae1aa949a6b1374c.txt (DSTWG 13 Dec 2023, …),
'IDPs Overview' table, row 4`` or ``facts/dtm_iraq_national_series.csv: ML Report 117``.
That text stays in the data and in exports (next to its citation). What a screen, a slide
or a caption shows is the citation: ``DSTWG monthly meeting, 13 December 2023, 'Anbar
Informal IDP Sites' (IOM DTM figures of 10 December 2023)``.

The registry is ``data/sources.csv``, one row per document: ``id`` (short, stable),
``match`` (the beginning of the source texts that cite it; the longest match wins),
``citation``, ``publisher``, ``date`` (as precise as the document gives it), ``url`` and
``where`` (what kind of document, which part).

Sources of uploaded files are not in the registry; their text names the file
(:mod:`dsdash.importers` writes ``<file> (DTM Master List, IDPs, round 132, 30 Apr 2024),
row 5`` or ``<file> sheet S, row 5``). They read "IOM DTM Master List, IDPs, round 132,
30 Apr 2024 (uploaded file 'ml.xlsx')" or "uploaded file 'presence.xlsx', sheet 'S'" —
the file's name, never a folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dsdash.i18n import _, current, iso, local_digits

#: The registry of source documents.
REGISTRY_FILE = Path(__file__).resolve().parent.parent / "data" / "sources.csv"

#: File names (of an upload, a transcribed file) end like this.
_FILE = re.compile(r"^(?P<path>[^()]*?\.(?:csv|tsv|txt|xlsx|xlsm|xls|ods|json|geojson|zip|md))"
                   r"(?:(?= sheet ) sheet (?P<sheet>[^(),;]+?)(?=$| \(|[,;])|(?=$|[ ,:;(]))", re.IGNORECASE)
_ML = re.compile(r"^\(DTM Master List, (?P<what>[^)]*)\)")
_ROW = re.compile(r",? (?:row|rows) \d[\d, –-]*$")


@dataclass(frozen=True)
class Source:
    """One document of the registry."""

    id: str
    match: str
    citation: str
    publisher: str
    date: str
    url: str
    where: str


@lru_cache(maxsize=1)
def registry() -> tuple[Source, ...]:
    """The registry's documents, longest ``match`` first (so the most precise wins)."""
    with open(REGISTRY_FILE, encoding="utf-8", newline="") as fh:
        rows = [Source(**{k: (v or "").strip() for k, v in r.items()}) for r in csv.DictReader(fh)]
    return tuple(sorted(rows, key=lambda s: -len(s.match)))


def lookup(source: object) -> Source | None:
    """The registry document a source text (or a source id) names, or None.

    Examples:
        >>> lookup("facts/dtm_iraq_national_series.csv: ML Report 117 (reliefweb)").id
        'dtm-ml-report-117'
        >>> lookup("dstwg-2023-12-13").citation
        "DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites' (IOM DTM figures of 10 December 2023)"
        >>> lookup("my_upload.csv, row 3") is None
        True
    """
    text = str(source).strip()
    for s in registry():
        if text == s.id or text.startswith(s.match):
            return s
    return None


def _uploaded(text: str) -> str | None:
    """The words for a source that names a file, in the reader's language: 'uploaded file 'x.csv',
    sheet 'S''; the file and sheet names set apart (:func:`dsdash.i18n.iso`).

    Examples:
        >>> from dsdash.i18n import language
        >>> src = "/tmp/up/ml.xlsx sheet IDPs (DTM Master List, IDPs, round 132, 30 Apr 2024), row 7"
        >>> _uploaded(src)
        "IOM DTM Master List, IDPs, round 132, 30 Apr 2024 (uploaded file 'ml.xlsx', sheet 'IDPs')"
        >>> with language("ar"):
        ...     _uploaded(src).replace("\u2068", "").replace("\u2069", "")
        "القائمة الرئيسية لمصفوفة تتبع النزوح (IOM DTM)، النازحون، الجولة 132، 30 نيسان 2024 (ملف مرفوع 'ml.xlsx'، الورقة 'IDPs')"
    """
    m = _FILE.match(text)
    if not m:
        return None
    name = file_name(m.group("path"))
    sheet = m.group("sheet")
    words = (_("uploaded file '{name}', sheet '{sheet}'").format(name=iso(name), sheet=iso(sheet.strip())) if sheet
             else _("uploaded file '{name}'").format(name=iso(name)))
    rest = text[m.end():].strip()
    ml = _ML.match(rest)
    if ml:
        return _("IOM DTM Master List, {what} ({file})").format(what=_ml_words(ml.group("what")), file=words)
    return words


_ML_WHAT = re.compile(r"^(?P<group>IDPs|returnees)(?:, round (?P<round>\d+))?(?:, (?P<date>\d{1,2} [A-Z][a-z]{2} \d{4}))?$")


def _ml_words(what: str) -> str:
    """What a Master List source says of its list ('IDPs, round 132, 30 Apr 2024', as the importer
    writes it) in the reader's language; as written in English, or when it is not in that form."""
    m = _ML_WHAT.match(what)
    if current() == "en" or not m:
        return what
    from dsdash.provenance import local_date  # provenance cites through this module

    parts = [_("IDPs") if m["group"] == "IDPs" else _("returnees")]
    if m["round"]:
        parts.append(_("round {round}").format(round=local_digits(m["round"])))
    if m["date"]:
        try:
            parts.append(local_date(dt.datetime.strptime(m["date"], "%d %b %Y").date()))
        except ValueError:
            parts.append(m["date"])
    return _(", ").join(parts)


def citation(source: object) -> str:
    """The citation of a source id or source text, in words a reader accepts; never a
    file path or a row number. '' for an empty source.

    Examples:
        >>> citation("seed 002_5d41127f29b6ae16.txt (DSTWG 9 Dec 2020), slide 'Hotspots per governorate'")
        'DSTWG meeting, 9 December 2020 (slides; hotspots from the IOM DTM Return Index)'
        >>> citation("facts/dtm_iraq_return_index_rounds.csv (row round 9); https://reliefweb.int/x")
        'IOM DTM Return Index, round 9 (data May–June 2020; published July 2020)'
        >>> citation("/tmp/up/ml_r132.xlsx sheet IDPs (DTM Master List, IDPs, round 132, 30 Apr 2024), row 7")
        "IOM DTM Master List, IDPs, round 132, 30 Apr 2024 (uploaded file 'ml_r132.xlsx', sheet 'IDPs')"
        >>> citation("partners.csv, row 12")
        "uploaded file 'partners.csv'"
        >>> citation(None), citation("A partner's own report, row 3")
        ('', "A partner's own report")
    """
    if source is None or (isinstance(source, float) and source != source):
        return ""
    text = str(source).strip()
    if not text or text.lower() in ("nan", "none", "<na>"):
        return ""
    found = lookup(text)
    if found is not None:
        return found.citation
    words = _uploaded(text)
    if words is not None:
        return words
    first = text.split("; ")[0]
    return _ROW.sub("", first.split(", row ")[0]).strip()


def part(source: object) -> str:
    """The part of the document a source text names (a table, a slide), without row
    numbers: what follows the document's own description. '' when there is none.

    Examples:
        >>> part("seed 000_x.txt (DSTWG 13 Dec 2023, 'Anbar'), 'IDPs Overview' table (IOM DTM figures), row 4; x")
        "'IDPs Overview' table (IOM DTM figures)"
        >>> part("facts/dtm_iraq_national_series.csv: ML Report 117 (reliefweb)")
        ''
    """
    text = str(source or "").split("; ")[0].strip()
    if not text.startswith("seed "):
        return ""
    rest = text.split(" ", 2)[2] if text.count(" ") >= 2 else ""
    if rest.startswith("("):  # the document's description, parentheses balanced
        depth = 0
        for i, ch in enumerate(rest):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                rest = rest[i + 1:]
                break
    rest = rest.lstrip(", ").split(", row ")[0]
    return _ROW.sub("", rest).strip()


def cited(source: object) -> str:
    """The citation and the part of the document: 'DSTWG monthly meeting, …, 'IDPs
    Overview' table (IOM DTM figures)'.

    Examples:
        >>> cited("seed 000_ae1aa949a6b1374c.txt (DSTWG), 'IDPs Overview' table (IOM DTM figures), row 2")
        "DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites' (IOM DTM figures of 10 December 2023), 'IDPs Overview' table"
        >>> cited("seed 004_a5ba02ac801220da.txt (IOM, 'Supporting …', 18 May 2023), FVM table")
        "IOM, 'Supporting durable solutions to displacement: facilitated voluntary movements', 18 May 2023, FVM table"
    """
    c, p = citation(source), part(source)
    # a parenthesis of the part the citation already says ("(IOM DTM figures)") is not repeated
    p = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if m.group(1) in c else m.group(0), p).strip()
    return f"{c}, {p}" if c and p else c


def citations(sources) -> list[str]:
    """The distinct citations of many source texts, in first-seen order, each once.

    Examples:
        >>> citations(["facts/dtm_iraq_national_series.csv: IOM DTM API, x", "facts/dtm_iraq_national_series.csv: IOM DTM API, y", None])
        ['IOM DTM, Iraq national IDP figures by round, 2014–2024 (DTM API, as republished on OCHA HDX)']
    """
    out: dict[str, None] = {}
    for s in sources:
        c = citation(s)
        if c:
            out.setdefault(c, None)
    return list(out)


def file_name(path: object) -> str:
    """A file's name without its folder (a browser or the CLI may give a whole path).

    Examples:
        >>> file_name("/srv/in/ml.csv"), file_name("data/sites.csv"), file_name("ml.xlsx")
        ('ml.csv', 'sites.csv', 'ml.xlsx')
    """
    return re.split(r"[\\/]", str(path or ""))[-1]


def source_id(source: object) -> str:
    """The registry id of a source text; for an upload, the file name; '' otherwise.

    Examples:
        >>> source_id("seed 000_ae1aa949a6b1374c.txt (DSTWG), row 1"), source_id("C:\\\\data\\\\ml.xlsx, row 2")
        ('dstwg-2023-12-13', 'ml.xlsx')
    """
    found = lookup(source)
    if found is not None:
        return found.id
    m = _FILE.match(str(source or "").strip())
    return file_name(m.group("path")) if m else ""


_ROUND_OF = re.compile(r"^(?P<series>.+?), round (?P<n>\d+)\b")


def _ranges(numbers: list[int]) -> str:
    """'1–4, 6–16' for [1, 2, 3, 4, 6, …, 16]; '119 and 132' for two apart."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return " and ".join(parts) if len(parts) == 2 and all("–" not in p and "," not in p for p in parts) \
        else ", ".join(parts)


def grouped(cited_list: list[str]) -> list[str]:
    """Citations with the rounds of one series said once: 'IOM DTM Return Index, rounds
    1–4, 6–16' rather than fifteen lines; other citations as they are, in order.

    Examples:
        >>> grouped(["IOM DTM Master List Report, round 117, 31 August 2020", "A report",
        ...          "IOM DTM Master List Report, round 118, 31 October 2020",
        ...          "IOM DTM Master List Report, round 122, 31 July 2021", "IOM DTM Returnee Master List, round 132, 30 April 2024"])
        ['IOM DTM Master List Report, rounds 117, 118, 122', 'A report', 'IOM DTM Returnee Master List, round 132, 30 April 2024']
    """
    series: dict[str, list[int]] = {}
    for c in cited_list:
        m = _ROUND_OF.match(c)
        if m:
            series.setdefault(m.group("series"), []).append(int(m.group("n")))
    out: dict[str, None] = {}
    for c in cited_list:
        m = _ROUND_OF.match(c)
        if m and len(series[m.group("series")]) > 1:
            out.setdefault(f"{m.group('series')}, rounds {_ranges(series[m.group('series')])}", None)
        else:
            out.setdefault(c, None)
    return list(out)
