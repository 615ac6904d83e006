"""A Master List row that names no governorate (its cell empty: a sheet whose governorate was merged over
its rows, saved as CSV) takes the governorate its coordinates lie in, from the bundled COD-AB layer, with a
warning (found in this session's new-user pass: such rows were rejected, "value is empty but required",
and their households left out of every total)."""

from __future__ import annotations

from dsdash.importers import import_file

HEAD = "Place id,Governorate,Location name in English,Latitude,Longitude,Households,Individuals\n"


def _import(rows: str):
    res = import_file((HEAD + rows).encode(), "DTM_IDP_R132_Apr2024.csv")
    rep = res.report
    assert rep.rows_in == rep.rows_accepted + rep.rows_rejected
    return res, rep


def test_rows_without_a_governorate_take_the_one_their_coordinates_lie_in():
    res, rep = _import("1,Ninewa,Hay Nour,36.34,43.13,10,60\n"
                       "2,,Hay Salam,36.36,43.15,5,30\n"  # Mosul: Ninewa
                       "3,,Hay Amal,33.42,43.30,7,42\n"  # Ramadi: Anbar
                       "4,,Hay Fajr,44.01,36.19,2,12\n")  # Erbil, latitude and longitude swapped
    assert (rep.rows_accepted, rep.rows_rejected) == (4, 0)
    sites = res.tables["sites"].set_index("site_id")["admin1_code"].to_dict()
    assert sites == {"1": "IQG15", "2": "IQG15", "3": "IQG01", "4": "IQG11"}
    assert int(res.tables["population"]["households"].sum()) == 24
    said = {(p.row, p.reason) for p in rep.warnings if p.column == "Governorate"}
    assert said == {(3, "no governorate on this row: Ninewa (IQG15), where its coordinates lie (COD-AB boundaries)"),
                    (4, "no governorate on this row: Al-Anbar (IQG01), where its coordinates lie (COD-AB boundaries)"),
                    (5, "no governorate on this row: Erbil (IQG11), where its coordinates lie (COD-AB boundaries)")}


def test_coordinates_outside_iraq_or_missing_leave_the_row_rejected_as_before():
    _res, rep = _import("1,Ninewa,Hay Nour,36.34,43.13,10,60\n"
                        "2,,Hay Salam,48.85,2.35,5,30\n"  # Paris
                        "3,,Hay Amal,,,7,42\n")
    assert (rep.rows_accepted, rep.rows_rejected) == (1, 2)
    assert {p.row for p in rep.errors} == {3, 4}


def test_a_governorate_the_file_names_wrongly_is_not_overruled_by_the_coordinates():
    _res, rep = _import("1,Ninewa,Hay Nour,36.34,43.13,10,60\n2,Atlantis,Hay Salam,36.36,43.15,5,30\n")
    assert (rep.rows_accepted, rep.rows_rejected) == (1, 1)
    assert any(p.row == 3 and "'Atlantis' is not a governorate of Iraq" in p.reason for p in rep.errors)


def test_the_rows_district_comes_before_its_coordinates():
    """Second review (H4): a row naming its district 'Mosul' but with coordinates in Anbar was put in Anbar.
    The row's own words come first: COD-AB's district of that name lies in Ninewa."""
    res = import_file(("Place id,Governorate,District,Location name in English,Latitude,Longitude,Households,"
                       "Individuals\n1,Ninewa,Mosul,Hay Nour,36.34,43.13,10,60\n2,,Mosul,Hay Salam,33.42,43.30,5,30\n"
                       "3,,Al-Ramadi,Hay Amal,36.34,43.13,7,42\n").encode(), "DTM_IDP_R132_Apr2024.csv")
    sites = res.tables["sites"].set_index("site_id")["admin1_code"].to_dict()
    assert sites == {"1": "IQG15", "2": "IQG15", "3": "IQG01"}
    assert sorted(p.reason for p in res.report.warnings if p.column == "Governorate") == [
        "no governorate on this row: Al-Anbar (IQG01), the governorate of its district 'Al-Ramadi' (COD-AB)",
        "no governorate on this row: Ninewa (IQG15), the governorate of its district 'Mosul' (COD-AB)"]
