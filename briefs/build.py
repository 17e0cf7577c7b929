"""Building briefs: validate everything first, then render and write each PDF.

Nothing is written until every selected brief has loaded without a problem, so a mistake in
one file never leaves a half-updated output folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import Collector, UserError, Warning_, WorkError
from .layout import Layout, load_layout
from .model import Brief
from .output import (
    is_current,
    read_manifest,
    remove_leftovers,
    sha256,
    write_atomic,
    write_manifest,
)
from .project import Project, load_brief, load_project, select

LOCK_NAME = ".briefs.lock"


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
    status: str  # "built" or "unchanged"
    pages: int = 0
    size: int = 0


@dataclass
class Plan:
    project: Project
    jobs: list[Job]
    warnings: list[Warning_] = field(default_factory=list)


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
        "layout_files": layout.digest(),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_builds(root: Path, codes: tuple[str, ...] = (), edition: int | None = None,
                layout: str | None = None, every_edition: bool = False) -> Plan:
    """Load and check everything the selected briefs need; raises UserError with all problems."""
    project = load_project(root)
    built = {(c, e) for c, es in project.profiles.items() for e in es
             if (project.output / str(e) / f"{c}.pdf").is_file()}
    chosen = select(project, codes, edition, None if every_edition else built)
    problems = Collector()
    layouts: dict[str, Layout] = {}
    broken: set[str] = set()
    jobs = []
    for code, year in chosen:
        try:
            brief, layout_name, found = load_brief(project, code, year, layout)
        except UserError as exc:
            problems.extend(exc)
            continue
        problems.warnings.extend(found.warnings)
        if layout_name in broken:
            continue
        if layout_name not in layouts:
            try:
                layouts[layout_name] = load_layout(layout_name, project.root)
            except UserError as exc:
                problems.extend(exc)  # once, however many briefs use the layout
                broken.add(layout_name)
                continue
        chosen_layout = layouts[layout_name]
        path = output_path(project, code, year, layout_name, brief.profile.layout)
        jobs.append(Job(brief, chosen_layout, path,
                        inputs_digest(project, brief, chosen_layout)))
    problems.raise_if_any()
    return Plan(project, jobs, problems.warnings)


def check_fit(plan: Plan) -> None:
    """Lay every brief out without writing, so text that does not fit is reported."""
    from .compose import prepare

    problems = Collector()
    for job in plan.jobs:
        try:
            prepare(job.brief, job.layout)
        except UserError as exc:
            problems.extend(exc)
    problems.raise_if_any()


def run_builds(plan: Plan, force: bool = False) -> list[Outcome]:
    """Render and write each brief whose inputs or PDF changed; update the manifest."""
    from filelock import FileLock, Timeout

    from .compose import render_pdf

    output = plan.project.output
    output.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(output / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise LockedError(output / LOCK_NAME) from exc
    try:
        remove_leftovers(output)
        manifest = read_manifest(output)
        outcomes = []
        for job in plan.jobs:
            entry = manifest.get(job.key)
            if not force and is_current(entry, job.inputs, job.path):
                outcomes.append(Outcome(job.brief.donor.code, job.brief.edition, job.path,
                                        "unchanged"))
                continue
            rendered = render_pdf(job.brief, job.layout)
            try:
                write_atomic(job.path, rendered.pdf)
            except OSError as exc:
                raise WorkError(f"{job.path}: cannot write the PDF: {exc.strerror}") from exc
            manifest[job.key] = {"inputs": job.inputs, "pdf": sha256(rendered.pdf),
                                 "layout": job.layout.name, "pages": rendered.pages}
            write_manifest(output, manifest)
            outcomes.append(Outcome(job.brief.donor.code, job.brief.edition, job.path, "built",
                                    rendered.pages, len(rendered.pdf)))
        return outcomes
    finally:
        lock.release()


class LockedError(WorkError):
    """Another briefs run holds the project's lock."""

    exit_status = 3

    def __init__(self, path: Path):
        super().__init__(f"{path}: another briefs run is building this project — wait for it "
                         "to finish, then run the command again")
