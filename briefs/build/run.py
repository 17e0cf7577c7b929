"""Running a plan: draw each brief that changed, write its PDF, update the manifest.

Takes a `Plan` (briefs.build.batch); gives one `Outcome` per brief. Briefs are drawn in worker
processes, started by briefs.build.workers before the plan is made (forked: by a process that
imports the drawing libraries while the command plans, see briefs.build.forked); a worker is
started by `fork` (Linux's default: the modules already imported here come for free) or by
`spawn` (every platform), chosen by the caller or by the environment variable
BRIEFS_START_METHOD. What crosses to a worker is one `Job` (the brief's data, its layout, its
path) and what comes back is one `Outcome`: both small, both picklable. A forked worker is sent
each layout once and keeps it (half of a job's pickle, the same for every brief).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.build import collector
from briefs.build.batch import Job, Outcome, Plan
from briefs.build.forked import DrawingAhead
from briefs.build.store import (
    is_current,
    project_lock,
    read_manifest,
    remove_leftovers,
    sha256,
    write_atomic,
    write_manifest,
)
from briefs.build.workers import pool_of, start_method
from briefs.contract.model import Brief
from briefs.contract.project import complete_brief
from briefs.errors import Bug, Problem, UserError, Warning_
from briefs.layout.model import Layout

if TYPE_CHECKING:  # workers are imported for, and only when, a run has workers (jobs > 1)
    from concurrent.futures import Executor
    from multiprocessing.context import BaseContext


def render_brief(brief: Brief, layout: Layout) -> bytes:
    """The PDF of one brief, as bytes: nothing is read or written."""
    from briefs.render.document import render_pdf

    return render_pdf(brief, layout).pdf


def render_job(job: Job) -> Outcome:
    """Render one brief and write its PDF; in a worker process or in this one.

    Never raises: a user's mistake, a failed write and a bug each become a failed outcome,
    so one brief cannot stop the others, and a bug keeps its traceback for BRIEFS_DEBUG.
    The first brief a process draws ends the pause of the cycle collector (`collector`).
    """
    from briefs.render.document import render_pdf

    code, edition = job.brief.donor.code, job.brief.edition
    warnings: tuple[Warning_, ...] = ()
    language = job.brief.profile.language
    try:
        brief = job.brief
        if not brief.profile.parsed:  # planned from its front matter: see plan_builds
            brief, found = complete_brief(brief)
            warnings = tuple(found.warnings)
        rendered = render_pdf(brief, job.layout)
        write_atomic(job.path, rendered.pdf, durable=False)  # the manifest vouches for it
    except UserError as exc:
        return Outcome(code, edition, job.path, "failed", language, problems=exc.problems,
                       exit_status=2, warnings=warnings)
    except OSError as exc:
        return Outcome(code, edition, job.path, "failed", language, exit_status=1, problems=(
            Problem(str(job.path), f"cannot write the PDF: {exc.strerror or exc}"),))
    except Exception as exc:  # a bug in briefs: reported as one, not as the user's mistake
        return Outcome(code, edition, job.path, "failed", language, exit_status=1,
                       bug=Bug.caught(exc, f"{code} {edition}"))
    finally:
        collector.resume()
    return Outcome(code, edition, job.path, "built", language, rendered.pages,
                   len(rendered.pdf), sha256(rendered.pdf), findings=rendered.findings,
                   layout=job.layout.name, warnings=warnings)


def run_builds(plan: Plan, force: bool = False, jobs: int = 1, wait: bool = False,
               progress: Callable[[Outcome], None] | None = None,
               method: str | None = None,
               pool: Executor | DrawingAhead | None = None) -> list[Outcome]:
    """Render each brief whose inputs or PDF changed, in `jobs` processes; update the manifest.

    `method` is the workers' start method (see `start_method`); `pool`, workers already
    started (`workers_for`), used instead of starting `jobs` new ones. Returns one outcome
    per brief, failures of the plan included, in the plan's order.
    """
    report = progress or (lambda outcome: None)
    context = None
    if jobs > 1 and pool is None:
        import multiprocessing

        context = multiprocessing.get_context(start_method(method))
    with project_lock(plan.project.root, wait):
        return _run_locked(plan, force, jobs, report, context, pool)


def _run_locked(plan: Plan, force: bool, jobs: int, report: Callable[[Outcome], None],
                context: BaseContext | None,
                pool: Executor | DrawingAhead | None) -> list[Outcome]:
    """run_builds with the project's lock held."""
    output = plan.project.output
    remove_leftovers(output)
    manifest = read_manifest(output)
    outcomes: dict[tuple[str, int, Path], Outcome] = {}
    todo = []
    for failure in plan.failures:
        outcomes[(failure.code, failure.edition, failure.path)] = failure
        report(failure)
    for job in plan.jobs:
        key = (job.brief.donor.code, job.brief.edition, job.path)
        if not force and is_current(manifest.get(job.key), job.inputs, job.path):
            outcomes[key] = Outcome(*key, "unchanged", job.brief.profile.language)
            report(outcomes[key])
        else:
            todo.append(job)
    try:
        for job, outcome in _render_all(todo, jobs, context, pool):
            outcomes[(outcome.code, outcome.edition, outcome.path)] = outcome
            if outcome.status == "built":
                manifest[job.key] = {"inputs": job.inputs, "pdf": outcome.sha,
                                     "layout": job.layout.name, "pages": outcome.pages}
            report(outcome)
    finally:
        write_manifest(output, manifest)
    order = [(f.code, f.edition, f.path) for f in plan.failures] + \
        [(j.brief.donor.code, j.brief.edition, j.path) for j in plan.jobs]
    return [outcomes[k] for k in order if k in outcomes]


def _render_all(todo: list[Job], jobs: int,
                context: BaseContext | None,
                pool: Executor | DrawingAhead | None = None) -> Iterator[tuple[Job, Outcome]]:
    """(job, outcome) pairs as they finish; in this process when one job or one worker."""
    if pool is not None and todo:
        yield from _submitted(pool, todo)
        return
    if context is None or len(todo) <= 1:
        for job in todo:
            yield job, render_job(job)
        return
    with pool_of(min(jobs, len(todo)), context) as mine:
        yield from _submitted(mine, todo)


def _submitted(pool: Executor | DrawingAhead, todo: list[Job]) -> Iterator[tuple[Job, Outcome]]:
    """(job, outcome) pairs as the workers finish them; a worker that died drawing a brief
    fails that brief, as a bug, and the others go on."""
    if isinstance(pool, DrawingAhead):
        answered = pool.completed(render_job, todo, keep=(Layout,))  # one layout a run
    else:
        from concurrent.futures import as_completed

        futures = {pool.submit(render_job, job): job for job in todo}
        answered = ((futures[future], future) for future in as_completed(futures))
    for job, future in answered:
        try:
            yield job, future.result()
        except ChildProcessError as exc:
            code, edition = job.brief.donor.code, job.brief.edition
            yield job, Outcome(code, edition, job.path, "failed", job.brief.profile.language,
                               exit_status=1, bug=Bug.caught(exc, f"{code} {edition}"))
