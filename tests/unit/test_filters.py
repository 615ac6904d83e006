"""Filters: the query string round trip and the sites they keep."""

from dsdash.filters import Filters, filter_sites


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

