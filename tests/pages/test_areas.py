"""AppTest: the 'by area' tables of the Overview and Gaps pages (issue 16) group the sites by
governorate, district or catchment, add up to the site totals (hand counts: data/sites.csv and
data/population.csv; see tests/unit/test_areas.py) and say which catchments table is in use."""

from __future__ import annotations

import re

from dsdash.importers import build_dataset, import_file


def _area_table(at, key: str):
    """The page's one 'by area' table (AppTest does not give a dataframe's key: its first column is 'Area')."""
    return next(df.value for df in at.dataframe if list(df.value.columns[:2]) == ["Area", "Sites"])


def _rows(t) -> dict:
    return {r["Area"]: r for r in t.to_dict("records")}


def test_overview_groups_by_catchment_and_the_rows_add_up(run_page):
    at = run_page("overview.py")
    rows = _rows(_area_table(at, "overview_areas_table"))
    assert list(rows) == ["East Anbar", "West Anbar", "All areas"]
    assert [rows["East Anbar"][c] for c in ("Sites", "Households", "Individuals")] == [21, 2816, 16896]
    assert [rows["West Anbar"][c] for c in ("Sites", "Households", "Individuals")] == [7, 331, 1986]
    assert [rows["All areas"][c] for c in ("Sites", "Households", "Individuals")] == [28, 3147, 18882]
    assert rows["East Anbar"]["Number of partners"] == 12 and rows["West Anbar"]["Number of partners"] == 5
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Catchments: the table bundled with dsdash (DSTWG and RWG documents), 14 catchments over 33 districts" in captions
    assert "The rows add up to the view's 28 sites and 18,882 individuals." in captions


def test_gaps_groups_by_district_and_a_users_catchments_table_replaces_the_bundled_one(run_page, rerun):
    at = run_page("gaps.py", {"as_of": "2023-12-10"})
    rows = _rows(_area_table(at, "gaps_areas_table"))
    assert [(a, r["Sites"], r["Individuals"]) for a, r in rows.items()] == [
        ("Al-Falluja", 18, 12294), ("Al-Ramadi", 3, 4602), ("Al-Rutba", 6, 1944), ("Al-Kaim", 1, 42),
        ("All areas", 28, 18882)]
    mine = import_file(b"Catchment,District p-codes,Source\nRamadi and Kaim,IQG01Q03; IQG01Q02,focal point\n",
                       "our_catchments.csv")
    ds = build_dataset([mine], name="seed + our catchments")
    at = run_page("overview.py", session={"dsdash_active_dataset": ds})
    rows = _rows(_area_table(at, "overview_areas_table"))
    assert [(a, r["Sites"], r["Individuals"]) for a, r in rows.items()] == [
        ("Ramadi and Kaim", 4, 4644), ("Outside every catchment", 24, 14238), ("All areas", 28, 18882)]
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Outside every catchment of this kind: 24 sites, 14,238 individuals, in 2 districts. By district: " \
           "Al-Falluja (18 sites, 12,294 individuals); Al-Rutba (6 sites, 1,944 individuals)." in warning
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Catchments: your table our_catchments.csv (it replaces the bundled one), 1 catchment over 2 districts" \
        in captions


def test_who_does_what_where_by_catchment_says_the_sites_outside(run_page, rerun):
    mine = import_file(b"Catchment,District p-codes,Source\nRamadi and Kaim,IQG01Q03; IQG01Q02,focal point\n",
                       "our_catchments.csv")
    ds = build_dataset([mine], name="seed + our catchments")
    at = run_page("whowhatwhere.py", {"as_of": "2023-12-10"}, session={"dsdash_active_dataset": ds})
    at.radio(key="www_level").set_value("catchment")
    at = rerun(at)
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Outside every catchment of this kind: 24 sites, 14,238 individuals, in 2 districts. By district: " \
           "Al-Falluja (18 sites, 12,294 individuals); Al-Rutba (6 sites, 1,944 individuals)." in warning
    grid = next(df.value for df in at.dataframe if df.value.index.name == "Catchment")
    assert list(grid.index) == ["Outside every catchment", "Ramadi and Kaim"] or \
        list(grid.index) == ["Ramadi and Kaim", "Outside every catchment"]
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Catchments: your table our_catchments.csv (it replaces the bundled one)" in captions


def test_many_districts_outside_are_said_short_and_a_district_name_from_the_data_stays_text(run_page):
    """The 24 sites outside 'Ramadi and Kaim' spread over 7 districts (Falluja's 18 sites split into six districts of
    3, one with a name that would be a link and emphasis in markdown): the warning gives the totals of the row,
    names the five largest districts and counts the other two; the name shows as itself."""
    import pandas as pd

    from dsdash.text import md_plain

    mine = import_file(b"Catchment,District p-codes,Source\nRamadi and Kaim,IQG01Q03; IQG01Q02,focal point\n",
                       "our_catchments.csv")
    ds = build_dataset([mine], name="seed + our catchments")
    sites = ds.sites.copy()
    hostile = "[click](http://e.vil) *x*"
    for k, name in enumerate([hostile, "District B", "District C", "District D", "District E"]):
        ids = [f"ANB-{i:02d}" for i in range(8 + 3 * k, 11 + 3 * k)]
        at = sites["site_id"].isin(ids)
        sites.loc[at, "admin2_code"] = f"IQG01Q9{k + 1}"
        sites.loc[at, "admin2_name"] = name
    assert sites["admin2_code"].nunique() == 9 and pd.Series(sites["site_id"]).is_unique
    at = run_page("overview.py", session={"dsdash_active_dataset": ds.with_tables(sites=sites)})
    rows = _rows(_area_table(at, "overview_areas_table"))
    assert [rows["Outside every catchment"][c] for c in ("Sites", "Individuals")] == [24, 14238]
    raw = " ".join(w.value for w in at.warning)
    assert md_plain(hostile) in raw and hostile not in raw  # escaped: shown as text, not a link
    warning = raw.replace("\\", "").replace("\u2060", "")
    assert "Outside every catchment of this kind: 24 sites, 14,238 individuals, in 7 districts. Largest by " \
           "individuals: " in warning
    assert "; and 2 more districts (" in warning and warning.count("individuals)") == 6  # 5 named + the rest
    parts = re.findall(r"\((\d[\d,]*) sites?, (\d[\d,]*) individuals?\)", warning)
    assert len(parts) == 6 and [sum(int(p[i].replace(",", "")) for p in parts) for i in (0, 1)] == [24, 14238]


def test_the_sites_outside_in_arabic(run_page):
    mine = import_file(b"Catchment,District p-codes,Source\nRamadi and Kaim,IQG01Q03; IQG01Q02,focal point\n",
                       "our_catchments.csv")
    ds = build_dataset([mine], name="seed + our catchments")
    at = run_page("overview.py", {"lang": "ar"}, session={"dsdash_active_dataset": ds})
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert ("خارج كل نطاق من هذا النوع: المواقع 24، الأفراد 14,238، الأقضية 2. حسب القضاء: \u2068الفلوجة\u2069 "
            "(المواقع 18، الأفراد 12,294)؛ \u2068الرطبة\u2069 (المواقع 6، الأفراد 1,944). تُحسب في صف «خارج كل "
            "النطاقات» ولا تُسقط.") in warning
