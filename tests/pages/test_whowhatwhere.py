"""AppTest: the "Who does what where" page on the seed data, 10 Dec 2023."""

from __future__ import annotations

import json

from dsdash.schema import SERVICE_LABELS
from tests.unit.test_wwww import hand_count

CODES = {"Al-Falluja": "IQG01Q01", "Al-Kaim": "IQG01Q02", "Al-Ramadi": "IQG01Q03", "Al-Rutba": "IQG01Q04"}


def test_partner_counts_per_district_and_service_equal_a_hand_count(run_page):
    at = run_page("whowhatwhere.py", {"as_of": "2023-12-10"}, timeout=90)
    assert at.title[0].value == "Who does what where"
    grid = next(df.value for df in at.dataframe if "Water" in df.value.columns)
    hand = hand_count()
    label_to_code = {v: k for k, v in SERVICE_LABELS.items()}
    assert set(grid.index) == set(CODES)
    for name, row in grid.iterrows():
        for label, n in row.items():
            assert n == len(hand.get((CODES[name], label_to_code[label]), set())), (name, label)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    feats = next(lay for lay in deck["layers"] if lay["id"] == "areas")["data"]["features"]
    assert len(feats) == 4 and any("Al-Falluja" in f["properties"]["tip"] for f in feats)
    assert any("OCHA COD-AB Iraq" in c.value for c in at.caption)


def test_catchments_and_a_partners_footprint(run_page, rerun):
    at = run_page("whowhatwhere.py", {"as_of": "2023-12-10"}, timeout=90)
    at.radio(key="www_level").set_value("catchment")
    rerun(at)
    grid = next(df.value for df in at.dataframe if "Water" in df.value.columns)
    assert list(grid.index) == ["East Anbar", "West Anbar"]
    at.selectbox(key="www_partner").set_value("IRC")
    rerun(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "IRC serves 28 site(s) with 2 service(s) on 10 Dec 2023, until 30 Apr 2024 at the latest" in text
    assert "Civil documentation: 18,882 individuals left without" in text


def test_the_catchment_filter_carries(run_page):
    at = run_page("whowhatwhere.py", {"as_of": "2023-12-10", "catchment": "East Anbar"}, timeout=90)
    grid = next(df.value for df in at.dataframe if "Water" in df.value.columns)
    assert sorted(grid.index) == ["Al-Falluja", "Al-Ramadi"]
