"""The `briefs` command line: parses options, calls the library, prints what happened.

Takes the command line and the environment; gives messages and exit statuses (0 done, 1 a
failure while working or a bug, 2 a user's mistake, 3 another run holds the lock). Nothing
here decides anything about briefs: every rule lives in the stage packages.
"""

from briefs.cli.main import cli, main

__all__ = ["cli", "main"]
