"""The yearly-cycle commands: `new-edition`, `diff`, `list` and `init`.

They parse options and print; the work is in `briefs.editions`, `briefs.diffing`,
`briefs.listing` and `briefs.scaffold`. `briefs.cli` registers them on the main group.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefs.cli.reporting import LANG_OPTION, reported, shown
from briefs.text import plural


@click.command("new-edition")
@click.argument("code")
@click.argument("year", type=click.IntRange(1000, 9999))
@click.pass_obj
@reported
def new_edition(project: Path, code: str, year: int) -> None:
    """Start data/profiles/CODE/YEAR.md (and YEAR.LANG.md for each translation) from the
    donor's newest profile.

    Only 'edition' and 'period' (the five years before YEAR) change; the rest is copied as
    it is, and the command lists what to update before building.
    """
    from briefs.yearly.editions import new_edition as start

    result = start(project, code.upper(), year)
    for each in (result, *result.translations):
        click.echo(f"wrote {shown(each.path)} from {shown(each.source)}: edition "
                   f"{each.edition}, period [{each.period[0]}, {each.period[1]}]")
    for each in (result, *result.translations):
        click.echo(f"edit now{f' ({each.path.name})' if result.translations else ''}:")
        for hint in each.hints:
            click.echo(f"  - {hint}")
    click.echo(f"then: briefs check {code.upper()}, then briefs build {code.upper()}")


@click.command()
@click.argument("code")
@click.option("--from", "from_year", type=int, metavar="YEAR",
              help="The older edition (default: the one before --to).")
@click.option("--to", "to_year", type=int, metavar="YEAR",
              help="The newer edition (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable report, or JSON for other programs.")
@LANG_OPTION
@click.pass_obj
@reported
def diff(project: Path, code: str, from_year: int | None, to_year: int | None,
         fmt: str, lang: tuple[str, ...]) -> None:
    """What changed between two editions of a donor: figures, lists, sections, settings."""
    from briefs.yearly.diffing import diff_languages

    results = diff_languages(project, code.upper(), from_year, to_year, lang)
    only = next(iter(results.values())) if len(results) == 1 else None
    if fmt == "json":
        data = only.to_json() if only else {k: r.to_json() for k, r in results.items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for language, result in results.items():
        if only is None:
            click.echo(f"== {language}")
        click.echo(result.to_text(), nl=False)


@click.command("list")
@LANG_OPTION
@click.pass_obj
@reported
def list_briefs(project: Path, lang: tuple[str, ...]) -> None:
    """Every donor × edition and the state of its PDF: missing, built, stale or error."""
    from briefs.build.orphans import find_orphans
    from briefs.contract.project import load_project
    from briefs.yearly.listing import STATES
    from briefs.yearly.listing import list_briefs as states_of

    states = states_of(project, lang)
    for orphan in find_orphans(load_project(project)):
        click.echo(f"orphan: {shown(orphan.path)} ({orphan.why}) — remove it with "
                   "briefs build --prune")
    if not states:
        click.echo("no briefs yet — add a profile as data/profiles/CODE/YEAR.md")
        return
    head = ("donor", "edition", "language", "layout", "period", "state", "PDF")
    rows = [(s.code, str(s.edition), s.language, s.layout or "?", s.period or "?", s.state,
             shown(s.path)) for s in states]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    for row in [head, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))
    errors = [s for s in states if s.state == "error"]
    if errors:
        click.echo("")
        for state in errors:
            click.echo(f"{state.code} {state.edition} {state.language}: {state.message}")
    counts = [f"{sum(s.state == name for s in states)} {name}" for name in STATES
              if any(s.state == name for s in states)]
    click.echo(f"{plural(len(states), 'brief')}: {', '.join(counts)}")


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@reported
def init(folder: Path) -> None:
    """Create DIR as a new project folder holding a copy of the sample data.

    DIR must not exist yet, or be empty. The global --project option plays no part.
    """
    from briefs.yearly.scaffold import init_project

    written = init_project(folder)
    click.echo(f"created {shown(folder)} with the sample data:")
    for path in written:
        click.echo(f"  {shown(path)}")
    click.echo(f"next: briefs --project {shown(folder)} build, then replace the sample with "
               f"your own data (see {shown(folder / 'README.md')})")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True,
              help="CSV or JSON on standard output; XLSX written to output/report.xlsx.")
@click.pass_obj
@reported
def report(project: Path, fmt: str) -> None:
    """Every donor's channel totals: its newest edition, the previous one and the change."""
    from briefs.yearly.report import report_bytes, report_rows

    data = report_bytes(report_rows(project), fmt)
    if fmt != "xlsx":
        click.echo(data.decode("utf-8"), nl=False)
        return
    from briefs.build.store import write_atomic

    path = project / "output" / "report.xlsx"
    write_atomic(path, data)
    click.echo(f"wrote {shown(path)}")
