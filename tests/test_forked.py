"""Workers forked ahead (briefs.build.forked): the first gets ready, then forks the others.

Real processes and pipes throughout; the calls sent are small functions of this module (a
forked worker finds them in its copy of the module), so each property is seen directly: who
answered, who forked whom, what a dead worker does to the calls in flight.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from briefs.build.batch import Job, Outcome
from briefs.build.forked import DrawingAhead

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
READY: list[int] = []  # set by `_ready` in the first worker, before it forks the others


def _ready() -> None:
    READY.append(os.getpid())


def _who(item: int) -> tuple[int, int, int, list[int]]:
    return item, os.getpid(), os.getppid(), list(READY)


def _frozen(_: object) -> int:
    import gc

    return gc.get_freeze_count()


def _dies_at_three(item: int) -> int:
    if item == 3:
        os._exit(7)
    if item == 0:
        time.sleep(0.5)
    return item * 10


def test_the_forker_gets_ready_then_forks_the_workers_and_each_call_runs_once() -> None:
    with DrawingAhead(workers=3, ready=_ready) as pool:
        answers = [future.result() for _, future in pool.completed(_who, range(12))]
    assert sorted(item for item, *_ in answers) == list(range(12))
    pids = {pid for _, pid, _, _ in answers}
    assert len(pids) == 3 and not pids & {os.getpid(), pool.pid}
    # the workers are children of the forker, forked after it got ready (they inherit READY)
    assert {parent for _, _, parent, _ in answers} == {pool.pid}
    assert all(ready == [pool.pid] for *_, ready in answers)
    assert READY == []  # never run in this process
    assert os.WIFEXITED(pool.status) and os.WEXITSTATUS(pool.status) == 0


def test_a_worker_that_dies_fails_its_call_at_once_and_the_others_go_on() -> None:
    """The second worker dies on item 3 while the first sleeps on item 0: the death is
    known at once (no other process holds the dead one's pipe open), the first draws the
    rest, and the forker ends with the dead one's status."""
    with DrawingAhead(workers=2, ready=_ready) as pool:
        results = {}
        for item, future in pool.completed(_dies_at_three, [0, 3, 1, 2, 4, 5]):
            try:
                results[item] = future.result()
            except ChildProcessError as exc:
                results[item] = str(exc)
    assert next(iter(results)) == 3  # the first answer, before item 0's
    assert "ended without an answer" in results.pop(3)
    assert results == {i: i * 10 for i in (0, 1, 2, 4, 5)}
    assert os.WIFEXITED(pool.status) and os.WEXITSTATUS(pool.status) == 7


def test_when_every_worker_has_died_the_calls_left_fail_rather_than_hang() -> None:
    with DrawingAhead(workers=1, ready=_ready) as pool:
        failed = []
        for item, future in pool.completed(_dies_at_three, [3, 1, 2]):
            with pytest.raises(ChildProcessError):
                future.result()
            failed.append(item)
    assert failed == [3, 1, 2]


def test_workers_sent_nothing_are_killed_with_the_first(tmp_path: Path) -> None:
    """No brief to draw: the forker is killed, and the workers end with it."""
    from test_safe_files import alive, descendants

    with DrawingAhead(workers=3, ready=_ready) as pool:
        for _ in range(200):  # until the forker has forked the three
            if len(forked := descendants(pool.pid)) == 3:
                break
            time.sleep(0.01)
    assert len(forked) == 3
    assert os.WIFSIGNALED(pool.status) and os.WTERMSIG(pool.status) == signal.SIGKILL
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in forked) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in forked)


def _fake_render(job: Job) -> Outcome:
    """Stands in for drawing: the process machinery is what is under test."""
    if job.brief.donor.code == "KOR" and job.brief.edition == 2017:
        os._exit(9)
    return Outcome(job.brief.donor.code, job.brief.edition, job.path, "built")


def test_a_brief_whose_worker_died_fails_as_a_bug_and_the_others_are_built(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefs.build import run
    from briefs.build.batch import plan_builds

    jobs = plan_builds(project, body=False, every_edition=True, skip_current=False).jobs
    assert len(jobs) >= 3
    monkeypatch.setattr(run, "render_job", _fake_render)  # the forked workers see it too
    with DrawingAhead(workers=2, ready=_ready) as pool:
        outcomes = {job.path: outcome for job, outcome in run._submitted(pool, jobs)}
    [dead] = [o for o in outcomes.values() if (o.code, o.edition) == ("KOR", 2017)]
    assert dead.status == "failed" and dead.exit_status == 1 and dead.bug is not None
    assert "KOR 2017: ChildProcessError" in dead.bug.summary
    assert len(outcomes) == len(jobs)
    assert [o.status for o in outcomes.values()].count("built") == len(jobs) - 1


@pytest.mark.parametrize("workers", [2, 1])
def test_what_the_forker_imported_is_frozen_in_the_workers(workers: int) -> None:
    """The objects of the imports are out of the cycle collector's sight in every worker
    (gc.freeze before the fork), and in the forker drawing one brief itself: no collection
    walks them again (the first one walked them all: ~40 ms of a cold one-brief build)."""
    import gc

    before = gc.get_freeze_count()
    with DrawingAhead(workers=workers, ready=_ready) as pool:
        frozen = [future.result() for _, future in pool.completed(_frozen, range(4))]
    assert min(frozen) > 10_000  # this process's objects, which the forker holds too
    assert gc.get_freeze_count() == before  # this process's collector untouched


def test_workers_whose_pipe_closes_end_silently(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's ends of the pipes closed while the forker still lives (the command
    ended, or killed the forker whose death has yet to reach them): the workers end at
    once, with nothing on the error stream; a closed pipe is not a bug."""
    from test_safe_files import alive, descendants

    said = tmp_path / "stderr"
    kept = os.dup(2)
    try:
        with said.open("w", buffering=1) as stream:  # line by line, as sys.stderr writes
            os.dup2(stream.fileno(), 2)  # the workers' error stream, as fd and as sys.stderr
            monkeypatch.setattr(sys, "stderr", stream)
            with DrawingAhead(workers=2, ready=_ready) as pool:
                for _ in range(200):  # until the forker has forked the two
                    if len(forked := descendants(pool.pid)) == 2:
                        break
                    time.sleep(0.01)
                for index, end in enumerate(pool._calls):
                    os.close(end)
                    pool._calls[index] = os.open(os.devnull, os.O_WRONLY)  # closed at the end
                deadline = time.monotonic() + 10
                while any(alive(pid) for pid in forked) and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert not any(alive(pid) for pid in forked)
    finally:
        os.dup2(kept, 2)
        os.close(kept)
    assert said.read_text() == ""


def _sleeps_at_zero(item: int) -> tuple[int, int]:
    if item == 0:
        time.sleep(0.5)
    return item, os.getpid()


def test_each_worker_is_sent_its_next_call_while_it_draws(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers, six calls: four are in the pipes before the first answer is read (a
    worker never waits for this process to read an answer and send the next call)."""
    from briefs.build import forked

    events: list[str] = []
    write, receive = forked._write, forked._receive
    with DrawingAhead(workers=2, ready=_ready) as pool:
        monkeypatch.setattr(forked, "_write", lambda fd, data: (events.append("call"),
                                                                 write(fd, data))[1])
        monkeypatch.setattr(forked, "_receive", lambda fd: (events.append("answer"),
                                                            receive(fd))[1])
        answers = [f.result() for _, f in pool.completed(_sleeps_at_zero, range(6))]
    assert sorted(item for item, _ in answers) == list(range(6))
    assert events[:5] == ["call"] * 4 + ["answer"]


def test_the_last_calls_go_to_a_free_worker_not_behind_a_long_one() -> None:
    """Item 0 takes half a second: item 2, the last, is not queued behind it but drawn by
    the other worker as soon as it is free."""
    with DrawingAhead(workers=2, ready=_ready) as pool:
        answers = [f.result() for _, f in pool.completed(_sleeps_at_zero, range(3))]
    assert [item for item, _ in answers] == [1, 2, 0]
    assert answers[0][1] == answers[1][1] != answers[2][1]


UNPICKLED: list[str] = []  # in a worker: each Kept made there


def _made(text: str) -> Kept:
    UNPICKLED.append(text)
    return Kept(text)


class Kept:
    """A value every call holds, that notes each time a process unpickles it."""

    def __init__(self, text: str):
        self.text = text

    def __reduce__(self) -> tuple:
        return _made, (self.text,)


def _uses(pair: tuple[int, Kept]) -> tuple[int, int, str, int]:
    item, kept = pair
    return item, os.getpid(), kept.text, len(UNPICKLED)


def test_a_kept_value_is_sent_to_each_worker_once() -> None:
    """Ten calls share one value of a `keep` type: each worker unpickles it once, and every
    call sees it; a value of another type (the second, not kept) is sent with each call."""
    shared, other = Kept("layout"), Kept("other")
    with DrawingAhead(workers=2, ready=_ready) as pool:
        got = [f.result() for _, f in pool.completed(
            _uses, [(i, shared) for i in range(10)], keep=(Kept,))]
    assert {text for _, _, text, _ in got} == {"layout"}
    assert len({pid for _, pid, _, _ in got}) == 2
    assert {made for *_, made in got} == {1}  # once per worker: its first call
    with DrawingAhead(workers=2, ready=_ready) as pool:
        got = [f.result() for _, f in pool.completed(_uses, [(i, other) for i in range(10)])]
    assert sorted(made for *_, made in got) != [1] * 10  # not kept: unpickled each call


def _dies_late_at_zero(item: int) -> int:
    if item == 0:
        time.sleep(0.3)
        os._exit(7)
    return item * 10


def test_a_call_a_dead_worker_had_yet_to_start_is_drawn_by_a_worker_that_was_free() -> None:
    """The first worker holds items 0 and 2 and dies on 0 once the second has drawn 1 and 3
    and has nothing left: the second was not sent away, and draws item 2."""
    with DrawingAhead(workers=2, ready=_ready) as pool:
        results = {}
        for item, future in pool.completed(_dies_late_at_zero, range(4)):
            try:
                results[item] = future.result()
            except ChildProcessError as exc:
                results[item] = str(exc)
    assert "ended without an answer" in results.pop(0)
    assert results == {1: 10, 2: 20, 3: 30}
