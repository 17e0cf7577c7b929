"""What the build stage hands to the mail stage: each selected brief's PDF and its words.

The mail stage takes built PDFs and recipients; it neither plans builds nor reads layouts.
This module is the one place that turns a build plan into `BuiltBrief`s: the PDF, whether it
is built and current, and the words a message quotes (the title and period as the PDF prints
them, which come from the layout's labels), each with where it came from, so that a value
that cannot go in a mail header is reported in the file that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefs.build.batch import Job, plan_builds, raise_failures
from briefs.build.store import is_current, read_manifest
from briefs.contract.project import Project
from briefs.contract.spreadsheet import table_path
from briefs.errors import Warning_
from briefs.layout.figures import figures_of


@dataclass(frozen=True)
class Source:
    """A value that may end up in a mail header, and where the user wrote it."""

    value: str
    file: str
    field: str
    line: int | None = None


@dataclass(frozen=True)
class BuiltBrief:
    """One brief as a message attaches and quotes it."""

    code: str
    edition: int
    pdf: Path
    pdf_name: str  # output/2023/KOR.pdf, as the user sees it
    state: str  # "" when built and current, else why it cannot be sent as it is
    donor: str  # the donor's name
    short_name: str
    title: str  # title and subtitle as printed
    period: str  # the years the figures cover, as printed
    total: str  # the period's total with its qualifier, as printed
    sources: tuple[Source, ...]  # the values above as the user wrote them
    language: str = "en"  # what the brief is written in
    translation: str = ""  # a translation's language (KOR.fr.pdf); empty: the main language


@dataclass(frozen=True)
class Handover:
    project: Project
    briefs: tuple[BuiltBrief, ...]
    warnings: tuple[Warning_, ...]


def built_briefs(root: Path, codes: tuple[str, ...] = (), edition: int | None = None,
                 languages: tuple[str, ...] = ()) -> Handover:
    """The selected briefs (each donor's newest edition unless one is asked for), in each
    language it is written in (`languages`: only those).

    Raises UserError when data or a selected brief has a mistake: nothing is mailed then.
    """
    plan = plan_builds(Path(root), tuple(c.upper() for c in codes), edition,
                       languages=languages)
    project = plan.project
    if edition is None:
        # build also picks older editions never built; a mailing is each donor's newest
        newest = {code: max(years) for code, years in project.profiles.items() if years}
        plan.jobs = [j for j in plan.jobs if j.brief.edition == newest[j.brief.donor.code]]
        plan.failures = [f for f in plan.failures if f.edition == newest.get(f.code)]
    raise_failures(plan.failures)
    manifest = read_manifest(project.output)
    briefs = tuple(_built(project, job, manifest) for job in plan.jobs)
    return Handover(project, briefs, tuple(plan.warnings))


def _built(project: Project, job: Job, manifest: dict) -> BuiltBrief:
    brief, labels = job.brief, job.layout.labels
    profile = brief.profile
    where = profile.name or project.name(profile.path)
    donors = project.name(table_path(project.data / "donors.csv"))
    sources = (Source(brief.donor.name, donors, f"name (donor {brief.donor.code})"),
               Source(brief.donor.short_name, donors,
                      f"short_name (donor {brief.donor.code})"),
               Source(profile.title or "", where, "title", profile.lines.get("title")),
               Source(profile.subtitle or "", where, "subtitle", profile.lines.get("subtitle")))
    title = brief.title_line(labels.subtitle)
    written = figures_of(job.layout)
    total = written.money(brief.funding.total_usd, brief.funding.total_qualifier)
    return BuiltBrief(brief.donor.code, brief.edition, job.path, project.name(job.path),
                      _pdf_state(job, manifest), brief.donor.name, brief.donor.short_name,
                      title, written.period(profile.period), total, sources,
                      brief.language, profile.language)


def _pdf_state(job: Job, manifest: dict) -> str:
    """Why this PDF cannot be sent as it is, or "" when it is built and current."""
    if not job.path.is_file():
        return "not built yet — run briefs build first (send never builds: look at the PDFs " \
            "before they go out)"
    if not is_current(manifest.get(job.key), job.inputs, job.path):
        return "is out of date: its data, profile or layout changed since it was built, or " \
            "the file was changed — run briefs build first, look at it, then send"
    return ""
