"""A Master List whose Arabic title names its population ('القائمة الرئيسية للنازحين', 'للعائدين') needs no
--group (found in this session's new-user pass: the date was read from such a title, the group was asked).
'لعودة النازحين' (the return of the displaced) names a returnee list, and 'غير النازحين' (the non-displaced)
no IDP list (second review: both were read as IDPs, and a returnee list was counted as IDPs)."""

from __future__ import annotations

import pytest

from dsdash.importers import import_file

BODY = "Place id,Governorate,Location name in English,Households,Individuals\n1,Ninewa,Hay Nour,10,60\n2,Anbar,Hay Salam,5,30\n"


@pytest.mark.parametrize(("title", "group"), [("القائمة الرئيسية للنازحين - نيسان 2024", "idp"),
                                              ("القائمة الرئيسية للعائدين - نيسان 2024", "returnee"),
                                              ("القائمة الرئيسية لعودة النازحين - نيسان 2024", "returnee"),
                                              ("مواقع عودة النازحين - نيسان 2024", "returnee"),
                                              ("قائمة المواقع - نيسان 2024", None),
                                              ("مواقع غير النازحين - نيسان 2024", None)])
def test_the_population_named_in_an_arabic_title(title, group):
    res = import_file((title + "\n" + BODY).encode(), "ml.csv")
    asked = [p for p in res.report.problems if p.level == "question"]
    if group is None:  # a title naming neither: the group is asked, as before
        assert len(asked) == 1
        return
    assert not asked and set(res.tables["population"]["population_group"]) == {group}
    assert res.report.notes[0].startswith("IDP Master List" if group == "idp" else "returnee Master List")
