"""Counts written with three decimals (``41.000``, as pandas writes ``'%.3f'``) are 41, not 41,000, when
the file shows that its dot is a decimal point (found in this session's new-user pass).

Before: a cell ``\\d{1,3}.000`` in a count column was always read with the dot as a thousands
separator, each with a warning. A 3,000-row list written ``'%.3f'`` came out at 186,966,097 households
instead of 357,892, and was published so; one ``41.000`` among plain counts made 41,000 households.
Now the column decides (a dot that cannot be a thousands separator, ``14.0`` or ``1234.000``; commas
grouping thousands; every cell ``d.000``), then the file (coordinates written ``36.594436``). ``1.234``
is still 1,234 with its warning: the one reading that gives a count."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.importers import import_file
from dsdash.validate import number_arrays
from tests.support.dtm_fixtures import locations

HEAD = ["Place id", "Governorate", "District", "Location name in English", "Latitude", "Longitude", "Households",
        "Individuals"]


def _csv(rows: list[list], coordinates: bool = True) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    head = HEAD if coordinates else [h for h in HEAD if h not in ("Latitude", "Longitude")]
    w.writerow(["IDP Master List - Round 109 - 30 April 2019"])
    w.writerow(head)
    for r in rows:
        w.writerow(r if coordinates else r[:4] + r[6:])
    return out.getvalue().encode()


def _rows(locs, hh_cells, ind_cells) -> list[list]:
    return [[p, g, d, n, f"{la:.6f}", f"{lo:.6f}", h, i] for p, g, d, n, la, lo, h, i in zip(
        locs["place_id"], locs["gov"], locs["district"], locs["name"], locs["lat"], locs["lon"], hh_cells, ind_cells)]


def _totals(data: bytes) -> tuple[int, int, int]:
    res = import_file(data, "list.csv", population_group="idp")
    rep = res.report
    assert rep.rows_in == rep.rows_accepted + rep.rows_rejected
    pop = res.tables.get("population")
    return (rep.rows_accepted, int(pop["households"].sum()), int(pop["individuals"].sum())) if pop is not None \
        else (0, 0, 0)


def test_a_list_written_with_three_decimals_gives_its_own_totals():
    locs = locations(3000, seed=11)
    hh, ind = locs["households"].tolist(), locs["individuals"].tolist()
    data = _csv(_rows(locs, [f"{v:.3f}" for v in hh], [f"{v:.3f}" for v in ind]))
    assert b",41.000," in data or b".000," in data
    assert _totals(data) == (3000, sum(hh), sum(ind))


def test_one_three_decimal_count_among_plain_ones_is_read_by_the_files_coordinates():
    locs = locations(12, seed=2)
    hh, ind = locs["households"].tolist(), locs["individuals"].tolist()
    hh_cells = [str(v) for v in hh]
    hh_cells[3] = f"{hh[3]}.000"
    res = import_file(_csv(_rows(locs, hh_cells, [str(v) for v in ind])), "list.csv", population_group="idp")
    assert int(res.tables["population"]["households"].sum()) == sum(hh)
    assert not [p for p in res.report.problems if "thousands separator" in p.reason]


def test_without_coordinates_or_other_evidence_a_lone_three_decimal_count_keeps_the_thousands_reading():
    """Nothing in the file says which the dot is: read as before (41.000 → 41,000), with the warning that
    says so."""
    locs = locations(12, seed=2)
    hh, ind = locs["households"].tolist(), locs["individuals"].tolist()
    hh_cells = [str(v) for v in hh]
    hh_cells[3] = "41.000"
    res = import_file(_csv(_rows(locs, hh_cells, [str(v) for v in ind]), coordinates=False), "list.csv",
                      population_group="idp")
    assert int(res.tables["population"]["households"].sum()) == sum(hh) - hh[3] + 41_000
    assert [p.reason for p in res.report.problems if "thousands separator" in p.reason] == [
        "'41.000' read as 41000 (dot taken as a thousands separator)"]


def test_a_thousands_dot_with_other_digits_is_still_a_thousands_dot_in_a_file_of_decimal_coordinates():
    locs = locations(12, seed=2)
    hh, ind = locs["households"].tolist(), locs["individuals"].tolist()
    ind_cells = [str(v) for v in ind]
    ind_cells[1] = "7.404"
    _acc, _hh, total_ind = _totals(_csv(_rows(locs, [str(v) for v in hh], ind_cells)))
    assert total_ind == sum(ind) - ind[1] + 7404


def test_a_european_file_keeps_its_thousands_dots():
    """Coordinates written with a decimal comma ('36,594436'): the dot groups thousands, '2.000' is 2,000, with
    its warning, even when every count is written so (second review: read as 2, 1,000 times too small)."""
    data = ("Place id;Governorate;Location name in English;Latitude;Longitude;Households;Individuals\n"
            "1;Ninewa;Hay Nour;36,594436;43,134512;2.000;12.000\n2;Anbar;Hay Salam;33,42;43,30;5.000;30.000\n")
    res = import_file(data.encode(), "ML_30-Apr-2024.csv", population_group="idp")
    pop = res.tables["population"]
    assert (int(pop["households"].sum()), int(pop["individuals"].sum())) == (7000, 42000)
    assert sorted(res.tables["sites"]["latitude"].round(6).tolist()) == [33.42, 36.594436]
    assert sum("thousands separator" in p.reason for p in res.report.warnings) == 4


def test_the_column_decides_before_the_file():
    """'14.0' or '1,234' in the column: its '41.000' is 41 (no coordinates needed); a column of whole
    thousands written alike ('14.000', '7.000') is a column of three decimals (each cell warned); '1.234'
    beside it: the column groups thousands with a dot."""
    for cells, expected in ((["14.0", "41.000", "3"], [14, 41, 3]), (["1,234", "41.000"], [1234, 41]),
                            (["14.000", "7.000"], [14, 7]), (["1234.000", "41.000"], [1234, 41]),
                            (["41.000", "3"], [41000, 3]), (["41.000", "1.234"], [41000, 1234])):
        v, missing, _issues = number_arrays(np.array(cells, dtype=object), integer=True)
        assert v.tolist() == expected and not missing.any(), cells


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 999), st.integers(0, 4), st.booleans()), min_size=2, max_size=30),
       st.integers(0, 2**16))
def test_counts_written_with_any_number_of_decimals_sum_to_the_unit(cells, seed):
    """Each count written with 0-4 decimals (and households × 6 individuals written plain): the file's
    coordinates have six decimals, so every cell reads as the number written, whatever its decimals."""
    locs = locations(len(cells), seed=seed)
    hh = [h for h, _k, _b in cells]
    hh_cells = [f"{h:.{k}f}" if written else str(h) for h, k, written in cells]
    ind = [h * 6 for h in hh]
    assert _totals(_csv(_rows(locs, hh_cells, [str(i) for i in ind]))) == (len(cells), sum(hh), sum(ind))
