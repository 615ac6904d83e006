"""Cases found by trying real-looking Master Lists as a new user would (QA pass, 30 Nov 2026).

- A round column written "Round 110" on every row (the 2019 IOM exports) is read as round 110.
- A households cell left empty or "-" next to a count of individuals: the row is counted by its
  individuals, and a warning says so (it used to be silent).
- "camp" counts as a word only: "Campaign Street" and "Xcamp" are not camps (a camp's individuals
  are households × 5 from round 117, not × 6).
- IOM's own totals line labelled "Total IDPs" is a totals row, not an unknown governorate; a
  location merely named "Total ..." keeps its row.
"""

from __future__ import annotations

import pytest

from dsdash.importers import import_file

HEAD = "Place id,Governorate,District,Location name in English,Location name in Arabic,Households,Individuals"


def _ml(rows: list[str], titles=("IOM DTM", "IDP Master List - Round 131 - 31 December 2023", ""), extra=""):
    return "\n".join([*titles, HEAD + extra, *rows, ""]).encode()


@pytest.mark.parametrize("written", ["Round 110", "round 110", "R110", "Rnd 110", "الجولة 110", "الجولة ١١٠",
                                     "Round #110", "110"])
def test_a_round_column_in_words_is_read(written):
    data = ("Place ID,Governorate,Location Name,Families,Individuals,Date,Round\n"
            f'1,Ninewa,Hay A,105,630,"Apr 30, 2019",{written}\n'
            f'2,Duhok,Hay B,47,282,"Apr 30, 2019",{written}\n').encode()
    res = import_file(data, "Iraq_IDP_Master_List_DTM_IOMApr 30, 2019.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted) == (2, 2)
    assert list(res.tables["population"]["dtm_round"]) == [110, 110]
    assert not [p for p in rep.problems if p.column == "Round"], [str(p) for p in rep.problems]
    assert rep.notes[0] == "IDP Master List, round 110, dated 30 Apr 2019"


def test_words_that_are_not_a_round_still_cost_one_grouped_warning_not_the_rows():
    data = ("Place ID,Governorate,Location Name,Families,Individuals,Round\n"
            "1,Ninewa,Hay A,105,630,Round 110 - Apr 2019\n2,Duhok,Hay B,47,282,Round 110 - Apr 2019\n").encode()
    rep = import_file(data, "IDP_ML_2019-04-30.csv").report
    assert (rep.rows_in, rep.rows_accepted) == (2, 2)
    grouped = [p for p in rep.grouped() if p.column == "Round"]
    assert len(grouped) == 1 and grouped[0].level == "warning" and grouped[0].count == 2


@pytest.mark.parametrize("cell", ["", "-", " - "])
def test_an_empty_households_cell_keeps_its_row_with_a_warning(cell):
    data = _ml(["100001,Ninewa,Mosul,Hay A,حي أ,20,120",
                f"100002,Duhok,Zakho,Hay B,حي ب,{cell},66",
                "100003,Erbil,Erbil,Hay C,حي ج,7,42"])
    res = import_file(data, "ml.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0)
    pop = res.tables["population"]
    assert int(pop["individuals"].sum()) == 228 and int(pop["households"].sum()) == 27  # hand counts
    warned = [p for p in rep.problems if p.column == "Households" and p.level == "warning"]
    assert [(p.row, p.reason) for p in warned] == [
        (6, "no households on this row: its individuals are counted, its households left empty")]


def test_a_file_without_a_households_column_is_not_warned_row_by_row():
    data = "\n".join(["Place id,Governorate,Location name in English,Individuals", "1,Ninewa,Hay A,120",
                      "2,Duhok,Hay B,66", ""]).encode()
    rep = import_file(data, "IDP_ML_2023-12-31.csv").report
    assert rep.rows_accepted == 2
    assert not [p for p in rep.problems if "no households" in p.reason]


def test_camp_is_a_word_not_letters_inside_one():
    names = {"Camp Nour": True, "camp salam": True, "CAMP AMAL": True, "Campaign Street": False, "Al-Camp": True,
             "Hay Camp 2": True, "Xcamp": False, "Hasansham U3 Camps": True, "Kampa": False}
    rows = [f"{100001 + k},Ninewa,Mosul,{name},حي {k},10,60" for k, name in enumerate(names)]
    rows.append("100100,Ninewa,Mosul,Hay Z,مخيم الخازر,10,60")  # a camp by its Arabic name
    rows.append("100101,Ninewa,Mosul,Hay Y,حي مخيمر,10,60")  # a family name, not a camp
    res = import_file(_ml(rows), "ml.csv")
    types = dict(zip(res.tables["sites"]["site_name"], res.tables["sites"]["site_type"]))
    expected = {**names, "Hay Z": True, "Hay Y": False}
    assert {k: v == "camp" for k, v in types.items()} == expected
    # round 131 ≥ 117: a camp's 10 households × 5 = 50, not the 60 the file says: warned on the camps alone
    warned = {p.row for p in res.report.problems if p.column == "Individuals" and "× 5" in p.reason}
    assert warned == {5 + k for k, (name, camp) in enumerate(expected.items()) if camp}


@pytest.mark.parametrize("column", ["Governorate", "Location name in English"])
@pytest.mark.parametrize("label", ["Total IDPs", "TOTAL IDPs:", "Grand total (all governorates)", "Total - Iraq",
                                   "المجموع الكلي للنازحين"])
def test_a_totals_row_with_words_after_total_is_recognised(label, column):
    rows = ["100001,Ninewa,Mosul,Hay A,حي أ,20,120", "100002,Duhok,Zakho,Hay B,حي ب,11,66",
            "100003,Erbil,Erbil,Hay C,حي ج,7,42"]
    total = [",", label, ",,", "", ",,38,228"] if column == "Governorate" else [",,,", label, ",,38,228"]
    res = import_file(_ml(rows + ["".join(total)]), "ml.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0), [str(p) for p in rep.problems]
    assert "row 8 is a totals row: not counted" in rep.notes
    assert int(res.tables["population"]["individuals"].sum()) == 228


def test_a_location_named_total_something_is_data_when_its_count_is_its_own():
    rows = ["100001,Ninewa,Mosul,Hay A,حي أ,20,120", "100002,Duhok,Zakho,Hay B,حي ب,11,66",
            "100003,Erbil,Erbil,Total Petrol Station,محطة,7,42"]
    res = import_file(_ml(rows), "ml.csv")
    assert res.report.rows_accepted == 3
    assert int(res.tables["population"]["individuals"].sum()) == 228
    assert not [n for n in res.report.notes if "totals row" in n]


def _two_sheets() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "IDP Master List"
    second = wb.create_sheet("Sheet2")
    for ws, n in ((first, 3), (second, 2)):
        ws.append(["Master List - Round 131 - 31 December 2023"])
        ws.append(["Place id", "Governorate", "Location name in English", "Households", "Individuals"])
        for k in range(n):
            ws.append([f"{ws.title[:3]}{k}", "Ninewa", f"Hay {ws.title} {k}", 10, 60])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_group_given_answers_only_the_sheets_that_state_none():
    # one answer on the Upload page ("for DTM Master Lists whose file does not say") or --group: the sheet named
    # 'IDP Master List' stays IDP, with a warning; the sheet that states nothing takes the answer
    res = import_file(_two_sheets(), "ml_R131.xlsx", population_group="returnee")
    groups = res.tables["population"].groupby("population_group")["site_id"].count().to_dict()
    assert groups == {"idp": 3, "returnee": 2}
    (first, second) = res.reports
    assert [p.reason for p in first.warnings] == [
        "the population group given (returnee) is not used: the file states idp (its sheet name)"]
    assert not second.warnings and res.usable


def test_a_file_named_idp_stays_idp_whatever_the_answer_for_other_files():
    data = _ml(["100001,Ninewa,Mosul,Hay A,حي أ,20,120"], titles=("Round 131 - 31 December 2023",))
    res = import_file(data, "Iraq_IDP_Master_List.csv", population_group="returnee")
    assert set(res.tables["population"]["population_group"]) == {"idp"}
    assert any("is not used: the file states idp (its file name)" in p.reason for p in res.report.warnings)


def test_the_upload_page_names_the_sheet_that_asks_with_its_own_rows():
    from dsdash import loading as L
    from dsdash.importers.questions import GROUP

    res = import_file(_two_sheets(), "ml_R131.xlsx")
    assert L.waiting_answers([res]) == [("ml_R131.xlsx, sheet 'Sheet2'", 2, [GROUP])]
    assert L.waiting_text(*L.waiting_answers([res])[0]).startswith(
        "ml_R131.xlsx, sheet 'Sheet2': 2 rows readable; the population group (IDP or returnee) is needed.")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formulas_rounding_error_is_the_whole_number_in_csv_and_xlsx_alike(fmt):
    # '=ind/6' and pandas exports write 14.000000000000002 or 83.99999999999999: the same count in both formats
    values = [(14.000000000000002, 84.00000000000001), (13.999999999999998, 83.99999999999999), (7, 42)]
    if fmt == "csv":
        data = _ml([f"10000{k},Ninewa,Mosul,Hay {k},حي {k},{hh!r},{ind!r}" for k, (hh, ind) in enumerate(values)])
    else:
        import io

        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["IDP Master List - Round 131 - 31 December 2023"])
        ws.append(HEAD.split(","))
        for k, (hh, ind) in enumerate(values):
            ws.append([f"10000{k}", "Ninewa", "Mosul", f"Hay {k}", f"حي {k}", hh, ind])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    res = import_file(data, f"ml.{fmt}")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0), [str(p) for p in rep.problems]
    pop = res.tables["population"]
    assert list(pop["households"]) == [14, 14, 7] and list(pop["individuals"]) == [84, 84, 42]


@pytest.mark.parametrize("cell", ["14.5", "14.01", "13.9"])
def test_a_count_further_from_a_whole_number_still_rejects_its_row(cell):
    res = import_file(_ml([f"100001,Ninewa,Mosul,Hay A,حي أ,{cell},84", "100002,Ninewa,Mosul,Hay B,حي ب,7,42"]),
                      "ml.csv")
    assert (res.report.rows_accepted, res.report.rows_rejected) == (1, 1)
    (err,) = res.report.errors
    assert err.reason == f"'{cell}' is not a whole number" and err.column == "Households"


def test_a_repeated_place_with_other_counts_is_named_as_a_conflict():
    rows = ["100001,Ninewa,Mosul,Hay A,حي أ,20,120", "100002,Duhok,Zakho,Hay B,حي ب,11,66",
            "100001,Ninewa,Mosul,Hay A,حي أ,20,120",  # row 7: the same again
            "100002,Duhok,Zakho,Hay B,حي ب,999,5994"]  # row 8: the same place, other counts
    res = import_file(_ml(rows), "ml.csv")
    assert (res.report.rows_accepted, res.report.rows_rejected) == (2, 2)
    assert [(p.row, p.reason) for p in res.report.errors] == [
        (7, "duplicate (Place id 100001): row 5 has the same, this row is not counted twice"),
        (8, "duplicate (Place id 100002) with other values than row 6 (Households 999 here, 11 there; Individuals "
            "5,994 here, 66 there): this row is not counted; check which is right")]
    assert int(res.tables["population"]["individuals"].sum()) == 186  # the first of each, counted once


def test_a_camp_right_after_a_name_ending_in_part_of_the_word_is_still_a_camp():
    """Names are searched laid end to end: 'حي المخي' then 'مخيم الجدعة' ran one match across the two
    (the word ends with the letter it starts with) and the real camp was missed: its households
    × 6, not × 5."""
    rows = ["100001,Ninewa,Mosul,Hay A,حي المخي,10,", "100002,Ninewa,Mosul,Jadaa,مخيم الجدعة,10,",
            "100003,Ninewa,Mosul,Hay B,حي ب,10,"]
    res = import_file(_ml(rows), "ml.csv")
    types = dict(zip(res.tables["sites"]["site_name"], res.tables["sites"]["site_type"]))
    assert types == {"Hay A": "location", "Jadaa": "camp", "Hay B": "location"}
    pop = dict(zip(res.tables["population"]["site_id"], res.tables["population"]["individuals"]))
    assert pop == {"100001": 60, "100002": 50, "100003": 60}  # round 131: × 5 in camps, × 6 elsewhere
