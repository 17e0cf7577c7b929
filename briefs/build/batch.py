"""Planning builds: load and check what each brief needs, before anything is drawn.

A mistake in the shared data (a table, the contract) stops the run before anything is
written. A mistake in one brief (its profile, its layout, text that does not fit) fails that
brief alone: the others are built, and the failures are reported together at the end.
Running the plan (drawing, writing, the worker pool) is `briefs.build.run`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from briefs import __version__
from briefs.build.store import is_current, read_manifest
from briefs.contract.funding import rows_used
from briefs.contract.model import Brief
from briefs.contract.project import Project, load_brief, load_project, select
from briefs.errors import Bug, InternalError, Problem, UserError, Warning_
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
    bug: Bug | None = None  # for a failure that is a bug in briefs, not the user's mistake
    findings: tuple[Finding, ...] = ()  # for a built brief: what the page inspection saw
    layout: str = ""  # for a built brief: the layout it was drawn in


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


def output_path(output: Path, code: str, edition: int, layout: str | None = None) -> Path:
    """Where a brief's PDF goes: output/EDITION/CODE.pdf in the profile's own layout.

    `layout` names another layout than the profile's own (`build --layout`): its PDF is
    output/EDITION/CODE-LAYOUT.pdf, so it never overwrites the brief as it is sent. The one
    place the path is made: build, list, send and the manifest all find the PDF through it.
    """
    return output / str(edition) / f"{code}{f'-{layout}' if layout else ''}.pdf"


def inputs_digest(project: Project, brief: Brief, layout: Layout) -> str:
    """A hash of everything the PDF is made from: change any of it and the PDF is rebuilt."""
    rows = rows_used(brief.donor.code, brief.profile.period, project.contributions)
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
    return Outcome(code, edition, output_path(project.output, code, edition), "failed",
                   problems=problems, exit_status=status)


def plan_builds(root: Path | Project, codes: tuple[str, ...] = (), edition: int | None = None,
                layout: str | None = None, every_edition: bool = False,
                skip_current: bool = True) -> Plan:
    """Load and check what the selected briefs need.

    Raises UserError for a mistake in the shared data; a brief with a mistake of its own is
    recorded in `failures` and the rest of the plan goes on. With `skip_current`, a brief whose
    PDF is current is not parsed further than its front matter: it will not be rebuilt.
    `root` is a project folder, or a project a caller has already loaded.
    """
    project = root if isinstance(root, Project) else load_project(root)
    built = {(c, e) for c, es in project.profiles.items() for e in es
             if output_path(project.output, c, e).is_file()}
    chosen = select(project, codes, edition, None if every_edition else built)
    plan = Plan(project, [], list(project.warnings))
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
        path = output_path(project.output, code, year,
                           None if layout_name == brief.profile.layout else layout_name)
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
    """Lay out and draw every brief as build would, without writing: text that does not fit
    is reported, and nothing check passes can fail in build. What the page inspection sees
    (and each layout's colours, once) is a page warning."""
    from briefs.render.document import render_pdf

    colours_seen: set[str] = set()
    for job in plan.jobs:
        code, edition = job.brief.donor.code, job.brief.edition
        try:
            rendered = render_pdf(job.brief, job.layout)
        except UserError as exc:
            plan.failures.append(_failed(plan.project, code, edition, exc.problems))
            continue
        plan.pages.extend(PageWarning(code, edition, job.layout.name, f)
                          for f in [*layout_once(job.layout, colours_seen), *rendered.findings])


def layout_once(layout: Layout, seen: set[str]) -> list[Finding]:
    """The layout's colour findings the first time it is met, then nothing."""
    from briefs.render.contrast import layout_findings

    if layout.name in seen:
        return []
    seen.add(layout.name)
    return layout_findings(layout)


def raise_failures(outcomes: list[Outcome], more: tuple[Problem, ...] = ()) -> None:
    """For `check`: every brief's problems (and `more`) together, as one UserError.

    A brief that failed by a bug in briefs is raised as that bug instead: it is not a problem
    the user can fix, and must not be reported as one.
    """
    for outcome in outcomes:
        if outcome.bug is not None:
            raise InternalError(outcome.bug)
    problems = [p for o in outcomes if o.status == "failed" for p in o.problems]
    problems.extend(more)
    if problems:
        raise UserError(dict.fromkeys(problems))


def check_project(root: Path | Project, codes: tuple[str, ...] = (),
                  edition: int | None = None) -> Plan:
    """Everything `briefs check` checks, with every problem in one UserError.

    See `briefs.build.checking.plan_check` for what is checked; warnings are in the plan.
    """
    from briefs.build.checking import plan_check

    plan, more = plan_check(root, codes, edition)
    raise_failures(plan.failures, more)
    return plan
