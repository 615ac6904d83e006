"""Who serves which site: presence rows spread over the sites of their scope; rows that match no
site are returned, not dropped."""

from __future__ import annotations

import pandas as pd

from dsdash.coverage.presence import expand_to_sites, spread


def test_spread_reports_rows_that_match_no_site(tiny, ds):
    sp = spread(tiny.presence, tiny.sites)
    assert sp.unmatched(tiny.presence)["scope_id"].tolist() == ["nope"]
    assert spread(ds.presence, ds.sites).unmatched(ds.presence).empty
    # every pair once: the governorate row P1 reaches A, B and C, the site group row G reaches A and B
    pairs = sorted(zip(sp.row.tolist(), tiny.sites["site_id"].to_numpy()[sp.site].tolist()))
    assert len(pairs) == len(set(pairs))
    by_row = {}
    for r, site in pairs:
        by_row.setdefault(r, []).append(site)
    assert by_row[1] == ["A", "B"] and by_row[2] == ["A", "B", "C"]
    ex, un = expand_to_sites(tiny.presence, tiny.sites)
    assert sorted(zip(ex["row_index"].tolist(), ex["site_id"].tolist())) == pairs


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
