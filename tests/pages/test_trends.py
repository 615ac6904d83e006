"""AppTest: the Trends page runs on the embedded data and shows the charts and the real values."""

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.support.paths import page_path
from ui.state import ACTIVE_KEY


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def test_trends_page_shows_every_chart_with_values(run_page):
    at = run_page("trends.py")
    assert at.title[0].value == "Trends"
    assert [t.label for t in at.tabs] == ["National trend", "Index severity", "FVM progress", "Hotspots"]
    specs = charts(at)
    titles = [title(s) for s in specs]
    assert len(specs) == 6
    for start in ("IDPs and returnees in Iraq", "DTM Return Index", "DTM Displacement Index", "FVM: from registration",
                  "FVM indicators by period", "Returnees living in return hotspots"):
        assert any(t.startswith(start) for t in titles), start
    national = specs[0]
    idp = next(tr for tr in national["data"] if tr["name"] == "IDPs")
    assert idp["y"][-1] == 1_098_913
    ret = next(tr for tr in national["data"] if tr["name"] == "Returnees")
    assert ret["y"][-2] is None and ret["y"][-1] == 4_871_916  # round 131: gap, round 132 known
    ri = next(s for s in specs if title(s).startswith("DTM Return Index"))
    pop = ri["data"][0]
    assert pop["y"][pop["x"].index("R16")] == 598_578 and pop["y"][pop["x"].index("R5")] is None
    fvm = next(s for s in specs if title(s).startswith("FVM indicators"))
    returned = next(tr for tr in fvm["data"] if tr["name"] == "HHs who have returned")
    assert returned["y"] == [3_709, 1_580, 606]


def test_trends_page_metrics_captions_and_tables(run_page):
    at = run_page("trends.py")
    m = {x.label: x.value for x in at.metric}
    assert m["IDPs in Iraq (national)"] == "1,098,913"
    assert m["Returnees in severe conditions"] == "12 %"
    assert m["FVM: returned"] == "5,895" and m["FVM: returned or relocated"] == "6,361"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # captions are markdown-escaped
    assert "households × 6" in captions and "round 117" in captions and "127-131" in captions
    assert "IOM, 'Supporting durable solutions to displacement: facilitated voluntary movements', 18 May 2023" in captions
    assert "DSTWG meeting, 9 December 2020" in captions and "60,000" in captions  # sources as citations
    texts = [t.value for t in at.text]
    assert any(t.startswith("** 39 housing") for t in texts) and any("6,195" in t for t in texts)
    frames = [d.value for d in at.dataframe]
    funnel = next(f for f in frames if "Stage" in f.columns)  # tables in words: labels, codes as labels
    assert funnel.set_index("Indicator").loc["HHs who have returned", "Households"] == 5_895
    ri = next(f for f in frames if "People in severe conditions" in f.columns
              and "598,578" in set(f["People in severe conditions"].astype(str)))
    assert ri.set_index(ri["Round"].astype(str)).loc["R16", "Share in severe conditions (%)"] in (12, "12")  # '—' if unknown
    hot = next(f for f in frames if "Returnees in hotspots" in f.columns)
    assert int(hot["Returnees in hotspots"].sum()) == 1_545_846
    assert any("Load two or more DTM Master List rounds" in i.value for i in at.info)


def test_trends_page_with_two_master_list_rounds(ds, run_page):
    pop = ds.population
    later = pop[pop["site_id"] != "ANB-01"].copy()
    later["reference_date"] = pd.Timestamp("2024-04-30")
    later.loc[later["site_id"] == "ANB-02", "individuals"] += 60
    two = ds.with_tables(population=pd.concat([pop, later], ignore_index=True), name="Two rounds")
    at = run_page("trends.py", session={ACTIVE_KEY: two})
    assert not any("Load two or more" in i.value for i in at.info)
    specs = charts(at)
    assert any(title(s).startswith("IDPs by governorate") for s in specs)
    frames = [d.value for d in at.dataframe]
    changes = next(f for f in frames if "Status" in f.columns and "Site ID" in f.columns)
    st_ = changes.set_index("Site ID")["Status"]
    assert st_["ANB-01"] == "closed" and st_["ANB-02"] == "rise"
    at.radio(key="adm_level").set_value("admin2").run()
    assert not at.exception
    assert any(title(s).startswith("IDPs by district") for s in charts(at))


def test_master_list_breakdown_follows_the_sidebar_filters(ds):
    pop = ds.population
    later = pop.copy()
    later["reference_date"] = pd.Timestamp("2024-04-30")
    two = ds.with_tables(population=pd.concat([pop, later], ignore_index=True), name="Two rounds")
    at = AppTest.from_file(page_path("trends.py"), default_timeout=60)
    at.session_state[ACTIVE_KEY] = two
    at.query_params["site_group"] = "Rutba"
    at.run()
    assert not at.exception
    admin = next(s for s in charts(at) if title(s).startswith("IDPs by governorate"))
    assert [tr["name"] for tr in admin["data"]] == ["Al-Anbar"]
    assert admin["data"][0]["y"] == [1_944, 1_944]  # the six Rutba sites (overview test: 1,944)
    # the national figures do not follow site filters
    idp = next(tr for tr in charts(at)[0]["data"] if tr["name"] == "IDPs")
    assert idp["y"][-1] == 1_098_913
    assert "Rutba" in at.caption[0].value


def test_two_imported_master_list_rounds(run_page):
    """Two DTM Master Lists through the real importer (rounds 130 and 131, 400 invented
    locations; 20 close, 30 grow by 10 households): the breakdown and change table."""
    from dsdash.importers import build_dataset, import_file
    from tests.support.dtm_fixtures import locations, master_list

    r130 = locations(400, seed=7, round_=130, camps=0)
    r131 = locations(400, seed=7, round_=131, camps=0).iloc[20:].copy()
    r131.loc[r131.index[:30], "households"] += 10
    r131["individuals"] = r131["households"] * 6
    files = [master_list(r130, round_=130, month="July 2023"), master_list(r131, round_=131, month="December 2023")]
    up = build_dataset([import_file(f.data, f.filename) for f in files])
    assert up.population["reference_date"].nunique() == 2
    at = run_page("trends.py", session={ACTIVE_KEY: up})
    frames = [d.value for d in at.dataframe]
    changes = next(f for f in frames if "Status" in f.columns and "Site ID" in f.columns)
    counts = changes["Status"].value_counts().to_dict()
    assert counts["closed"] == 20 and counts["rise"] == 30 and counts.get("appeared", 0) == 0
    assert int(changes.loc[changes["Status"] == "rise", "Change"].sum()) == 30 * 10 * 6
    admin = next(s for s in charts(at) if title(s).startswith("IDPs by governorate"))
    assert len(admin["data"]) == 12  # the 12 largest of the 18 governorates
    assert all(len(tr["y"]) == 2 for tr in admin["data"])
