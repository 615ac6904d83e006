"""Group subtotal rows as Excel's Subtotal writes them ('Anbar Total' under each governorate's rows, a
grand total at the end) are recognised by their sums and not counted (found in this session's new-user
pass: each was an error, "'Anbar Total' is not a governorate of Iraq", and a rejected row). A location
whose name ends in "Total" but whose count sums nothing stays a location."""

from __future__ import annotations

import csv
import io

import pytest

from dsdash.importers import import_file
from tests.support.dtm_fixtures import locations

HEAD = ["Place id", "Governorate", "District", "Location name in English", "Latitude", "Longitude", "Households",
        "Individuals"]


def _with_subtotals(n: int, seed: int) -> tuple[bytes, list[int], int, int]:
    locs = locations(n, seed=seed).sort_values(["gov", "place_id"])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["IDP Master List - 30 April 2019"])
    w.writerow(HEAD)
    line, total_lines = 2, []
    for gov, group in locs.groupby("gov", sort=False):
        for r in group.itertuples():
            w.writerow([r.place_id, r.gov, r.district, r.name, f"{r.lat:.6f}", f"{r.lon:.6f}", r.households,
                        r.individuals])
            line += 1
        w.writerow(["", f"{gov} Total", "", "", "", "", int(group.households.sum()), int(group.individuals.sum())])
        line += 1
        total_lines.append(line)
    w.writerow(["", "Grand Total", "", "", "", "", int(locs.households.sum()), int(locs.individuals.sum())])
    total_lines.append(line + 1)
    return out.getvalue().encode(), total_lines, int(locs.households.sum()), int(locs.individuals.sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_subtotal_rows_are_recognised_by_their_sums_and_not_counted(seed):
    data, total_lines, hh, ind = _with_subtotals(60, seed)
    res = import_file(data, "subtotals.csv", population_group="idp")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (60, 60, 0)
    assert not rep.errors
    pop = res.tables["population"]
    assert (int(pop["households"].sum()), int(pop["individuals"].sum())) == (hh, ind)
    subtotal_rows = sorted(r for p in rep.problems if p.reason.startswith("a subtotal row") for r in [p.row])
    assert subtotal_rows == total_lines[:-1]
    grand = [p for p in rep.problems if p.reason.startswith("a totals row")]
    assert [p.row for p in grand] == [total_lines[-1]]
    assert f"Households {hh:,} equals the sum of the accepted rows ({hh:,})" in grand[0].reason
    assert f"{len(total_lines)} totals and subtotal rows, not counted: rows " in " ".join(rep.notes)


def test_a_place_named_total_whose_count_sums_nothing_is_a_place():
    data = ("Place id,Governorate,Location name in English,Households,Individuals\n"
            "1,Ninewa,Hay Nour,10,60\n"
            "2,Ninewa,Kilo Total,7,42\n"
            "3,Anbar,Hay Salam,5,30\n").encode()
    rep = import_file(data, "ML_30-Apr-2019.csv", population_group="idp").report
    assert (rep.rows_accepted, rep.rows_rejected) == (3, 0)
    assert not [p for p in rep.problems if "total" in p.reason]
