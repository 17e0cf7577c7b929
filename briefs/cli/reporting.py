"""What every command shares: errors turned into messages and exit statuses, paths as shown.

Library code raises; these turn a BriefsError into one line per problem on stderr and the
documented exit status, in one place for all commands. Anything else is a bug in briefs and is
said to be one: "internal error in briefs: …, please report it", exit status 1, with the
traceback under BRIEFS_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from briefs.errors import BriefsError, Bug, InternalError, UserError
from briefs.text import plural

DEBUG_VARIABLE = "BRIEFS_DEBUG"


def reported(func: Callable[..., Any], nothing: str = "nothing was written.") -> Callable[..., Any]:
    """Turn library errors into messages on stderr and the documented exit statuses.

    `nothing` ends the count of problems: what did not happen ("nothing was sent." for send).
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            count = len(exc.problems)
            click.echo(f"{plural(count, 'problem')} found; {nothing}", err=True)
            sys.exit(exc.exit_status)
        except BriefsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_status)
        except OSError as exc:
            click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # Click's own ways of ending a command, not bugs
        except InternalError as exc:  # a bug caught in a worker, its traceback with it
            report_bug(exc.bug)
            sys.exit(exc.exit_status)
        except Exception as exc:  # a bug in briefs: say so plainly, keep the details at hand
            report_bug(Bug.caught(exc))
            sys.exit(1)

    return wrapper


def report_bug(bug: Bug) -> None:
    """Say that briefs failed by its own fault, and how to see where.

    With BRIEFS_DEBUG set the traceback comes first (from the worker that failed, when the
    bug happened in one), so the last line is still the one a user reads and reports.
    """
    debug = bool(os.environ.get(DEBUG_VARIABLE))
    if debug:
        click.echo(bug.trace.rstrip("\n"), err=True)
    hint = "" if debug else f" (set {DEBUG_VARIABLE}=1 to see the traceback)"
    click.echo(f"error: {bug.said}{hint}", err=True)


def shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
