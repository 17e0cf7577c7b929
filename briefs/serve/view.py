"""What the desk shows, computed by the library: a brief's pages, problems, figures and diff.

Nothing here knows about HTTP. A view is built the way `briefs build` builds (plan, then
run under the project's lock, which is held only while the PDF is written) and checked the
way `briefs check` checks, so the page shows exactly the messages and the PDF the commands
give. When a scheduled build holds the lock, the brief is drawn in memory and nothing is
written: the desk never makes another run wait.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from briefs.build.batch import Plan, check_fit, compare_translations, plan_builds
from briefs.build.run import render_brief, run_builds
from briefs.contract.languages import main_language
from briefs.contract.project import Project
from briefs.errors import Collector, LockedError, Problem, UserError, Warning_
from briefs.layout.figures import figures_of
from briefs.text import MILLIONS

# ReportLab's and matplotlib's module state is not thread-safe: one drawing at a time
DRAWING = threading.Lock()


@dataclass(frozen=True)
class FigureRow:
    """One line of the figures table, as the brief prints it (US$ million)."""

    label: str
    amount: str


@dataclass(frozen=True)
class Shown:
    """A message as `check` prints it, and the page it concerns (None: the whole brief)."""

    text: str
    page: int | None = None


@dataclass(frozen=True)
class BriefView:
    """One brief as the desk shows it: its PDF's bytes, or the problems in their place."""

    code: str
    edition: int
    language: str = ""  # a translation's language (KOR.fr.pdf); empty: the main language
    pdf: bytes = b""
    sha: str = ""
    pages: int = 0
    problems: tuple[str, ...] = ()  # `check`'s lines ("error: …"); the pages are not shown
    warnings: tuple[Shown, ...] = ()
    period: str = ""
    figures: tuple[FigureRow, ...] = ()
    diff: str = ""  # `briefs diff` against the previous edition, as text
    notes: tuple[str, ...] = field(default=())


def shown_problems(problems: tuple[Problem, ...] | list[Problem]) -> tuple[str, ...]:
    """Problems as `briefs check` prints them, each once."""
    return tuple(f"error: {p}" for p in dict.fromkeys(problems))


def shown_warning(warning: Warning_) -> Shown:
    """A warning, on its page when the check says which (`page`, where it gives one)."""
    return Shown(str(warning), getattr(warning, "page", None))


def view_brief(root: Path, code: str, edition: int, language: str = "") -> BriefView:
    """Build one brief (if its inputs changed) and gather what its page shows.

    `language` is a translation's (`fr` for 2023.fr.md), empty for the main language: only
    that language is planned, so the page shows that brief's warnings and no other's.
    """
    wanted = (language or main_language(root, Collector()),)
    try:
        plan = plan_builds(root, (code,), edition, languages=wanted)
    except UserError as exc:  # the shared tables: no brief can be built
        return BriefView(code, edition, language, problems=shown_problems(exc.problems))
    failures = [f for f in plan.failures if f.edition == edition]
    if failures:
        return BriefView(code, edition, language, problems=shown_problems(
            [p for f in failures for p in f.problems]))
    plan.jobs = [j for j in plan.jobs if j.brief.edition == edition]
    plan.failures = []
    compare_translations(plan)
    job = plan.jobs[0]
    notes: list[str] = []
    with DRAWING:
        try:
            outcome = run_builds(plan)[0]
            pdf = job.path.read_bytes() if outcome.status != "failed" else b""
        except LockedError:
            notes.append("another briefs run holds the project's lock: this preview is drawn "
                         "in memory and not saved")
            try:  # the whole profile: a current brief was planned from its front matter
                whole = plan_builds(root, (code,), edition, skip_current=False,
                                    languages=wanted).jobs[0]
                pdf = render_brief(whole.brief, whole.layout)
                outcome = None
            except UserError as exc:
                return BriefView(code, edition, language,
                                 problems=shown_problems(exc.problems))
    if outcome is not None and outcome.status == "failed":
        if outcome.bug is not None:
            return BriefView(code, edition, language, problems=(f"error: {outcome.bug.said}",))
        return BriefView(code, edition, language, problems=shown_problems(outcome.problems))
    return _complete(plan, pdf, notes)


def _complete(plan: Plan, pdf: bytes, notes: list[str]) -> BriefView:
    """The view of a built brief: pages, warnings, figures and the diff."""
    import pypdfium2 as pdfium

    from briefs.build.store import sha256

    job = plan.jobs[0]
    brief = job.brief
    figures = figures_of(job.layout)  # the layout in the brief's language, as the PDF's
    rows = [FigureRow(c.channel.label, figures.money(c.amount_usd, c.qualifier, MILLIONS))
            for c in brief.funding.channels]
    if rows:
        funding = brief.funding
        total = figures.money(funding.total_usd, funding.total_qualifier, MILLIONS)
        rows.append(FigureRow("Total", total))
    document = pdfium.PdfDocument(pdf)
    pages = len(document)
    document.close()
    return BriefView(
        brief.donor.code, brief.edition, brief.profile.language, pdf, sha256(pdf), pages,
        warnings=tuple(shown_warning(w) for w in plan.warnings),
        period=figures.period(brief.funding.period), figures=tuple(rows),
        diff=_diff_text(plan.project, brief.donor.code, brief.edition, brief.language, notes),
        notes=tuple(notes))


def _diff_text(project: Project, code: str, edition: int, language: str,
               notes: list[str]) -> str:
    """`briefs diff` against the newest earlier edition written in the same language."""
    from briefs.yearly.diffing import diff_editions

    earlier = [e for e in project.editions(code)
               if e < edition and language in project.languages(code, e)]
    if not earlier:
        return ""
    try:
        return diff_editions(project, code, earlier[-1], edition, language).to_text()
    except UserError as exc:
        notes.extend(str(p) for p in exc.problems)
        return ""


def page_images(pdf: bytes, dpi: int = 80) -> list[bytes]:
    """PNG images of a PDF's pages, rendered as a reader shows them (see build.preview)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=dpi / 72).to_pil().save(buffer, format="PNG")
            images.append(buffer.getvalue())
        return images
    finally:
        document.close()


Key = tuple[str, int, str]
"""A brief by donor code, edition and language (empty for the main language, as in
`BriefView.language`)."""


def check_findings(root: Path) -> dict[Key, tuple[str, ...]]:
    """What `briefs check` says about each brief: its problems and warnings, by brief.

    Each brief is laid out on its own, taking the drawing lock for one brief at a time, so
    a page being viewed is never kept waiting behind the whole project's check.
    """
    try:
        plan = plan_builds(root, every_edition=True, skip_current=False)
    except UserError:  # the shared tables: the index shows their problems instead
        return {}
    compare_translations(plan)  # as check does: a translation that says another thing
    found: dict[Key, list[str]] = {}
    for job in plan.jobs:
        one = Plan(plan.project, [job])
        with DRAWING:
            check_fit(one)
        key = (job.brief.donor.code, job.brief.edition, job.brief.profile.language)
        found[key] = list(shown_problems([p for f in one.failures for p in f.problems]))
        found[key].extend(str(w) for w in one.pages)  # the page inspection's, as check's
    for failure in plan.failures:
        found.setdefault((failure.code, failure.edition, failure.language), []).extend(
            shown_problems(failure.problems))
    project = plan.project
    by_file = {project.name(project.profile_path(code, year, language)):
               (code, year, project.suffix(language))
               for code, years in project.profiles.items() for year in years
               for language in project.languages(code, year)}
    for warning in plan.warnings:
        key = by_file.get(warning.file)
        if key is not None:
            found.setdefault(key, []).append(str(warning))
    return {key: tuple(lines) for key, lines in found.items()}
