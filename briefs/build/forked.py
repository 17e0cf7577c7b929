"""Workers forked with `os.fork` and pipes: imported once, drawing on every core.

A build's workers all need the drawing libraries (ReportLab, matplotlib: ~0.4 s of imports).
Forked before the project is read, each worker imported them on its own: N imports of the
same modules, on the cores that should be drawing, after the plan was made. Here one process
is forked at once; it imports them while the command reads the project (`import_drawing`) and
then forks the workers, copies of a process that has imported (the zygote of Android and of
forkservers). The imports are made once, side by side with planning, and every worker is
ready when the first brief is sent; none holds anything of the plan.

The command sends each worker its calls through its own pipe, the next one sent while the
worker draws (`AHEAD`), and reads the answers as they come (`DrawingAhead.completed`): a worker
that dies (a crash, the OOM killer) fails the brief it was drawing and no other; the call it
had yet to start goes to another. A value every call holds (a build's layout) is sent to each
worker once and kept there (`keep`). Each process ends with the one that forked it
(`end_with_parent`): the command's death ends the forker, whose death ends the workers.
This module imports next to nothing, so that the fork comes first.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>
POLL = 0.5  # seconds between two looks at the parent, where the kernel cannot help
# Calls a worker holds at a time: the one it draws and the next, sent while it draws. One at
# a time, a worker waited ~1.6 ms between two briefs (its answer read, the next call pickled
# and sent: 6 % of a build of 200); the next call waits in the pipe instead.
AHEAD = 2
T = TypeVar("T")


def end_with_parent(parent: int) -> None:
    """Run in each worker as it starts: end it when process `parent` ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL)
        os._exit(1)

    if os.getppid() != parent:  # it died before the line above could take effect
        os._exit(1)
    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def import_drawing() -> None:
    """Import what drawing a brief imports: ReportLab, the render stage, matplotlib, and
    what the first brief would import or read on its way (the Markdown parser, Babel's
    numbers and root locale, the chart's recorder, the glyph tables: ~30 ms), so that the
    forker does it once rather than each worker (`test_start`)."""
    import babel.dates  # what unpickling any locale's data imports
    import babel.localedata
    import babel.numbers

    from briefs.contract.markdown import markdown_parser
    from briefs.render import document  # noqa: F401  (imported ahead, for render_job)
    from briefs.render.mplimport import load_matplotlib

    load_matplotlib(three_d=False)  # the forker and its workers draw only briefs' charts
    from briefs.render import glyphtable, mplrender  # noqa: F401  (after matplotlib)

    markdown_parser()  # made once, here, for every worker
    babel.localedata.load("root")  # every locale's data is read on top of the root's


@dataclass(frozen=True)
class _Pipes:
    """One worker's two pipes: the calls it reads, the answers it writes."""

    calls_in: int  # the worker's end
    calls_out: int  # the command's end
    answers_in: int  # the command's end
    answers_out: int  # the worker's end

    @classmethod
    def opened(cls) -> _Pipes:
        calls_in, calls_out = os.pipe()
        answers_in, answers_out = os.pipe()
        return cls(calls_in, calls_out, answers_in, answers_out)

    def close(self, *ends: int) -> None:
        for end in ends:
            with contextlib.suppress(OSError):
                os.close(end)

    def close_all(self) -> None:
        self.close(self.calls_in, self.calls_out, self.answers_in, self.answers_out)


class DrawingAhead:
    """`workers` processes, forked by one that gets ready to draw at once, that run the calls
    they are sent, in order each: `completed` and the `with` of a small pool. Forked with
    `os.fork` and pipes, not multiprocessing, whose import and start cost the command's serial
    start 12 ms. Killed (SIGKILL) at the end when they were sent nothing, since every brief
    was current or the plan failed, or when the command is interrupted: nobody waits for
    unused imports. `ready` runs in the forker before the workers are forked (the imports;
    tests pass a lighter one). `pid` is the forker's."""

    def __init__(self, workers: int = 1, ready: Callable[[], None] = import_drawing) -> None:
        parent = os.getpid()
        pipes = [_Pipes.opened() for _ in range(workers)]
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what this process printed is not printed again by the workers
        try:
            self.pid = os.fork()
        except OSError:
            for pair in pipes:
                pair.close_all()
            raise
        if self.pid == 0:
            _forker(pipes, parent, ready)  # never returns
        for pair in pipes:
            pair.close(pair.calls_in, pair.answers_out)
        self._calls = [pair.calls_out for pair in pipes]
        self._answers = [pair.answers_in for pair in pipes]
        self._room = _capacity(self._calls[0])  # what a pipe holds that nobody reads
        self._live = set(range(workers))  # neither stopped nor found dead
        self._sent = False
        self._keep: tuple[type, ...] = ()
        self._kept: dict[int, object] = {}  # by id: sent to a worker once, alive till the end
        self._given: list[set[int]] = [set() for _ in range(workers)]  # each worker's keys
        self.status: int | None = None  # once ended: the forker's, as os.waitpid tells it

    def completed(self, fn: Callable[[T], Any], items: Iterable[T],
                  keep: tuple[type, ...] = ()) -> Iterator[tuple[T, Future[Any]]]:
        """(item, done future of `fn(item)`) as the workers answer, each item once.

        A worker holds up to `AHEAD` calls: the one it draws, and the next waiting in its pipe
        (sent only when the pipe can hold it whole, so that sending never waits on a worker
        busy drawing). The last calls go only to a worker that holds none, so none waits
        behind a long brief while another worker is free. Each worker is told to end as soon
        as nothing is left for it, so that its exit (~10 ms) overlaps this process's end. A
        worker that dies fails the call it was drawing; the calls it had yet to start go to
        the others, and the calls nobody is left to run fail. A value of a type in `keep`
        (exactly) is sent to each worker once, and named by its key in the calls after.
        """
        from concurrent.futures import Future

        waiting = deque((item, (fn, (item,), {})) for item in items)
        held: dict[int, deque[tuple[T, tuple]]] = {w: deque() for w in self._live}
        self._sent = self._sent or bool(waiting)
        self._keep = keep
        for level in range(1, AHEAD + 1):  # each worker a first call, then a next one
            for worker in sorted(self._live):
                self._feed(worker, waiting, held, level)
        while any(held.values()):
            answering = {self._answers[w]: w for w, calls in held.items() if calls}
            ready, _, _ = select.select(list(answering), [], [])
            for worker in sorted(answering[fd] for fd in ready):
                item, _ = held[worker].popleft()
                future: Future[Any] = Future()
                try:
                    done, value = _receive(self._answers[worker])
                except (EOFError, OSError) as exc:  # it died: a crash, the OOM killer
                    self._live.discard(worker)
                    future.set_exception(_died(exc))
                    waiting.extendleft(reversed(held[worker]))  # never started: the others'
                    held[worker].clear()
                else:
                    (future.set_result if done else future.set_exception)(value)
                for other in sorted(self._live):
                    self._feed(other, waiting, held)
                yield item, future
        for item, _ in waiting:  # every worker has died
            future = Future()
            future.set_exception(_died(EOFError("no worker left")))
            yield item, future

    def _feed(self, worker: int, waiting: deque, held: dict[int, deque],
              most: int = AHEAD) -> None:
        """Send `worker` calls until it holds `most`, or tell it to end when it holds none,
        none is left, and none can come back (a worker holding a call it has yet to start
        may die); a worker found dead leaves its call to the others."""
        calls = held[worker]
        while waiting and worker in self._live and len(calls) < most:
            if calls and len(waiting) < len(self._live):
                return  # the last calls: each to a worker that holds none
            item, call = waiting[0]
            data, new = self._pickled(worker, call)
            if calls and len(data) > self._room:
                return  # it would wait for the worker to read it: sent when it is free
            try:
                _write(self._calls[worker], data)
            except OSError:
                self._live.discard(worker)
                return
            waiting.popleft()
            calls.append((item, call))
            self._given[worker] |= new
        if not calls and not waiting and all(len(c) < 2 for c in held.values()):
            self._stop(worker)

    def _pickled(self, worker: int, value: object) -> tuple[bytes, set[int]]:
        """`value` as `_send` frames it for `worker`, each value of a `keep` type whole the
        first time and by key after; the keys sent whole this time."""
        import pickle

        if not self._keep:
            return _framed(value), set()
        given, new = self._given[worker], set()

        def reduce(kept: object) -> tuple[Callable[..., object], tuple]:
            key = id(kept)
            if key in given or key in new:
                return _kept, (key,)
            self._kept[key] = kept  # alive as long as the workers: the key stays its own
            new.add(key)
            return _keep, (key, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))

        reducers = {**copyreg.dispatch_table, **dict.fromkeys(self._keep, reduce)}
        return _framed(value, reducers), new

    def __enter__(self) -> DrawingAhead:
        return self

    def _stop(self, worker: int) -> None:
        """Tell `worker` to leave its loop and end (once)."""
        if worker in self._live:
            self._live.discard(worker)
            with contextlib.suppress(OSError):
                _send(self._calls[worker], None)

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._sent and kind is None:
            for worker in sorted(self._live):  # none left, unless `completed` was left early
                self._stop(worker)  # the forker waits for the workers before it ends
        else:  # the others end with it (end_with_parent)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        for end in self._calls + self._answers:
            os.close(end)
        self.status = os.waitpid(self.pid, 0)[1]


_KEPT: dict[int, Any] = {}  # in a worker: the values sent once (`keep`), by key


def _keep(key: int, data: bytes) -> Any:
    """In a worker: a value sent whole, kept for the calls that name it after."""
    import pickle

    value = _KEPT[key] = pickle.loads(data)
    return value


def _kept(key: int) -> Any:
    return _KEPT[key]


def _capacity(fd: int) -> int:
    """The bytes pipe `fd` holds unread (Linux tells; elsewhere the least POSIX promises)."""
    import fcntl

    asked = getattr(fcntl, "F_GETPIPE_SZ", None)
    if asked is None:
        return 512
    with contextlib.suppress(OSError):
        return fcntl.fcntl(fd, asked)
    return 512


def _died(exc: BaseException) -> ChildProcessError:
    return ChildProcessError(f"the worker drawing the brief ended without an answer ({exc!r})")


def _forker(pipes: list[_Pipes], parent: int, ready: Callable[[], None]) -> NoReturn:
    """The process forked first: ready to draw, it forks one worker a pipe and waits for
    them, drawing nothing itself, so that a worker's crash ends that worker alone (its own
    death ends them all: see `end_with_parent`); with one pipe, it is the worker. It ends
    with os._exit, running none of the clean-up its parent's copy of the process holds,
    with the first failed worker's status."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the command's: it kills us
        for pair in pipes:
            pair.close(pair.calls_out, pair.answers_in)
        end_with_parent(parent)
        ready()
        # what the imports made (~120,000 objects) lives as long as whoever draws: out of
        # the cycle collector's sight, it is never walked again, here drawing one brief or in
        # a worker (the first collection walked it all, ~40 ms), and its pages stay shared,
        # never written to mark them
        gc.freeze()
        if len(pipes) == 1:  # one brief's worker: drawn here, sparing a fork and its copies
            status = _serve(pipes[0], None)  # ending with the command already
            return  # (to os._exit, below)
        workers = []
        for index, pair in enumerate(pipes):
            pid = os.fork()
            if pid == 0:
                for other in pipes[index + 1:]:
                    other.close_all()  # another's answers held open here would hide its end
                os._exit(_serve(pair, os.getppid()))
            workers.append(pid)
            pair.close_all()
        ended = [os.waitpid(pid, 0)[1] for pid in workers]
        codes = [os.waitstatus_to_exitcode(s) for s in ended]  # -N: killed by signal N
        status = next((c if c > 0 else 128 - c for c in codes if c), 0)
    except BaseException:  # a bug: said on the error stream; the command sees no answer
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)


def _serve(pipe: _Pipes, parent: int | None) -> int:
    """A worker: end with process `parent` (None: this process does already), then run each
    call read from the pipe until None, answering each; the exit status. The pipe closed
    instead ends it quietly: the command has ended, or sent nothing
    and killed the forker (whose death ends this worker too, a moment later)."""
    try:
        if parent is not None:
            end_with_parent(parent)
        while True:
            try:
                call = _receive(pipe.calls_in)
            except EOFError:
                return 0
            if call is None:
                return 0
            fn, args, kwargs = call
            try:
                answer = (True, fn(*args, **kwargs))
            except Exception as exc:  # raised by the future, as a pool's would be
                answer = (False, exc)
            _send(pipe.answers_out, answer)
    except BaseException:  # a bug: said on the error stream; the command sees no answer
        import traceback

        traceback.print_exc()
        return 1


def _send(fd: int, value: object) -> None:
    """A value through a pipe: its pickle's length in 8 bytes, then the pickle."""
    _write(fd, _framed(value))


def _framed(value: object, reducers: dict[type, Callable[..., Any]] | None = None) -> bytes:
    """`value` pickled, its length in 8 bytes first; `reducers`, a pickler's dispatch
    table to pickle it with."""
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    if reducers is not None:
        pickler.dispatch_table = reducers
    pickler.dump(value)
    data = buffer.getvalue()
    return len(data).to_bytes(8, "big") + data


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> Any:
    """The value `_send` put in the pipe; EOFError when the other end closed first."""
    import pickle

    size = int.from_bytes(_read_exactly(fd, 8), "big")
    return pickle.loads(_read_exactly(fd, size))


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
