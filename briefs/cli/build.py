"""`briefs build`, `briefs check` and `briefs preview`: the commands that draw briefs.

They parse options and call the library (briefs.build); what they print is the outcome of
each brief and a summary. Named in the group's table of commands (briefs.cli.main).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefs.cli.reporting import LANG_OPTION, report_bug, reported, shown
from briefs.text import plural

if TYPE_CHECKING:  # the build stage is imported when a command runs, so --help stays fast
    from concurrent.futures import Executor

    from briefs.build.batch import Outcome, Plan
    from briefs.build.workers import DrawingAhead


@click.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--edition", type=int, metavar="YEAR",
              help="Build this edition (default: each donor's newest, and older editions "
                   "never built).")
@click.option("--layout", metavar="NAME", help="Use this layout instead of the profile's.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), metavar="N",
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.option("--wait", is_flag=True, help="If another run holds the lock, wait for it.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and a summary.")
@click.option("--prune", is_flag=True,
              help="Also remove PDFs of donors or editions that no longer have a profile.")
@LANG_OPTION
@click.pass_obj
@reported
def build(project: Path, codes: tuple[str, ...], edition: int | None, layout: str | None,
          jobs: int | None, force: bool, wait: bool, quiet: bool, prune: bool,
          lang: tuple[str, ...]) -> None:
    """Write output/EDITION/CODE[.LANG].pdf for the donors given (default: all)."""
    from briefs.build import collector
    from briefs.build.workers import at_most_one_brief, default_jobs, workers_for

    codes = tuple(c.upper() for c in codes)
    one = at_most_one_brief(project, codes, edition)
    jobs = jobs or default_jobs()
    with collector.paused(), workers_for(jobs, one) as pool:  # before the project is read
        from briefs.build.batch import plan_builds  # imported after the fork: the worker
        # never plans; the Markdown of one brief is read here while the worker imports
        plan = plan_builds(project, codes, edition, layout, skip_current=not force,
                           languages=lang, body=one and pool is not None)
        jobs = 1 if one and pool is None else jobs
        outcomes = _run(plan, quiet, jobs, force, wait, pool)
    if prune:
        from briefs.build.orphans import prune as prune_orphans

        for orphan in prune_orphans(plan.project, wait):
            click.echo(f"removed {shown(orphan.path)} ({orphan.why})")
    _summarise(outcomes)


def _run(plan: Plan, quiet: bool, jobs: int, force: bool, wait: bool,
         pool: Executor | DrawingAhead | None) -> list[Outcome]:
    """Run the plan, printing each brief's outcome (or a progress bar on a terminal)."""
    from briefs.build.run import run_builds

    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    total = len(plan.jobs) + len(plan.failures)
    bar = None
    if not quiet and sys.stdout.isatty() and total > 1:
        bar = click.progressbar(length=total, label="building", show_pos=True,
                                item_show_func=lambda o: _brief_name(o) if o else "")

    def progress(outcome: Outcome) -> None:
        for warning in outcome.warnings:  # found in the Markdown, which the worker reads
            click.echo(str(warning), err=True)
        if bar is not None:
            bar.update(1, outcome)
        elif not quiet:
            click.echo(_outcome_line(outcome))

    with bar if bar is not None else contextlib.nullcontext():
        return run_builds(plan, force=force, jobs=jobs, wait=wait, progress=progress,
                          pool=pool)


def _summarise(outcomes: list[Outcome]) -> None:
    """The problems, the bugs and the counts of a build; exits 2 for a user's mistake,
    1 for a failure while working or a bug (a bug outranks a mistake: it needs a report)."""
    from briefs.build.batch import PageWarning

    for outcome in outcomes:  # what the page inspection saw on the pages just built
        for finding in outcome.findings:
            click.echo(str(PageWarning(outcome.code, outcome.edition, outcome.layout,
                                       finding, outcome.language)), err=True)
    failed = [o for o in outcomes if o.status == "failed"]
    problems = list(dict.fromkeys(p for o in failed for p in o.problems))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    bugs = [o.bug for o in failed if o.bug is not None]
    for bug in bugs:
        report_bug(bug)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "unchanged", "failed")}
    if failed:
        done = counts["built"] + counts["unchanged"]
        names = ", ".join(_brief_name(o) for o in failed)
        rest = "nothing was written." if not done else \
            f"not written: {names}; the other briefs are done."
        if problems:
            rest = f"{plural(len(problems), 'problem')} found; {rest}"
        click.echo(rest, err=True)
    click.echo(f"built {counts['built']}, unchanged {counts['unchanged']}"
               + (f", failed {counts['failed']}" if failed else ""))
    if bugs:
        sys.exit(1)
    if failed:
        sys.exit(max(o.exit_status for o in failed))


def _outcome_line(outcome: Outcome) -> str:
    if outcome.status == "built":
        return (f"wrote {shown(outcome.path)} ({plural(outcome.pages, 'page')}, "
                f"{outcome.size / 1024:.0f} KB)")
    if outcome.status == "unchanged":
        return f"unchanged {shown(outcome.path)}"
    return f"failed {_brief_name(outcome)}"


def _brief_name(outcome: Outcome) -> str:
    from briefs.build.batch import brief_name

    return brief_name(outcome.code, outcome.edition, outcome.language)


@click.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--edition", type=int, metavar="YEAR",
              help="Check this edition only (default: every edition).")
@LANG_OPTION
@click.option("--strict", is_flag=True,
              help="Exit with status 2 when a page warning is found (for scheduled runs).")
@click.pass_obj
@reported
def check(project: Path, codes: tuple[str, ...], edition: int | None,
          lang: tuple[str, ...], strict: bool) -> None:
    """Check data, profiles, layouts, recipients and the message template, draw every brief
    as build would and look at every page; writes nothing."""
    from briefs.build.batch import raise_failures
    from briefs.build.checking import plan_check

    plan, more = plan_check(project, tuple(c.upper() for c in codes), edition, lang)
    for warning in [*plan.warnings, *plan.pages]:
        click.echo(str(warning), err=True)
    raise_failures(plan.failures, more)
    count = len(plan.jobs)
    warned = len(plan.warnings) + len(plan.pages)
    note = f" ({plural(warned, 'warning')})" if warned else ""
    if strict and plan.pages:
        click.echo(f"{plural(len(plan.pages), 'page warning')} found (--strict); look at "
                   "those pages with briefs proof", err=True)
        sys.exit(2)
    click.echo(f"ok: {plural(count, 'brief')} checked, no problems found{note}")


@click.command()
@click.argument("code")
@click.option("--edition", type=int, metavar="YEAR", help="The edition (default: the newest).")
@click.option("--layout", metavar="NAME", help="Use this layout instead of the profile's.")
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True,
              help="Resolution of the images.")
@click.option("--sheet", is_flag=True, help="One contact sheet with all pages side by side.")
@LANG_OPTION
@click.pass_obj
@reported
def preview(project: Path, code: str, edition: int | None, layout: str | None, dpi: int,
            sheet: bool, lang: tuple[str, ...]) -> None:
    """Write PNG images of a brief's pages next to its PDF, building it first if needed."""
    from briefs.build.batch import plan_builds, raise_failures
    from briefs.build.preview import write_previews
    from briefs.build.run import run_builds

    plan = plan_builds(project, (code.upper(),), edition, layout, languages=lang)
    # the plan may hold older editions never built; only the one asked for (or the newest)
    target = edition or max(o.edition for o in [*plan.failures,
                                                 *(j.brief for j in plan.jobs)])
    raise_failures([f for f in plan.failures if f.edition == target])
    plan.jobs = [j for j in plan.jobs if j.brief.edition == target]
    plan.failures = []
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    raise_failures(run_builds(plan))
    for job in plan.jobs:
        for path in write_previews(job.path, dpi=dpi, sheet=sheet):
            click.echo(shown(path))
