"""The manage pages in Arabic (issue 18): Trends, Meeting pack, Load your data, Workspace, Users and
roles open with ``?lang=ar``, titled in Arabic, with the same figures as in English; a Master List
without its date waits for it in Arabic, and the date typed on the Arabic page applies.
(tests/pages/test_arabic.py checks that no English interface string remains on every page.)"""

import re

import pytest

from dsdash.i18n import language

from tests.support.dtm_fixtures import locations, master_list

ARABIC = re.compile(r"[\u0600-\u06FF]")
TITLES = {"trends.py": "الاتجاهات", "meeting.py": "حزمة الاجتماع", "upload.py": "تحميل بياناتك",
          "workspace.py": "مساحة العمل", "admin.py": "المستخدمون والأدوار"}


@pytest.mark.parametrize("page", list(TITLES))
def test_manage_pages_are_titled_in_arabic_and_show_the_same_figures(page, run_page):
    en = run_page(page, timeout=120)
    ar = run_page(page, query={"lang": "ar"}, timeout=120)
    assert ar.title[0].value == TITLES[page]
    assert all(ARABIC.search(s.value) for s in ar.subheader), [s.value for s in ar.subheader]
    assert [m.value for m in ar.metric] == [m.value for m in en.metric]  # the key figures, unchanged
    assert all(ARABIC.search(m.label) for m in ar.metric), [m.label for m in ar.metric]
    assert len(ar.button) == len(en.button) and all(ARABIC.search(b.label) for b in ar.button if b.label)


def test_trends_tabs_and_round_choices_in_arabic(run_page):
    at = run_page("trends.py", query={"lang": "ar"}, timeout=120)
    assert [t.label for t in at.tabs] == ["الاتجاه الوطني", "شدة المؤشرات", "تقدّم FVM", "البؤر الساخنة"]
    assert at.caption[0].value.startswith("البيانات\\: ")  # md_plain escapes the colon


def test_workspace_snapshots_read_in_arabic(run_page):
    at = run_page("workspace.py", query={"lang": "ar"}, timeout=120)
    options = at.multiselect(key="ws_ids").options
    assert len(options) == 11 and options[0].startswith("1 · البيانات الأولية: ") and options[0].endswith(" · منشورة")
    assert at.radio(key="ws_mode").options == ["نشران (تاريخان)", "جولتان من القائمة الرئيسية في البيانات المنشورة"]


def test_a_master_list_without_its_date_waits_in_arabic_and_the_typed_date_applies(run_page, rerun):
    fx = master_list(locations(40, seed=5), gen="2019", fmt="xlsx", title_rows=False,
                     filename="IDP_master_list_export.xlsx", extra_columns={"date": "n.d."})
    with language("ar"):  # AppTest formats the choices of a widget in the test's thread: the reader's language
        _upload_in_arabic(fx, run_page, rerun)


def _upload_in_arabic(fx, run_page, rerun):
    at = run_page("upload.py", query={"lang": "ar"}, timeout=120)
    assert at.title[0].value == "تحميل بياناتك" and at.text_input(key="upload_date_text").label == "التاريخ المرجعي"
    at.file_uploader[0].set_value((fx.filename, fx.data, "application/octet-stream"))
    rerun(at)
    warnings = [w.value for w in at.warning if "التاريخ المرجعي مطلوب" in w.value]
    assert warnings and "40 صفًا مقروءًا" in warnings[0], [w.value for w in at.warning]
    assert at.button(key="upload_use").disabled and at.button(key="upload_use").label == "استخدام في هذه الجلسة فقط"
    at.text_input(key="upload_date_text").input("2019-04-30")  # typed, then Enter
    rerun(at)
    assert not at.button(key="upload_use").disabled
    at.button(key="upload_use").click()
    rerun(at)
    pop = at.session_state["dsdash_active_dataset"].population
    assert len(pop) == 40 and int(pop["households"].sum()) == fx.households
