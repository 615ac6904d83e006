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

**Workers are kept between imports.** Starting one (a new interpreter importing pandas and the
readers) costs about half a second, more than a typical file's parse; so a worker that finished
a file in good health waits, idle, for the next call (at most :data:`KEEP_IDLE` per set of
limits, each call taking one for itself: concurrent sessions never queue behind each other's
files, so a file's time limit is its own). A worker is replaced, never reused, when it hit a
limit (killed past its time, crashed past its CPU or memory, or a ``MemoryError`` caught inside),
when its address space grew past :data:`GROWTH_MB` over its start (``RLIMIT_AS`` counts address
space: the next file gets the headroom a new worker would have), after :data:`MAX_JOBS` files, or
when its process is gone. A killed worker is joined: nothing hung is left behind.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import multiprocessing
import os
import threading
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

    with language(lang):
        try:
            return import_file(data, filename, **options)
        except MemoryError:
            note_memory_error()
            return refused(filename, _("this file needs more than {memory} of memory to read; it is refused")
                           .format(memory=memory_text))


#: In the worker: whether a MemoryError was caught during the current file (then the worker is replaced).
_MEMORY_HIT = False
#: In the worker: its address space (VmSize, MB) once ready, before any file.
_START_VM_MB = 0.0


def note_memory_error() -> None:
    """Called where a MemoryError is caught in the worker (:func:`dsdash.importers.import_file`):
    the worker reports itself unfit for another file."""
    global _MEMORY_HIT
    _MEMORY_HIT = True


def _vm_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _trim() -> None:
    """Give the freed heap back to the system (glibc), so that the address space follows what is used."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _job(fn, args: tuple) -> tuple:
    """In the worker: ``fn(*args)`` with a fresh CPU limit, then ``(value, fit)``: ``fit`` says whether
    this worker may take another file (no MemoryError caught, address space not grown past
    :data:`GROWTH_MB` over its start)."""
    global _MEMORY_HIT
    _MEMORY_HIT = False
    _cpu_from_now()
    value = fn(*args)
    _trim()
    fit = not _MEMORY_HIT and (_vm_mb() - _START_VM_MB) <= GROWTH_MB
    return value, fit


def refused_report(filename: str, reason: str) -> LoadReport:
    rep = LoadReport(file=filename, kind="unknown")
    rep.problems.append(Problem(filename, reason))
    return rep


#: The worker's environment: RLIMIT_AS limits address space, not memory used, and Arrow's jemalloc
#: pool and glibc's per-thread arenas reserve over 1 GB of it that is never touched; with the system
#: allocator and two arenas the address space follows what is used (a reader loaded after Arrow,
#: GDAL, would otherwise fail to map its library).
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}


class _CannotStart(MemoryError):
    """A worker could not load its readers under its limits: every file is refused as too big."""


def _pool(limits: Limits) -> cf.ProcessPoolExecutor:
    """A new worker under ``limits``, started (its imports done) before it is given a file."""
    for k, v in WORKER_ENV.items():  # read by the spawned worker at its start (the server's own are set already)
        os.environ.setdefault(k, v)
    pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_limit, initargs=(limits.memory_mb, limits.seconds))
    # the worker's start (a new interpreter importing pandas and the readers) is not charged to a file
    try:
        pool.submit(_ready).result(timeout=STARTUP_SECONDS)
    except (ImportError, MemoryError, OSError, cf.process.BrokenProcessPool) as err:
        # the readers themselves do not fit under the memory limit (a library that cannot be mapped)
        _kill(pool)
        raise _CannotStart(str(err)) from None
    pool._dsdash_jobs = 0  # files served, for MAX_JOBS
    return pool


#: Longest a worker may take to start (a loaded machine), not counted in a file's time limit.
STARTUP_SECONDS = 120
#: Idle workers kept per set of limits (each holds an interpreter with pandas loaded, ~150 MB).
KEEP_IDLE = 2
#: Files one worker serves before it is replaced.
MAX_JOBS = 200
#: A worker whose address space grew more than this (MB) over its start is replaced (a worker's first files
#: of each kind add about 60-90 MB of it that stays: Arrow's threads, readers loaded on first use).
GROWTH_MB = 128


#: Read once by a new worker before its first file: what a CSV import loads lazily (Arrow's kernels, the
#: date parsers) is loaded before the worker's address space is taken as its start.
_WARM_UP = (b"Place ID,Governorate,Location name,Date,Families,Individuals\n"
            b"1,Anbar,Kilo 7,\"Apr 30, 2019\",10,60\n2,Ninewa,Hay A,30/04/2019,7,42\n")


def _ready() -> bool:
    import dsdash.importers  # what every file needs, loaded before the clock starts
    import python_calamine  # noqa: F401 - the XLSX reader

    dsdash.importers.import_file(_WARM_UP, "warm_up_2019-04-30.csv", population_group="idp")
    _trim()
    global _START_VM_MB
    _START_VM_MB = _vm_mb()
    return True


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    """Kill the worker and wait for it to be gone (nothing hung left behind)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    for p in procs:
        try:
            p.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(timeout=5)
        except Exception:  # noqa: BLE001 - already reaped
            pass
    # and the executor's manager thread gone too: left running, it closes its wake-up pipe while the
    # interpreter's exit writes to it (concurrent.futures' _python_exit: "OSError: Bad file descriptor"
    # printed on stderr after a file refused for its time limit, just before the command line exits)
    if manager is not None and manager.is_alive():
        manager.join(timeout=5)


_IDLE: dict[Limits, list[cf.ProcessPoolExecutor]] = {}
_IDLE_LOCK = threading.Lock()


def _alive(pool: cf.ProcessPoolExecutor) -> bool:
    procs = list((getattr(pool, "_processes", None) or {}).values())
    return (not getattr(pool, "_broken", False) and not getattr(pool, "_shutdown_thread", False)
            and len(procs) == 1 and procs[0].is_alive())


def _checkout(limits: Limits) -> cf.ProcessPoolExecutor:
    """An idle worker under ``limits`` for this call alone, else a new one."""
    while True:
        with _IDLE_LOCK:
            idle = _IDLE.get(limits)
            pool = idle.pop() if idle else None
        if pool is None:
            return _pool(limits)  # outside the lock: other calls are not held up by a start
        if _alive(pool):
            return pool
        _kill(pool)


def _checkin(limits: Limits, pool: cf.ProcessPoolExecutor, fit: bool) -> None:
    """Keep a worker that finished in good health for the next call; otherwise end it."""
    pool._dsdash_jobs = getattr(pool, "_dsdash_jobs", 0) + 1
    if fit and pool._dsdash_jobs < MAX_JOBS and _alive(pool):
        with _IDLE_LOCK:
            idle = _IDLE.setdefault(limits, [])
            if len(idle) < KEEP_IDLE:
                idle.append(pool)
                return
    _kill(pool)  # ended and joined, its executor thread too (see _kill)


def _run(pool: cf.ProcessPoolExecutor, limits: Limits, fn, *args):
    """``fn(*args)`` in the worker under ``limits``: ``(value, fit)``; raises ``cf.TimeoutError`` or
    ``BrokenProcessPool``/``MemoryError`` as the limits are hit (the caller kills the worker)."""
    return pool.submit(_job, fn, args).result(timeout=limits.seconds)


def shutdown_idle() -> None:
    """End every idle worker (at exit; tests)."""
    with _IDLE_LOCK:
        pools = [p for idle in _IDLE.values() for p in idle]
        _IDLE.clear()
    for pool in pools:
        _kill(pool)


atexit.register(shutdown_idle)


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
    for data, name in files:
        try:
            pool = _checkout(limits)
        except _CannotStart:
            out.append(refused(name, _too_much(limits)))
            continue
        try:
            res, fit = _run(pool, limits, _work, data, name, options, limits.memory_text, lang)
        except cf.TimeoutError:
            why = _too_long(limits)
        except cf.process.BrokenProcessPool:
            why = _too_much(limits)
        except MemoryError:
            why = _("this file needs more than {memory} of memory to read; it is refused").format(
                memory=limits.memory_text)
        except BaseException:
            _kill(pool)
            raise
        else:
            _checkin(limits, pool, fit)
            out.append(res)
            continue
        _kill(pool)
        out.append(refused(name, why))
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
    try:
        pool = _checkout(limits)
    except _CannotStart:
        raise LimitExceeded(_too_much(limits)) from None
    try:
        value, fit = _run(pool, limits, _in_language, current(), fn, *args)
    except cf.TimeoutError:
        _kill(pool)
        raise LimitExceeded(_too_long(limits)) from None
    except (cf.process.BrokenProcessPool, MemoryError):
        _kill(pool)
        raise LimitExceeded(_too_much(limits)) from None
    except BaseException:  # fn's own exception (it came back through the pipe: the worker is sound, but
        _kill(pool)        # what it left behind is unknown) - not reused
        raise
    _checkin(limits, pool, fit)
    return value


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
