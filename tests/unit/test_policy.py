"""dsdash.policy: what each audience may see (issue 17), on the embedded data and hand-made cases.

Hand counts from data/sites.csv: 28 Anbar sites in 4 districts — Al-Falluja 18, Al-Rutba 6,
Al-Ramadi 3, Al-Kaim 1 (a single site: left out below the sites' class)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pptx import Presentation

from dsdash import policy
from dsdash.access import Principal, allowed_pages, check
from dsdash.dataset import load_embedded
from dsdash.deck.build import build_deck
from ui.nav import PAGES

SENSITIVE = {"protection_legal", "gbv", "child_protection", "mhpss"}


@pytest.fixture(scope="module")
def ds():
    return load_embedded()


def _deck_text(data: bytes) -> str:
    prs = Presentation(io.BytesIO(data))
    out = []
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                out += [c.text for r in sh.table.rows for c in r.cells]
    return "\n".join(out)


def test_defaults_from_the_config_file():
    p = policy.load()
    assert p.min_households == 5 and p.decimals == 2
    assert p.table_class("national_series") == p.table_class("index_rounds") == "public"
    assert p.table_class("sites") == p.table_class("presence") == "restricted"
    assert p.table_class("fvm") == p.table_class("needs") == "confidential"
    assert policy.default_sharing(["sites", "population"]) == "restricted"
    assert policy.default_sharing(["needs"]) == "confidential"
    assert policy.table_classes({"sites": ["public", "confidential"]})["sites"] == "confidential"


def test_confidential_audience_sees_everything(ds):
    out, shown = policy.apply(ds, "confidential")
    assert out is ds and not shown.notes


def test_public_audience_sees_districts_and_no_single_site_district(ds):
    out, shown = policy.apply(ds, "public")
    assert len(out.sites) == 3  # Al-Kaim's single site (7 households) left out
    assert sorted(out.sites["site_name"]) == ["Al-Falluja district (18 sites)", "Al-Ramadi district (3 sites)",
                                              "Al-Rutba district (6 sites)"]
    kept = ds.sites[ds.sites["admin2_name"] != "Al-Kaim"]["site_id"]
    pop = ds.population[ds.population["site_id"].isin(kept)]
    assert int(out.population["households"].sum()) == int(pop["households"].sum())
    assert (out.sites["latitude"].round(2) == out.sites["latitude"]).all()
    assert not out.presence["scope"].isin(["site", "site_group"]).any()
    assert "1 district(s) with a single site are left out" in " ".join(shown.notes)


def test_restricted_audience_sites_stay_needs_by_district(ds):
    out, shown = policy.apply(ds, "restricted")
    assert len(out.sites) == 28 and out.sites["latitude"].equals(ds.sites["latitude"])
    assert not out.needs["scope"].isin(["site", "site_group"]).any()  # needs are confidential
    sens = out.presence[out.presence["service"].isin(SENSITIVE)]
    assert (sens["scope"] == "site").any()  # restricted may see service locations at site level


def test_sensitive_services_never_at_a_site_below_restricted(ds):
    """Sites made public: sites stay, but GBV/protection/CP/MHPSS rows move to the district."""
    classes = policy.table_classes({"sites": ["public"], "population": ["public"], "presence": ["public"]})
    out, _ = policy.apply(ds, "public", classes)
    assert len(out.sites) == 28
    sens = out.presence[out.presence["service"].isin(SENSITIVE)]
    assert len(sens) and not sens["scope"].isin(["site", "site_group"]).any()
    assert (out.presence[~out.presence["service"].isin(SENSITIVE)]["scope"] == "site").any()
    assert (out.sites["latitude"] == ds.sites["latitude"].round(2)).all()


def test_small_counts_suppressed_below_restricted(ds):
    small = ds.population.copy()
    small.loc[small.index[0], ["households", "individuals"]] = [3, 18]
    tables = dict(ds.tables, population=small)
    from dsdash.dataset import Dataset

    d = Dataset(name="small", tables=tables)
    classes = policy.table_classes({"sites": ["public"], "population": ["public"]})
    out, shown = policy.apply(d, "public", classes)
    sid = str(small["site_id"].iat[0])
    assert shown.suppressed == {sid}
    row = out.population[out.population["site_id"] == sid]
    assert row["households"].isna().all() and row["individuals"].isna().all()
    assert (out.population["households"].dropna() >= 5).all()
    out_r, shown_r = policy.apply(d, "restricted", classes)
    assert not shown_r.suppressed and int(out_r.population.loc[small.index[0], "households"]) == 3


def test_public_deck_of_the_embedded_data(ds):
    """No site-level GBV provider, no site count under 5 households, and the audience stated."""
    out, shown = policy.apply(ds, "public")
    text = _deck_text(build_deck(out, audience=shown.statement))
    assert "Made for a public audience" in text
    for name in ds.sites["site_name"]:
        assert name not in text, name  # no site at all: sites are shown by district
    gbv = out.presence[out.presence["service"] == "gbv"]
    assert len(gbv) and set(gbv["scope"]) <= {"district", "governorate"}
    assert (out.population["households"].dropna() >= 5).all()


def test_roles_pages_and_actions():
    viewer = Principal("v@x.org", "viewer", signed_in=True)
    pages = [p for p, _t, _i in allowed_pages(viewer, PAGES)]
    assert "pages/upload.py" not in pages and "pages/admin.py" not in pages and "pages/map.py" in pages
    assert check(viewer, "withdraw") and check(viewer, "deck") is None
    nrc = Principal("e@nrc.org", "editor", organisation="NRC", areas=("Anbar",), signed_in=True)
    assert check(nrc, "withdraw", organisations=["NRC"]) is None
    assert "IRC" in check(nrc, "withdraw", organisations=["IRC"])
    assert "Ninewa" in check(nrc, "confirm_exit", areas=["Ninewa"])
    assert check(nrc, "manage_users")
    public = Principal("", "public")
    assert [p for p, _t, _i in allowed_pages(public, PAGES)] == [
        "pages/overview.py", "pages/trends.py", "pages/meeting.py"]
    assert allowed_pages(Principal("x@y.org", "none", signed_in=True), PAGES) == []
    assert check(Principal("me", "admin", local=True), "withdraw", organisations=["IRC"]) is None


def test_table_labels_for_the_policy_are_not_machine_names():
    assert pd.Series(["public", "restricted", "confidential"]).isin(policy.CLASS_WORDS).all()


def test_small_counts_read_less_than_5_on_screen():
    raw = pd.DataFrame({"site_id": ["A", "B"], "households": pd.array([None, 40], dtype="Int64"),
                        "individuals": pd.array([None, 240], dtype="Int64")})
    screen = pd.DataFrame({"Site ID": ["A", "B"], "Households": [None, 40], "Individuals": [None, 240]})
    out = policy.mark_small_counts(raw, screen, {"A"}, {"households": "Households", "individuals": "Individuals"})
    assert out["Households"].tolist() == ["<5", 40] and out["Individuals"].tolist() == ["<5", 240]
    assert policy.mark_small_counts(raw, screen, set(), {}) is screen
