"""The error boundary and the ways in: a bug is reported as a bug (also from a build worker),
every entry point lists every command, and workers start by fork or by spawn alike.

A bug is injected by replacing one library function with one that raises: there is no input
that makes briefs fail by its own fault (that would be a bug to fix), and with `fork` the
workers inherit the replacement, so the failure really happens in a worker process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, run

COMMANDS = ("build", "check", "diff", "init", "list", "new-edition", "preview", "send")
HINT = "(set BRIEFS_DEBUG=1 to see the traceback)"


def briefs_process(*args: object, env: dict[str, str] | None = None,
                   module: str = "briefs") -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS...` in a fresh interpreter, as a user runs it."""
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("module", ["briefs", "briefs.cli"])
def test_python_m_lists_every_command(module: str) -> None:
    proc = briefs_process("--help", module=module)
    assert proc.returncode == 0, proc.stderr
    listed = proc.stdout.split("Commands:")[1].split()
    for command in COMMANDS:
        assert command in listed, f"python -m {module} --help does not list {command}"
    for command in COMMANDS:  # and each one runs: its own help, not "No such command"
        proc = briefs_process(command, "--help", module=module)
        assert proc.returncode == 0, f"python -m {module} {command}: {proc.stderr}"


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError(f"boom in process {os.getpid()}")


def test_a_bug_in_the_command_is_reported_as_a_bug(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefs.build.batch.load_project", _boom)
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"error: internal error in briefs: RuntimeError: boom in process {os.getpid()}, "
        f"please report it {HINT}"]
    assert "Traceback" not in result.output
    debug = run(project, "check", env={"BRIEFS_DEBUG": "1"})
    assert debug.exit_code == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert 'in _boom\n    raise RuntimeError(f"boom in process' in debug.stderr
    assert debug.stderr.splitlines()[-1] == (
        f"error: internal error in briefs: RuntimeError: boom in process {os.getpid()}, "
        "please report it")


def _boom_for_2017(brief: object, layout: object) -> None:
    from briefs.contract.model import Brief

    assert isinstance(brief, Brief)
    if brief.edition == 2017:
        _boom()
    return _real_render_pdf(brief, layout)  # type: ignore[arg-type]


_real_render_pdf = None


def test_a_bug_in_a_worker_is_reported_as_a_bug(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Two briefs in two worker processes (fork): 2017 fails by a bug, 2023 is built."""
    global _real_render_pdf
    import briefs.render.document as compose

    _real_render_pdf = compose.render_pdf
    monkeypatch.setattr(compose, "render_pdf", _boom_for_2017)
    for debug in ("", "1"):
        result = run(project, "build", "--jobs", "2", "--force", "--quiet",
                     env={"BRIEFS_DEBUG": debug, "BRIEFS_START_METHOD": "fork"})
        assert result.exit_code == 1, result.output
        last = result.stderr.splitlines()[-2:]
        assert last[0].startswith("error: internal error in briefs: KOR 2017: RuntimeError: "
                                  "boom in process ")
        worker = int(last[0].split("boom in process ")[1].split(",")[0])
        assert worker != os.getpid(), "the bug should have happened in a worker"
        assert last[0].endswith(", please report it" + ("" if debug else f" {HINT}"))
        assert last[1] == "not written: KOR 2017; the other briefs are done."
        assert "problem" not in result.stderr
        assert result.stdout.splitlines()[-1] == "built 1, unchanged 0, failed 1"
        assert (project / "output" / "2023" / "KOR.pdf").is_file()
        assert not (project / "output" / "2017" / "KOR.pdf").exists()
        if debug:  # the worker's own traceback, down to the line that raised
            assert result.stderr.startswith("Traceback (most recent call last):")
            assert "in render_job\n" in result.stderr
            assert "in _boom_for_2017\n" in result.stderr
        else:
            assert "Traceback" not in result.stderr


def test_preview_reports_a_bug_as_a_bug(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefs.render.document as compose

    monkeypatch.setattr(compose, "render_pdf", _boom)
    result = run(project, "preview", "KOR")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: internal error in briefs: KOR 2023: RuntimeError:")
    assert "problem" not in result.stderr


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_started_by_fork_or_spawn_build_the_same_bytes(
        repo: Path, built: Path, tmp_path: Path, method: str) -> None:
    project = copy_project(repo, tmp_path / method)
    proc = briefs_process("--project", project, "build", "--jobs", "2", "--quiet",
                          env={"BRIEFS_START_METHOD": method})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "built 2, unchanged 0"
    for year in (2017, 2023):
        mine = (project / "output" / str(year) / "KOR.pdf").read_bytes()
        assert mine == (built / "output" / str(year) / "KOR.pdf").read_bytes(), year


def test_an_unknown_start_method_is_the_users_mistake(project: Path) -> None:
    result = run(project, "build", "--jobs", "2", env={"BRIEFS_START_METHOD": "thread"})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: BRIEFS_START_METHOD: 'thread' is not a way to start "
                                    "workers here; use fork, spawn, forkserver")
    assert not (project / "output" / "2017").exists()


def test_what_crosses_to_a_worker_is_small(project: Path) -> None:
    """A job is pickled for each brief sent to a worker: the brief, its layout, its path."""
    from briefs.build.batch import plan_builds

    plan = plan_builds(project, skip_current=False)
    sizes = [len(pickle.dumps(job)) for job in plan.jobs]
    print("pickled job sizes:", sizes)
    assert len(sizes) == 2
    assert max(sizes) < 64 * 1024


@pytest.mark.parametrize(("method", "status"), [("fork", 1), ("spawn", 0)])
def test_the_start_method_asked_for_is_the_one_used(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                    method: str, status: int) -> None:
    """Forked workers inherit this process's replaced renderer and fail; spawned workers
    import briefs afresh and build: so the method asked for is the one the pool used."""
    import briefs.render.document as compose

    monkeypatch.setattr(compose, "render_pdf", _boom)
    result = run(project, "build", "--jobs", "2", "--quiet",
                 env={"BRIEFS_START_METHOD": method})
    assert result.exit_code == status, result.output
