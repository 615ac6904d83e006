"""The follow-up list (issue 15): planned ends passed without confirmation, or due within N days."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dsdash.coverage.engine import prepare
from dsdash.coverage.followup import followup_list
from dsdash.coverage.presence import apply_exit_events, check_exit_event


def test_seed_follow_up_on_15_january_2024_names_dary_and_uims(ds):
    f = followup_list(prepare(ds), dt.date(2024, 1, 15))
    assert f[["partner", "service", "followup_status", "days_unconfirmed"]].values.tolist() == [
        ["Dary", "health", "passed", 15], ["UIMS", "gbv", "passed", 15]]
    dary, uims = f.iloc[0], f.iloc[1]
    assert dary["end_date"] == pd.Timestamp("2023-12-31") and uims["end_date"] == pd.Timestamp("2023-12-31")
    # Dary: the 15 Bzebiz sectors + Kilo 7, AAF, Fallujah low-cost houses and Kilo 18 (site rows)
    assert dary["n_sites"] == 19 and "Bzebiz - sector 1" in dary["site_names"] and "(AAF)" in dary["site_names"]
    sites, pop = ds.sites.set_index("site_id"), ds.population.set_index("site_id")["individuals"]
    bz = sites.index[sites["site_group"] == "Bzebiz"]
    assert uims["n_sites"] == 15 and uims["individuals"] == int(pop[bz].sum()) == 9444
    assert dary["individuals"] == int(pop[bz].sum() + pop[["ANB-23", "ANB-25", "ANB-26", "ANB-28"]].sum()) == 15942
    # nobody else gives health or GBV there: everybody is left without while the answer is pending
    assert dary["individuals_without"] == 15942 and uims["n_sites_without"] == 15
    assert "possibility of extending" in dary["dates_as_stated"]


def test_window_and_answers_take_entries_off(ds):
    f = followup_list(prepare(ds), dt.date(2024, 4, 10), within_days=30)
    due = f[f["followup_status"] == "due"]
    assert set(zip(due["partner"], due["service"])) == {("IRC", "civil_documentation"), ("IRC", "protection_legal"),
                                                         ("NRC", "protection_legal"), ("NRC", "education")}
    assert set(due["days_left"]) == {20}
    irc_legal = due[(due["partner"] == "IRC") & (due["service"] == "protection_legal")].iloc[0]
    assert irc_legal["n_sites_without"] == 0 and irc_legal["individuals_without"] == 0  # UNHCR stays
    assert followup_list(prepare(ds), dt.date(2024, 4, 10), within_days=10)["followup_status"].eq("passed").all()
    # Dary confirmed, UIMS extended: neither is listed any more
    ev = pd.DataFrame([check_exit_event("Dary", "confirmed", "2023-12-31"),
                       check_exit_event("UIMS", "extend", "2024-12-31")])
    answered = ds.with_tables(presence=apply_exit_events(ds.presence, ev))
    assert followup_list(prepare(answered), dt.date(2024, 1, 15)).empty
