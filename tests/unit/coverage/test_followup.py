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


def _irc_documentation_end_unread(ds):
    """The seed with IRC's civil documentation end written but not read ('end of grant (tbc)')."""
    pres = ds.presence.copy()
    m = (pres["partner"] == "IRC") & (pres["service"] == "civil_documentation")
    assert m.sum() == 1
    pres.loc[m, ["status", "end_date", "dates_as_stated"]] = ["end_unknown", pd.NaT, "until end of grant (tbc)"]
    return ds.with_tables(presence=pres)


def test_an_end_date_not_read_is_on_the_list_until_someone_answers(ds):
    """A row whose end was written but not read never counts as serving: the donor asking who stops
    when must see it. Listed after the passed ends and before the coming ones, with the people nobody
    else serves on the date (IRC alone gives civil documentation at the 28 Anbar sites: 18,882)."""
    unread = _irc_documentation_end_unread(ds)
    f = followup_list(prepare(unread), dt.date(2024, 4, 10), within_days=30)
    statuses = f["followup_status"].tolist()
    assert statuses == sorted(statuses, key=["passed", "unread", "due"].index)
    row = f[f["followup_status"] == "unread"]
    assert row[["partner", "service"]].values.tolist() == [["IRC", "civil_documentation"]]
    row = row.iloc[0]
    assert pd.isna(row["end_date"]) and pd.isna(row["days_unconfirmed"]) and pd.isna(row["days_left"])
    assert row["n_sites"] == 28 and row["individuals"] == 18882
    assert row["n_sites_without"] == 28 and row["individuals_without"] == 18882
    assert row["dates_as_stated"] == "until end of grant (tbc)"
    # the other IRC entry (legal aid, due in 20 days) is unchanged
    due = f[(f["followup_status"] == "due") & (f["partner"] == "IRC")]
    assert due["service"].tolist() == ["protection_legal"] and due["days_left"].tolist() == [20]
    # answered (extended, the partner written another way): off the list, and the cells serve again
    ev = pd.DataFrame([check_exit_event("I.R.C.", "extend", "2024-12-31", service="civil_documentation")])
    answered = unread.with_tables(presence=apply_exit_events(unread.presence, ev))
    after = followup_list(prepare(answered), dt.date(2024, 4, 10), within_days=30)
    assert not (after["followup_status"] == "unread").any()
    cells = prepare(answered).on(dt.date(2024, 4, 10), 90).matrix
    doc = cells[cells["service"] == "civil_documentation"]
    assert doc["providers"].str.contains("IRC").all()


def test_an_end_not_read_of_a_row_not_started_yet_is_not_listed(ds):
    unread = _irc_documentation_end_unread(ds)
    pres = unread.presence.copy()
    pres.loc[(pres["partner"] == "IRC") & (pres["service"] == "civil_documentation"), "start_date"] = \
        pd.Timestamp("2024-05-01")
    later = unread.with_tables(presence=pres)
    for day, listed in [(dt.date(2024, 4, 30), False), (dt.date(2024, 5, 1), True)]:
        f = followup_list(prepare(later), day, within_days=30)
        assert (f["followup_status"] == "unread").any() == listed, day


def test_a_renewal_by_the_same_partner_leaves_nobody_without(ds):
    """IRC's civil documentation ends 30 Apr 2024 and a new IRC row takes it on from 1 May: nobody is
    left without (the list counted only other partners: 18,882 people 'left without')."""
    pres = ds.presence
    irc = pres[(pres["partner"] == "IRC") & (pres["service"] == "civil_documentation")]
    assert irc["end_date"].tolist() == [pd.Timestamp("2024-04-30")]
    renewal = irc.assign(start_date=pd.Timestamp("2024-05-01"), end_date=pd.Timestamp("2024-12-31"))
    renewed = ds.with_tables(presence=pd.concat([pres, renewal], ignore_index=True))
    f = followup_list(prepare(renewed), dt.date(2024, 4, 10), within_days=30)
    doc = f[(f["partner"] == "IRC") & (f["service"] == "civil_documentation")].iloc[0]
    assert doc["end_date"] == pd.Timestamp("2024-04-30") and doc["days_left"] == 20
    assert doc["n_sites_without"] == 0 and doc["individuals_without"] == 0
    before = followup_list(prepare(ds), dt.date(2024, 4, 10), within_days=30)
    assert before[(before["partner"] == "IRC") & (before["service"] == "civil_documentation")][
        "individuals_without"].tolist() == [18882]


def test_one_partner_written_two_ways_with_two_types_is_one_entry(ds):
    """'IRC' (INGO) on one row and 'I.R.C' (no last dot, no type given: 'other') on another, both ending
    30 Apr 2024: one entry, named as first written (it was two, split by the partner type)."""
    pres = ds.presence.copy()
    irc = pres.index[pres["partner"] == "IRC"]
    pres.loc[irc[1], ["partner", "partner_type"]] = ["I.R.C\u200f", "other"]  # with a right-to-left mark
    pres.loc[pres.index.isin(irc), "service"] = "civil_documentation"
    pres.loc[pres.index.isin(irc), "scope_id"] = pres.loc[irc[0], "scope_id"]
    f = followup_list(prepare(ds.with_tables(presence=pres)), dt.date(2024, 4, 10), within_days=30)
    irc_rows = f[f["partner"].str.replace(".", "").str.strip("\u200f") == "IRC"]
    assert irc_rows[["partner", "partner_type", "service", "n_sites", "individuals"]].values.tolist() == [
        ["IRC", "INGO", "civil_documentation", 28, 18882]]


def test_an_answer_recorded_in_an_arabic_session_is_stored_in_english(ds):
    """The note an answer writes on the partner's rows is the data's (shared by every reader), so it is
    English whatever the language of the session that applies it; the words shown are the reader's."""
    from dsdash.coverage.presence import exit_event_words
    from dsdash.i18n import language

    ev = pd.DataFrame([check_exit_event("UIMS", "extend", "2024-12-31", service="gbv")])
    with language("ar"):
        notes = apply_exit_events(ds.presence, ev).query("partner == 'UIMS'")["note"].dropna().tolist()
        shown = exit_event_words(ev.iloc[0].to_dict())
    assert notes and all("End extended: UIMS, GBV, planned end now 31 Dec 2024" in n for n in notes), notes
    assert shown == "مُدِّدت النهاية: \u2068UIMS\u2069، العنف القائم على النوع الاجتماعي، النهاية المخطَّطة الآن 31 كانون الأول 2024"


def test_a_leaving_partner_whose_end_was_not_read_is_said_so(ds):
    """The exit scenario's 'recorded end' of a partner whose end date was not read: "unknown" (End date
    not read), not "planned" with no date (review walk B2)."""
    from dsdash.coverage.exits import partner_ends

    rows = pd.DataFrame({"partner": ["Mercy Corps", "Mercy Corps", "X"], "service": ["health", "water", "health"],
                         "status": ["end_unknown", "active", "ended"],
                         "end_date": pd.to_datetime([None, "2024-12-31", "2024-01-01"]),
                         "dates_as_stated": ["until funds last", "", ""]})
    got = partner_ends(rows)
    assert got[["partner", "service", "kind_of_end"]].values.tolist() == [
        ["Mercy Corps", "health", "unknown"], ["Mercy Corps", "water", "planned"], ["X", "health", "confirmed"]]
