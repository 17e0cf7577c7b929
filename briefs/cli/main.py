"""The `briefs` group and its registration: every command is added here, at import.

The commands live in their own modules (build, yearly, send); registering them when this
module is imported, not when `main()` runs, is what lets `python -m briefs`, `python -m
briefs.cli`, the installed script and a test's CliRunner all see the same eight commands.
Heavy libraries are imported inside the commands so that `briefs --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefs import __version__
from briefs.cli.reporting import report_bug
from briefs.errors import Bug

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


def _register() -> None:
    """Commands kept in their own modules, added to the group before anything can run it."""
    from briefs.cli.build import COMMANDS as BUILD_COMMANDS
    from briefs.cli.proof import COMMANDS as PROOF_COMMANDS
    from briefs.cli.send import send
    from briefs.cli.serve import serve
    from briefs.cli.yearly import COMMANDS as YEARLY_COMMANDS

    for command in (*BUILD_COMMANDS, *PROOF_COMMANDS, *YEARLY_COMMANDS, send, serve):
        cli.add_command(command)


_register()


def main() -> None:
    """The installed `briefs` script. Each command reports its own errors (`reported`); a bug
    outside any command (in option parsing, say) is still reported as a bug, not a traceback."""
    try:
        cli(prog_name="briefs")
    except Exception as exc:
        report_bug(Bug.caught(exc))
        sys.exit(1)
