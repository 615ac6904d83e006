"""The coverage engine: a hand-computed example, the seed's story by name, invariants."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dsdash.coverage.engine import STATE_ORDER, Exit, coverage_matrix, prepare
from dsdash.coverage.exits import exit_scenario, upcoming_exits
from dsdash.coverage.summary import people_without_service, site_states
from dsdash.filters import Filters
from tests.support.oracle import check_same, duckdb_connection, duckdb_matrix
from tests.support.synthetic import synthetic_dataset

D = dt.date(2024, 3, 31)
SERVICES = ("water", "sanitation_waste", "health", "education", "shelter_nfi")


def cells(m: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(r.site_id, r.service): r.state for r in m.itertuples()}


def cell(m: pd.DataFrame, site: str, service: str, col: str = "state"):
    sel = m[(m["site_id"] == site) & (m["service"] == service)]
    assert len(sel) == 1, (site, service)
    return sel.iloc[0][col]


F = Filters(services=SERVICES)


def test_hand_computed_matrix(tiny):
    cov = prepare(tiny, F).on(D)
    m = cov.matrix
    assert len(m) == 4 * 5
    assert cells(m) == {
        # A: X (site) ends on D itself -> still serves, and ends within 90 days -> at risk
        ("A", "water"): "at_risk",
        ("A", "sanitation_waste"): "handed_over",  # only Dir (district D1, government)
        ("A", "health"): "at_risk",  # U (governorate) ends 15 May, within 90 days
        ("A", "education"): "never_served",
        ("A", "shelter_nfi"): "handed_over",  # government only, even though Dir2 ends within the horizon
        ("B", "water"): "lost",  # Y (site group) ended 29 Feb, X (governorate) 31 Dec
        ("B", "sanitation_waste"): "served",  # Dir (government) + V (open-ended INGO)
        ("B", "health"): "at_risk",
        ("B", "education"): "never_served",
        ("B", "shelter_nfi"): "never_served",
        ("C", "water"): "lost",  # X (governorate) served until 31 Dec 2023
        ("C", "sanitation_waste"): "never_served",  # Dir covers district D1 only
        ("C", "health"): "at_risk",  # Z starts after D: does not count
        ("C", "education"): "never_served",  # W "ended" without a date never serves: not lost
        ("C", "shelter_nfi"): "end_unconfirmed",  # T's planned end (31 Jan) passed and nobody confirmed it
        # E (governorate P2): no presence row of any partner or service reaches it: no report
        ("E", "water"): "no_report", ("E", "sanitation_waste"): "no_report", ("E", "health"): "no_report",
        ("E", "education"): "no_report", ("E", "shelter_nfi"): "no_report",
    }
    assert cell(m, "A", "water", "providers") == "X (to 31 Mar 2024)"  # one entry per partner
    assert cell(m, "A", "water", "lost_providers") == "Y (to 29 Feb 2024)"  # X still serves: not lost
    assert cell(m, "B", "water", "lost_providers") == "X (to 31 Dec 2023); Y (to 29 Feb 2024)"
    assert cell(m, "B", "sanitation_waste", "providers") == "Dir (ongoing); V (ongoing)"
    assert cell(m, "B", "sanitation_waste", "n_providers") == 2
    assert cell(m, "A", "water", "next_end") == pd.Timestamp("2024-03-31")
    assert pd.isna(cell(m, "B", "sanitation_waste", "next_end"))
    assert cell(m, "A", "health", "next_end") == pd.Timestamp("2024-05-15")
    assert cell(m, "E", "water", "providers") == "" and cell(m, "E", "water", "n_providers") == 0
    # people: latest row per group, summed over groups (60 + 40, not 999); unknown stays empty
    assert cell(m, "A", "water", "individuals") == 100 and cell(m, "A", "water", "households") == 17
    assert cell(m, "B", "water", "individuals") == 50
    assert pd.isna(cell(m, "C", "water", "individuals"))
    # needs: highest severity (site "high" beats governorate "medium"); reported after D: not attached
    assert cell(m, "B", "water", "need_severity") == "high"
    assert cell(m, "B", "water", "need_note") == "Bravo has no water"
    assert cell(m, "A", "water", "need_severity") == "medium"
    assert pd.isna(cell(m, "A", "education", "need_severity"))
    # the row that matches no site is reported
    assert cov.unmatched["scope_id"].tolist() == ["nope"]
    assert cov.as_of == dt.date(2024, 3, 31) and cov.horizon_days == 90


def test_partner_ending_on_the_day_serves_that_day_and_not_the_next(tiny):
    assert cell(coverage_matrix(tiny, D, filters=F), "A", "water") == "at_risk"
    nxt = coverage_matrix(tiny, D + dt.timedelta(days=1), filters=F)
    assert cell(nxt, "A", "water") == "lost"
    assert cell(nxt, "A", "water", "lost_providers") == "X (to 31 Mar 2024); Y (to 29 Feb 2024)"


def test_horizon_decides_at_risk(tiny):
    m30 = coverage_matrix(tiny, D, horizon_days=30, filters=F)  # U ends 15 May: beyond 30 days
    assert cell(m30, "A", "health") == "served" and cell(m30, "A", "water") == "at_risk"
    m45 = coverage_matrix(tiny, D, horizon_days=45, filters=F)  # 31 Mar + 45 = 15 May: ends within
    assert cell(m45, "A", "health") == "at_risk"
    with pytest.raises(ValueError):
        coverage_matrix(tiny, D, horizon_days=-1)


def test_future_start_counts_once_started(tiny):
    m = coverage_matrix(tiny, dt.date(2024, 4, 20), filters=F)
    assert cell(m, "C", "health") == "served"  # Z (open-ended) started 15 Apr
    assert cell(m, "C", "health", "providers") == "U (to 15 May 2024); Z (ongoing)"


def test_open_ended_presence_keeps_serving(tiny):
    m = coverage_matrix(tiny, dt.date(2030, 1, 1), filters=F)
    assert cell(m, "B", "sanitation_waste") == "served"
    assert cell(m, "A", "sanitation_waste") == "handed_over"
    # U's end (15 May 2024) was only planned: unconfirmed, not lost
    assert cell(m, "A", "health") == "end_unconfirmed" and cell(m, "C", "health") == "served"


def test_each_scope_level_spreads(tiny):
    m = coverage_matrix(tiny, dt.date(2023, 7, 1), filters=F)
    assert cell(m, "A", "water", "providers") == "X (to 31 Mar 2024); Y (to 29 Feb 2024)"  # site + group
    assert cell(m, "B", "water", "providers") == "X (to 31 Dec 2023); Y (to 29 Feb 2024)"  # governorate + group
    assert cell(m, "C", "water", "providers") == "X (to 31 Dec 2023)"  # governorate only
    assert cell(m, "B", "sanitation_waste", "providers") == "Dir (ongoing); V (ongoing)"  # district + site
    assert cell(m, "C", "sanitation_waste") == "never_served" and cell(m, "E", "water") == "no_report"


def test_exits_end_the_day_before(tiny):
    m = coverage_matrix(tiny, D, filters=F, exits=[Exit("V", dt.date(2024, 3, 1))])
    assert cell(m, "B", "sanitation_waste") == "handed_over"
    cov = prepare(tiny, F).on(D, exits=[Exit("u", D)])  # case-insensitive; leaves on D
    m = cov.matrix
    assert cell(m, "A", "health") == "lost" and cell(m, "A", "health", "lost_providers") == "U (to 30 Mar 2024)"
    assert cov.exits == (Exit("u", D),)
    with pytest.raises(ValueError, match="unknown partner"):
        coverage_matrix(tiny, D, exits=[Exit("Nobody", D)])


def test_exit_scenario_ranks_cells_that_turn_lost(tiny):
    sc = exit_scenario(prepare(tiny, F), ["U"], dt.date(2024, 4, 1))
    assert sc.cells[["site_id", "service"]].values.tolist() == [["A", "health"], ["B", "health"], ["C", "health"]]
    assert sc.cells["individuals"].tolist()[:2] == [100, 50] and pd.isna(sc.cells["individuals"].iloc[2])
    assert set(sc.cells["partners"]) == {"U"} and set(sc.cells["state_after"]) == {"lost"}
    assert set(sc.cells["state_before"]) == {"served"}  # had U stayed (open-ended)
    assert sc.cells["providers_before"].tolist()[0] == "U (to 15 May 2024)"
    # Dir leaving: A's sanitation turns lost; B keeps V, so it is not in the list (served -> served)
    sc = exit_scenario(prepare(tiny, F), ["Dir"], dt.date(2024, 4, 1))
    assert sc.cells[["site_id", "service", "state_before"]].values.tolist() == [["A", "sanitation_waste", "handed_over"]]
    assert sc.transitions.to_dict("records") == [{"state_before": "handed_over", "state_after": "lost", "cells": 1,
                                        "individuals": 100}]
    # evaluated later than the exit when as_of is later
    sc = exit_scenario(prepare(tiny, F), ["V"], dt.date(2024, 1, 1), as_of=D)
    assert sc.cells.empty and sc.evaluated_on == dt.date(2024, 3, 31)
    assert sc.transitions.to_dict("records") == [{"state_before": "served", "state_after": "handed_over", "cells": 1,
                                        "individuals": 50}]
    with pytest.raises(ValueError):
        exit_scenario(prepare(tiny), ["Nobody"], D)


def test_upcoming_exits(tiny):
    up = upcoming_exits(prepare(tiny, F), D, horizon_days=60)
    assert up[["partner", "service", "n_sites", "days_left"]].values.tolist() == [
        ["X", "water", 1, 0], ["Dir2", "shelter_nfi", 1, 30], ["U", "health", 3, 45]]
    u = up[up["partner"] == "U"].iloc[0]
    assert u["individuals"] == 150 and u["n_sites_left_without"] == 3 and u["individuals_left_without"] == 150
    assert u["end_date"] == pd.Timestamp("2024-05-15")
    assert upcoming_exits(prepare(tiny, F), D, horizon_days=10)["partner"].tolist() == ["X"]


def test_site_states_and_people(tiny):
    m = coverage_matrix(tiny, D, filters=F)
    st = site_states(m).set_index("site_id")
    assert st.loc["B", "worst_state"] == "lost" and st.loc["A", "worst_state"] == "at_risk"
    assert st.loc["E", "worst_state"] == "no_report" and st.loc["C", "n_end_unconfirmed"] == 1
    assert st.loc["A", ["n_lost", "n_at_risk", "n_handed_over", "n_never_served", "n_served"]].tolist() == [0, 2, 2, 1, 0]
    assert list(st.index[:2]) == ["A", "B"]  # 100 then 50 people affected
    assert st.loc["E", "people_affected"] == 0
    pw = people_without_service(m).set_index("service")
    assert pw.loc["water", ["lost", "at_risk", "never_served", "no_report", "total"]].tolist() == [50, 100, 0, 10, 160]
    assert pw.loc["water", "sites_unknown_people"] == 1
    assert pw.loc["sanitation_waste", ["handed_over", "served", "no_report", "without_any"]].tolist() == [100, 50, 10, 0]


# --------------------------------------------------------------------------- the seed, by name
def seed_cell(m, site_name_part: str, service: str, col: str = "state"):
    sel = m[m["site_name"].str.contains(site_name_part, regex=False) & (m["service"] == service)]
    assert len(sel) == 1, (site_name_part, service, len(sel))
    return sel.iloc[0][col]


def test_seed_before_the_exits_the_services_are_at_risk_not_lost(ds):
    m = coverage_matrix(ds, dt.date(2023, 9, 30))  # Mercy Corps' last day
    assert seed_cell(m, "9 Kilo", "water") == "at_risk"
    assert seed_cell(m, "Kilo 18", "water") == "at_risk"  # the directorate starts 1 Oct 2023
    assert seed_cell(m, "(AAF)", "water") == "at_risk"  # DRC to 31 Oct 2023
    assert seed_cell(m, "Bzebiz - sector 1", "water") == "served"  # DRC + MoMD (open-ended)


def test_seed_after_october_2023_drc_and_mercy_corps_services_are_lost_unless_covered(ds):
    m = coverage_matrix(ds, dt.date(2023, 11, 1))
    # DRC at AAF: water, protection/site management/shelter
    assert seed_cell(m, "(AAF)", "water") == "lost"
    assert "DRC (to 31 Oct 2023)" in seed_cell(m, "(AAF)", "water", "lost_providers")
    assert seed_cell(m, "(AAF)", "site_management") == "lost"
    assert seed_cell(m, "(AAF)", "shelter_nfi") == "lost"
    # ... protection stays served by IRC, NRC, UNHCR: DRC is listed as gone
    assert seed_cell(m, "(AAF)", "protection_legal") == "served"
    assert seed_cell(m, "(AAF)", "protection_legal", "lost_providers") == "DRC (to 31 Oct 2023)"
    # DRC in Bzebiz: water and shelter handed over to MoMD; site management and electricity lost
    for sector in ("Bzebiz - sector 1", "Bzebiz - Albu Hori"):
        assert seed_cell(m, sector, "water") == "handed_over"
        assert seed_cell(m, sector, "water", "providers") == "MoMD (ongoing)"
        assert seed_cell(m, sector, "shelter_nfi") == "handed_over"
        assert seed_cell(m, sector, "site_management") == "lost"
        assert seed_cell(m, sector, "electricity") == "lost"
    # Mercy Corps: Kilo 9 and the low-cost houses lose water; Kilo 18's is handed over to the
    # Directorate of Water Resources (it started on 1 Oct 2023: one truck a day, the seed says)
    assert seed_cell(m, "9 Kilo", "water") == "lost"
    assert seed_cell(m, "Habbaniah", "water") == "lost"
    assert seed_cell(m, "Kilo 18", "water") == "handed_over"
    assert seed_cell(m, "Kilo 18", "water", "providers") == "Directorate of Water Resources (ongoing)"
    # sanitation: Kilo 18 lost (Mercy Corps + UNICEF partners ended); Fallujah low-cost to the municipality
    assert seed_cell(m, "Kilo 18", "sanitation_waste") == "lost"
    assert seed_cell(m, "Habbaniah", "sanitation_waste") == "handed_over"


def test_seed_kilo_18_kilo_9_and_fallujah_low_cost_lack_water(ds):
    m = coverage_matrix(ds, dt.date(2023, 12, 10))
    for name, state in (("9 Kilo", "lost"), ("Habbaniah", "lost"), ("Kilo 18", "handed_over")):
        assert seed_cell(m, name, "water") == state
        assert seed_cell(m, name, "water", "need_severity") == "high"
        assert "significant challenges to access water" in seed_cell(m, name, "water", "need_note")
    pw = people_without_service(m).set_index("service")
    # water on 10 Dec 2023: handed over in the 15 Bzebiz sectors (MoMD) and Kilo 18; lost elsewhere
    sites = ds.sites.set_index("site_id")
    ind = m.drop_duplicates("site_id").set_index("site_id")["individuals"]
    bzebiz = int(ind[sites.index[sites["site_group"] == "Bzebiz"]].sum())
    assert pw.loc["water", "handed_over"] == bzebiz + 918
    assert pw.loc["water", "lost"] == 18882 - bzebiz - 918 == 8520
    assert pw.loc["water", "served"] == 0


def test_seed_after_april_2024_irc_and_nrc_legal_aid_ends(ds):
    on_end = coverage_matrix(ds, dt.date(2024, 4, 30))  # their last day: still serving
    assert seed_cell(on_end, "9 Kilo", "protection_legal", "providers") == \
        "IRC (to 30 Apr 2024); NRC (to 30 Apr 2024); UNHCR (ongoing)"
    assert seed_cell(on_end, "9 Kilo", "civil_documentation") == "at_risk"
    m = coverage_matrix(ds, dt.date(2024, 5, 1))
    # Kilo 9: only IRC, NRC and UNHCR gave legal aid; UNHCR's open-ended legal assistance remains
    assert seed_cell(m, "9 Kilo", "protection_legal") == "served"
    assert seed_cell(m, "9 Kilo", "protection_legal", "providers") == "UNHCR (ongoing)"
    assert seed_cell(m, "9 Kilo", "protection_legal", "lost_providers") == "IRC (to 30 Apr 2024); NRC (to 30 Apr 2024)"
    # civil documentation had IRC alone, whose end was only planned ("scheduled to conclude by April 2024,
    # with the possibility of an extension"): unconfirmed at all 28 sites, not lost
    civ = m[m["service"] == "civil_documentation"]
    assert (civ["state"] == "end_unconfirmed").all() and len(civ) == 28
    # the exit scenario of IRC and NRC leaving on 1 May 2024 says the same
    sc = exit_scenario(prepare(ds), ["IRC", "NRC"], dt.date(2024, 5, 1))
    assert set(sc.cells["service"]) == {"civil_documentation"} and len(sc.cells) == 28
    assert int(sc.cells["individuals"].sum()) == 18882
    assert sc.cells["site_name"].iloc[0] == "7 Killo-al-mojamaa al-sakany"  # largest site first (3,300)
    # ... and with UNHCR leaving too, legal aid is lost where no women's association works
    sc3 = exit_scenario(prepare(ds), ["IRC", "NRC", "UNHCR"], dt.date(2024, 5, 1))
    legal = sc3.cells[sc3.cells["service"] == "protection_legal"]
    assert len(legal) == 26 and "9 Kilo" in set(legal["site_name"])
    assert "Kilo 18 / AL-Karama complex" not in set(legal["site_name"])  # Baghdad Women Association stays


def test_seed_exit_of_government_bodies_names_them_exactly(ds):
    sc = exit_scenario(prepare(ds), ["Directorate of Municipality (Fallujah)", "MoMD"], dt.date(2024, 1, 1))
    low_cost = sc.cells[sc.cells["site_name"] == "low-costs houses/Habbaniah"]
    assert low_cost[["service", "partners", "state_before"]].values.tolist() == [
        ["sanitation_waste", "Directorate of Municipality (Fallujah)", "handed_over"]]
    assert set(sc.cells.loc[sc.cells["site_name"].str.startswith("Bzebiz"), "partners"]) == {"MoMD"}
    assert len(sc.cells) == 15 * 3 + 1  # MoMD's water, sanitation and shelter in 15 Bzebiz sectors + Fallujah


def test_seed_upcoming_exits(ds):
    up = upcoming_exits(prepare(ds), dt.date(2023, 12, 10))
    first = up.iloc[0]
    assert (first["partner"], first["service"], first["n_sites"], first["days_left"]) == ("Dary", "health", 19, 21)
    irc = up[(up["partner"] == "IRC") & (up["service"] == "civil_documentation")].iloc[0]
    assert irc["n_sites_left_without"] == 28 and irc["individuals_left_without"] == 18882
    nrc = up[(up["partner"] == "NRC") & (up["service"] == "protection_legal")].iloc[0]
    assert nrc["n_sites_left_without"] == 0  # UNHCR stays


# --------------------------------------------------------------------------- invariants
@pytest.mark.parametrize("day", ["2022-06-01", "2023-09-30", "2023-10-31", "2023-11-01", "2023-12-10", "2024-05-01",
                                 "2025-01-01"])
def test_states_partition_cells_and_people_add_up(ds, day):
    m = coverage_matrix(ds, day)
    assert len(m) == 28 * 14 and not m.duplicated(["site_id", "service"]).any()
    assert set(m["state"]) <= set(STATE_ORDER)
    pw = people_without_service(m)
    assert (pw[STATE_ORDER].sum(axis=1) == pw["total"]).all()
    assert (pw["total"] == 18882).all() and int(pw["total"].sum()) == 18882 * 14
    st = site_states(m)
    assert (st[["n_" + s for s in STATE_ORDER]].sum(axis=1) == 14).all()
    assert int(st["individuals"].sum()) == 18882
    # at risk and served cells have a provider, lost and never-served cells have none
    served = m["state"].isin(["served", "at_risk", "handed_over"])
    assert (m.loc[served, "n_providers"] > 0).all() and (m.loc[~served, "n_providers"] == 0).all()
    gone = m["state"].isin(["lost", "end_unconfirmed"])
    assert (m.loc[gone, "lost_providers"] != "").all()
    # the seed's governorate-wide rows report every site: no cell is "no report"
    assert not (m["state"] == "no_report").any()


def test_filters_restrict_sites_and_services(ds):
    m = coverage_matrix(ds, dt.date(2023, 12, 10), filters=Filters(site_group=("Bzebiz",), services=("water", "health")))
    assert len(m) == 15 * 2 and set(m["service"]) == {"water", "health"}
    assert set(m.loc[m["service"] == "water", "state"]) == {"handed_over"}


# --------------------------------------------------------------------------- the same rules in SQL
@pytest.mark.parametrize("seed, day", [(1, "2023-06-30"), (2, "2024-06-30"), (3, "2025-03-01")])
def test_engine_equals_the_duckdb_query_on_random_data(seed, day):
    """The DuckDB query of tests/support/oracle.py states the rules independently; both engines must give
    identical matrices (states, provider lists, next end, people, needs) on random data
    with every scope level, open and unknown dates, government bodies and unmatched rows."""

    data = synthetic_dataset(n_sites=300, n_rows=3000, n_needs=300, seed=seed)
    con = duckdb_connection(data)
    d = pd.Timestamp(day).date()
    ours = coverage_matrix(data, d, horizon_days=60)
    check_same(ours, duckdb_matrix(con, d, 60))
    assert set(ours["state"]) == set(STATE_ORDER)  # the data exercises every state


def test_engine_equals_the_duckdb_query_on_the_seed(ds):

    con = duckdb_connection(ds)
    for day in (dt.date(2023, 9, 30), dt.date(2023, 12, 10), dt.date(2024, 5, 1)):
        check_same(coverage_matrix(ds, day), duckdb_matrix(con, day))



# --------------------------------------------------------------------------- planned and confirmed ends (issue 15)
def test_seed_planned_ends_are_unconfirmed_confirmed_ends_are_lost(ds):
    """From the seed's own words: IRC's legal project is "scheduled to conclude by April 2024, with the
    possibility of an extension" (planned); DRC "concluded in October 2023 including Anbar office closure"
    (confirmed)."""
    m = coverage_matrix(ds, dt.date(2024, 5, 15))
    civ = m[m["service"] == "civil_documentation"]
    assert len(civ) == 28 and set(civ["state"]) == {"end_unconfirmed"}
    assert set(civ["lost_providers"]) == {"IRC (to 30 Apr 2024)"}
    bz = m[m["site_name"].str.startswith("Bzebiz") & (m["service"] == "water")]
    assert len(bz) == 15 and set(bz["state"]) == {"handed_over"}  # MoMD took DRC's water over
    assert seed_cell(m, "(AAF)", "water") == "lost"  # DRC (confirmed) and UNICEF (ended) gone
    assert seed_cell(m, "Bzebiz - sector 1", "site_management") == "lost"  # DRC, confirmed
    # Dary's health centres "until December 2023 with the possibility of extending": unconfirmed
    assert seed_cell(m, "Bzebiz - sector 1", "health") == "end_unconfirmed"
    pw = people_without_service(m).set_index("service")
    assert pw.loc["civil_documentation", "end_unconfirmed"] == 18882 and pw.loc["civil_documentation", "lost"] == 0


def _with_event(ds, **event):
    from dsdash.coverage.presence import apply_exit_events, check_exit_event
    ev = pd.DataFrame([check_exit_event(**event)])
    return ds.with_tables(presence=apply_exit_events(ds.presence, ev))


def test_confirming_irc_loses_the_cells_extending_it_serves_them(ds):
    confirmed = _with_event(ds, partner="IRC", kind="confirmed", end_date="2024-05-01", service="civil_documentation")
    civ = coverage_matrix(confirmed, dt.date(2024, 5, 15)).query("service == 'civil_documentation'")
    assert set(civ["state"]) == {"lost"} and set(civ["lost_providers"]) == {"IRC (to 01 May 2024)"}
    extended = _with_event(ds, partner="IRC", kind="extended", end_date="2024-12-31", service="civil_documentation")
    civ = coverage_matrix(extended, dt.date(2024, 5, 15)).query("service == 'civil_documentation'")
    assert set(civ["state"]) == {"served"} and set(civ["providers"]) == {"IRC (to 31 Dec 2024)"}
    # IRC's legal aid row (not named by the event) keeps its planned end
    p = extended.presence
    assert p.loc[(p.partner == "IRC") & (p.service == "protection_legal"), "end_date"].tolist() == [
        pd.Timestamp("2024-04-30")]
    handed = _with_event(ds, partner="IRC", kind="handed_over", end_date="2024-04-30", service="civil_documentation",
                         handover_to="Directorate of Civil Affairs")
    civ = coverage_matrix(handed, dt.date(2024, 5, 15)).query("service == 'civil_documentation'")
    assert set(civ["state"]) == {"handed_over"} and set(civ["providers"]) == {"Directorate of Civil Affairs (ongoing)"}


def test_adequacy_grades_cells(tiny):
    m = coverage_matrix(tiny, D, filters=F)
    assert cell(m, "A", "water", "adequacy") == "partially_covered"  # at risk
    assert cell(m, "B", "sanitation_waste", "adequacy") == "covered"  # two providers, no need
    assert cell(m, "A", "sanitation_waste", "adequacy") == "covered"  # government only, no need reported
    assert cell(m, "B", "water", "adequacy") == "not_covered"  # lost
    assert cell(m, "E", "water", "adequacy") == "not_covered"  # no report
    from dsdash.coverage.summary import people_by_adequacy
    pa_ = people_by_adequacy(m).set_index("service")
    assert pa_.loc["water", ["not_covered", "partially_covered", "covered", "total"]].tolist() == [60, 100, 0, 160]


def test_reported_sites_completeness(tiny, ds):
    from dsdash.coverage.engine import reported_sites
    assert reported_sites(prepare(tiny, F), D) == (3, 4)  # E: no presence row reaches it
    assert reported_sites(prepare(ds), dt.date(2023, 12, 10)) == (28, 28)  # governorate-wide rows reach all
