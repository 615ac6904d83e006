"""The current picture is the latest round (dsdash.figures.current_picture): hand counts on two
real-format Master List rounds, IDP and returnee rounds of different dates, filters applied
after the round is picked, the gap matrix and the oracle, and invariants on random tables."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.coverage.engine import coverage_matrix
from dsdash.dataset import Dataset
from dsdash.figures import (
    closed_sites_table, closed_text, current_picture, latest_population, since_text, site_figures,
)
from dsdash.filters import Filters
from dsdash.importers import build_dataset, import_file
from dsdash.schema import TABLES
from dsdash.trends.rounds import filtered, round_change_summary, round_change_table
from dsdash.validate import coerce
from tests.support.dtm_fixtures import (
    ROUND_1, ROUND_2, TWO_ROUND_IDS as ID, TWO_ROUNDS, returnee_round, two_rounds,
)
from tests.support.oracle import check_same, current_totals, duckdb_connection, duckdb_matrix


@pytest.fixture(scope="module")
def imported():
    r1, r2 = two_rounds()
    ret = returnee_round()
    return [import_file(f.data, f.filename) for f in (r1, r2, ret)]


@pytest.fixture(scope="module")
def two(imported):
    return build_dataset(imported[:2])


@pytest.fixture(scope="module")
def mixed(imported):
    return build_dataset(imported)


def test_the_latest_round_is_counted_and_closed_sites_are_not(two):
    p = current_picture(two)
    sites, hh, ind = p.figures
    want = TWO_ROUNDS["round_2"]
    assert (sites.value, hh.value, ind.value) == (want["sites"], want["households"], want["individuals"]) == (6, 92, 552)
    # the old rule (latest count of each site) counted the closed C and E with their December people
    assert TWO_ROUNDS["latest_per_site"]["individuals"] == 1032 != ind.value
    assert set(p.rows["site_id"]) == {ID[k] for k in ROUND_2}
    assert set(p.closed["site_id"]) == p.closed_site_ids == {ID["C"], ID["E"]}
    closed = p.closed.set_index("site_id")
    assert closed.loc[ID["C"], "last_individuals"] == 180 and closed.loc[ID["E"], "last_individuals"] == 300
    assert (closed["last_date"] == pd.Timestamp("2020-12-31")).all() and (closed["last_round"] == 119).all()
    (g,) = p.groups
    assert (g.group, g.date, g.dtm_round, g.previous_date, g.previous_round) == (
        "idp", pd.Timestamp("2021-02-28"), 120, pd.Timestamp("2020-12-31"), 119)
    assert set(g.opened["site_id"]) == {ID["G"], ID["H"]}
    assert set(g.closed_since_previous["site_id"]) == {ID["C"], ID["E"]}


def test_the_change_names_both_rounds_and_equals_the_trends_table(two):
    p = current_picture(two)
    sites, hh, ind = p.figures
    assert ind.change == 552 - 930 == TWO_ROUNDS["change"]["individuals"]
    assert hh.change == 92 - 155 and sites.change == 0
    assert ind.change_text == "-378 since round 119, 31 Dec 2020"
    assert "28 Feb 2021" in ind.date and "round 120" in ind.date and "latest round of each group" in ind.method
    table = round_change_table(two)  # the Trends page's default: the group's previous and latest round
    by = {r.status: r for r in round_change_summary(table).itertuples()}
    assert int(table["change"].sum()) == ind.change
    assert (by["closed"].sites, by["closed"].change) == (2, -(180 + 300))
    assert (by["appeared"].sites, by["appeared"].change) == (2, 48 + 72)
    assert by["rise"].sites == 2 and by["fall"].sites == 1 and by["no change"].sites == 1


def test_the_overview_texts(two):
    p = current_picture(two)
    assert p.round_line == ("Latest round of each group. IDPs: round 120, 28 Feb 2021, 6 sites, 552 individuals; "
                            "2 opened and 2 closed since round 119, 31 Dec 2020.")
    assert closed_text(p).startswith("2 sites closed: in an earlier round, missing from the latest round")
    t = closed_sites_table(p)
    assert list(t["Individuals then"]) == [180, 300] and set(t["Population group"]) == {"IDPs"}
    assert since_text(pd.Timestamp("2024-01-31"), 131) == "since round 131, 31 Jan 2024"


def test_filters_apply_after_the_round_is_picked(two):
    # C (closed) is the only site of its governorate: the filter does not fall back on December
    gov_c = two.sites.set_index("site_id").loc[ID["C"], "admin1_code"]
    p = current_picture(two, Filters(admin1=(gov_c,)))
    assert [k.value for k in p.figures] == [0, 0, 0]  # nobody there in February: it closed
    assert p.figures[2].change == -180
    assert set(p.closed["site_id"]) == {ID["C"]}
    assert p.groups[0].date == pd.Timestamp("2021-02-28")
    gov_b = two.sites.set_index("site_id").loc[ID["B"], "admin1_code"]
    sites, hh, ind = site_figures(two, Filters(admin1=(gov_b,)))
    assert (sites.value, ind.value, ind.change) == (1, 132, 12)


def test_idp_and_returnee_rounds_of_different_dates(mixed):
    p = current_picture(mixed)
    sites, hh, ind = p.figures
    assert ind.value == 552 + 600 + 300 + 42 and sites.value == 6 + 3
    assert p.rounds_text.startswith("IDPs: 28 Feb 2021; returnees: 31 Jan 2021")
    assert ind.date.startswith("IDPs: 28 Feb 2021; returnees: 31 Jan 2021")
    assert "groups' rounds differ" in p.round_line
    assert ind.change == -378 and ind.change_text == "-378 since round 119, 31 Dec 2020 (IDPs only)"
    only_ret = current_picture(mixed, Filters(population_group=("returnee",)))
    assert [k.value for k in only_ret.figures] == [3, 157, 942] and only_ret.figures[2].change is None


def test_the_seed_is_one_round(ds):
    p = current_picture(ds)
    assert [k.value for k in p.figures] == [28, 3147, 18882]
    assert len(p.closed) == 0 and p.figures[2].change is None and p.rounds_text == "as of 10 Dec 2023"
    assert len(latest_population(ds)) == 28


def test_gap_matrix_leaves_closed_sites_out_and_weighs_the_latest_round(two):
    m = coverage_matrix(two, dt.date(2021, 2, 28))
    assert set(m["site_id"]) == {ID[k] for k in ROUND_2}
    people = m.drop_duplicates("site_id").set_index("site_id")["individuals"]
    assert int(people.sum()) == 552 and people[ID["D"]] == 150
    check_same(m, duckdb_matrix(duckdb_connection(two), dt.date(2021, 2, 28)))


def test_the_oracle_counts_the_same(mixed):
    sql = current_totals(mixed).set_index("population_group")
    for g in current_picture(mixed).groups:
        assert (sql.at[g.group, "sites"], sql.at[g.group, "individuals"], sql.at[g.group, "closed"]) == (
            g.sites, g.individuals, len(g.closed))
    assert sql.at["idp", "previous_individuals"] == sum(v[1] for v in ROUND_1.values())


# --------------------------------------------------------------------------- invariants
DAYS = [pd.Timestamp("2020-12-31"), pd.Timestamp("2021-01-31"), pd.Timestamp("2021-02-28")]
rows_strategy = st.lists(
    st.tuples(st.integers(0, 7), st.sampled_from(["idp", "returnee"]), st.integers(0, 2), st.integers(0, 500)),
    min_size=1, max_size=30, unique_by=lambda r: (r[0], r[1], r[2]))


def _dataset(ds: Dataset, rows, groups: tuple[int, ...] = (0,) * 8) -> Dataset:
    ids = [f"S{i}" for i in range(8)]
    sites = ds.sites.head(8).copy()
    sites["site_id"] = ids
    sites["site_group"] = [f"G{g}" for g in groups]
    pop = pd.DataFrame([{"site_id": f"S{s}", "population_group": g, "households": n, "individuals": n * 6,
                         "individuals_method": "hh_x6", "reference_date": DAYS[d], "dtm_round": 100 + d,
                         "source": "random"} for s, g, d, n in rows])
    return ds.with_tables(sites=coerce(sites.reset_index(drop=True), TABLES["sites"]),
                          population=coerce(pop, TABLES["population"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy)
def test_total_is_the_sum_of_each_groups_latest_round(ds, rows):
    data = _dataset(ds, rows)
    p = current_picture(data)
    pop = data.population
    latest = pop.groupby("population_group")["reference_date"].transform("max")
    want = pop[pop["reference_date"] == latest]
    assert p.individuals == int(want["individuals"].sum())
    assert p.households == int(want["households"].sum())
    for g in p.groups:
        counted = set(g.rows["site_id"])
        closed = set(g.closed["site_id"])
        assert not counted & closed
        assert counted | closed == set(pop.loc[pop["population_group"] == g.group, "site_id"])
        if g.has_previous:
            change = round_change_table(data, g.previous_date, g.date, g.group)["change"].sum()
            assert g.change_individuals == int(change)
    assert not p.closed_site_ids & set(p.rows["site_id"])
    same = latest_population(data).sort_values(["population_group", "site_id"]).reset_index(drop=True)
    assert same[["site_id", "individuals"]].equals(
        p.rows.sort_values(["population_group", "site_id"]).reset_index(drop=True)[["site_id", "individuals"]])
    assert set(p.sites["site_id"]) == set(data.sites["site_id"]) - p.closed_site_ids
    assert len(coverage_matrix(data, dt.date(2021, 3, 1))["site_id"].unique()) == len(p.sites)
    sql = current_totals(data).set_index("population_group")
    for g in p.groups:
        assert (sql.at[g.group, "sites"], sql.at[g.group, "individuals"]) == (g.sites, g.individuals)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, groups=st.tuples(*[st.integers(0, 1)] * 8))
def test_filters_choose_rows_of_the_rounds_picked_over_all_the_data(ds, rows, groups):
    data = _dataset(ds, rows, groups)
    f = Filters(site_group=("G1",))
    p = current_picture(data, f)
    pop = data.population
    latest = pop.groupby("population_group")["reference_date"].transform("max")
    g1 = {f"S{i}" for i, g in enumerate(groups) if g == 1}
    want = pop[(pop["reference_date"] == latest) & pop["site_id"].isin(g1)]
    assert (p.individuals or 0) == int(want["individuals"].sum())
    assert set(p.rows["site_id"]) | p.closed_site_ids <= g1
    for g in p.groups:
        assert g.date == pop.loc[pop["population_group"] == g.group, "reference_date"].max()
        if g.has_previous:
            table = round_change_table(filtered(data, f), g.previous_date, g.date, g.group)
            assert g.change_individuals == int(table["change"].sum())
