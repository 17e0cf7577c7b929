"""`briefs proof`: one sheet of every page of many briefs, with the page warnings of check.

Parses options and calls briefs.build.proof; named in the group's table (briefs.cli.main).
"""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.reporting import LANG_OPTION, reported, shown


@click.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--edition", type=int, metavar="YEAR",
              help="This edition (default: each donor's newest).")
@click.option("--png", is_flag=True, help="PNG images of the sheet instead of one PDF.")
@LANG_OPTION
@click.pass_obj
@reported
def proof(project: Path, codes: tuple[str, ...], edition: int | None, png: bool,
          lang: tuple[str, ...]) -> None:
    """One sheet of every page of the briefs given (default: all), small and labelled, with
    the page warnings of check under each page: output/proof.pdf."""
    from briefs.build.proof import plan_proof, proof_briefs, proof_title, write_proof

    plan = plan_proof(project, tuple(c.upper() for c in codes), edition, lang)
    for warning in plan.warnings:
        click.echo(str(warning), err=True)
    briefs = proof_briefs(plan)
    title = proof_title(len(briefs), len(plan.pages))
    for path in write_proof(briefs, plan.project.output / "proof", title, png):
        click.echo(shown(path))
    click.echo(title)
