"""Users, roles, settings and sharing classes in the workspace (migration 0003), on SQLite and
PostgreSQL; ``store users add/list/remove`` as a user runs it; a workspace at revision 0002 upgrades."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from dsdash.store import open_store
from dsdash.store.core import _alembic_config
from tests.unit.store.test_cli import dsdash


def test_users_roles_and_the_audit_log(store_url):
    store = open_store(store_url)
    assert store.users().empty and store.setting("unknown_role") == "none" and store.setting("public") == "off"
    store.set_user("Ed@NRC.org", "editor", organisation="NRC", areas=["Anbar", " Ninewa ", "Anbar"], who="boss")
    ed = store.user("ed@nrc.org")
    assert (ed.role, ed.organisation, ed.areas) == ("editor", "NRC", ("Anbar", "Ninewa"))
    store.set_user("ed@nrc.org", "viewer", who="boss")
    assert store.user("ED@nrc.org").role == "viewer"
    with pytest.raises(ValueError):
        store.set_user("ed@nrc.org", "owner")
    with pytest.raises(ValueError):
        store.set_user("not-an-email", "viewer")
    store.set_setting("unknown_role", "viewer", who="boss")
    assert store.setting("unknown_role") == "viewer"
    store.log_event("x@y.org", "denied", "page upload.py (viewer)")
    assert store.remove_user("ed@nrc.org", who="boss") and not store.remove_user("ed@nrc.org")
    log = store.log()
    acts = log[log["action"].isin(["user_add", "role_change", "user_remove", "setting", "denied"])]
    assert list(acts["action"]) == ["user_add", "role_change", "setting", "denied", "user_remove"]
    assert acts["why"].iat[1] == "ed@nrc.org: editor → viewer" and (acts["who"].iloc[[0, 1, 2, 4]] == "boss").all()
    store.close()


def test_sharing_classes_of_snapshots(store_url):
    store = open_store(store_url)
    snaps = store.snapshots().set_index("file")
    assert snaps.loc["data/national_series.csv", "sharing"] == "public"
    assert snaps.loc["data/presence.csv", "sharing"] == "restricted"
    assert snaps.loc["data/needs.csv", "sharing"] == "confidential"
    assert store.table_sharing()["fvm"] == ["confidential"]
    sid = int(snaps.loc["data/sites.csv", "id"])
    v = store.version()
    store.set_sharing([sid], "public", who="boss")
    assert store.table_sharing()["sites"] == ["public"] and store.version() == v + 1
    assert store.snapshot_organisations([sid]) == {sid: "the embedded seed"}
    store.close()


def test_a_workspace_at_revision_0002_upgrades(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    assert "users" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    store = open_store(url)
    names = sa.inspect(store.engine).get_table_names()
    assert "users" in names and "settings" in names
    assert {"sharing", "organisation", "tables"} <= {c["name"] for c in sa.inspect(store.engine).get_columns("snapshots")}
    store.set_user("a@b.org", "admin")
    assert store.user("a@b.org").role == "admin"
    store.close()


def test_store_users_commands(tmp_path):
    db = str(tmp_path / "w.sqlite")
    run = dsdash("store", "users", "add", "Boss@UN.org", "--role", "admin", db=db)
    assert run.returncode == 0, run.stderr
    run = dsdash("store", "users", "add", "ed@nrc.org", "--role", "editor", "--org", "NRC", "--area", "Anbar",
                 "--area", "Ninewa", db=db)
    assert run.returncode == 0 and run.stdout.strip() == "ed@nrc.org\teditor\tNRC\tAnbar,Ninewa"
    listed = json.loads(dsdash("store", "users", "list", "--json", db=db).stdout)
    assert [(u["email"], u["role"], u["organisation"], u["areas"]) for u in listed] == [
        ("boss@un.org", "admin", None, []), ("ed@nrc.org", "editor", "NRC", ["Anbar", "Ninewa"])]
    assert dsdash("store", "users", "add", "x@y.org", "--role", "owner", db=db).returncode == 2
    assert dsdash("store", "users", "add", "nobody", "--role", "viewer", db=db).returncode == 2
    assert dsdash("store", "users", "remove", "ed@nrc.org", db=db).returncode == 0
    gone = dsdash("store", "users", "remove", "ed@nrc.org", db=db)
    assert gone.returncode == 2 and "no user ed@nrc.org" in gone.stderr
    log = json.loads(dsdash("store", "log", "--json", db=db).stdout)
    assert [e["action"] for e in log if e["action"].startswith("user")] == ["user_add", "user_add", "user_remove"]
    assert all(e["who"] == "cli-tester" for e in log if e["action"].startswith("user"))
