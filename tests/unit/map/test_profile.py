"""The site profile: population, partners by service with end dates, needs, nearby sites."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dsdash.map.profile import partner_state, population_trend_figure, site_options, site_profile


def test_kilo_18_profile(ds):
    p = site_profile(ds, "ANB-28")
    facts = dict(zip(p.facts["field"], p.facts["value"]))
    assert p.name == "Kilo 18 / AL-Karama complex" and facts["District"] == "Al-Ramadi (IQG01Q03)"
    assert facts["Site type"].startswith("DS housing complex") and facts["Coordination area (ABC/JCF)"] == "East Anbar"
    assert p.population["individuals"].tolist() == [918] and p.population["households"].tolist() == [153]
    assert p.population["method"].iloc[0] == "individuals = households × 6 (DTM)"
    assert not p.several_rounds and population_trend_figure(p) is None
    assert p.as_of == dt.date(2023, 12, 10)


def test_partners_reach_the_site_directly_or_through_its_area(ds):
    p = site_profile(ds, "ANB-28")
    rows = {(r.service, r.partner): r for r in p.partners.itertuples()}
    mc = rows[("Water", "Mercy Corps")]
    assert mc.reaches_via == "this site" and mc.end_date == dt.date(2023, 9, 30)
    assert mc.on_as_of == "ended 30 Sep 2023" and mc.handover_to == "Directorate of Water Resources"
    irc = rows[("Protection and legal aid", "IRC")]
    assert irc.reaches_via == "governorate Al-Anbar (IQG01)"
    assert irc.on_as_of == "serving (ends 30 Apr 2024, in 142 days)"
    assert rows[("Health", "Dary")].on_as_of == "serving (ends 31 Dec 2023, in 21 days)"
    assert rows[("Water", "Directorate of Water Resources")].on_as_of == "serving (no end date)"
    # DRC served the Bzebiz group, not Kilo 18
    assert "DRC" not in set(p.partners["partner"])
    # services in vocabulary order: water first
    assert p.partners["service"].iloc[0] == "Water"
    bz = site_profile(ds, "ANB-12")  # a Bzebiz sector
    drc = bz.partners[bz.partners["partner"] == "DRC"]
    assert len(drc) == 6 and set(drc["reaches_via"]) == {"site group Bzebiz"}


def test_needs_and_nearby(ds):
    p = site_profile(ds, "ANB-28")
    water = p.needs[p.needs["service"] == "Water"]
    assert sorted(water["severity"]) == ["high", "medium"]  # its own report, and the governorate-wide one
    assert p.nearby["site_id"].tolist() == ["ANB-27", "ANB-26"]
    assert p.nearby["distance_km"].tolist() == [7.0, 9.4]
    alone = site_profile(ds, "ANB-01")  # the Phosphate complex in Al-Ka'im: nothing within 25 km
    assert alone.nearby.empty


def test_several_rounds_give_a_trend(ds):
    extra = ds.population[ds.population["site_id"] == "ANB-26"].copy()
    extra["reference_date"] = pd.Series(pd.Timestamp("2023-06-30"), index=extra.index).astype("datetime64[s]")
    extra["households"] = pd.array([600], dtype="Int64")
    extra["individuals"] = pd.array([3600], dtype="Int64")
    d = ds.with_tables(population=pd.concat([ds.population, extra], ignore_index=True))
    p = site_profile(d, "ANB-26")
    assert p.several_rounds and p.population["individuals"].tolist() == [3600, 3300]
    fig = population_trend_figure(p)
    assert list(fig.data[0].y) == [3600, 3300]


def test_unknown_site_and_partner_states(ds):
    assert site_profile(ds, "nope") is None
    d = dt.date(2023, 12, 10)
    assert partner_state(pd.NaT, pd.NaT, "ended", d) == "ended (date not stated)"
    assert partner_state(pd.Timestamp("2024-01-01"), pd.NaT, "active", d) == "starts 01 Jan 2024"
    assert partner_state(pd.NaT, pd.NaT, "active", None) == "date unknown"


def test_site_options_largest_first(ds):
    from dsdash.map.points import site_points

    pts = site_points(ds)
    opts = site_options(pts)
    assert len(opts) == 28 and next(iter(opts)) == "ANB-26"
    assert opts["ANB-26"] == "7 Killo-al-mojamaa al-sakany (ANB-26)"
