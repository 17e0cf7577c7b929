"""Building briefs: check what each brief needs, then render the changed ones.

A mistake in the shared data (a table, the contract) stops the run before anything is
written. A mistake in one brief (its profile, its layout, text that does not fit) fails that
brief alone: the others are built, and the failures are reported together at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from briefs import __version__
from briefs.build.store import (
    is_current,
    project_lock,
    read_manifest,
    remove_leftovers,
    sha256,
    write_atomic,
    write_manifest,
)
from briefs.contract.model import Brief
from briefs.contract.project import Project, load_brief, load_project, select
from briefs.errors import Problem, UserError, Warning_
from briefs.layout.loader import Layout, load_layout
from briefs.render.inspect import Finding


@dataclass(frozen=True)
class Job:
    brief: Brief
    layout: Layout
    path: Path
    inputs: str

    @property
    def key(self) -> str:
        return self.path.relative_to(self.path.parent.parent).as_posix()


@dataclass(frozen=True)
class Outcome:
    code: str
    edition: int
    path: Path
    status: str  # "built", "unchanged" or "failed"
    pages: int = 0
    size: int = 0
    sha: str = ""
    problems: tuple[Problem, ...] = ()
    exit_status: int = 0  # for a failure: 2 a user's mistake, 1 a failure while working


@dataclass(frozen=True)
class PageWarning:
    """A page inspection finding, with the brief it concerns."""

    code: str
    edition: int
    layout: str
    finding: Finding

    def __str__(self) -> str:
        if self.finding.page is None:  # the layout itself, reported once
            return f"warning: layout {self.layout}: {self.finding.message}"
        who = f"{self.code} {self.edition} ({self.layout})"
        return f"warning: {self.finding.where(who)}: {self.finding.message}"


@dataclass
class Plan:
    project: Project
    jobs: list[Job]
    warnings: list[Warning_] = field(default_factory=list)
    failures: list[Outcome] = field(default_factory=list)
    pages: list[PageWarning] = field(default_factory=list)  # what the page inspection saw


def output_path(project: Project, code: str, edition: int, layout: str,
                own_layout: str) -> Path:
    suffix = "" if layout == own_layout else f"-{layout}"
    return project.output / str(edition) / f"{code}{suffix}.pdf"


def inputs_digest(project: Project, brief: Brief, layout: Layout) -> str:
    """A hash of everything the PDF is made from: change any of it and the PDF is rebuilt."""
    start, end = brief.profile.period
    rows = [r for r in project.contributions if r.donor == brief.donor.code
            and r.start_year >= start and r.end_year <= end]
    payload = {
        "version": __version__,
        "donor": vars(brief.donor),
        "channels": [vars(c) for c in project.channels.values()],
        "rows": [[r.start_year, r.end_year, r.channel, r.amount_usd, r.qualifier]
                 for r in rows],
        "profile_text": brief.profile.source,
        "layout": layout.name,
        "layout_files": layout.digest,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _failed(project: Project, code: str, edition: int, problems: tuple[Problem, ...],
            status: int = 2) -> Outcome:
    return Outcome(code, edition, project.output / str(edition) / f"{code}.pdf", "failed",
                   problems=problems, exit_status=status)


def plan_builds(root: Path, codes: tuple[str, ...] = (), edition: int | None = None,
                layout: str | None = None, every_edition: bool = False,
                skip_current: bool = True) -> Plan:
    """Load and check what the selected briefs need.

    Raises UserError for a mistake in the shared data; a brief with a mistake of its own is
    recorded in `failures` and the rest of the plan goes on. With `skip_current`, a brief whose
    PDF is current is not parsed further than its front matter: it will not be rebuilt.
    """
    project = load_project(root)
    built = {(c, e) for c, es in project.profiles.items() for e in es
             if (project.output / str(e) / f"{c}.pdf").is_file()}
    chosen = select(project, codes, edition, None if every_edition else built)
    plan = Plan(project, [])
    manifest = read_manifest(project.output) if skip_current else {}
    layouts: dict[str, Layout | UserError] = {}
    for code, year in chosen:
        try:
            brief, layout_name, found = load_brief(project, code, year, layout,
                                                   body=not skip_current)
        except UserError as exc:
            plan.failures.append(_failed(project, code, year, exc.problems))
            continue
        if layout_name not in layouts:
            try:
                layouts[layout_name] = load_layout(layout_name, project.root)
            except UserError as exc:
                layouts[layout_name] = exc
        chosen_layout = layouts[layout_name]
        if isinstance(chosen_layout, UserError):
            plan.failures.append(_failed(project, code, year, chosen_layout.problems))
            continue
        path = output_path(project, code, year, layout_name, brief.profile.layout)
        digest = inputs_digest(project, brief, chosen_layout)
        job = Job(brief, chosen_layout, path, digest)
        if skip_current and not is_current(manifest.get(job.key), digest, path):
            try:  # to be built: now the whole profile
                brief, _, found = load_brief(project, code, year, layout)
            except UserError as exc:
                plan.failures.append(_failed(project, code, year, exc.problems))
                continue
            job = Job(brief, chosen_layout, path, digest)
        plan.warnings.extend(found.warnings)
        plan.jobs.append(job)
    return plan


def check_fit(plan: Plan) -> None:
    """Lay every brief out without writing: text that does not fit is an error, and what
    the page inspection sees (and each layout's colours, once) is a page warning."""
    from briefs.render.compose import render_pdf
    from briefs.render.contrast import layout_findings

    colours_seen: set[str] = set()
    for job in plan.jobs:
        code, edition = job.brief.donor.code, job.brief.edition
        try:
            rendered = render_pdf(job.brief, job.layout)
        except UserError as exc:
            plan.failures.append(_failed(plan.project, code, edition, exc.problems))
            continue
        findings = list(rendered.findings)
        if job.layout.name not in colours_seen:
            colours_seen.add(job.layout.name)
            findings[:0] = layout_findings(job.layout)
        plan.pages.extend(PageWarning(code, edition, job.layout.name, f) for f in findings)


def render_job(job: Job) -> Outcome:
    """Render one brief and write its PDF; in a worker process or in this one."""
    from briefs.render.compose import render_pdf

    code, edition = job.brief.donor.code, job.brief.edition
    try:
        rendered = render_pdf(job.brief, job.layout)
        write_atomic(job.path, rendered.pdf)
    except UserError as exc:
        return Outcome(code, edition, job.path, "failed", problems=exc.problems, exit_status=2)
    except OSError as exc:
        return Outcome(code, edition, job.path, "failed", exit_status=1, problems=(
            Problem(str(job.path), f"cannot write the PDF: {exc.strerror or exc}"),))
    except Exception as exc:  # a bug must not stop the other briefs
        return Outcome(code, edition, job.path, "failed", exit_status=1, problems=(
            Problem(job.brief.profile.name, f"internal error while drawing "
                    f"({type(exc).__name__}: {exc}) — please report it"),))
    return Outcome(code, edition, job.path, "built", rendered.pages, len(rendered.pdf),
                   sha256(rendered.pdf))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def run_builds(plan: Plan, force: bool = False, jobs: int = 1, wait: bool = False,
               progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Render each brief whose inputs or PDF changed, in `jobs` processes; update the manifest.

    Returns one outcome per brief, failures of the plan included, in the plan's order.
    """
    report = progress or (lambda outcome: None)
    output = plan.project.output
    with project_lock(output, wait):
        return _run_locked(plan, force, jobs, report)


def _run_locked(plan: Plan, force: bool, jobs: int,
                report: Callable[[Outcome], None]) -> list[Outcome]:
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
            outcomes[key] = Outcome(*key, "unchanged")
            report(outcomes[key])
        else:
            todo.append(job)
    try:
        for job, outcome in _render_all(todo, jobs):
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


def _render_all(todo: list[Job], jobs: int) -> Iterator[tuple[Job, Outcome]]:
    """(job, outcome) pairs as they finish; in this process when one job or one worker."""
    if jobs <= 1 or len(todo) <= 1:
        for job in todo:
            yield job, render_job(job)
        return
    import multiprocessing

    # fork: workers start with the modules already imported here, which is most of the cost
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        futures = {pool.submit(render_job, job): job for job in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()


def raise_failures(outcomes: list[Outcome], more: tuple[Problem, ...] = ()) -> None:
    """For `check`: every brief's problems (and `more`) together, as one UserError."""
    problems = [p for o in outcomes if o.status == "failed" for p in o.problems]
    problems.extend(more)
    if problems:
        raise UserError(dict.fromkeys(problems))


def check_project(root: Path, codes: tuple[str, ...] = ()) -> Plan:
    """Everything `briefs check` checks, with every problem in one UserError.

    Every edition's profile and layout, text that must fit its slot, and the recipients in
    data/stakeholders.csv (when the project has one) — so a typo in an address is found at
    the yearly check, not on the day of the mailing.
    """
    from briefs.errors import Collector
    from briefs.mail.message import load_recipients

    plan = plan_builds(root, codes, every_edition=True, skip_current=False)
    check_fit(plan)
    recipients = Collector()
    if (plan.project.data / "stakeholders.csv").is_file():
        load_recipients(plan.project.root, plan.project.donors, recipients)
    raise_failures(plan.failures, tuple(recipients.problems))
    return plan
