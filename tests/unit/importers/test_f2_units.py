"""F2 (H2 HIGH 4): FVM figures keep their unit; households and individuals are never added.

Reproducers: H2's f4_fvm_units.csv and f2_fvm_tidy.csv (the rows written here as they are).
Hand counts: f4 Returned 100 households (600 individuals apart), Returned or relocated 100
households (Relocated is 50 individuals: left out, named). f2 Returned 14 + 14 = 28
households, 15 individuals apart.
"""

import pandas as pd

from dsdash.deck.content import deck_content
from dsdash.deck.slides.fvm import outline
from dsdash.importers import import_file
from dsdash.trends.fvm import fvm_by_period, fvm_figures, fvm_footnotes, fvm_funnel, fvm_period_figure

F4 = "Indicator,Period,Value,Unit\nReturned,2022,100,households\nReturned,2022,600,individuals\nRelocated,2023,50,individuals\n"
F2_RETURNED = ("Indicator,Period,Value,Unit,Governorate\nReturned,Mar 2023,14.0,households,Anbar\n"
               "Returned,2023-04,1.4e1,households,Anbar\nReturned,Apr 2023,15,individuals,Anbar\n")


def test_households_and_individuals_of_one_figure_are_not_duplicates():
    res = import_file(F4.encode(), "f4_fvm_units.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0)
    assert not any("duplicate" in p.reason for p in rep.problems)
    f = res.tables["fvm"]
    assert sorted(zip(f["indicator"], f["unit"], f["value"])) == [
        ("relocated", "individuals", 50), ("returned", "households", 100), ("returned", "individuals", 600)]


def test_funnel_counts_households_only_and_names_what_it_leaves_out(ds):
    f4 = ds.with_tables(fvm=import_file(F4.encode(), "f4_fvm_units.csv").tables["fvm"])
    fun = fvm_funnel(f4).set_index("indicator")
    assert fun["households"].to_dict() == {"returned_or_relocated": 100, "returned": 100}
    assert "Relocated: 50 individuals (2023) left out" in fun.loc["returned_or_relocated", "note"]
    assert "Returned: 600 individuals (2022) left out" in fun.loc["returned", "note"]
    assert any("Relocated: 50 individuals" in n and "Returned: 600 individuals" in n for n in fvm_footnotes(f4))
    assert [(k.label, k.value) for k in fvm_figures(f4)] == [("FVM: returned or relocated", 100),
                                                             ("FVM: returned", 100)]
    # the table by period keeps each unit apart, with its own running total
    p = fvm_by_period(f4)
    assert sorted(zip(p["indicator"], p["unit"], p["cumulative"])) == [
        ("relocated", "individuals", 50), ("returned", "households", 100), ("returned", "individuals", 600)]
    # the deck's funnel slide: the same households
    c = deck_content(f4, with_map=False)
    assert list(c.funnel["households"]) == [100, 100]
    assert outline(c) == ["Returned or relocated: 100 households", "Returned: 100 households"]


def test_individuals_are_not_added_to_households_by_period(ds):
    res = import_file(F2_RETURNED.encode(), "f2_fvm_tidy.csv")
    assert res.report.rows_accepted == 3
    d = ds.with_tables(fvm=res.tables["fvm"])
    assert fvm_funnel(d).set_index("indicator").loc["returned", "households"] == 14 + 14
    fig = fvm_period_figure(d)
    assert sum(v for tr in fig.data for v in tr.y if v is not None) == 28  # the 15 individuals are not a bar


def test_a_duplicate_names_the_files_row():
    t = "Indicator,Period,Value,Unit\nReturned,2022,100,households\nReturned,2022,120,HHs\n"
    rep = import_file(t.encode(), "dup.csv").report
    (err,) = rep.errors
    assert err.row == 3 and err.column == "Value" and "duplicate of row 2" in err.reason
    assert "row 0" not in err.reason and "120 here, 100 there" in err.reason
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (2, 1, 1)


def test_one_period_written_two_ways_is_one_bar(ds):
    t = ("Indicator,Period,Value\nReturned,2023-04,14\nRelocated,Apr 2023,123\n")
    d = ds.with_tables(fvm=import_file(t.encode(), "f.csv").tables["fvm"])
    fig = fvm_period_figure(d)
    assert [(tr.name, list(tr.x), list(tr.y)) for tr in fig.data] == [
        ("HHs who have returned", ["2023-04 / Apr 2023"], [14]), ("HHs who have relocated", ["2023-04 / Apr 2023"], [123])]


def test_trends_command_on_the_units_file(tmp_path, capsys):
    import json

    from dsdash.__main__ import main

    f = tmp_path / "f4_fvm_units.csv"
    f.write_text(F4, encoding="utf-8")
    assert main(["trends", "--json", str(f)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["indicator"], r["households"]) for r in data["fvm_funnel"]] == [("returned_or_relocated", 100),
                                                                              ("returned", 100)]
    assert any("Relocated: 50 individuals (2023)" in n for n in data["fvm_footnotes"])


def test_the_date_shown_is_the_date_of_the_households_counted(ds):
    from dsdash.trends.fvm import fvm_funnel_caption

    f4 = ds.with_tables(fvm=import_file(F4.encode(), "f4_fvm_units.csv").tables["fvm"])
    cap = fvm_funnel_caption(f4)
    assert "data to 31 Dec 2022" in cap and "cumulative over 2022;" in cap  # (the 2023 figure is individuals)
