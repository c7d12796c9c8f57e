"""monitor/budget.py: heavy exports one at a time per session, at most MAX_IN_PROCESS at once in
a process, made in a worker process (not on the server's interpreter), small ones unchanged.
(The same budget through a running server, with a bystander's page: tests/test_serve.py.)"""

from __future__ import annotations

import functools
import os
import threading

import pandas as pd
import pytest

from monitor import budget, export
from monitor.i18n import tr


def held(release: threading.Event, started: threading.Event) -> bytes:
    """A file maker that takes as long as the test wants."""
    started.set()
    release.wait(10)
    return b"file"


def start_held(session: str) -> tuple[threading.Thread, threading.Event, list]:
    """A heavy file for `session` being made on a thread until the returned event is set."""
    release, started, out = threading.Event(), threading.Event(), []
    make = functools.partial(held, release, started)
    thread = threading.Thread(target=lambda: out.append(
        budget.run_heavy(make, session, "nl", in_worker=False)))
    thread.start()
    assert started.wait(10)
    return thread, release, out


def test_a_second_heavy_export_of_a_session_is_refused_while_its_first_is_made():
    thread, release, out = start_held("s1")
    try:
        with pytest.raises(budget.ExportRefused) as refused:
            budget.run_heavy(lambda: b"x", "s1", "nl", in_worker=False)
        assert str(refused.value) == tr("export_busy_session", "nl")
        assert budget.take_refusal("s1") == tr("export_busy_session", "nl")  # for the browser
        assert budget.take_refusal("s1") is None
        # another session is not held up by it
        assert budget.run_heavy(lambda: b"y", "s2", "en", in_worker=False) == b"y"
    finally:
        release.set()
        thread.join()
    assert out == [b"file"]
    # once the first is made, the session may ask again
    assert budget.run_heavy(lambda: b"z", "s1", "nl", in_worker=False) == b"z"
    assert budget.in_process() == 0


def test_at_most_max_in_process_heavy_exports_at_once():
    held_ones = [start_held(f"h{i}") for i in range(budget.MAX_IN_PROCESS)]
    try:
        assert budget.in_process() == budget.MAX_IN_PROCESS
        with pytest.raises(budget.ExportRefused) as refused:
            budget.run_heavy(lambda: b"x", "late", "en", in_worker=False)
        assert str(refused.value) == tr("export_busy_server", "en")
        budget.take_refusal("late")
    finally:
        for thread, release, _ in held_ones:
            release.set()
            thread.join()
    assert budget.in_process() == 0
    assert budget.run_heavy(lambda: b"x", "late", "en", in_worker=False) == b"x"


def test_a_heavy_export_is_made_in_another_process_and_a_small_one_is_not(lib):
    assert budget.run_heavy(functools.partial(os.getpid), "p", "nl") != os.getpid()
    frame = pd.DataFrame({"region_code": ["GM0363"] * budget.HEAVY_ROWS, "value": 1.5})
    heavy = budget.budgeted(export.file_maker("csv", frame, [], "nl"), len(frame), "p", "nl")
    data = heavy()
    assert data.count(b"GM0363") == budget.HEAVY_ROWS  # the whole file came back
    small = export.file_maker("csv", frame.head(10), [], "nl")
    assert budget.budgeted(small, 10, "p", "nl") is small
    assert budget.budgeted(small, budget.HEAVY_ROWS, None, "nl") is small  # no session
