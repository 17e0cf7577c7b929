"""The one error vocabulary of briefs.

Library code raises; only the CLI turns these into messages and exit statuses. A user's
mistake is a `Problem` that says where it is (file, line, field), what was found and what is
expected, so that the officer can fix it without reading code.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# control characters (and the bidirectional overrides) from a user's data would act on the
# terminal a message is printed to; they are shown as escapes instead
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with each control character shown as an escape such as \\x1b."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One mistake in a user's file, located as precisely as the file allows."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        if self.file.endswith(".xlsx"):  # a spreadsheet's user thinks in rows and columns
            cell = ([] if self.line is None else [f"row {self.line}"]) + \
                ([] if self.field is None else [f"column {self.field}"])
            where = f"{self.file}: {', '.join(cell)}" if cell else self.file
            return f"{where}: {self.message}"
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = self.message if self.field is None else f"{self.field}: {self.message}"
        return printable(f"{where}: {what}")


@dataclass(frozen=True)
class Warning_:
    """Legal but likely wrong; printed, never fatal."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return printable(f"{where}: warning: {self.message}")


class BriefsError(Exception):
    """Base of every error briefs raises on purpose."""

    exit_status = 1


class UserError(BriefsError):
    """The user's files or options are wrong; exit status 2.

    Carries every problem found, so `briefs check` can report them all in one run.
    """

    exit_status = 2

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkError(BriefsError):
    """Something failed while doing the work (disk, fonts, a server); exit status 1."""

    exit_status = 1


class Collector:
    """Gathers problems across files so that one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Warning_] = []

    def add(self, file: str | Path, message: str, line: int | None = None,
            field: str | None = None) -> None:
        self.problems.append(Problem(str(file), message, line, field))

    def warn(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.warnings.append(Warning_(str(file), message, line))

    def extend(self, error: UserError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            # one mistake reached by two routes (a layout two others extend) is said once
            raise UserError(dict.fromkeys(self.problems))


class LockedError(WorkError):
    """Another briefs run (a build or a send) holds the project's lock; exit status 3."""

    exit_status = 3

    def __init__(self, path: Path):
        super().__init__(f"{path}: another briefs run is building or sending for this project "
                         "— wait for it to finish, or run with --wait to queue behind it")


@dataclass(frozen=True)
class Bug:
    """An exception briefs did not expect: a bug in briefs, never the user's mistake.

    Plain text, so that it crosses from a worker process to the one place that reports it
    (the CLI) with the worker's traceback intact, whatever the exception could pickle.
    """

    summary: str  # "KOR 2017: ValueError: ..." — what and where, on one line
    trace: str  # the formatted traceback, shown under BRIEFS_DEBUG=1

    @property
    def said(self) -> str:
        """The one line that tells the user briefs failed by its own fault."""
        return f"internal error in briefs: {self.summary}, please report it"

    @classmethod
    def caught(cls, exc: BaseException, where: str = "") -> Bug:
        what = f"{type(exc).__name__}: {exc}"
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls(f"{where}: {what}" if where else what, trace)


class InternalError(Exception):
    """Carries a Bug caught elsewhere (in a worker) up to the CLI; exit status 1.

    Deliberately not a BriefsError: nothing may mistake it for a user's mistake.
    """

    exit_status = 1

    def __init__(self, bug: Bug):
        self.bug = bug
        super().__init__(bug.summary)


def display(path: Path, root: Path) -> str:
    """A path as the user thinks of it: relative to the project folder when inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
