"""Exit events in the workspace (issue 15), on SQLite and PostgreSQL: recorded with who and when, in the
audit log, applied to the published presence; a workspace made at revision 0001 upgrades to 0002."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dsdash.coverage.engine import coverage_matrix
from dsdash.store import open_store
from dsdash.store.core import _alembic_config


def _civil_states(ds, as_of="2024-05-15"):
    m = coverage_matrix(ds, dt.date.fromisoformat(as_of))
    return set(m.loc[m.service == "civil_documentation", "state"])


def test_confirming_and_extending_irc_change_the_civil_documentation_cells(store_url):
    store = open_store(store_url)
    v0 = store.version()
    assert _civil_states(store.published_dataset()) == {"end_unconfirmed"}
    eid = store.record_exit_event("IRC", "confirmed", "2024-05-01", service="civil_documentation",
                                  note="IRC confirmed by email", who="alice")
    assert store.version() == v0 + 1
    ev = store.exit_events()
    assert ev[["id", "partner", "kind", "end_date", "recorded_by"]].values.tolist() == [
        [eid, "IRC", "confirmed", dt.date(2024, 5, 1), "alice"]]
    log = store.log().iloc[-1]
    assert (log.who, log.action) == ("alice", "exit_confirmed")
    assert "IRC" in log.why and "1 May 2024" in log.why and "IRC confirmed by email" in log.why
    ds = store.published_dataset()
    assert _civil_states(ds) == {"lost"}
    irc = ds.presence[(ds.presence.partner == "IRC") & (ds.presence.service == "civil_documentation")]
    assert irc["status"].tolist() == ["ended"] and "recorded by alice" in irc["note"].iloc[0]
    # an extension recorded later wins over nothing: the row is already confirmed, so extend a fresh store
    store.close()


def test_extending_irc_to_december_serves_the_cells(store_url):
    store = open_store(store_url)
    store.record_exit_event("IRC", "extended", "2024-12-31", service="civil_documentation", who="bob")
    assert _civil_states(store.published_dataset()) == {"served"}
    # the state before the event is rebuilt from the log: events recorded after a moment do not count
    before = store.published_as_of(store.exit_events()["recorded_at"].iloc[0] - dt.timedelta(microseconds=1))
    assert _civil_states(before) == {"end_unconfirmed"}
    store.close()


def test_a_hand_over_adds_the_body_that_took_over(store_url):
    store = open_store(store_url)
    store.record_exit_event("IRC", "handover", "2024-04-30", service="civil_documentation",
                            handover_to="Directorate of Civil Affairs", who="carol")
    assert _civil_states(store.published_dataset()) == {"handed_over"}
    with pytest.raises(ValueError):
        store.record_exit_event("IRC", "handed_over", "2024-04-30")
    with pytest.raises(ValueError):
        store.record_exit_event("IRC", "postponed", "2024-04-30")
    store.close()


def test_a_workspace_at_revision_0001_upgrades(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert "exit_events" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    store = open_store(url)
    assert "exit_events" in sa.inspect(store.engine).get_table_names()
    store.record_exit_event("Dary", "confirmed", "2023-12-31", who="dan")
    assert len(store.exit_events()) == 1
    store.close()
