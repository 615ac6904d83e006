"""Everything engine-specific, in one place: SQLite (the embedded default) and PostgreSQL.

- :func:`make_engine`: SQLite in WAL mode with foreign keys and a busy timeout; Python's sqlite3
  driver left out of transaction control so that ``BEGIN`` (reads: a consistent snapshot) and
  ``BEGIN IMMEDIATE`` (writes: the write lock first, so two writers queue instead of failing)
  are ours. PostgreSQL through psycopg 3, with pre-ping.
- :func:`write_lock`: what a write transaction does first (PostgreSQL: an advisory transaction
  lock; SQLite: nothing more, ``BEGIN IMMEDIATE`` holds the lock).
- :func:`read_options`: readers see one consistent state (PostgreSQL REPEATABLE READ; SQLite's
  WAL read transaction already is one).
- :func:`bulk_insert`: rows of a snapshot in one go (sqlite3 ``executemany``; PostgreSQL ``COPY``).
- :func:`backup` / :func:`restore`: the SQLite online backup API; ``pg_dump`` / ``pg_restore``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from dsdash.i18n import _
import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: How long a SQLite writer waits for another's lock before giving up (ms).
BUSY_TIMEOUT_MS = 30_000
#: The advisory lock key of dsdash writers on PostgreSQL ("dsdash" in ASCII, truncated).
PG_LOCK_KEY = 0x647364617368
#: Execution option that makes a SQLite transaction begin IMMEDIATE.
WRITE = "dsdash_write"


class BackupError(Exception):
    """A backup or restore could not be made (the message says why)."""


def is_sqlite(url) -> bool:
    return make_url(str(url)).get_backend_name() == "sqlite"


def sqlite_path(url) -> Path | None:
    u = make_url(str(url))
    return Path(u.database) if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:") \
        else None


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` (``sqlite:///PATH`` or ``postgresql+psycopg://…``)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        eng = sa.create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None,
                                                "check_same_thread": False})

        @sa.event.listens_for(eng, "connect")
        def _connect(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()
            if mode and str(mode[0]).lower() != "wal":  # pragma: no cover - a read-only or odd file system
                raise sqlite3.OperationalError(f"WAL mode could not be set (journal mode {mode[0]})")

        @sa.event.listens_for(eng, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return eng
    if u.get_backend_name() == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        return sa.create_engine(u, pool_pre_ping=True, pool_size=5, max_overflow=5)
    raise ValueError(_("unsupported database URL (use sqlite:///PATH or postgresql+psycopg://…): {url}").format(
        url=repr(u)))


def read_options(engine: sa.Engine) -> dict:
    """Execution options of a reading connection: one consistent state across its queries."""
    return {} if engine.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}


def write_lock(conn: sa.Connection) -> None:
    """Take the writers' lock in the current transaction (released at commit or rollback)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})


def bulk_insert(conn: sa.Connection, table: sa.Table, columns: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``, None for missing) into ``table``."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cols = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
        name = conn.dialect.identifier_preparer.format_table(table)
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        return
    if conn.dialect.name == "sqlite":
        q = conn.dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {q(table.name)} ({', '.join(q(c) for c in columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        conn.exec_driver_sql(sql, rows)
        return
    conn.execute(table.insert(), [dict(zip(columns, r)) for r in rows])  # pragma: no cover


def _libpq_url(url) -> str:
    u = make_url(str(url)).set(drivername="postgresql")
    return u.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return str(d / name)
    raise BackupError(_("{name} is not installed (Debian package postgresql-client)").format(name=name))


def backup(engine: sa.Engine, dest: Path) -> None:
    """Write a copy of the database to ``dest``: a SQLite file (online backup API, safe while
    others read and write) or a ``pg_dump`` custom-format archive."""
    dest = Path(dest)
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(dest)
            try:
                raw.driver_connection.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
        return
    run = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dest}",
                          f"--dbname={_libpq_url(engine.url)}"], capture_output=True, text=True)
    if run.returncode:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")


def restore(engine: sa.Engine, src: Path) -> None:
    """Replace the database's content with the backup ``src`` (made by :func:`backup`)."""
    src = Path(src)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        try:
            raw = engine.raw_connection()
            try:
                source.backup(raw.driver_connection)
            finally:
                raw.close()
        finally:
            source.close()
        return
    engine.dispose()
    run = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                          f"--dbname={_libpq_url(engine.url)}", str(src)], capture_output=True, text=True,
                         env={**os.environ, "PGOPTIONS": "--client-min-messages=warning"})
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()}")


def redacted(url) -> str:
    """The URL without its password (shown in the app and in messages)."""
    return make_url(str(url)).render_as_string(hide_password=True)
