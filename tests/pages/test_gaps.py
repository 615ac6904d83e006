"""AppTest: the Gaps and exits page on the embedded data shows the seed's gaps, and follows its widgets."""

import datetime as dt
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.state import ACTIVE_KEY


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> dict[str, dict]:
    out = {}
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        out[spec["layout"]["title"]["text"]] = spec
    return out


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_shows_the_seed_gaps_with_sources(run_page):
    at = run_page("gaps.py")
    assert at.title[0].value == "Gaps and partner exits"
    assert at.date_input(key="view_as_of").value == dt.date(2023, 12, 10)  # the data's latest date
    m = metrics(at)
    assert m["Services lost (site × service)"] == "69" and m["Handed over to government"] == "47"
    assert m["At risk (site × service)"] == "34" and m["People at sites with a lost service"] == "18,882"
    figs = charts(at)
    heat = figs["Coverage on 10 Dec 2023: sites × services"]["data"][0]
    assert heat["y"][0] == "7 Killo-al-mojamaa al-sakany (3,300)" and len(heat["y"]) == 28
    assert "People without each service on 10 Dec 2023" in figs and "Partner presence and end dates" in figs
    matrix = table_with(at, "Partners gone")
    k9 = matrix[(matrix["Site"] == "9 Kilo") & (matrix["Service"] == "Water")].iloc[0]
    assert k9["State"] == "Lost (partner exit)" and k9["Reported need"] == "high" and k9["Individuals"] == 384
    handover = table_with(at, "Government body")
    k18 = handover[(handover["Site"] == "Kilo 18 / AL-Karama complex") & (handover["Service"] == "Water")]
    assert k18["Government body"].tolist() == ["Directorate of Water Resources"]
    caps = " ".join(c.value for c in at.caption).replace("\\", "")  # captions are markdown-escaped
    assert "DSTWG monthly meeting, 13 December 2023" in caps and "coverage on 10 Dec 2023" in caps and "Method:" in caps
    assert len(at.get("download_button")) >= 4


def test_moving_the_as_of_date_changes_the_states(run_page):
    at = run_page("gaps.py")
    at.date_input(key="view_as_of").set_value(dt.date(2023, 9, 30)).run()
    assert not at.exception
    m = metrics(at)
    assert m["Handed over to government"] == "0" and m["Services lost (site × service)"] == "20"
    matrix = table_with(at, "Partners gone")
    k9 = matrix[(matrix["Site"] == "9 Kilo") & (matrix["Service"] == "Water")].iloc[0]
    assert k9["State"] == "At risk (all providers end soon)"
    assert "Coverage on 30 Sep 2023: sites × services" in charts(at)
    at.number_input(key="view_horizon").set_value(0).run()
    matrix = table_with(at, "Partners gone")
    k9 = matrix[(matrix["Site"] == "9 Kilo") & (matrix["Service"] == "Water")].iloc[0]
    assert k9["State"] == "At risk (all providers end soon)"  # Mercy Corps ends that very day
    # horizon 0: only cells whose providers all end that day: Mercy Corps' water at Kilo 9, Kilo 18 and the
    # Fallujah low-cost houses, IOM's site management and electricity maintenance at Kilo 7
    assert metrics(at)["At risk (site × service)"] == "5"


def test_exit_scenario_panel(run_page):
    at = run_page("gaps.py")
    assert any("Choose one or more partners" in i.value for i in at.info)
    at.multiselect(key="gaps_exit_partners").set_value(["IRC", "NRC"])
    at.date_input(key="gaps_exit_date").set_value(dt.date(2024, 5, 1))
    at.run()
    assert not at.exception
    m = metrics(at)
    assert m["Services that turn lost (site × service)"] == "28" and m["People at those sites"] == "18,882"
    sc = table_with(at, "State before")
    assert set(sc["Service"]) == {"Civil documentation"} and sc.iloc[0]["Site"] == "7 Killo-al-mojamaa al-sakany"
    assert "If IRC, NRC leave on 01 May 2024: people who lose a service" in charts(at)


def test_filters_from_the_url(run_page):
    at = run_page("gaps.py", {"site_group": "Bzebiz", "services": "water,site_management"})
    matrix = table_with(at, "Partners gone")
    assert len(matrix) == 30
    assert set(matrix.loc[matrix["Service"] == "Water", "State"]) == {"Handed over (government only)"}
    assert set(matrix.loc[matrix["Service"] == "Site management (CCCM)", "State"]) == {"Lost (partner exit)"}


def test_unmatched_presence_and_untrusted_names_are_shown_as_text(ds, run_page):
    p = ds.presence
    ghost = p.iloc[[1]].assign(partner=pd.array(["=HYPERLINK(\"http://x\")"], dtype="string"),
                               scope=pd.array(["site"], dtype="string"), scope_id=pd.array(["ANB-99"], dtype="string"))
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-27", "site_name"] = "**9 Kilo** <img src=x>"
    mine = ds.with_tables(name="[click](http://x.example) data", presence=pd.concat([p, ghost], ignore_index=True),
                          sites=sites)
    at = run_page("gaps.py", session={ACTIVE_KEY: mine})
    assert any("1 partner presence row(s) name an area that matches no site" in w.value for w in at.warning)
    unmatched = table_with(at, "Area or site")
    assert unmatched["Area or site"].tolist() == ["ANB-99"]
    assert unmatched["Partner"].iloc[0].startswith("'=")  # neutralised in the grid
    heat = charts(at)["Coverage on 10 Dec 2023: sites × services"]["data"][0]
    assert any(y.startswith("**9 Kilo** &lt;img src=x&gt;") for y in heat["y"])
    assert not any("<img" in md.value for md in at.markdown)
    data_caption = at.caption[0].value
    assert data_caption.startswith(r"Data\: \[click\]\(http") and "](http" not in data_caption


def test_dates_and_horizons_the_page_cannot_show_are_ignored(run_page):
    at = run_page("gaps.py", {"as_of": "1900-01-01", "horizon": "99999"})
    assert at.date_input(key="view_as_of").value == dt.date(2023, 12, 10)
    assert at.number_input(key="view_horizon").value == 90
    q = {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert q["as_of"] == "2023-12-10" and q["horizon"] == "90"
