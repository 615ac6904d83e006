"""One figure, one computation: for several data sets built as a user builds them (files through
the importers), the Overview, the Map caption, the Trends change table, the deck and the CLI
(``summary --json``, ``trends --json``, run as ``python -m dsdash`` on the same files) show the
same sites, households, individuals and change since the previous round.

Data sets: the embedded seed; two IDP Master List rounds where sites close, appear, rise and
fall (hand counts in tests/support/dtm_fixtures.TWO_ROUNDS); the two rounds plus a partner
presence sheet; IDPs and returnees whose latest rounds have different dates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dsdash.deck.content import deck_content
from dsdash.figures import current_picture
from dsdash.filters import Filters
from dsdash.importers import build_dataset, import_file
from dsdash.map.layers import build_site_map
from dsdash.trends.rounds import filtered, round_change_summary, round_change_table
from tests.support.dtm_fixtures import TWO_ROUND_IDS, TWO_ROUNDS, returnee_round, two_rounds
from tests.pages.conftest import run_page  # noqa: F401 - the page-run fixture
from tests.support.oracle import current_totals
from tests.support.paths import ROOT
from ui.state import ACTIVE_KEY


@dataclass
class Case:
    name: str
    files: list[tuple[str, bytes]]  # (file name, bytes) as the user has them
    sites: int
    households: int
    individuals: int
    change: int | None  # individuals since the previous round
    change_text: str | None = None
    dates_text: str | None = None
    extra: dict = field(default_factory=dict)


def _presence_sheet(gov_name: str) -> tuple[str, bytes]:
    text = f"Partner,Sector,Governorate,Start date,End date\nIRC,WASH,{gov_name},2020-06-01,2021-12-31\n"
    return "partners_4w_2021.csv", text.encode()


def _cases() -> list[Case]:
    r1, r2 = two_rounds()
    ret = returnee_round()
    rounds = [(r1.filename, r1.data), (r2.filename, r2.data)]
    want = TWO_ROUNDS["round_2"]
    change = TWO_ROUNDS["change"]["individuals"]
    gov_b = r2.frame.loc[r2.frame["place_id"] == int(TWO_ROUND_IDS["B"]), "gov"].iloc[0]
    return [
        Case("seed", [], 28, 3147, 18882, None, None, "as of 10 Dec 2023"),
        Case("two rounds", rounds, want["sites"], want["households"], want["individuals"], change,
             "-378 since round 119, 31 Dec 2020", "as of 28 Feb 2021, DTM round 120"),
        Case("two rounds + presence", rounds + [_presence_sheet(gov_b)], want["sites"], want["households"],
             want["individuals"], change, "-378 since round 119, 31 Dec 2020", "as of 28 Feb 2021, DTM round 120"),
        Case("IDP and returnee rounds of different dates", rounds + [(ret.filename, ret.data)],
             want["sites"] + 3, want["households"] + 157, want["individuals"] + 942, change,
             "-378 since round 119, 31 Dec 2020 (IDPs only)", "IDPs: 28 Feb 2021; returnees: 31 Jan 2021"),
    ]


CASES = _cases()


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case(request, tmp_path_factory):
    c: Case = request.param
    results = [import_file(data, name) for name, data in c.files]
    assert all(r.usable for r in results), [r.report.counts_text for r in results]
    folder = tmp_path_factory.mktemp("files")
    paths = []
    for name, data in c.files:
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    ds = build_dataset(results) if results else None
    return c, ds, paths


def _ds(case_):
    c, ds, _ = case_
    if ds is None:
        from dsdash.dataset import load_embedded

        return load_embedded()
    return ds


def _cli(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "dsdash", *args], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_figures_object_holds_the_hand_counts(case):
    c, _, _ = case
    p = current_picture(_ds(case))
    sites, hh, ind = p.figures
    assert (sites.value, hh.value, ind.value, ind.change) == (c.sites, c.households, c.individuals, c.change)
    assert ind.change_text == c.change_text
    assert ind.date.startswith(c.dates_text)
    sql = current_totals(_ds(case))  # the rule stated again in SQL
    assert int(sql["individuals"].sum()) == c.individuals and int(sql["households"].sum()) == c.households


def test_overview_page(case, run_page):
    c, ds, _ = case
    at = run_page("overview.py", session={ACTIVE_KEY: ds} if ds is not None else None)
    m = {x.label: x for x in at.metric}
    assert (m["Sites"].value, m["Households"].value, m["Individuals"].value) == (
        f"{c.sites:,}", f"{c.households:,}", f"{c.individuals:,}")
    assert (m["Individuals"].delta or None) == c.change_text
    text = " ".join(x.value for x in at.caption).replace("\\", "")
    if c.change is not None:
        assert "2 opened and 2 closed since round 119, 31 Dec 2020" in text
        assert any("2 sites closed" in e.label for e in at.expander)
    if "returnee" in c.name:
        assert "IDPs: round 120, 28 Feb 2021" in text and "Returnees: round 119, 31 Jan 2021" in text


def test_map_caption(case):
    c, _, _ = case
    ds = _ds(case)
    caption = build_site_map(ds, Filters(), as_of=ds.latest_date()).caption
    assert f"{c.sites:,} sites drawn · {c.individuals:,} individuals" in caption
    if c.change is not None:
        assert "2 closed sites not drawn" in caption


def test_trends_change_table(case):
    c, _, _ = case
    ds = _ds(case)
    if c.change is None:
        assert round_change_table(ds).empty
        return
    g = current_picture(ds).groups[0]
    changes = round_change_table(filtered(ds, Filters()), g.previous_date, g.date, "idp")  # the page's call
    summary = round_change_summary(changes)
    assert int(summary["change"].sum()) == c.change
    assert dict(zip(summary["status"], summary["sites"])) == {"appeared": 2, "closed": 2, "rise": 2, "fall": 1,
                                                              "no change": 1}


def test_trends_page_change_table(case, run_page):
    c, ds, _ = case
    if c.change is None:
        return
    at = run_page("trends.py", session={ACTIVE_KEY: ds})
    frames = [d.value for d in at.dataframe]
    summary = next(f for f in frames if {"Status", "Sites", "Change"} <= set(f.columns) and "Site ID" not in f.columns)
    assert sum(int(str(v).replace(",", "").replace("−", "-")) for v in summary["Change"]) == c.change
    text = " ".join(x.value for x in at.caption).replace("\\", "")
    assert current_picture(ds).round_line in text  # the Overview's round line


def test_deck_content(case):
    c, _, _ = case
    content = deck_content(_ds(case), with_map=False)
    assert content.rounds == current_picture(_ds(case)).round_line  # under the key figure cards
    figs = {k.label: k for k in content.figures}
    assert (figs["Sites"].value, figs["Households"].value, figs["Individuals"].value) == (
        c.sites, c.households, c.individuals)
    assert figs["Individuals"].change == c.change and figs["Individuals"].change_text == c.change_text


def test_cli_summary_and_trends(case):
    c, _, paths = case
    s = _cli("summary", "--json", *paths)["current"]
    assert (s["sites"], s["households"], s["individuals"], s["change_individuals"]) == (
        c.sites, c.households, c.individuals, c.change)
    t = _cli("trends", "--json", *paths)["master_list_rounds"]
    assert t["current"]["individuals"] == c.individuals and t["current"]["sites"] == c.sites
    idp = next(g for g in t["groups"] if g["population_group"] == "idp")
    assert idp["change"] == c.change
    if c.change is not None:
        assert (idp["appeared"], idp["closed"], idp["rise"], idp["fall"]) == (2, 2, 2, 1)


def test_gap_matrix_weights_are_the_current_picture(case):
    """People in the deck's gap table (the Gaps page's numbers): every state of a service adds
    up to the counted individuals; closed sites weigh nothing and are not in the matrix."""
    c, _, _ = case
    ds = _ds(case)
    gaps = deck_content(ds, with_map=False).gaps.set_index("service")
    from dsdash.coverage.engine import STATE_ORDER

    assert (gaps[STATE_ORDER].sum(axis=1) == c.individuals).all()  # the seven states partition the people
    assert (gaps["sites"] == c.sites).all()
    if "presence" in c.name:  # IRC WASH in B's governorate: B alone (132 individuals) is served
        assert gaps.at["water", "served"] == 132
        # the other sites lie outside the presence sheet (another governorate): no report, not never served
        assert gaps.at["water", "without_any"] + gaps.at["water", "no_report"] == c.individuals - 132
        assert gaps.at["water", "no_report"] > 0
        assert gaps.at["health", "served"] == 0
