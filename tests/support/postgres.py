"""A throwaway PostgreSQL server for the store tests: ``initdb`` + ``pg_ctl`` on a Unix socket in a
temp dir, stopped at the end of the session.

Debian's ``postgresql`` package puts its binaries in ``/usr/lib/postgresql/<version>/bin`` (some
machines link them onto the PATH). ``initdb`` refuses to run as root: as root the cluster is made
and run as the ``postgres`` user (``runuser -u postgres --``) in a temp dir it owns. No TCP port is
opened (``listen_addresses=''``); the port number only names the socket file. Each pytest-xdist worker
(``make test`` runs two) starts its own server in its own temp dir, on a port number of its own.

When the binaries are absent the tests that need the server are skipped with the reason, unless
``DSDASH_REQUIRE_POSTGRES`` is set (CI), where that is a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

def _port() -> int:
    """54329, plus the pytest-xdist worker's number (gw0, gw1 ...) when the suite runs in workers."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return 54329 + (int(worker[2:]) if worker[2:].isdigit() else 0)


PORT = _port()
_names = itertools.count(1)


def pg_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: on the PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / "initdb").exists() and (d / "pg_ctl").exists():
            return d
    return None


@dataclass
class PostgresServer:
    root: Path
    bin_dir: Path
    as_user: list[str]

    @property
    def socket_dir(self) -> str:
        return str(self.root)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={PORT}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=self.socket_dir, port=PORT, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = f"dsdash_test_{os.getpid()}_{next(_names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run(self, *cmd: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, text=True, timeout=120, **kw)


def start_server() -> PostgresServer:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("initdb/pg_ctl not found (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="dsdash-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(root, bin_dir, as_user)
    data = root / "data"
    quiet = ["--no-instructions"] if _has_no_instructions(bin_dir) else []
    server.run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
               "--no-sync", *quiet)
    opts = f"-k {root} -p {PORT} -c listen_addresses='' -c fsync=off -c synchronous_commit=off " \
           f"-c full_page_writes=off -c max_connections=60"
    server.run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "server.log"), "-w", "start")
    return server


def _has_no_instructions(bin_dir: Path) -> bool:
    out = subprocess.run([str(bin_dir / "initdb"), "--help"], capture_output=True, text=True).stdout
    return "--no-instructions" in out


def stop_server(server: PostgresServer) -> None:
    try:
        server.run(str(server.bin_dir / "pg_ctl"), "-D", str(server.root / "data"), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """The session's PostgreSQL server (skipped when the binaries are absent, unless DSDASH_REQUIRE_POSTGRES)."""
    if pg_bin_dir() is None:
        reason = "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql"
        if os.environ.get("DSDASH_REQUIRE_POSTGRES"):
            pytest.fail(reason + " (DSDASH_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    server = start_server()
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's server, dropped after the test."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)
