"""Reading a user's file safely: only a regular file, only up to a size, never blocking.

A data or layout file may be anything a folder can hold: a FIFO (reading it waits forever), a
link to /dev/zero (reading it never ends), a folder or a dangling link with a profile's name.
Every file briefs reads on a user's behalf comes through `read_regular`, which refuses all of
these with words the user can act on, so that each such file fails its own brief rather than
stopping, hanging or exhausting the run.

Files are also written here with the user's umask, as any other program would: a temporary
file is created private (0600) and must be opened up before it is renamed into place.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MB = 1024 * 1024
TEXT_LIMIT = 4 * MB  # a profile, a layout, a template, briefs.toml
FONT_LIMIT = 64 * MB


class FileProblem(Exception):
    """Why a file cannot be read, worded for the user: 'is a folder, not a file'."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of `path` if it is a regular file (or a link to one) of at most `limit` bytes.

    Opened without blocking (a FIFO would otherwise wait for a writer), then checked on the
    open descriptor, so the file checked is the file read. Raises FileProblem.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise FileProblem("is a link to a file that does not exist") from None
        raise FileProblem("not found") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"is {_kind(info.st_mode)}, not a file — put a regular file "
                              "there, or remove it")
        if info.st_size > limit:
            raise FileProblem(f"is too large ({info.st_size / MB:.1f} MB; at most "
                              f"{limit / MB:.0f} MB) — is it the right file?")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(MB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise FileProblem(f"is too large (over {limit / MB:.0f} MB) — is it the right file?")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def is_regular(path: Path) -> bool:
    """True for a regular file or a link to one; never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(mask)
    return mask


def open_up(fd: int) -> None:
    """Give a new file (made 0600 by mkstemp) the mode a plain open() would: 0666 & ~umask."""
    os.fchmod(fd, 0o666 & ~_umask())


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true")


def name_problem(name: str, what: str = "layout") -> str | None:
    """Why `name` is not a plain file name (a layout's), or None when it is one.

    A name is looked up in a known folder; a path would reach anywhere on the machine, and
    a very long one fails in the operating system with a bare error.
    """
    if _NAME.fullmatch(name) and ".." not in name:
        return None
    shown = name if len(name) <= 40 else name[:39] + "…"
    shown = "".join(c if c.isprintable() else "?" for c in shown)
    return (f"'{shown}' is not a {what} name — a {what} is named by its file in "
            f"{what}s/ without .yaml: up to 64 letters, digits, '-', '_' or '.', no folders")


def font_problem(path: Path) -> str | None:
    """Why `path` cannot be used as a TrueType font, or None when it looks like one."""
    try:
        head = read_regular(path, FONT_LIMIT)[:4]
    except FileProblem as exc:
        return str(exc)
    if head not in TRUETYPE_MAGIC:
        if head == b"OTTO":
            return "is an OpenType font with PostScript outlines — use a TrueType (.ttf) file"
        return "is not a TrueType font file — use a .ttf file"
    return None


def inside(path: Path, folders: list[Path]) -> bool:
    """True when `path`, links followed, lies in one of `folders`."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(real.is_relative_to(folder.resolve()) for folder in folders)
