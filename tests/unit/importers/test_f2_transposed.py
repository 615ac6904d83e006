"""F2: the same rules on an FVM table with indicators across (periods down) and on a tidy row
without its indicator: a totals row is checked and not counted, a footnote row is a note, a bad
cell costs its figure only, a blank indicator is named as empty."""

from dsdash.importers import import_file

T = ("Period,HHs who have returned,HHs who have relocated\n2022,100,20*\n2023,n/a,5\nTotal,100,25\n"
     "* incl. Ninewa\n")


def test_indicators_across_totals_footnotes_and_bad_cells():
    res = import_file(T.encode(), "t.csv")
    rep = res.report
    assert res.kind == "fvm" and not rep.errors
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 2, 0)  # rows 2, 3; 4 totals, 5 footnote
    f = res.tables["fvm"]
    assert sorted(zip(f["indicator"], f["period_label"], f["value"])) == [
        ("relocated", "2022", 20), ("relocated", "2023", 5), ("returned", "2022", 100)]
    assert f.loc[(f["indicator"] == "relocated") & (f["period_label"] == "2022"), "note"].iat[0] == "* incl. Ninewa"
    (tot,) = [p for p in rep.warnings if p.row == 4]
    assert tot.column == "Period" and "HHs who have relocated 25 equals the sum of the accepted rows (25)" in tot.reason
    assert "row 5 is a footnote, kept as a note (not a data row): * incl. Ninewa" in rep.notes


def test_a_tidy_row_without_its_indicator():
    rep = import_file(b"Indicator,Period,Value\n,2022,5\nReturned,2022,7\n", "t2.csv").report
    (err,) = rep.errors
    assert (err.row, err.column, err.reason) == (2, "Indicator", "value is empty but required")
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 1, 1)
