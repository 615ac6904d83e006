"""Imports in a worker process with hard limits: one hostile file never takes the server down.

Every file a user gives (the Upload page, the Trends sub-district scores, ``python -m dsdash
validate/summary/store add/hotspots``) is parsed by :func:`import_files` in a separate process
started with the ``spawn`` method (``concurrent.futures.ProcessPoolExecutor``), under three
limits:

- **wall clock**: :attr:`Limits.seconds` (default 60 s, ``DSDASH_IMPORT_SECONDS``): past it
  the worker is killed and the file refused;
- **CPU**: ``RLIMIT_CPU`` at the same number of seconds (the kernel stops a worker that
  spins even if the parent is stalled);
- **memory**: ``RLIMIT_AS`` at :attr:`Limits.memory_mb` (default 1,536 MB,
  ``DSDASH_IMPORT_MEMORY_MB``): an allocation past it fails in the worker, which reports
  the file as refused.

A refused file gets a report like any other (rows in 0, one error naming the file and the
limit: "this file needs more than 1.5 GB of memory to read; it is refused"), so the callers
need nothing special. The parent (the Streamlit server) only waits on a future: other
sessions keep being served. ``DSDASH_IMPORT_IN_PROCESS=1`` imports in the calling process
(no limits; for debugging).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from dataclasses import dataclass

from dsdash.i18n import _, current
from dsdash.schema import LoadReport, Problem


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """What one import may take: wall-clock (and CPU) seconds, and memory in MB."""

    seconds: float = 60.0
    memory_mb: int = 1536

    @classmethod
    def from_env(cls) -> "Limits":
        """The limits set by ``DSDASH_IMPORT_SECONDS`` and ``DSDASH_IMPORT_MEMORY_MB`` (else the defaults)."""
        return cls(seconds=_env_number("DSDASH_IMPORT_SECONDS", cls.seconds),
                   memory_mb=int(_env_number("DSDASH_IMPORT_MEMORY_MB", cls.memory_mb)))

    @property
    def memory_text(self) -> str:
        """'1.5 GB', '800 MB'."""
        return f"{self.memory_mb / 1024:.3g} GB" if self.memory_mb >= 1024 else f"{self.memory_mb} MB"

    @property
    def seconds_text(self) -> str:
        return f"{self.seconds:g} s"


def _limit(memory_mb: int, seconds: float) -> None:  # runs in the worker, before any file
    import resource

    mem = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    global _CPU_SECONDS
    _CPU_SECONDS = seconds
    os.environ["DSDASH_IMPORT_MEMORY_MB"] = str(int(memory_mb))  # the limit import_file's message names
    os.environ["DSDASH_IMPORT_SECONDS"] = str(seconds)
    _cpu_from_now()


_CPU_SECONDS = 60.0


def _cpu_from_now() -> None:
    """RLIMIT_CPU (soft) at the CPU used so far plus one file's seconds: each file gets its own."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + _CPU_SECONDS) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _work(data: bytes, filename: str, options: dict, memory_text: str, lang: str = "en"):
    """In the worker: import one file in the caller's language (``lang``: its messages are the
    user's); a MemoryError becomes a refusal that names the limit."""
    from dsdash.i18n import language
    from dsdash.importers import import_file, refused

    _cpu_from_now()

    with language(lang):
        try:
            return import_file(data, filename, **options)
        except MemoryError:
            return refused(filename, _("this file needs more than {memory} of memory to read; it is refused")
                           .format(memory=memory_text))


def refused_report(filename: str, reason: str) -> LoadReport:
    rep = LoadReport(file=filename, kind="unknown")
    rep.problems.append(Problem(filename, reason))
    return rep


#: The worker's environment: RLIMIT_AS limits address space, not memory used, and Arrow's jemalloc
#: pool and glibc's per-thread arenas reserve over 1 GB of it that is never touched; with the system
#: allocator and two arenas the address space follows what is used (a reader loaded after Arrow,
#: GDAL, would otherwise fail to map its library).
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}


def _pool(limits: Limits) -> cf.ProcessPoolExecutor:
    for k, v in WORKER_ENV.items():  # read by the spawned worker at its start (the server's own are set already)
        os.environ.setdefault(k, v)
    pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_limit, initargs=(limits.memory_mb, limits.seconds))
    # the worker's start (a new interpreter importing pandas and the readers) is not charged to a file
    pool.submit(_ready).result(timeout=STARTUP_SECONDS)
    return pool


#: Longest a worker may take to start (a loaded machine), not counted in a file's time limit.
STARTUP_SECONDS = 120


def _ready() -> bool:
    import dsdash.importers  # noqa: F401 - what every file needs, loaded before the clock starts

    return True


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            p.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def import_files(files: list[tuple[bytes, str]], limits: Limits | None = None, **options) -> list:
    """Import each ``(bytes, name)`` in a worker process under ``limits`` (default
    :meth:`Limits.from_env`); the same options as :func:`dsdash.importers.import_file`.
    Returns one :class:`~dsdash.importers.ImportResult` per file, in order; never raises on
    bad input. One worker serves the files in turn; a worker killed by a limit is replaced.

    Example:
        >>> data = b"Place ID,Governorate,Location name,Families,Individuals\\n1,Anbar,Kilo 7,10,60\\n"
        >>> [r.report.rows_accepted for r in import_files([(data, "ml_2024-04-30.csv")], population_group="idp")]
        [1]
    """
    from dsdash.importers import import_file, refused

    limits = limits or Limits.from_env()
    if os.environ.get("DSDASH_IMPORT_IN_PROCESS") == "1":
        return [import_file(d, n, **options) for d, n in files]
    lang = current()  # the worker speaks the caller's language
    out = []
    pool = None
    try:
        for data, name in files:
            if pool is None:
                pool = _pool(limits)
            fut = pool.submit(_work, data, name, options, limits.memory_text, lang)
            try:
                out.append(fut.result(timeout=limits.seconds))
                continue
            except cf.TimeoutError:
                why = _too_long(limits)
            except cf.process.BrokenProcessPool:
                why = _too_much(limits)
            except MemoryError:
                why = _("this file needs more than {memory} of memory to read; it is refused").format(
                    memory=limits.memory_text)
            _kill(pool)
            pool = None
            out.append(refused(name, why))
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return out


def import_one(data: bytes, filename: str, limits: Limits | None = None, **options):
    """:func:`import_files` for one file."""
    return import_files([(data, filename)], limits, **options)[0]


def call_in_worker(fn, *args, limits: Limits | None = None):
    """``fn(*args)`` (a module-level function) in a worker under ``limits``; raises
    :class:`LimitExceeded` with the message for the user when a limit is hit."""
    limits = limits or Limits.from_env()
    if os.environ.get("DSDASH_IMPORT_IN_PROCESS") == "1":
        return fn(*args)
    pool = _pool(limits)
    try:
        fut = pool.submit(_in_language, current(), fn, *args)
        try:
            return fut.result(timeout=limits.seconds)
        except cf.TimeoutError:
            _kill(pool)
            raise LimitExceeded(_too_long(limits)) from None
        except (cf.process.BrokenProcessPool, MemoryError):
            _kill(pool)
            raise LimitExceeded(_too_much(limits)) from None
    finally:
        pool.shutdown(wait=False)


def _in_language(lang: str, fn, *args):
    """In the worker: ``fn(*args)`` in the caller's language."""
    from dsdash.i18n import language

    with language(lang):
        return fn(*args)


def _too_long(limits: Limits) -> str:
    return _("reading this file takes more than {seconds}; it is refused").format(seconds=limits.seconds_text)


def _too_much(limits: Limits) -> str:
    return _("reading this file needs more than {seconds} of processing or {memory} of memory; it is refused") \
        .format(seconds=limits.seconds_text, memory=limits.memory_text)


class LimitExceeded(ValueError):
    """A worker hit a limit; the message is for the user."""


def read_subdistricts(data: bytes, filename: str, limits: Limits | None = None):
    """:func:`dsdash.importers.subdistricts.read_subdistrict_file` in a worker under ``limits``
    (the Trends page's uploader and ``python -m dsdash hotspots FILE``): ``(rows, report)``."""
    import pandas as pd

    from dsdash.importers.subdistricts import KIND, read_subdistrict_file
    from dsdash.schema import SUBDISTRICT_SEVERITY

    try:
        return call_in_worker(read_subdistrict_file, data, filename, limits=limits)
    except LimitExceeded as exc:
        rep = refused_report(filename, str(exc))
        rep.kind = KIND
        return pd.DataFrame(columns=SUBDISTRICT_SEVERITY.column_names), rep
