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
from typing import TYPE_CHECKING

from briefs import __version__
from briefs.build.store import is_current, read_manifest
from briefs.contract.funding import rows_used
from briefs.contract.model import Brief
from briefs.contract.project import Project, load_brief, load_project, select
from briefs.errors import Bug, InternalError, Problem, UserError, Warning_
from briefs.layout.loader import Layout, load_layout

if TYPE_CHECKING:  # the render stage is imported by the workers that draw, not by planning
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
    language: str = ""  # a translation's language; empty: the main language
    pages: int = 0
    size: int = 0
    sha: str = ""
    problems: tuple[Problem, ...] = ()
    exit_status: int = 0  # for a failure: 2 a user's mistake, 1 a failure while working
    bug: Bug | None = None  # for a failure that is a bug in briefs, not the user's mistake
    findings: tuple[Finding, ...] = ()  # for a built brief: what the page inspection saw
    layout: str = ""  # for a built brief: the layout it was drawn in
    warnings: tuple[Warning_, ...] = ()  # found by the worker in a brief's Markdown


@dataclass(frozen=True)
class PageWarning:
    """A page inspection finding, with the brief it concerns."""

    code: str
    edition: int
    layout: str
    finding: Finding
    language: str = ""  # a translation's language; empty: the main language

    def __str__(self) -> str:
        if self.finding.page is None:  # the layout itself, reported once
            return f"warning: layout {self.layout}: {self.finding.message}"
        who = f"{brief_name(self.code, self.edition, self.language)} ({self.layout})"
        return f"warning: {self.finding.where(who)}: {self.finding.message}"


def brief_name(code: str, edition: int, language: str = "") -> str:
    """How messages name a brief: 'KOR 2017', or 'KOR 2023 fr' for a translation."""
    return " ".join(filter(None, (code, str(edition), language)))


@dataclass
class Plan:
    project: Project
    jobs: list[Job]
    warnings: list[Warning_] = field(default_factory=list)
    failures: list[Outcome] = field(default_factory=list)
    pages: list[PageWarning] = field(default_factory=list)  # what the page inspection saw


def output_path(output: Path, code: str, edition: int, layout: str | None = None,
                language: str = "") -> Path:
    """Where a brief's PDF goes: output/EDITION/CODE.pdf in the profile's own layout.

    `layout` names another layout than the profile's own (`build --layout`): its PDF is
    output/EDITION/CODE-LAYOUT.pdf, so it never overwrites the brief as it is sent. A
    translation's `language` (empty for the main language) comes last: CODE.fr.pdf,
    CODE-LAYOUT.fr.pdf. The one place the path is made: build, list, send and the manifest
    all find the PDF through it.
    """
    suffix = f".{language}" if language else ""
    return output / str(edition) / f"{code}{f'-{layout}' if layout else ''}{suffix}.pdf"


def inputs_digest(project: Project, brief: Brief, layout: Layout) -> str:
    """A hash of everything the PDF is made from: change any of it and the PDF is rebuilt."""
    rows = rows_used(brief.donor.code, brief.profile.period,
                     project.rows_of(brief.donor.code))
    payload = {
        "version": __version__,
        "donor": vars(brief.donor),
        "channels": [vars(c) for c in project.channels.values()],
        "rows": [[r.start_year, r.end_year, r.channel, r.amount_usd, r.qualifier]
                 for r in rows],
        "profile_text": brief.profile.source,
        "layout": layout.name,
        "layout_files": layout.digest,
        "language": brief.language,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _failed(project: Project, code: str, edition: int, problems: tuple[Problem, ...],
            status: int = 2, language: str = "") -> Outcome:
    return Outcome(code, edition, output_path(project.output, code, edition, language=language),
                   "failed", language, problems=problems, exit_status=status)


def chosen_languages(project: Project, code: str, edition: int,
                     languages: tuple[str, ...] = ()) -> list[str]:
    """The languages of one edition a command works on: `languages` (`--lang`) among those
    it is written in, or all of them, the main language first."""
    have = project.languages(code, edition)
    return [lang for lang in have if not languages or lang in languages]


def check_languages(project: Project, languages: tuple[str, ...]) -> None:
    """`--lang xx` names a language some profile is written in; otherwise the user's mistake."""
    have = {project.language} | {lang for editions in project.translations.values()
                                 for files in editions.values() for lang in files}
    wrong = [lang for lang in languages if lang not in have]
    if wrong:
        raise UserError([Problem("--lang", f"no profile is written in '{lang}' — the "
                                 f"languages are: {', '.join(sorted(have))}") for lang in wrong])


def plan_builds(root: Path | Project, codes: tuple[str, ...] = (), edition: int | None = None,
                layout: str | None = None, every_edition: bool = False,
                skip_current: bool = True, languages: tuple[str, ...] = (),
                body: bool = True) -> Plan:
    """Load and check what the selected briefs need.

    Raises UserError for a mistake in the shared data; a brief with a mistake of its own is
    recorded in `failures` and the rest of the plan goes on. With `skip_current`, a brief whose
    PDF is current is not parsed further than its front matter: it will not be rebuilt.
    `root` is a project folder, or a project a caller has already loaded. Each edition is
    planned in each of its languages (`languages`: only those).
    With `body` False no brief's Markdown is parsed here: the worker that draws a brief
    parses it (`Profile.parsed`), so a build's serial start reads front matter only.
    """
    project = root if isinstance(root, Project) else load_project(root)
    check_languages(project, languages)
    built = {(c, e) for c, es in project.profiles.items() for e in es
             if output_path(project.output, c, e).is_file()}
    chosen = select(project, codes, edition, None if every_edition else built)
    plan = Plan(project, [], list(project.warnings))
    manifest = read_manifest(project.output) if skip_current else {}
    layouts: dict[tuple[str, str], Layout | UserError] = {}
    for code, year in chosen:
        for language in chosen_languages(project, code, year, languages):
            _plan_one(plan, code, year, language, layout, skip_current, manifest, layouts,
                      body)
    return plan


def _layout(project: Project, name: str, language: str,
            layouts: dict[tuple[str, str], Layout | UserError]) -> Layout | UserError:
    """The layout in a language, loaded once per run (and once per language)."""
    if (name, "") not in layouts:
        try:
            layouts[(name, "")] = load_layout(name, project.root)
        except UserError as exc:
            layouts[(name, "")] = exc
    if (name, language) not in layouts:
        base = layouts[(name, "")]
        layouts[(name, language)] = base if isinstance(base, UserError) else \
            base.in_language(language)
    return layouts[(name, language)]


def _plan_one(plan: Plan, code: str, year: int, language: str, layout: str | None,
              skip_current: bool, manifest: dict, layouts: dict, body: bool = True) -> None:
    """One brief of the plan: a job, or a failure of its own."""
    project = plan.project
    suffix = project.suffix(language)
    try:
        brief, layout_name, found = load_brief(project, code, year, layout,
                                               body=body and not skip_current,
                                               language=language)
    except UserError as exc:
        plan.failures.append(_failed(project, code, year, exc.problems, language=suffix))
        return
    chosen_layout = _layout(project, layout_name, language, layouts)
    if isinstance(chosen_layout, UserError):
        plan.failures.append(_failed(project, code, year, chosen_layout.problems,
                                     language=suffix))
        return
    path = output_path(project.output, code, year,
                       None if layout_name == brief.profile.layout else layout_name, suffix)
    digest = inputs_digest(project, brief, chosen_layout)
    job = Job(brief, chosen_layout, path, digest)
    if body and skip_current and not is_current(manifest.get(job.key), digest, path):
        try:  # to be built: now the whole profile
            brief, _, found = load_brief(project, code, year, layout, language=language)
        except UserError as exc:
            plan.failures.append(_failed(project, code, year, exc.problems, language=suffix))
            return
        job = Job(brief, chosen_layout, path, digest)
    base = layouts[(layout_name, "")]
    if isinstance(base, Layout) and not base.has_language(language):
        found.warn(brief.profile.name, f"layout '{layout_name}' has no labels in "
                   f"'{language}': its fixed texts print in '{base.labels.language}'"
                   f" — add languages.{language}.labels to the layout")
    plan.warnings.extend(found.warnings)
    plan.jobs.append(job)


def compare_translations(plan: Plan) -> None:
    """Warnings where a translation's front matter or sections differ from its main file's."""
    from briefs.contract.languages import compare_translation
    from briefs.contract.profiles import load_profile
    from briefs.errors import Collector

    project = plan.project
    for job in plan.jobs:
        if not job.brief.profile.language:
            continue
        code, edition = job.brief.donor.code, job.brief.edition
        path = project.profile_path(code, edition)
        found = Collector()
        main = load_profile(path, code, project.name(path), found, language=project.language)
        if main is not None:
            compare_translation(main, job.brief.profile, found)
            plan.warnings.extend(found.warnings)


def routing_warnings(plan: Plan, recipients: list) -> list[Warning_]:
    """A warning for each recipient whose language an edition they would be sent lacks."""
    from briefs.mail.languages import route
    from briefs.mail.message import recipients_for

    project = plan.project
    out = []
    for code, year in dict.fromkeys((j.brief.donor.code, j.brief.edition) for j in plan.jobs):
        if year != project.editions(code)[-1]:
            continue  # a mailing sends each donor's newest edition
        chosen, _ = recipients_for(code, recipients)
        _, warnings = route(chosen, project.languages(code, year), project.language, code,
                            year)
        out.extend(warnings)
    return out


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
            plan.failures.append(_failed(plan.project, code, edition, exc.problems,
                                         language=job.brief.profile.language))
            continue
        plan.pages.extend(PageWarning(code, edition, job.layout.name, f,
                                      job.brief.profile.language)
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
                  edition: int | None = None, languages: tuple[str, ...] = ()) -> Plan:
    """Everything `briefs check` checks, with every problem in one UserError.

    See `briefs.build.checking.plan_check` for what is checked; warnings are in the plan.
    """
    from briefs.build.checking import plan_check

    plan, more = plan_check(root, codes, edition, languages)
    raise_failures(plan.failures, more)
    return plan
