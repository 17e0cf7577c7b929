"""The `briefs` command: parses options, calls the library, reports.

Every error the library raises on purpose is a BriefsError; it is turned into a message and an
exit status here and nowhere else. Heavy libraries are imported inside the commands so that
`briefs --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from briefs import __version__
from briefs.cli.reporting import reported, shown

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="briefs")
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=".", envvar="BRIEFS_PROJECT", show_default="the current folder",
              help="The project folder (holding data/). Also BRIEFS_PROJECT.")
@click.pass_context
def cli(ctx: click.Context, project: Path) -> None:
    """Build donor-profile fact sheets as PDF from data files and YAML layouts."""
    ctx.obj = project


@cli.command()
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
@click.pass_obj
@reported
def build(project: Path, codes: tuple[str, ...], edition: int | None, layout: str | None,
          jobs: int | None, force: bool, wait: bool, quiet: bool) -> None:
    """Write output/EDITION/CODE.pdf for the donors given (default: all)."""
    from briefs.build.batch import default_jobs, plan_builds, run_builds

    plan = plan_builds(project, tuple(c.upper() for c in codes), edition, layout,
                       skip_current=not force)
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    total = len(plan.jobs) + len(plan.failures)
    bar = None
    if not quiet and sys.stdout.isatty() and total > 1:
        bar = click.progressbar(length=total, label="building", show_pos=True,
                                item_show_func=lambda o: f"{o.code} {o.edition}" if o else "")

    def progress(outcome: Any) -> None:
        if bar is not None:
            bar.update(1, outcome)
        elif not quiet:
            click.echo(_outcome_line(outcome))

    if bar is not None:
        with bar:
            outcomes = run_builds(plan, force=force, jobs=jobs or default_jobs(), wait=wait,
                                  progress=progress)
    else:
        outcomes = run_builds(plan, force=force, jobs=jobs or default_jobs(), wait=wait,
                              progress=progress)
    failed = [o for o in outcomes if o.status == "failed"]
    problems = list(dict.fromkeys(p for o in failed for p in o.problems))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "unchanged", "failed")}
    if failed:
        count = len(problems)
        done = counts["built"] + counts["unchanged"]
        names = ", ".join(f"{o.code} {o.edition}" for o in failed)
        rest = "nothing was written." if not done else \
            f"not written: {names}; the other briefs are done."
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; {rest}", err=True)
    click.echo(f"built {counts['built']}, unchanged {counts['unchanged']}"
               + (f", failed {counts['failed']}" if failed else ""))
    if failed:
        sys.exit(max(o.exit_status for o in failed))


def _outcome_line(outcome: Any) -> str:
    if outcome.status == "built":
        return (f"wrote {shown(outcome.path)} ({outcome.pages} page"
                f"{'s' if outcome.pages != 1 else ''}, {outcome.size / 1024:.0f} KB)")
    if outcome.status == "unchanged":
        return f"unchanged {shown(outcome.path)}"
    return f"failed {outcome.code} {outcome.edition}"


@cli.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--strict", is_flag=True,
              help="Exit with status 2 when a page warning is found (for scheduled runs).")
@click.pass_obj
@reported
def check(project: Path, codes: tuple[str, ...], strict: bool) -> None:
    """Check data, profiles, layouts and recipients, that text fits, and look at every
    laid-out page; writes nothing."""
    from briefs.build.batch import check_project

    plan = check_project(project, tuple(c.upper() for c in codes))
    for warning in [*plan.warnings, *plan.pages]:
        click.echo(str(warning), err=True)
    count = len(plan.jobs)
    warned = len(plan.warnings) + len(plan.pages)
    note = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
    if strict and plan.pages:
        pages = len(plan.pages)
        click.echo(f"{pages} page warning{'s' if pages != 1 else ''} found (--strict); "
                   "look at those pages with briefs proof", err=True)
        sys.exit(2)
    click.echo(f"ok: {count} brief{'s' if count != 1 else ''} checked, no problems found{note}")


@cli.command()
@click.argument("code")
@click.option("--edition", type=int, metavar="YEAR", help="The edition (default: the newest).")
@click.option("--layout", metavar="NAME", help="Use this layout instead of the profile's.")
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True,
              help="Resolution of the images.")
@click.option("--sheet", is_flag=True, help="One contact sheet with all pages side by side.")
@click.pass_obj
@reported
def preview(project: Path, code: str, edition: int | None, layout: str | None, dpi: int,
            sheet: bool) -> None:
    """Write PNG images of a brief's pages next to its PDF, building it first if needed."""
    from briefs.build.batch import plan_builds, raise_failures, run_builds
    from briefs.build.preview import write_previews

    plan = plan_builds(project, (code.upper(),), edition, layout)
    # the plan may hold older editions never built; only the one asked for (or the newest)
    target = edition or max(o.edition for o in [*plan.failures,
                                                 *(j.brief for j in plan.jobs)])
    raise_failures([f for f in plan.failures if f.edition == target])
    job = next(j for j in plan.jobs if j.brief.edition == target)
    plan.jobs = [job]
    plan.failures = []
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    raise_failures(run_builds(plan))
    for path in write_previews(job.path, dpi=dpi, sheet=sheet):
        click.echo(shown(path))


@cli.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--edition", type=int, metavar="YEAR",
              help="This edition (default: each donor's newest).")
@click.option("--png", is_flag=True, help="PNG images of the sheet instead of one PDF.")
@click.pass_obj
@reported
def proof(project: Path, codes: tuple[str, ...], edition: int | None, png: bool) -> None:
    """One sheet of every page of the briefs given (default: all), small and labelled, with
    the page warnings of check beside each page: output/proof.pdf."""
    from briefs.build.batch import plan_builds, raise_failures
    from briefs.build.proof import proof_briefs, write_proof

    plan = plan_builds(project, tuple(c.upper() for c in codes), edition, None,
                       every_edition=True, skip_current=False)
    if edition is None:  # each donor's newest edition
        newest = {}
        for job in plan.jobs:
            code = job.brief.donor.code
            if job.brief.edition >= newest.get(code, job).brief.edition:
                newest[code] = job
        plan.jobs = list(newest.values())
        plan.failures = [f for f in plan.failures if f.edition >= max(
            (j.brief.edition for j in plan.jobs if j.brief.donor.code == f.code),
            default=f.edition)]
    raise_failures(plan.failures)
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    briefs = proof_briefs(plan)
    title = f"Proof sheet: {len(briefs)} brief{'s' if len(briefs) != 1 else ''}, " \
        f"{len(plan.pages)} page warning{'s' if len(plan.pages) != 1 else ''}"
    for path in write_proof(briefs, plan.project.output / "proof", title, png):
        click.echo(shown(path))
    click.echo(title)


def _register() -> None:
    """Commands kept in their own modules, added to the group before anything can run it."""
    from briefs.cli.send import send
    from briefs.cli.yearly import COMMANDS

    for command in (*COMMANDS, send):
        cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="briefs")
