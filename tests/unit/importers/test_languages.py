"""Languages (issue 18), the importers' side: what an import says comes out in the user's language,
through the worker process too, and the counts do not depend on it."""

import datetime as dt

import pytest

from dsdash.i18n import language
from dsdash.importers import import_file, problems_frame, reports_frame
from dsdash.importers.worker import import_files

# A Master List without a date (a question), a count that is not a number (an error on its row),
# a governorate that is not one (an error), and coordinates outside Iraq (a warning).
FILE = ("Place ID,Governorate,Location name,Latitude,Longitude,Families,Individuals\n"
        "1,Anbar,Kilo 7,33.4,43.3,10,60\n"
        "2,Anbar,Kilo 8,33.4,43.3,x,60\n"
        "3,Atlantis,Kilo 9,33.4,43.3,5,30\n"
        "4,Ninewa,Hay A,10.0,10.0,7,42\n").encode()
NAME = "IDP_master_list.csv"


def _counts(res):
    return [(r.rows_in, r.rows_accepted, r.rows_rejected, len(r.problems), [p.level for p in r.problems])
            for r in res.reports]


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@pytest.mark.parametrize("through_worker", [False, True])
def test_an_arabic_import_says_it_in_arabic_with_the_same_counts(through_worker):
    def run(lang):
        with language(lang):
            if through_worker:
                return import_files([(FILE, NAME)])[0]
            return import_file(FILE, NAME)

    en, ar = run("en"), run("ar")
    assert _counts(en) == _counts(ar)
    assert (en.report.rows_in, en.report.rows_accepted, en.report.rows_rejected) == (4, 2, 2)
    by_en = {p.row: p.reason for p in en.report.problems}
    by_ar = {p.row: p.reason for p in ar.report.problems}
    assert by_en[3] == "'x' is not a number"
    assert by_ar[3] == "'x' ليس عددًا"
    assert by_ar[4].startswith("'Atlantis' ليست محافظة عراقية")
    assert "الإحداثيات" in by_ar[5]
    question = [p.reason for p in ar.report.problems if p.level == "question"]
    assert len(question) == 1 and "يلزم التاريخ المرجعي" in question[0]
    assert all(_arabic(p.reason) for p in ar.report.problems)
    assert ar.report.notes[0] == "القائمة الرئيسية للنازحين، يلزم التاريخ المرجعي"
    assert en.report.notes[0] == "IDP Master List, reference date needed"
    # the views of the reports: Arabic text, the same numbers
    assert reports_frame(ar.reports)[["rows in", "accepted", "rejected", "errors", "warnings"]].equals(
        reports_frame(en.reports)[["rows in", "accepted", "rejected", "errors", "warnings"]])
    with language("ar"):
        assert reports_frame(ar.reports)["needs"].iat[0] == "التاريخ المرجعي"
    assert reports_frame(en.reports)["needs"].iat[0] == "the reference date"
    assert problems_frame(ar.reports)["count"].tolist() == problems_frame(en.reports)["count"].tolist()


def test_the_totals_do_not_depend_on_the_language():
    with language("ar"):
        ar = import_file(FILE, NAME, reference_date=dt.date(2024, 4, 30))
    en = import_file(FILE, NAME, reference_date=dt.date(2024, 4, 30))
    assert ar.usable and en.usable
    for table in ("sites", "population"):
        assert ar.tables[table].equals(en.tables[table])
    assert int(ar.tables["population"]["individuals"].sum()) == 60 + 42


def test_an_upload_is_read_again_in_another_language():
    """The Upload page keeps each file's import for the session by its key: the language is part of it."""
    from dsdash import loading

    en = loading.file_key(FILE, NAME, None, None, None)
    with language("ar"):
        ar = loading.file_key(FILE, NAME, None, None, None)
    assert en != ar and en[:5] == ar[:5]
