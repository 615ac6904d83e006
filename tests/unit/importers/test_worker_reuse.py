"""The import worker is kept between calls (its start, ~0.5 s, is paid once), and replaced whenever it hit
a limit: killed past its time (and gone, not hung), past its memory, or found dead while idle. Results
through a reused worker are the same as in the calling process."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from dsdash.importers import import_file
from dsdash.importers.worker import Limits, LimitExceeded, call_in_worker, import_files, shutdown_idle

FILE = ("Place ID,Governorate,Location name,Date,Families,Individuals\n"
        "1,Anbar,Kilo 7,\"Apr 30, 2019\",10,60\n"
        "2,Ninewa,Hay A,not a date,7,42\n"
        "3,Anbar,Kilo 9,30/04/2019,x,30\n").encode()
NAME = "IDP_master_list_2019-04-30.csv"
LIMITS = Limits(seconds=60, memory_mb=1536)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("DSDASH_IMPORT_IN_PROCESS", raising=False)
    shutdown_idle()
    yield
    shutdown_idle()


def _pid(limits=LIMITS) -> int:
    return call_in_worker(os.getpid, limits=limits)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie is gone too (not running), but _kill joins its process, so none should be left
    with open(f"/proc/{pid}/status") as fh:
        return any(line.startswith("State:") and "Z" in line for line in fh)


def _summary(res):
    return [(r.rows_in, r.rows_accepted, r.rows_rejected, [(p.level, p.row, p.column, p.reason) for p in r.problems])
            for r in res.reports], {k: v.to_dict("list") for k, v in res.tables.items()}


def test_one_worker_serves_call_after_call_with_the_same_results():
    first = _pid()
    a = import_files([(FILE, NAME)], LIMITS)[0]
    b = import_files([(FILE, NAME)], LIMITS)[0]
    assert _pid() == first  # the same process: not started again
    assert _summary(a) == _summary(b) == _summary(import_file(FILE, NAME))
    assert a.report.rows_in == 3 and a.report.rows_accepted == 2


def test_a_worker_killed_by_the_time_limit_is_gone_and_replaced():
    quick = Limits(seconds=1, memory_mb=1536)
    before = _pid(quick)
    t = time.monotonic()
    with pytest.raises(LimitExceeded, match="more than 1 s"):
        call_in_worker(time.sleep, 30, limits=quick)
    assert time.monotonic() - t < 10
    assert _gone(before)  # killed and reaped: no hung worker left behind
    after = _pid(quick)
    assert after != before
    assert import_files([(FILE, NAME)], quick)[0].report.rows_accepted == 2


def test_a_worker_past_its_memory_is_replaced():
    small = Limits(seconds=60, memory_mb=900)
    before = _pid(small)
    with pytest.raises(LimitExceeded, match="900 MB"):
        call_in_worker(bytearray, 2 * 1024**3, limits=small)
    assert _pid(small) != before


def test_a_worker_that_died_while_idle_is_replaced_without_costing_a_file():
    before = _pid()
    os.kill(before, signal.SIGKILL)
    time.sleep(0.5)
    res = import_files([(FILE, NAME)], LIMITS)[0]
    assert res.report.rows_accepted == 2, res.report.problems
    assert _pid() != before


def test_a_worker_that_caught_a_memory_error_takes_no_other_file():
    before = _pid()
    # the worker's own flag, as import_file sets it when it catches a MemoryError
    assert call_in_worker(_flag_then_pid, limits=LIMITS) == before
    assert _pid() != before


def _flag_then_pid() -> int:
    from dsdash.importers.worker import note_memory_error

    note_memory_error()
    return os.getpid()


# A killed import worker leaves no thread of its executor running (the command line exits right after):
# concurrent.futures' manager thread closes its wake-up pipe as it ends; if it is still ending when the
# interpreter exits, the exit hook writes to that pipe and Python prints "Exception ignored … OSError:
# [Errno 9] Bad file descriptor" with a traceback on stderr (seen once in the hostile-file tests: a
# 200,000-row workbook refused for its time limit on a loaded machine). worker._kill waits for the thread.


def _managers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.is_alive() and "ExecutorManager" in type(t).__name__]


def test_a_worker_killed_for_its_time_leaves_no_executor_thread_running():
    before = len(_managers())
    with pytest.raises(LimitExceeded):
        call_in_worker(time.sleep, 30, limits=Limits(seconds=1, memory_mb=1536))
    assert len(_managers()) == before  # the killed worker's manager thread is gone, not ending in the background


def test_idle_workers_ended_at_exit_leave_no_executor_thread_running():
    assert call_in_worker(sum, [1, 2, 3], limits=Limits(seconds=30, memory_mb=1536)) == 6
    assert _managers()  # the kept worker's executor
    shutdown_idle()
    assert not _managers()
