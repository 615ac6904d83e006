"""What the Load your data and Trends pages say and decide (dsdash.loading, dsdash.trends_page),
in English and in Arabic: real imports, real dates, no mocks."""

import datetime as dt

import pandas as pd

from dsdash import loading as L
from dsdash import trends_page as T
from dsdash.i18n import language
from dsdash.importers.worker import import_files


def _import(text: str, **kw):
    return import_files([(text.encode(), "export.csv")], **kw)


def test_a_master_list_without_date_waits_and_cannot_be_used_until_it_is_given():
    csv = "Place ID,Governorate,Location Name,Families\n1,Anbar,A,10\n2,Anbar,B,12\n"
    waiting = _import(csv, population_group="idp")
    assert L.waiting_files(waiting) == [("export.csv", 2)]
    assert L.can_use(waiting) == (False, "waits for the reference date of the files above")
    assert L.waiting_text("export.csv", 2).startswith("export.csv: 2 rows readable; the reference date is needed.")
    ready = _import(csv, population_group="idp", reference_date=dt.date(2024, 4, 30))
    assert L.waiting_files(ready) == [] and L.can_use(ready) == (True, None)
    assert L.refused_whole(ready) == []
    with language("ar"):
        assert L.can_use(waiting)[1] == "بانتظار التاريخ المرجعي للملفات أعلاه"
        assert L.waiting_text("export.csv", 2).startswith("export.csv: صفان مقروءان؛ التاريخ المرجعي مطلوب.")


def test_a_file_that_is_no_table_is_refused_whole_with_its_reason():
    res = import_files([(b"\x00\x01\x02 not a table", "junk.xlsx")])
    refused = L.refused_whole(res)
    assert [f for f, _r in refused] == ["junk.xlsx"] and refused[0][1]


def test_the_file_key_changes_with_the_bytes_and_the_options():
    k = L.file_key(b"a", "f.csv", "idp", dt.date(2024, 4, 30), 131)
    assert k == L.file_key(b"a", "f.csv", "idp", dt.date(2024, 4, 30), 131)
    assert k != L.file_key(b"b", "f.csv", "idp", dt.date(2024, 4, 30), 131)
    assert k != L.file_key(b"a", "f.csv", "idp", None, 131)


def test_counts_and_choices_in_words_in_both_languages():
    # the Load your data page's caption (one, since stop 25: the page's own, moved here from ui/reports.py)
    assert L.problems_caption(1, 1, 1).startswith("1 problem: errors reject the row")
    assert L.problems_caption(12000, 7000, 5000).startswith(
        "7,000 problems, grouped by column and reason (12,000 cells), first 5,000 shown: errors reject")
    assert L.problems_caption(0, 0, 0) == "No problems."
    assert L.reading_text(1, "60 s") == "Reading 1 file (at most 60 s each) …"
    assert L.boundaries_text({"admin1": [1] * 18, "admin2": [1]}) == "Boundaries loaded: admin1 (18 areas), admin2 (1 area)"
    assert [L.group_label(g) for g in L.GROUP_CHOICES] == ["as the file says", "IDPs", "Returnees"]
    assert L.sharing_label("confidential") == "Confidential (admins of this workspace)"
    assert L.sharing_value("default") is None and L.sharing_value("public") == "public"
    with language("ar"):
        assert L.problems_caption(3, 2, 2).startswith("مشكلتان، مجمّعة حسب العمود والسبب (3 خلايا): الأخطاء ترفض الصف")
        assert L.reading_text(2, "60 s") == "قراءة ملفين (بحد أقصى 60 s لكل ملف) …"
        assert L.group_label(None) == "كما يذكر الملف"
        assert L.sharing_name("restricted") == "مقيّد"
        assert "200 ميغابايت" in L.intro_text("200 MB") and "MB" not in L.intro_text("200 MB")


def test_trends_words_and_the_default_rounds():
    dates = [pd.Timestamp("2023-06-30"), pd.Timestamp("2023-09-30"), pd.Timestamp("2023-12-10")]
    assert T.default_from(dates) == 1 and dates[:-1][T.default_from(dates)] == pd.Timestamp("2023-09-30")
    assert T.round_label(dates[-1]) == "10 Dec 2023"
    assert T.tabs() == ["National trend", "Index severity", "FVM progress", "Hotspots"]
    assert T.page_caption("Published workspace (embedded seed data)", "all sites").startswith(
        "Data: Published workspace (embedded seed data). Filters: all sites (they apply")
    assert T.one_round_text("returnee") == "Returnees: one round only, no change to show."
    with language("ar"):
        assert T.round_label(dates[-1]) == "10 كانون الأول 2023"
        assert T.tabs() == ["الاتجاه الوطني", "شدة المؤشرات", "تقدّم FVM", "البؤر الساخنة"]
        assert T.level_label("admin2") == "القضاء"
        assert T.one_round_text("idp").endswith(": جولة واحدة فقط، لا تغيّر لعرضه.")
        assert T.page_caption("Published workspace (embedded seed data)", "x").startswith("البيانات: ")
