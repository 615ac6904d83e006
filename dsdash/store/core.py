"""The workspace store: snapshots of imported files, the published set, the audit log.

See :mod:`dsdash.store` for the model and :mod:`dsdash.compose` for how the published
snapshots make one Dataset.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from dsdash.i18n import _
from dsdash.compose import EMBEDDED, MASTER_LIST, Part, compose, superseded_by
from dsdash.dataset import DATA_DIR, EMBEDDED_FILES, Dataset, read_csv_table
from dsdash.schema import TABLES, LoadReport, Problem
from dsdash.store import dialect
from dsdash.store.users import UsersMixin
from dsdash.store.tables import EXTRA_COLUMNS, TIDY, audit_log, boundaries, exit_events, snapshots, workspace

#: Snapshot states: added (stored, not published), published, withdrawn.
ADDED, PUBLISHED, WITHDRAWN = "added", "published", "withdrawn"
#: File name of the default SQLite workspace inside DSDASH_HOME (or ~/.local/share/dsdash).
DEFAULT_FILE = "workspace.sqlite"
#: Columns of :meth:`Store.snapshots` (``store list``), in order.
SNAPSHOT_COLUMNS = [
    "id", "kind", "file", "reference_date", "population_group", "dtm_round", "rows_in", "rows_accepted",
    "rows_rejected", "locations", "households", "individuals", "published", "status", "supersedes",
    "superseded_by", "created_at", "created_by", "note", "adds_locations", "sha256", "size_bytes",
    "sharing", "organisation",
]
LOG_COLUMNS = ["at", "who", "action", "snapshot_ids", "why"]


class StoreError(Exception):
    """The workspace cannot be opened or used; the message names the file or URL and says why."""


@dataclass
class AddResult:
    """What :meth:`Store.add` did with one file.

    ``snapshot_id`` is the new snapshot (None when nothing was stored); ``duplicate_of`` the snapshot
    holding the same bytes (then nothing was stored); ``report`` the file's load report.
    """

    snapshot_id: int | None
    duplicate_of: int | None
    report: LoadReport
    reports: list[LoadReport] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.snapshot_id is not None


def default_path() -> Path:
    """The default SQLite workspace: ``$DSDASH_HOME/workspace.sqlite``, else
    ``~/.local/share/dsdash/workspace.sqlite``."""
    home = os.environ.get("DSDASH_HOME")
    base = Path(home).expanduser() if home else Path.home() / ".local" / "share" / "dsdash"
    return base / DEFAULT_FILE


def default_url() -> str:
    """The sqlite URL of :func:`default_path`."""
    return f"sqlite:///{default_path()}"


def resolve_url(url: str | None = None) -> str:
    """``url``, else ``$DSDASH_DATABASE_URL``, else :func:`default_url`."""
    return url or os.environ.get("DSDASH_DATABASE_URL") or default_url()


def current_user() -> str:
    """Who does it: ``$DSDASH_USER``, else the OS user."""
    who = os.environ.get("DSDASH_USER")
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment (containers)
        return "unknown"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --------------------------------------------------------------------------- opening
def _location(url: str) -> str:
    p = dialect.sqlite_path(url)
    return str(p) if p is not None else dialect.redacted(url)


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    return cfg


def migrate(engine: sa.Engine, location: str) -> None:
    """Bring the database to the newest schema (Alembic ``upgrade head``), under the writers' lock.
    Raises :class:`StoreError` for a database that is not a dsdash workspace."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        current = set(MigrationContext.configure(conn).get_current_heads()) if "alembic_version" in names else set()
    if names and "alembic_version" not in names:
        listed = ", ".join(sorted(names)[:5]) + (" …" if len(names) > 5 else "")
        raise StoreError(_("{where}: not a dsdash workspace (a database with other tables: {tables})").format(
            where=location, tables=listed))
    if current - known:
        raise StoreError(_("{where}: made by a newer dsdash (schema revision {revision}); update dsdash to open it")
                         .format(where=location, revision=", ".join(sorted(current))))
    if current == heads:
        return
    with engine.connect() as conn:
        conn.execution_options(**{dialect.WRITE: True})
        with conn.begin():
            dialect.write_lock(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


def open_store(url: str | None = None) -> "Store":
    """Open (create, migrate and seed when needed) the workspace at ``url`` (see :func:`resolve_url`).
    Raises :class:`StoreError` naming the file or URL when it cannot be opened."""
    url = resolve_url(url)
    location = _location(url)
    path = dialect.sqlite_path(url)
    if path is not None:
        if path.exists() and not path.is_file():
            raise StoreError(_("{path}: not a file").format(path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(_("{path}: cannot create its folder ({reason})").format(path=path,
                                                                                     reason=exc.strerror or exc)) from None
    try:
        engine = dialect.make_engine(url)
    except (ValueError, sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(f"{location}: {exc}") from None
    try:
        migrate(engine, location)
        store = Store(engine, url)
        store._seed()
    except StoreError:
        engine.dispose()
        raise
    except (sa.exc.DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        reason = _reason(exc)
        if "file is not a database" in reason or "malformed" in reason:
            reason = _("not a dsdash workspace: the file is not a SQLite database or is damaged ({reason})").format(
                reason=reason)
        raise StoreError(f"{location}: {reason}") from None
    return store


def restore_store(url: str | None, backup_file: Path) -> "Store":
    """Replace the workspace at ``url`` with ``backup_file`` (made by :meth:`Store.backup`) and open it."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise StoreError(_("{file}: no such backup file").format(file=backup_file))
    url = resolve_url(url)
    path = dialect.sqlite_path(url)
    if path is not None:
        _check_sqlite_backup(backup_file)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = dialect.make_engine(url)
    try:
        dialect.restore(engine, backup_file)
    except (dialect.BackupError, sqlite3.Error, sa.exc.DBAPIError) as exc:
        raise StoreError(_("{file}: could not be restored into {where} ({reason})").format(
            file=backup_file, where=_location(url), reason=exc)) from None
    finally:
        engine.dispose()
    return open_store(url)


def _check_sqlite_backup(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(_("{file}: not a dsdash backup ({reason})").format(file=path, reason=exc)) from None
    if "snapshots" not in names or "alembic_version" not in names:
        raise StoreError(_("{file}: not a dsdash backup (no workspace tables)").format(file=path))


# --------------------------------------------------------------------------- rows in and out
def _column_values(s: pd.Series, kind: str) -> list:
    """A column as Python values for the database driver (None for missing; dates as ISO text)."""
    mask = s.isna().to_numpy()
    if kind == "date":
        days = pd.to_datetime(s).to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
        vals = np.datetime_as_string(days).tolist()
    elif kind == "int":
        vals = pd.to_numeric(s).to_numpy(dtype="float64", na_value=np.nan)
        vals = np.where(mask, 0, vals).astype("int64").tolist()
    elif kind == "float":
        vals = pd.to_numeric(s).to_numpy(dtype="float64", na_value=np.nan).tolist()
    else:
        vals = s.astype("string").to_numpy(dtype=object, na_value=None).tolist()
        return vals
    if mask.any():
        vals = [None if m else v for v, m in zip(vals, mask)]
    return vals


def _stored_columns(table: str) -> list[tuple[str, str, str]]:
    """(stored name, kind, frame column) of a tidy table."""
    return [(c.name, c.kind, c.name) for c in TABLES[table].columns] + list(EXTRA_COLUMNS.get(table, ()))


def _rows(df: pd.DataFrame, table: str, snapshot_id: int) -> tuple[list[str], list[tuple]]:
    cols = _stored_columns(table)
    n = len(df)
    values = [[snapshot_id] * n, list(range(n))]
    for _stored, kind, name in cols:
        values.append(_column_values(df[name], kind) if name in df.columns else [None] * n)
    return ["snapshot_id", "row_no", *[c[0] for c in cols]], list(zip(*values))


def _frame(rows: list, names: list[str], kinds: list[str]) -> pd.DataFrame:
    """Typed columns (the schema's dtypes) from driver rows, built column by column in C where it can."""
    import pyarrow as pa

    grid = np.array(rows, dtype=object) if rows else np.empty((0, len(names)), dtype=object)
    out = {}
    for i, (name, kind) in enumerate(zip(names, kinds)):
        vals = grid[:, i]
        if kind == "date":
            out[name] = pd.Series(np.array(vals, dtype="datetime64[D]").astype("datetime64[s]"))
        elif kind in ("int", "float"):
            out[name] = pd.Series(_masked(pa.array(vals, type=pa.int64() if kind == "int" else pa.float64(),
                                                   from_pandas=True), kind))
        elif kind == "id":
            out[name] = pd.Series(np.asarray(vals, dtype="int64"))
        else:
            out[name] = pd.Series(pd.arrays.ArrowStringArray(pa.array(vals, type=pa.string(), from_pandas=True)))
    return pd.DataFrame(out)


def _masked(arr, kind: str):
    """An Arrow number array as pandas' Int64 / Float64 (nulls masked)."""
    mask = arr.is_null().to_numpy(zero_copy_only=False)
    values = arr.fill_null(0).to_numpy(zero_copy_only=False)
    if kind == "int":
        return pd.arrays.IntegerArray(values.astype("int64"), mask)
    return pd.arrays.FloatingArray(values.astype("float64"), mask)


def _report_from_dict(d: dict) -> LoadReport:
    rep = LoadReport(file=d["file"], kind=d["kind"], rows_in=d["rows_in"], rows_accepted=d["rows_accepted"],
                     rows_rejected=d["rows_rejected"], encoding=d.get("encoding"), sheet=d.get("sheet"),
                     notes=list(d.get("notes", [])))
    for p in d.get("problems", []):
        rep.problems.append(Problem(p["file"], p["reason"], p.get("row"), p.get("column"), p.get("sheet"),
                                    p.get("level", "error"), int(p.get("count", 1)), tuple(p.get("rows") or ())))
    return rep


def _provenance(tables: dict[str, pd.DataFrame]) -> dict:
    pop = tables.get("population")
    if pop is None or not len(pop):
        return {"reference_date": None, "dtm_round": None, "population_group": None}
    dates = pop["reference_date"].dropna()
    rounds = pop["dtm_round"].dropna()
    groups = sorted(pop["population_group"].dropna().astype(str).unique())
    return {"reference_date": pd.Timestamp(dates.max()).date() if len(dates) else None,
            "dtm_round": int(rounds.mode().iat[0]) if len(rounds) else None,
            "population_group": ",".join(groups) or None}


def _counts(tables: dict[str, pd.DataFrame]) -> dict:
    pop = tables.get("population")
    if pop is not None and len(pop):
        hh, ind = pop["households"].sum(min_count=1), pop["individuals"].sum(min_count=1)
        return {"locations": int(pop["site_id"].nunique()), "households": None if pd.isna(hh) else int(hh),
                "individuals": None if pd.isna(ind) else int(ind)}
    for t, col in (("sites", "site_id"), ("presence", "scope_id"), ("needs", "scope_id")):
        df = tables.get(t)
        if df is not None and len(df):
            return {"locations": int(df[col].nunique()), "households": None, "individuals": None}
    return {"locations": None, "households": None, "individuals": None}


# --------------------------------------------------------------------------- the store
class Store(UsersMixin):
    """One workspace database (SQLite file or PostgreSQL). Open it with :func:`open_store`."""

    def __init__(self, engine: sa.Engine, url: str):
        self.engine = engine
        self.url = url

    def __repr__(self) -> str:
        return f"Store({self.location_text!r})"

    @property
    def location_text(self) -> str:
        """Where the workspace lives: the SQLite file's path, or the URL without its password."""
        return _location(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def _write(self):
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{dialect.WRITE: True})
                with conn.begin():
                    dialect.write_lock(conn)
                    yield conn
        except sa.exc.OperationalError as exc:  # the server went away, a lock waited too long, a full disk
            raise StoreError(f"{self.location_text}: {_reason(exc)}") from None

    @contextmanager
    def _read(self):
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**dialect.read_options(self.engine))
                with conn.begin():
                    yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(f"{self.location_text}: {_reason(exc)}") from None

    @staticmethod
    def _bump(conn) -> None:
        conn.execute(sa.update(workspace).where(workspace.c.id == 1).values(version=workspace.c.version + 1))

    @staticmethod
    def _log(conn, who: str, action: str, ids: Iterable[int], why: str = "", at: dt.datetime | None = None) -> None:
        conn.execute(sa.insert(audit_log).values(at=at or _now(), who=who, action=action,
                                                 snapshot_ids=",".join(str(i) for i in ids), why=why or ""))

    # ------------------------------------------------------------------ seeding
    def _seed(self) -> None:
        """A new workspace: the embedded data as its first published snapshots, one per data file."""
        with self._read() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(snapshots)).scalar_one():
                return
        with self._write() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(snapshots)).scalar_one():
                return
            at = _now()
            ids = []
            for table, fname in EMBEDDED_FILES.items():
                path = DATA_DIR / fname
                data = path.read_bytes()
                df, rep = read_csv_table(path, table, label=f"data/{fname}")
                rep.kind = EMBEDDED
                ids.append(self._insert(conn, kind=EMBEDDED, file_name=f"data/{fname}", data=data,
                                        tables={table: df}, reports=[rep], who="dsdash", at=at,
                                        note="embedded seed data", state=PUBLISHED))
            self._log(conn, "dsdash", "seed", ids, "a new workspace starts with the embedded seed data", at)
            self._bump(conn)

    def _insert(self, conn, *, kind, file_name, data: bytes, tables, reports, who, at, note="", state=ADDED,
                adds_locations=False, supersedes=None, boundaries_gdf=None,
                on_stage: Callable[[str], None] | None = None, sharing: str | None = None,
                organisation: str | None = None) -> int:
        from dsdash.policy import default_sharing

        prov = _provenance(tables)
        held = [t for t, df in tables.items() if t in TIDY and df is not None and len(df)]
        counts = _counts(tables)
        if boundaries_gdf is not None and counts["locations"] is None:
            counts["locations"] = int(len(boundaries_gdf))
        res = conn.execute(sa.insert(snapshots).values(
            kind=kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data),
            created_at=at, created_by=who, note=note or "", adds_locations=bool(adds_locations),
            supersedes=supersedes, state=state, report_json=json.dumps([r.as_dict() for r in reports],
                                                                       ensure_ascii=False, default=str),
            rows_in=sum(r.rows_in for r in reports), rows_accepted=sum(r.rows_accepted for r in reports),
            rows_rejected=sum(r.rows_rejected for r in reports), **prov, **counts,
            sharing=sharing or default_sharing(held), organisation=organisation, tables=",".join(held)))
        sid = int(res.inserted_primary_key[0])
        total = sum(len(df) for t, df in tables.items() if t in TIDY)
        if on_stage is not None:
            on_stage(_("writing {n} rows of {file} as snapshot {id}").format(n=f"{total:,}", file=file_name, id=sid))
        for t, df in tables.items():
            if t in TIDY and len(df):
                names, rows = _rows(df, t, sid)
                dialect.bulk_insert(conn, TIDY[t], names, rows)
        if boundaries_gdf is not None and len(boundaries_gdf):
            import shapely

            g = boundaries_gdf
            rows = list(zip([sid] * len(g), range(len(g)), g["level"].astype(str), g["pcode"].astype("string").tolist(),
                            g["name"].astype("string").tolist(),
                            (g["admin1_code"].astype("string") if "admin1_code" in g else pd.Series(
                                [None] * len(g))).tolist(),
                            shapely.to_wkb(g.geometry.to_numpy()).tolist()))
            rows = [tuple(None if v is pd.NA else v for v in r) for r in rows]
            dialect.bulk_insert(conn, boundaries, ["snapshot_id", "row_no", "level", "pcode", "name", "admin1_code",
                                                   "geometry"], rows)
        return sid

    # ------------------------------------------------------------------ writing
    def add(self, result, data: bytes, *, file_name: str, who: str | None = None, note: str = "",
            publish: bool = False, adds_locations: bool = False, supersedes: int | None = None,
            on_stage: Callable[[str], None] | None = None, sharing: str | None = None,
            organisation: str | None = None) -> AddResult:
        """Store one imported file as a snapshot, in one transaction (a process killed meanwhile
        leaves nothing). The same bytes stored before are not stored again (``duplicate_of``); a file
        with nothing usable (no accepted row, or an open question) is not stored either.
        ``publish`` publishes it in the same transaction."""
        who = who or current_user()
        reports = list(result.reports)
        sha = hashlib.sha256(data).hexdigest()
        with self._read() as conn:
            dup = conn.execute(sa.select(snapshots.c.id).where(snapshots.c.sha256 == sha)).scalar()
        if dup is not None:
            return AddResult(None, int(dup), result.report, reports)
        if not result.usable:
            return AddResult(None, None, result.report, reports)
        with self._write() as conn:
            dup = conn.execute(sa.select(snapshots.c.id).where(snapshots.c.sha256 == sha)).scalar()
            if dup is not None:
                return AddResult(None, int(dup), result.report, reports)
            if supersedes is not None and conn.execute(
                    sa.select(snapshots.c.id).where(snapshots.c.id == supersedes)).scalar() is None:
                raise StoreError(_("{where}: no snapshot {id} to supersede").format(where=self.location_text,
                                                                                   id=supersedes))
            before = self._superseded(conn) if publish else {}
            at = _now()
            sid = self._insert(conn, kind=result.kind, file_name=file_name, data=data, tables=result.tables,
                               reports=reports, who=who, at=at, note=note,
                               state=PUBLISHED if publish else ADDED,
                               adds_locations=adds_locations and result.kind == MASTER_LIST,
                               supersedes=supersedes, boundaries_gdf=result.boundaries, on_stage=on_stage,
                               sharing=sharing, organisation=organisation)
            self._log(conn, who, "add", [sid], note, at)
            if publish:
                self._log(conn, who, "publish", [sid], note, at)
                self._log_superseded(conn, before, who, at)
            self._bump(conn)
        return AddResult(sid, None, result.report, reports)

    def _set_state(self, ids, state: str, action: str, who: str | None, why: str) -> list[int]:
        ids = sorted({int(i) for i in ids})
        if not ids:
            raise StoreError(_("no snapshot id given"))
        who = who or current_user()
        with self._write() as conn:
            found = set(conn.execute(sa.select(snapshots.c.id).where(snapshots.c.id.in_(ids))).scalars())
            missing = [i for i in ids if i not in found]
            if missing:
                raise StoreError(_("{where}: no snapshot {ids}").format(where=self.location_text,
                                                                       ids=", ".join(map(str, missing))))
            before = self._superseded(conn)
            conn.execute(sa.update(snapshots).where(snapshots.c.id.in_(ids)).values(state=state))
            self._log(conn, who, action, ids, why)
            self._log_superseded(conn, before, who)
            self._bump(conn)
        return ids

    def _superseded(self, conn) -> dict:
        """Published snapshot id → the published snapshot that took its place (composition rules)."""
        return superseded_by(self._light_parts(conn, [r for r in self._snapshot_rows(conn)
                                                      if r["state"] == PUBLISHED]))

    def _log_superseded(self, conn, before: dict, who: str, at: dt.datetime | None = None) -> None:
        """Log the snapshots that a publish made superseded, one entry per snapshot that took their place."""
        after = self._superseded(conn)
        newly: dict[int, list[int]] = {}
        for old, by in after.items():
            if before.get(old) != by:
                newly.setdefault(by, []).append(old)
        for by, olds in sorted(newly.items()):
            self._log(conn, who, "supersede", sorted(olds), f"superseded by snapshot {by}", at)

    def publish(self, ids, who: str | None = None, why: str = "") -> list[int]:
        """Publish snapshots (again): they join the published workspace, composed by the rules of
        :mod:`dsdash.compose`."""
        return self._set_state(ids, PUBLISHED, "publish", who, why)

    def withdraw(self, ids, who: str | None = None, why: str = "") -> list[int]:
        """Withdraw snapshots from the published workspace. Nothing is deleted: they can be published again."""
        return self._set_state(ids, WITHDRAWN, "withdraw", who, why)

    # ------------------------------------------------------------------ reading
    def version(self) -> int:
        """The workspace version: moves on every add, publish and withdraw (a cache key)."""
        with self._read() as conn:
            return int(conn.execute(sa.select(workspace.c.version).where(workspace.c.id == 1)).scalar_one())

    def _snapshot_rows(self, conn) -> list:
        return conn.execute(sa.select(snapshots).order_by(snapshots.c.id)).mappings().all()

    def snapshots(self) -> pd.DataFrame:
        """One row per snapshot (``store list``): :data:`SNAPSHOT_COLUMNS`. ``status`` is added,
        published, withdrawn, or superseded (published, but another published snapshot took its
        place by the composition rules: ``superseded_by``)."""
        with self._read() as conn:
            rows = self._snapshot_rows(conn)
            published = [r for r in rows if r["state"] == PUBLISHED]
            by = superseded_by(self._light_parts(conn, published))
        out = []
        for r in rows:
            status = r["state"]
            if status == PUBLISHED and r["id"] in by:
                status = "superseded"
            out.append({
                "id": r["id"], "kind": r["kind"], "file": r["file_name"],
                "reference_date": r["reference_date"], "population_group": r["population_group"],
                "dtm_round": r["dtm_round"], "rows_in": r["rows_in"], "rows_accepted": r["rows_accepted"],
                "rows_rejected": r["rows_rejected"], "locations": r["locations"], "households": r["households"],
                "individuals": r["individuals"], "published": r["state"] == PUBLISHED, "status": status,
                "supersedes": r["supersedes"], "superseded_by": by.get(r["id"]) if r["state"] == PUBLISHED else None,
                "created_at": _aware(r["created_at"]), "created_by": r["created_by"], "note": r["note"],
                "adds_locations": bool(r["adds_locations"]), "sha256": r["sha256"], "size_bytes": r["size_bytes"],
                "sharing": r["sharing"], "organisation": r["organisation"],
            })
        df = pd.DataFrame(out, columns=SNAPSHOT_COLUMNS)
        for c in ("dtm_round", "locations", "households", "individuals", "supersedes", "superseded_by"):
            df[c] = df[c].astype("Int64")
        df["reference_date"] = pd.to_datetime(df["reference_date"]).astype("datetime64[s]")
        return df

    def log(self) -> pd.DataFrame:
        """The audit log, oldest first: at, who, action (seed, add, publish, withdraw, supersede), snapshot_ids,
        why. A ``supersede`` entry names snapshots that a publish (or a correction) put out of the composition:
        they stay published and come back when what superseded them is withdrawn."""
        with self._read() as conn:
            rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().all()
        df = pd.DataFrame([{"at": _aware(r["at"]), "who": r["who"], "action": r["action"],
                            "snapshot_ids": r["snapshot_ids"], "why": r["why"]} for r in rows], columns=LOG_COLUMNS)
        return df

    def published_ids(self) -> list[int]:
        with self._read() as conn:
            return list(conn.execute(sa.select(snapshots.c.id).where(snapshots.c.state == PUBLISHED)
                                     .order_by(snapshots.c.id)).scalars())

    def published_dataset(self) -> Dataset:
        """The published workspace: the published snapshots composed (:func:`dsdash.compose.compose`),
        with the recorded exit events applied to its presence."""
        with self._read() as conn:
            rows = [r for r in self._snapshot_rows(conn) if r["state"] == PUBLISHED]
            return self._compose(conn, rows, "Published workspace")

    # ------------------------------------------------------------------ exit events (issue 15)
    def record_exit_event(self, partner: str, kind: str, end_date, *, service: str | None = None,
                          scope_id: str | None = None, handover_to: str | None = None, note: str = "",
                          who: str | None = None) -> int:
        """Record that ``partner``'s exit was confirmed (``end_date``: its actual last day), its planned
        end extended (``end_date``: the new planned end) or its service handed over to ``handover_to``
        (``end_date``: its last day). ``service`` / ``scope_id`` narrow it to some of the partner's rows.
        Goes into the audit log (action ``exit_confirmed``, ``exit_extended``, ``exit_handed_over``) with
        who and when; moves the version. Returns the event's id. Rules: :func:`dsdash.coverage.presence.
        apply_exit_events`."""
        from dsdash.coverage.presence import check_exit_event
        ev = check_exit_event(partner, kind, end_date, service=service, scope_id=scope_id,
                              handover_to=handover_to, note=note)
        who, at = who or current_user(), _now()
        with self._write() as conn:
            new_id = conn.execute(sa.insert(exit_events).values(**ev, recorded_at=at, recorded_by=who)
                                  .returning(exit_events.c.id)).scalar_one()
            self._log(conn, who, "exit_" + ev["kind"], (), why=_event_words(ev), at=at)
            self._bump(conn)
        return int(new_id)

    def exit_events(self, as_of: dt.datetime | None = None) -> pd.DataFrame:
        """The recorded exit events, oldest first (those recorded by ``as_of`` when given): id, partner,
        service, scope_id, kind, end_date, handover_to, note, recorded_at, recorded_by."""
        q = sa.select(exit_events).order_by(exit_events.c.id)
        with self._read() as conn:
            rows = conn.execute(q).mappings().all()
        df = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in exit_events.columns])
        if len(df):
            df["recorded_at"] = [_aware(t) for t in df["recorded_at"]]
            if as_of is not None:
                df = df[df["recorded_at"] <= _aware(as_of)].reset_index(drop=True)
        return df

    def dataset_of(self, snapshot_ids) -> Dataset:
        """The Dataset of these snapshots, with the published seed (when no seed snapshot is named)."""
        want = {int(i) for i in snapshot_ids}
        with self._read() as conn:
            all_rows = self._snapshot_rows(conn)
            named_seed = any(r["kind"] == EMBEDDED and r["id"] in want for r in all_rows)
            rows = [r for r in all_rows if r["id"] in want
                    or (not named_seed and r["kind"] == EMBEDDED and r["state"] == PUBLISHED)]
            return self._compose(conn, rows, "Workspace snapshots " + ", ".join(map(str, sorted(want))))

    def published_ids_as_of(self, when: dt.datetime) -> list[int]:
        """The snapshots that were published at ``when``, from the audit log."""
        when = _aware(when)
        live: set[int] = set()
        for r in self.log().itertuples():
            if r.at > when:
                break
            ids = {int(x) for x in str(r.snapshot_ids).split(",") if x}
            if r.action in ("seed", "publish"):
                live |= ids
            elif r.action == "withdraw":
                live -= ids
        return sorted(live)

    def published_as_of(self, when: dt.datetime) -> Dataset:
        """What was published at ``when`` (replayed from the audit log), composed."""
        ids = set(self.published_ids_as_of(when))
        with self._read() as conn:
            rows = [r for r in self._snapshot_rows(conn) if r["id"] in ids]
            label = f"Published workspace as of {_aware(when):%d %b %Y %H:%M} UTC"
            return self._compose(conn, rows, label, as_of=when)

    def published_with(self, results, *, presence_mode: str = "replace", adds_locations: bool = False) -> Dataset:
        """The published workspace with files of this session on top, not stored ("try in this session
        only"): each usable :class:`~dsdash.importers.ImportResult` a part after the published ones."""
        extra = [Part(r.kind, r.tables, r.reports, boundaries=r.boundaries, label=r.report.file,
                      adds_locations=adds_locations and r.kind == MASTER_LIST) for r in results if r.usable]
        with self._read() as conn:
            rows = [r for r in self._snapshot_rows(conn) if r["state"] == PUBLISHED]
            ds = self._compose(conn, rows, "Published workspace", extra=extra, presence_mode=presence_mode)
        if extra:
            ds.name = "Published workspace + this session: " + ", ".join(p.label for p in extra)
        ds.reports = [rep for r in results for rep in r.reports] + [
            rep for rep in ds.reports if not any(rep is x for r in results for x in r.reports)]
        return ds

    # ------------------------------------------------------------------ composing
    def _events(self, conn, as_of: dt.datetime | None = None) -> pd.DataFrame:
        q = sa.select(exit_events).order_by(exit_events.c.id)
        if as_of is not None:
            q = q.where(exit_events.c.recorded_at <= _aware(as_of))
        rows = conn.execute(q).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in exit_events.columns])

    def _compose(self, conn, rows: list, name: str, extra=(), presence_mode: str = "replace",
                 as_of: dt.datetime | None = None) -> Dataset:
        ids = [r["id"] for r in rows]
        data = self._load_tables(conn, ids)
        bnd = self._load_boundaries(conn, ids)
        parts = []
        for r in rows:
            sid = r["id"]
            tables = {t: frames[sid] for t, frames in data.items() if sid in frames}
            parts.append(Part(r["kind"], tables, [_report_from_dict(d) for d in json.loads(r["report_json"])],
                              boundaries=bnd.get(sid), id=sid, label=r["file_name"],
                              adds_locations=bool(r["adds_locations"]), supersedes=r["supersedes"]))
        files = [p.label for p in parts if not p.is_seed]
        label = f"{name}: {', '.join(files)}" if files else f"{name} (embedded seed data)"
        ds = compose(parts + list(extra), name=label, origin="workspace", presence_mode=presence_mode)
        return with_exit_events(ds, self._events(conn, as_of))

    def _load_tables(self, conn, ids: list[int]) -> dict[str, dict[int, pd.DataFrame]]:
        """Each tidy table read once (rows of ``ids``, in insertion order), split by snapshot."""
        out: dict[str, dict[int, pd.DataFrame]] = {}
        if not ids:
            return out
        for t, table in TIDY.items():
            cols = _stored_columns(t)
            sel = [table.c.snapshot_id] + [sa.cast(table.c[s], sa.Text) if k == "date" else table.c[s]
                                           for s, k, _ in cols]
            stmt = sa.select(*sel).where(table.c.snapshot_id.in_(ids)).order_by(table.c.snapshot_id, table.c.row_no)
            rows = conn.execute(stmt).cursor.fetchall()  # plain DBAPI tuples (dates are cast to text)
            if not rows:
                continue
            df = _frame(rows, ["snapshot_id", *[name for _, _, name in cols]], ["id", *[k for _, k, _ in cols]])
            sid = df.pop("snapshot_id").to_numpy()
            starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])  # rows come in key order: one block each
            ends = np.r_[starts[1:], len(sid)]
            out[t] = {int(sid[a]): df.iloc[a:b].reset_index(drop=True) for a, b in zip(starts, ends)}
        return out

    def _load_boundaries(self, conn, ids: list[int]) -> dict:
        rows = conn.execute(sa.select(boundaries).where(boundaries.c.snapshot_id.in_(ids))
                            .order_by(boundaries.c.snapshot_id, boundaries.c.row_no)).mappings().all() if ids else []
        if not rows:
            return {}
        import geopandas as gpd
        import shapely

        df = pd.DataFrame([dict(r) for r in rows])
        out = {}
        for sid, g in df.groupby("snapshot_id", sort=False):
            geom = shapely.from_wkb(g["geometry"].tolist())
            out[int(sid)] = gpd.GeoDataFrame(
                {c: g[c].astype("string").reset_index(drop=True) for c in ("level", "pcode", "name", "admin1_code")},
                geometry=list(geom), crs="EPSG:4326")
        return out

    def _light_parts(self, conn, rows: list) -> list[Part]:
        """Parts with only what :func:`dsdash.compose.superseded_by` reads (no population counts)."""
        ids = [r["id"] for r in rows]
        if not ids:
            return []
        present: dict[int, dict[str, pd.DataFrame]] = {i: {} for i in ids}
        pop = TIDY["population"]
        for sid, grp, date in conn.execute(sa.select(pop.c.snapshot_id, pop.c.population_group,
                                                     sa.cast(pop.c.reference_date, sa.Text))
                                           .where(pop.c.snapshot_id.in_(ids)).distinct()).all():
            present[sid].setdefault("_pop", []).append((grp, date))
        for sid, d in present.items():
            if "_pop" in d:
                pairs = d.pop("_pop")
                d["population"] = pd.DataFrame({"population_group": [g for g, _ in pairs],
                                                "reference_date": pd.to_datetime([x for _, x in pairs])})
        pres = TIDY["presence"]
        prows = conn.execute(sa.select(pres.c.snapshot_id, pres.c.partner, pres.c.scope, pres.c.scope_id)
                             .where(pres.c.snapshot_id.in_(ids))).all()
        if prows:
            pdf = pd.DataFrame(prows, columns=["snapshot_id", "partner", "scope", "scope_id"])
            for sid, g in pdf.groupby("snapshot_id"):
                present[int(sid)]["presence"] = g.drop(columns="snapshot_id").reset_index(drop=True)
        sheets = {sid for sid, d in present.items() if "presence" in d}
        for t, table in TIDY.items():
            if t in ("population", "presence"):
                continue
            if t == "sites" and len(sheets) >= 2:
                srows = conn.execute(sa.select(table.c.snapshot_id, table.c.site_id, table.c.admin1_code,
                                               table.c.site_group).where(table.c.snapshot_id.in_(ids))).all()
                sdf = pd.DataFrame(srows, columns=["snapshot_id", "site_id", "admin1_code", "site_group"])
                for sid, g in sdf.groupby("snapshot_id"):
                    present[int(sid)]["sites"] = g.drop(columns="snapshot_id").reset_index(drop=True)
                continue
            for (sid,) in conn.execute(sa.select(table.c.snapshot_id).where(table.c.snapshot_id.in_(ids))
                                       .distinct()).all():
                present[sid][t] = pd.DataFrame(index=[0])
        levels = conn.execute(sa.select(boundaries.c.snapshot_id, boundaries.c.level)
                              .where(boundaries.c.snapshot_id.in_(ids)).distinct()).all()
        bnd: dict[int, list[str]] = {}
        for sid, level in levels:
            bnd.setdefault(sid, []).append(level)
        return [Part(r["kind"], present[r["id"]], id=r["id"], label=r["file_name"],
                     adds_locations=bool(r["adds_locations"]), supersedes=r["supersedes"],
                     boundaries=pd.DataFrame({"level": bnd[r["id"]]}) if r["id"] in bnd else None)
                for r in rows]

    # ------------------------------------------------------------------ backup
    def backup(self, path: Path) -> Path:
        """Copy the workspace to ``path`` (SQLite online backup; PostgreSQL ``pg_dump`` archive)."""
        path = Path(path)
        try:
            dialect.backup(self.engine, path)
        except (dialect.BackupError, sqlite3.Error, OSError) as exc:
            raise StoreError(_("{where}: backup to {file} failed ({reason})").format(
                where=self.location_text, file=path, reason=exc)) from None
        return path

    def restore(self, path: Path) -> "Store":
        """Replace this workspace with the backup ``path``; returns the reopened store."""
        self.engine.dispose()
        return restore_store(self.url, path)


def _reason(exc: Exception) -> str:
    """The first line of a database error's message."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__


def _aware(t) -> dt.datetime | None:
    if t is None:
        return None
    if isinstance(t, str):
        t = dt.datetime.fromisoformat(t)
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)


def _event_words(ev: dict) -> str:
    """An exit event in words for the audit log's "why"."""
    from dsdash.coverage.presence import exit_event_words
    from dsdash.i18n import language

    with language("en"):  # the audit log is written once, for every reader: English
        return exit_event_words(ev)


def with_exit_events(ds: Dataset, events: pd.DataFrame) -> Dataset:
    """The dataset with recorded exit events applied to its presence (unchanged when there are none)."""
    if events is None or not len(events):
        return ds
    from dsdash.coverage.presence import apply_exit_events
    return ds.with_tables(presence=apply_exit_events(ds.presence, events))


def url_of(path_or_url: str) -> str:
    """A ``--db`` value as a URL: a URL as given, a file path as ``sqlite:///PATH``."""
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser().resolve()}"


__all__ = ["Store", "StoreError", "AddResult", "open_store", "restore_store", "default_url", "default_path",
           "resolve_url", "current_user", "url_of", "SNAPSHOT_COLUMNS", "LOG_COLUMNS"]
