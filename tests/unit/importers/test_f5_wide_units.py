"""F5 (H4 MED-HIGH 2): a wide FVM table (periods across) with a 'Unit' column reads each row's
unit; a totals row is checked per unit (households and individuals are never added).

Hand counts (H4's fvm_wide.csv): returned households 10 + 20 + 30 = 60, returned individuals
60 + 120 + 180 = 360, relocated households 15; totals row (households) 15 / 25 / 35 / 75.
"""

from dsdash.importers import import_file

WIDE = ("Indicator,Unit,Q1 2023,Q2 2023,Q3 2023,Total\n"
        "Returned,households,10,20,30,60\n"
        "Returned,individuals,60,120,180,360\n"
        "Relocated,households,5,5,5,15\n"
        "Total,households,15,25,35,75\n"
        "* Source: IOM FVM; figures are households unless stated\n")


def _load(text: str, name: str = "fvm_wide.csv"):
    res = import_file(text.encode("utf-8"), name)
    (rep,) = res.reports
    return res, rep


def test_unit_column_keeps_individuals_apart():
    res, rep = _load(WIDE)
    f = res.tables["fvm"]
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0)
    assert not [p for p in rep.problems if p.level == "error"]
    by = f.groupby(["indicator", "unit"])["value"].sum().to_dict()
    assert by == {("returned", "households"): 60, ("returned", "individuals"): 360,
                  ("relocated", "households"): 15}
    tot = [p.reason for p in rep.problems if "totals row" in p.reason]
    assert len(tot) == 1 and "Q1 2023 15 equals the sum of the accepted rows in households (15)" in tot[0]
    assert "Total 75 equals the sum of the accepted rows in households (75)" in tot[0]


def test_unit_words_in_arabic_and_short():
    text = ("Indicator,الوحدة,2023\nHHs returned,أسر,10\nHHs returned,أفراد,60\nHHs relocated,HHs,5\n")
    res, rep = _load(text, "fvm_ar.csv")
    f = res.tables["fvm"]
    assert sorted(zip(f["indicator"], f["unit"], f["value"])) == [
        ("relocated", "households", 5), ("returned", "households", 10), ("returned", "individuals", 60)]


def test_totals_row_checked_per_unit():
    # H4's fvm_wide2.csv: Q1 2023 75 = 10 hh + 60 ind + 5 hh; in households the sum is 15
    text = ("Indicator,Q1 2023,Q2 2023,2023 Q3,Total\n"
            "HHs returned,10,20,30,60\nIndividuals returned,60,120,180,360\n"
            "HHs relocated,5,5,5,15\nTotal,75,145,215,435\n")
    res, rep = _load(text, "fvm_wide2.csv")
    (tot,) = [p.reason for p in rep.problems if "totals row" in p.reason]
    assert "Q1 2023 75 differs from the sum of the accepted rows in households (15)" in tot
    assert "it equals households and individuals added together, 75" in tot
    assert "equals the sum" not in tot
