"""What the Load your data page says of a Master List that does not state its population group
(dsdash.loading; issue 11), in English and in Arabic: real imports in the worker, no mocks."""

import datetime as dt

from dsdash import loading as L
from dsdash.i18n import language
from dsdash.importers.questions import DATE, GROUP
from dsdash.importers.worker import import_files

CSV = "Place ID,Governorate,Location Name,Families\n1,Anbar,A,10\n2,Anbar,B,12\n3,Ninewa,C,4\n"


def _import(**kw):
    return import_files([(CSV.encode(), "anbar.csv")], **kw)


def test_the_page_names_what_each_file_waits_for():
    both = _import()
    assert L.waiting_answers(both) == [("anbar.csv", 3, [GROUP, DATE])]
    assert L.waiting_files(both) == [("anbar.csv", 3)]
    assert L.can_use(both) == (False, "waits for the population group and the reference date of the files above")
    group = _import(reference_date=dt.date(2024, 4, 30))
    assert L.waiting_answers(group) == [("anbar.csv", 3, [GROUP])]
    assert L.can_use(group) == (False, "waits for the population group of the files above")
    date = _import(population_group="returnee")
    assert L.waiting_answers(date) == [("anbar.csv", 3, [DATE])]
    assert L.can_use(date) == (False, "waits for the reference date of the files above")
    ready = _import(population_group="returnee", reference_date=dt.date(2024, 4, 30))
    assert L.waiting_answers(ready) == [] and L.can_use(ready) == (True, None)

    assert L.waiting_text("anbar.csv", 3, [GROUP]) == (
        "anbar.csv: 3 rows readable; the population group (IDP or returnee) is needed. Pick it under 'For DTM "
        "Master Lists whose file does not say' above: the data can be used once it is given.")
    assert L.waiting_text("anbar.csv", 1, [GROUP, DATE]).startswith(
        "anbar.csv: 1 row readable; the population group (IDP or returnee) and the reference date are needed. "
        "Give them under")
    assert L.waiting_text("anbar.csv", 3, [DATE]) == L.waiting_text("anbar.csv", 3)  # the date's words unchanged


def test_in_arabic_each_question_is_named_and_counts_agree():
    both = _import()
    with language("ar"):
        assert L.can_use(both)[1] == "بانتظار الفئة السكانية والتاريخ المرجعي للملفات أعلاه"
        assert L.can_use(_import(reference_date=dt.date(2024, 4, 30)))[1] == "بانتظار الفئة السكانية للملفات أعلاه"
        assert L.waiting_text("anbar.csv", 3, [GROUP]).startswith(
            "anbar.csv: 3 صفوف مقروءة؛ الفئة السكانية (نازحون أو عائدون) مطلوبة.")
        assert L.waiting_text("anbar.csv", 2, [GROUP, DATE]).startswith(
            "anbar.csv: صفان مقروءان؛ الفئة السكانية (نازحون أو عائدون) والتاريخ المرجعي مطلوبان.")
        assert L.waiting_text("anbar.csv", 21, [GROUP]).startswith("anbar.csv: 21 صفًا مقروءًا؛")
        assert L.waiting_text("anbar.csv", 100, [GROUP]).startswith("anbar.csv: 100 صف مقروء؛")
