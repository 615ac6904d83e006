"""Notes written under a Master List ('Source: IOM DTM. Figures are estimates.') are notes, not locations: told
in the report's notes, neither counted in nor rejected, as blank rows are not (second review, H4: each was a
rejected row, "no families or individuals on this row")."""

from __future__ import annotations

from dsdash.importers import import_file

HEAD = "Place id,Governorate,Location name in English,Households,Individuals\n"


def test_notes_under_the_table_are_notes():
    data = (HEAD + "1,Ninewa,Hay Nour,10,60\n2,Anbar,Hay Salam,5,30\n,,,,\n"
            "Source: IOM DTM. Figures are estimates.,,,,\n,,* locations under 5 households are grouped,,\n").encode()
    rep = import_file(data, "ML_30-Apr-2024.csv", population_group="idp").report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 2, 0) and not rep.problems
    assert rep.notes[-2:] == ["row 5 is a note under the table, not a location: 'Source: IOM DTM. Figures are estimates.'",
                              "row 6 is a note under the table, not a location: '* locations under 5 households are "
                              "grouped'"]


def test_a_location_without_counts_is_still_a_rejected_location():
    """A row with its id and name but no count is a location the file does not count: rejected, said."""
    data = (HEAD + "1,Ninewa,Hay Nour,10,60\n2,Anbar,Hay Salam,,\n").encode()
    rep = import_file(data, "ML_30-Apr-2024.csv", population_group="idp").report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 1, 1)
    assert [p.reason for p in rep.errors] == ["no families or individuals on this row"]
