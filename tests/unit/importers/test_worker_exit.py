"""A killed import worker leaves no thread of its executor running (the command line exits right after).

concurrent.futures' manager thread closes its wake-up pipe as it ends; if it is still ending when the
interpreter exits, the exit hook writes to that pipe and Python prints "Exception ignored … OSError:
[Errno 9] Bad file descriptor" with a traceback on stderr (seen once in the hostile-file tests: a
200,000-row workbook refused for its time limit on a loaded machine). ``worker._kill`` waits for the
thread, so nothing of a killed worker is left when the call returns.
"""

from __future__ import annotations

import threading
import time

import pytest

from dsdash.importers.worker import Limits, LimitExceeded, call_in_worker, shutdown_idle


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("DSDASH_IMPORT_IN_PROCESS", raising=False)
    shutdown_idle()
    yield
    shutdown_idle()


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
