"""What every command shares: errors turned into messages and exit statuses, paths as shown.

Library code raises; these turn a BriefsError into one line per problem on stderr and the
documented exit status, in one place for all commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from briefs.errors import BriefsError, UserError


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
            click.echo(f"{count} problem{'s' if count != 1 else ''} found; {nothing}", err=True)
            sys.exit(exc.exit_status)
        except BriefsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_status)
        except OSError as exc:
            click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:  # a bug in briefs: say so plainly, keep the details at hand
            if os.environ.get("BRIEFS_DEBUG"):
                raise
            click.echo(f"error: internal error in briefs ({type(exc).__name__}: {exc}) — "
                       "please report it; set BRIEFS_DEBUG=1 to see the traceback", err=True)
            sys.exit(1)

    return wrapper


def shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
