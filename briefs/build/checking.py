"""What `briefs check` looks at beyond the briefs a build would make.

A build reads only what the briefs it makes need. `check` is the yearly look at the whole
project, so it also reads what only the mailing day or next year would meet: the recipients,
the message template, layouts no profile uses yet and files that nothing reads.
"""

from __future__ import annotations

from pathlib import Path

from briefs.build.batch import Job, Plan, check_fit, plan_builds
from briefs.contract.project import Project
from briefs.contract.spreadsheet import table_path
from briefs.errors import Collector, Problem, UserError

LAYOUT_SUFFIX = ".yaml"


def plan_check(root: Path | Project, codes: tuple[str, ...] = (),
               edition: int | None = None) -> tuple[Plan, tuple[Problem, ...]]:
    """The checked plan (every edition, or `edition`) and the problems outside its briefs.

    Every brief is laid out and drawn as build would draw it, so nothing check passes can
    fail in build. Nothing is raised here: the caller shows the warnings, then the problems.
    """
    from briefs.mail.message import load_recipients, load_template

    plan = plan_builds(root, codes, edition, every_edition=edition is None,
                       skip_current=False)
    check_fit(plan)
    found = Collector()
    project = plan.project
    if table_path(project.data / "stakeholders.csv").is_file():
        load_recipients(project.root, project.donors, found)
    load_template(project.root, found)
    for job in plan.jobs:
        _check_glyphs(job, found)
    used = {j.layout.name for j in plan.jobs}
    _check_unused_layouts(project.root, used, found)
    plan.warnings.extend(dict.fromkeys(found.warnings))  # a table shared by briefs: once
    return plan, tuple(found.problems)


def _check_glyphs(job: Job, found: Collector) -> None:
    """Characters of the profile its layout's font cannot print as written."""
    from briefs.render.glyphs import font_cmap, unprintable

    family, cmap = font_cmap(job.layout)
    profile = job.brief.profile
    for line, why in unprintable(profile.source.split("\n"), family, cmap):
        found.warn(profile.name, why, line=line)
    donor = job.brief.donor
    # names from the tables print in the title and the chart: their rows have no line here
    tables = [("data/donors.csv", f"{donor.code}: {donor.name} {donor.short_name}")]
    tables += [("data/channels.csv", f"{c.code}: {c.label} {c.description}")
               for c in job.brief.channels]
    for table, text in tables:
        for _, why in unprintable([text], family, cmap):
            found.warn(table, f"{text.split(':')[0]}: {why}")


def _check_unused_layouts(root: Path, used: set[str], found: Collector) -> None:
    """A project's own layouts that no brief uses are loaded too; stray files are reported."""
    from briefs.layout.loader import load_layout

    folder = root / "layouts"
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        name = f"layouts/{path.name}"
        if path.suffix != LAYOUT_SUFFIX or not path.is_file():
            stem = path.name.split(".")[0]
            found.warn(name, f"is not used — a layout is a file named NAME{LAYOUT_SUFFIX}; "
                       f"rename it to {stem}{LAYOUT_SUFFIX} if it is one")
            continue
        if path.stem in used:
            continue
        try:
            load_layout(path.stem, root)
        except UserError as error:
            found.extend(error)
