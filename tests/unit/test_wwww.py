"""Who does what where (dsdash/wwww.py): partner counts per district × service on 10 Dec 2023
equal a hand count from data/presence.csv; people served and without add up; one partner's
footprint; the deck slide shows the same counts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dsdash.catchments import site_catchments
from dsdash.dataset import DATA_DIR
from dsdash.export import hxl_row
from dsdash.schema import Service
from dsdash.wwww import (HXL, MEASURES, area_values, footprint_summary, partner_footprint, partners_on,
                         who_does_what_where)

DAY = dt.date(2023, 12, 10)


def hand_count() -> dict[tuple[str, str], set[str]]:
    """(district p-code, service) → partners serving on DAY, read straight from the CSV files:
    a row serves when its start (if any) is on or before DAY, its end (if any) on or after DAY,
    and it is not an 'ended' row without an end date; its scope says where."""
    pres = pd.read_csv(DATA_DIR / "presence.csv", dtype=str, keep_default_na=False)
    sites = pd.read_csv(DATA_DIR / "sites.csv", dtype=str, keep_default_na=False)
    d = DAY.isoformat()
    out: dict[tuple[str, str], set[str]] = {}
    for r in pres.to_dict("records"):
        if r["start_date"] and r["start_date"] > d:
            continue
        if r["end_date"] and r["end_date"] < d:
            continue
        if r["status"] == "ended" and not r["end_date"]:
            continue
        col = {"site": "site_id", "site_group": "site_group", "district": "admin2_code",
               "governorate": "admin1_code"}[r["scope"]]
        for district in set(sites.loc[sites[col] == r["scope_id"], "admin2_code"]):
            out.setdefault((district, r["service"]), set()).add(r["partner"])
    return out


def test_partner_counts_per_district_and_service_equal_a_hand_count(ds):
    w = who_does_what_where(ds, as_of=DAY, level="admin2")
    hand = hand_count()
    assert len(w.table) == 4 * len(Service.values())  # 4 districts × every service
    for r in w.table.itertuples():
        expected = hand.get((r.admin2_code, r.service), set())
        assert r.n_partners == len(expected), (r.admin2_name, r.service)
        assert set(filter(None, r.partner_names.split("; "))) == expected
    # a few cells by name, as the deck says them
    grid = w.counts()
    assert grid.loc["IQG01Q01", "protection_legal"] == 3  # IRC, NRC, UNHCR in Al-Falluja
    assert grid.loc["IQG01Q01", "education"] == 3  # NRC, SSORD, UNICEF
    assert grid.loc["IQG01Q02", "water"] == 0  # Al-Kaim: UNICEF ended in January 2023
    assert grid.to_numpy().sum() == sum(len(v) for v in hand.values())


def test_people_served_and_without_add_up_to_the_sites(ds):
    w = who_does_what_where(ds, as_of=DAY, level="admin2")
    t = w.table
    assert (t["individuals_served"] + t["individuals_without"] == t["individuals"]).all()
    per_service = t.groupby("service")["individuals"].sum()
    assert (per_service == 18882).all()
    falluja_water = t[(t["admin2_code"] == "IQG01Q01") & (t["service"] == "water")].iloc[0]
    assert (falluja_water["sites_served"], falluja_water["individuals_without"]) == (15, 2850)
    gov = who_does_what_where(ds, as_of=DAY, level="admin1").table
    assert gov["admin1_code"].unique().tolist() == ["IQG01"]
    legal = set().union(*(ps for (_, svc), ps in hand_count().items() if svc == "protection_legal"))
    assert gov.set_index("service").loc["protection_legal", "n_partners"] == len(legal) == 4


def test_choropleth_values_and_measures(ds):
    w = who_does_what_where(ds, as_of=DAY, level="admin2")
    v = area_values(w, "individuals_without", "water").set_index("code")["value"].to_dict()
    assert v == {"IQG01Q01": 2850, "IQG01Q02": 42, "IQG01Q03": 3684, "IQG01Q04": 1944}
    n = area_values(w, "n_partners").set_index("name")["value"]
    assert n["Al-Falluja"] == len({p for (d, _), ps in hand_count().items() if d == "IQG01Q01" for p in ps})
    with pytest.raises(ValueError):
        area_values(w, "nonsense")
    assert set(MEASURES) == {"n_partners", "individuals_without", "individuals_served"}


def test_a_partners_footprint_and_who_is_left_if_it_goes(ds):
    assert "IRC" in partners_on(who_does_what_where(ds, as_of=DAY))
    fp = partner_footprint(ds, "IRC", as_of=DAY)
    assert set(fp["service"]) == {"protection_legal", "civil_documentation"} and fp["site_id"].nunique() == 28
    assert (fp["until"] == pd.Timestamp("2024-04-30")).all()
    s = footprint_summary(fp).set_index("service")
    # civil documentation: IRC alone everywhere → every person left without; legal aid: NRC and UNHCR stay
    assert s.loc["civil_documentation", "individuals_left_without"] == 18882
    assert s.loc["protection_legal", "individuals_left_without"] == 0
    assert fp.loc[fp["service"] == "protection_legal", "others"].str.contains("NRC").all()
    assert partner_footprint(ds, "Nobody", as_of=DAY).empty


def test_downloads_carry_hxl_tags(ds):
    t = who_does_what_where(ds, as_of=DAY, level="catchment").table
    tags = dict(zip(t.columns, hxl_row(t)))
    assert tags["catchment"] == "#region+name" and tags["service"] == "#sector"
    assert tags["partner_names"] == "#org+name+list" and tags["n_partners"] == "#org+num"
    d = who_does_what_where(ds, as_of=DAY).table
    assert dict(zip(d.columns, hxl_row(d)))["admin2_code"] == "#adm2+code"
    assert all(hxl_row(d)), dict(zip(d.columns, hxl_row(d)))
    assert set(HXL) >= {"n_partners", "individuals_without"}


def test_the_slide_shows_the_hand_count(ds):
    from dsdash.deck.slides.wwww import slide_table

    class Content:  # only what the slide reads
        wwww = who_does_what_where(ds, as_of=DAY, level="admin2").table
        as_of = DAY

    g = slide_table(Content)
    hand = hand_count()
    names = {"Al-Falluja": "IQG01Q01", "Al-Kaim": "IQG01Q02", "Al-Ramadi": "IQG01Q03", "Al-Rutba": "IQG01Q04"}
    assert list(g.columns) == ["Al-Falluja", "Al-Ramadi", "Al-Rutba", "Al-Kaim"]  # most people first
    from dsdash.schema import SERVICE_LABELS

    for svc in Service.values():
        for name, code in names.items():
            assert g.loc[SERVICE_LABELS[svc], name] == len(hand.get((code, svc), set())), (svc, name)
    assert site_catchments(ds.sites)["catchment"].notna().all()


def test_a_partner_written_several_ways_is_one_partner_in_its_footprint_and_the_exit_menu(ds):
    """IRC's two rows written 'IRC' and 'I.R.C.' (two staff, one 4W): one partner in the
    exit-scenario menu, and its footprint is the same whichever spelling is chosen (' irc ' too);
    before, 'I.R.C.' found nothing and the menu offered two IRCs."""
    from dsdash.coverage.tables import partner_names

    pres = ds.presence.copy()
    irc = np.flatnonzero((pres["partner"] == "IRC").to_numpy())
    assert len(irc) == 2  # legal aid and civil documentation, Anbar-wide
    pres.loc[pres.index[irc[1]], "partner"] = "I.R.C."
    spelt = ds.with_tables(presence=pres)
    assert [p for p in partner_names(spelt) if p.replace(".", "").strip().lower() == "irc"] == ["IRC"]
    assert len(partner_names(spelt)) == len(partner_names(ds))
    want = partner_footprint(ds, "IRC", as_of=DAY)
    for name in ("IRC", "I.R.C.", " irc "):
        got = partner_footprint(spelt, name, as_of=DAY)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert footprint_summary(got).set_index("service").loc["civil_documentation", "individuals_left_without"] == 18882
