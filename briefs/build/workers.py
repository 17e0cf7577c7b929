"""Worker processes: how many a build starts, how, when, and that they end with it.

A build decides before it reads the project whether it draws one brief or several
(`at_most_one_brief`, from file names alone), and starts its workers then, so a forked worker
is a copy of a process that holds only the command line (`early_workers`). One brief is
drawn by one worker forked at once, which imports the drawing libraries while this process
reads the project and plans the brief (`drawing_ahead`): the two halves of a cold start side
by side on two cores. This module imports next to nothing, so that the fork comes first.

A `build --jobs N` killed with SIGKILL, or with a scheduler's SIGTERM, runs no clean-up: its
workers would go on drawing for ever, adopted by init, about 115 MB each. `end_with_parent`
is each pool's initializer: on Linux the kernel kills the worker when the process that started
it dies (PR_SET_PDEATHSIG); everywhere, a thread also watches the parent's pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefs.contract.names import DONOR_CODE, PROFILE_FILE
from briefs.errors import Problem, UserError

if TYPE_CHECKING:  # imported when a run has workers, and only then
    from concurrent.futures import Executor, Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>
POLL = 0.5  # seconds between two looks at the parent, where the kernel cannot help
START_METHOD_VARIABLE = "BRIEFS_START_METHOD"


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


def ready_to_draw(parent: int) -> None:
    """Initializer of the worker of `drawing_ahead`: end with the parent, and import what
    drawing a brief imports (ReportLab, the render stage, matplotlib) before it is sent."""
    end_with_parent(parent)
    from briefs.render import document  # noqa: F401  (imported ahead, for render_job)
    from briefs.render.mplimport import load_matplotlib

    load_matplotlib()


def at_most_one_brief(root: Path, codes: tuple[str, ...], edition: int | None = None) -> bool:
    """Whether the donors asked for have at most one profile between them (of `edition`, when
    one is given): then a run draws at most one brief, and one worker at most is started.

    Counted from the file names in their folders, before the project is read (workers are
    started before it: see `early_workers`); a code that names no folder counts none, and
    planning says what is wrong with it.
    """
    if not codes:
        return False  # every donor
    found = 0
    for code in codes:
        if not DONOR_CODE.match(code):
            continue  # not a code: planning says so
        try:
            names = os.listdir(root / "data" / "profiles" / code)
        except OSError:
            continue  # no such folder: planning says so
        found += sum(1 for name in names if (m := PROFILE_FILE.match(name)) is not None
                     and (edition is None or int(m.group(1)) == edition))
        if found > 1:
            return False
    return True


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def start_method(chosen: str | None = None) -> str:
    """How worker processes start: `chosen`, else BRIEFS_START_METHOD, else fork on Linux
    (cheap: workers inherit what is imported) and the platform's default elsewhere."""
    import multiprocessing

    name = chosen or _asked_method() or multiprocessing.get_start_method()
    methods = multiprocessing.get_all_start_methods()
    if name not in methods:
        source = "start_method" if chosen else START_METHOD_VARIABLE
        raise UserError([Problem(source, f"'{name}' is not a way to start workers here; "
                                 f"use {', '.join(methods)}")])
    return name


def _asked_method() -> str | None:
    """BRIEFS_START_METHOD, else fork on Linux; None: the platform's default."""
    return os.environ.get(START_METHOD_VARIABLE) or \
        ("fork" if sys.platform.startswith("linux") else None)


def pool_of(jobs: int, context: BaseContext,
            initializer: Callable[[int], None] = end_with_parent) -> ProcessPoolExecutor:
    """A pool of `jobs` workers, each ending with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=initializer, initargs=(os.getpid(),))


@contextlib.contextmanager
def early_workers(jobs: int, method: str | None = None) -> Iterator[Executor | None]:
    """A pool of `jobs` workers, forked now, before the project is read; None for one job.

    A forked worker starts as a copy of this process: forked after the tables and every
    brief's plan are loaded, each worker would carry them, and grow with the number of donors.
    Forked first, it holds only the command line. Spawned workers start afresh anyway, so
    they are left to start when the first brief is sent. The pool ends with the block.
    """
    if jobs <= 1:
        yield None
        return
    import multiprocessing

    name = start_method(method)
    with pool_of(jobs, multiprocessing.get_context(name)) as pool:
        if name == "fork":  # a fork pool starts all its workers at the first task
            pool.submit(os.getpid).result()
        yield pool


def workers_for(jobs: int, one: bool) -> contextlib.AbstractContextManager[
        Executor | DrawingAhead | None]:
    """The workers of a build, started now: for at most one brief (`one`), a worker that
    draws ahead, or none with one job; for more, `jobs` early workers."""
    if not one:
        return early_workers(jobs)
    return drawing_ahead() if jobs > 1 else contextlib.nullcontext()


def drawing_ahead() -> contextlib.AbstractContextManager[DrawingAhead | None]:
    """One worker, forked now, that imports the drawing libraries (`ready_to_draw`) while
    this process reads the project and plans the one brief it will draw; None where workers
    are not forked (a spawned one would import briefs afresh: one brief is drawn here)."""
    if _asked_method() != "fork":  # known without importing multiprocessing (12 ms)
        return contextlib.nullcontext()
    # what both processes import, imported once: the types of a brief and of a layout, and
    # ReportLab's colours (a layout's colours are theirs; they import PIL)
    from reportlab.lib import colors  # noqa: F401

    from briefs.contract import model  # noqa: F401
    from briefs.layout import model as layout_model  # noqa: F401

    try:
        return DrawingAhead(expected=1)
    except OSError:  # no process to be had (EAGAIN, ENOMEM): the brief is drawn here
        return contextlib.nullcontext()


class DrawingAhead:
    """A worker forked at once that gets ready to draw, then runs the calls it is sent, one
    at a time: the `submit` and the `with` of a pool of one. Forked with `os.fork` and two
    pipes, not multiprocessing, whose import and start cost the command's serial start 12 ms.
    Killed (SIGKILL) at the end when it was sent nothing, since its brief was current or the
    plan failed, or when the command is interrupted: nobody waits for unused imports.

    `expected`, when known, is how many calls it will be sent: after the last answer it is told
    to end at once, so that its exit (~10 ms) overlaps this process's own end."""

    def __init__(self, expected: int | None = None) -> None:
        parent = os.getpid()
        calls, self._calls = os.pipe()
        self._answers, answers = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what this process printed is not printed again by the worker
        try:
            self.pid = os.fork()
        except OSError:
            for end in (calls, self._calls, self._answers, answers):
                os.close(end)
            raise
        if self.pid == 0:
            os.close(self._calls)
            os.close(self._answers)
            _serve_calls(calls, answers, parent)  # never returns
        os.close(calls)
        os.close(answers)
        self._sent = False
        self._left = expected
        self._stopped = False
        self.status: int | None = None  # once ended: its status, as os.waitpid tells it

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run `fn(*args, **kwargs)` in the worker; the future is done when this returns."""
        from concurrent.futures import Future

        future: Future[Any] = Future()
        self._sent = True
        try:
            _send(self._calls, (fn, args, kwargs))
            done, value = _receive(self._answers)
        except (EOFError, OSError) as exc:  # the worker died: a crash, the OOM killer
            future.set_exception(ChildProcessError(f"the worker drawing the brief ended "
                                                   f"without an answer ({exc!r})"))
            return future
        if self._left is not None:
            self._left -= 1
            if self._left == 0:
                self._stop()
        if done:
            future.set_result(value)
        else:
            future.set_exception(value)
        return future

    def __enter__(self) -> DrawingAhead:
        return self

    def _stop(self) -> None:
        """Tell the worker to leave its loop and end (once)."""
        if not self._stopped:
            self._stopped = True
            with contextlib.suppress(OSError):
                _send(self._calls, None)

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._sent and kind is None:
            self._stop()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        os.close(self._calls)
        os.close(self._answers)
        self.status = os.waitpid(self.pid, 0)[1]


def _serve_calls(calls: int, answers: int, parent: int) -> NoReturn:
    """The worker of `DrawingAhead`: ready to draw, then each call sent until None; it ends
    with os._exit, running none of the clean-up its parent's copy of the process holds."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it kills this
        ready_to_draw(parent)
        while (call := _receive(calls)) is not None:
            fn, args, kwargs = call
            try:
                answer = (True, fn(*args, **kwargs))
            except Exception as exc:  # raised by the future, as a pool's would be
                answer = (False, exc)
            _send(answers, answer)
        status = 0
    except BaseException:  # a bug: said on the error stream; the parent reports no answer
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)


def _send(fd: int, value: object) -> None:
    """A value through a pipe: its pickle's length in 8 bytes, then the pickle."""
    import pickle

    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "big") + data)
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
