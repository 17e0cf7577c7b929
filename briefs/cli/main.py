"""The `briefs` group and its table of commands: every command is named here, at import.

The commands live in their own modules (build, yearly, send); naming them in a table of this
module, not when `main()` runs, is what lets `python -m briefs`, `python -m briefs.cli`, the
installed script and a test's CliRunner all see the same commands. A command's module is
imported when the command is asked for (to run it, or to list it in `--help`), so `briefs
build` never imports what `briefs serve` or `briefs send` need; heavy libraries are imported
inside the commands.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import click

from briefs import __version__
from briefs.cli.reporting import report_bug
from briefs.errors import Bug

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# command name -> (module, name of the command in it)
COMMANDS = {
    "build": ("briefs.cli.build", "build"),
    "check": ("briefs.cli.build", "check"),
    "preview": ("briefs.cli.build", "preview"),
    "proof": ("briefs.cli.proof", "proof"),
    "new-edition": ("briefs.cli.yearly", "new_edition"),
    "diff": ("briefs.cli.yearly", "diff"),
    "list": ("briefs.cli.yearly", "list_briefs"),
    "init": ("briefs.cli.yearly", "init"),
    "report": ("briefs.cli.yearly", "report"),
    "send": ("briefs.cli.send", "send"),
    "serve": ("briefs.cli.serve", "serve"),
}


class Briefs(click.Group):
    """The group whose commands are imported from `COMMANDS` when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            self.add_command(getattr(import_module(module), name), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=Briefs, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="briefs")
@click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
              default=".", envvar="BRIEFS_PROJECT", show_default="the current folder",
              help="The project folder (holding data/). Also BRIEFS_PROJECT.")
@click.pass_context
def cli(ctx: click.Context, project: Path) -> None:
    """Build donor-profile fact sheets as PDF from data files and YAML layouts."""
    ctx.obj = project


def main() -> None:
    """The installed `briefs` script. Each command reports its own errors (`reported`); a bug
    outside any command (in option parsing, say) is still reported as a bug, not a traceback."""
    from briefs.build import collector

    collector.ends_with_command()
    try:
        cli(prog_name="briefs")
    except Exception as exc:
        report_bug(Bug.caught(exc))
        sys.exit(1)
