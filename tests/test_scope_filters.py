import pandas as pd

from dsdash.filters import Filters, filter_sites
from dsdash.coverage.presence import expand_to_sites


def test_presence_scopes_spread_to_seed_sites(ds):
    ex, unmatched = expand_to_sites(ds.presence, ds.sites)
    assert unmatched.empty
    drc_bzebiz_water = ex[(ex["partner"] == "DRC") & (ex["service"] == "water") & (ex["scope"] == "site_group")]
    assert len(drc_bzebiz_water) == 15
    gov = ex[(ex["partner"] == "IRC") & (ex["service"] == "protection_legal")]
    assert len(gov) == 28


def test_unmatched_scope_is_returned_not_dropped():
    sites = pd.DataFrame({"site_id": ["a"], "site_group": ["G"], "admin2_code": ["D"], "admin1_code": ["P"]})
    rows = pd.DataFrame({"scope": ["district", "district"], "scope_id": ["D", "X"], "service": ["water"] * 2})
    ex, un = expand_to_sites(rows, sites)
    assert ex["site_id"].tolist() == ["a"] and un["scope_id"].tolist() == ["X"]


def test_filters_round_trip_through_query():
    f = Filters(admin1=("IQG01",), site_type=("former_camp", "ds_housing"), services=("water",))
    q = f.to_query()
    assert q == {"admin1": "IQG01", "site_type": "former_camp,ds_housing", "services": "water"}
    assert Filters.from_query(q) == f
    assert Filters.from_query({"bogus": "1"}) == Filters()


def test_filter_sites(ds):
    assert len(filter_sites(ds.sites, Filters())) == 28
    assert len(filter_sites(ds.sites, Filters(site_group=("Bzebiz",)))) == 15
    assert len(filter_sites(ds.sites, Filters(admin2=("IQG01Q04",)))) == 6
    assert len(filter_sites(ds.sites, Filters(population_group=("returnee",)), ds.population)) == 0
