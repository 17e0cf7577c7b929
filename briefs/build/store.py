"""Writing results so that a file is complete or absent, and remembering what was built.

`output/manifest.json` maps each PDF to a hash of everything it was built from and a hash of
its bytes: an unchanged brief whose PDF is intact is not rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefs.errors import LockedError
from briefs.safe_files import open_up

MANIFEST = "manifest.json"
STATE_DIR = ".briefs"  # the project's records that a clean-up of output/ must not reach
LOCK_NAME = "lock"


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.

    The file gets the mode a plain write would give it (the user's umask), not mkstemp's
    private 0600: on a shared server, colleagues read the PDFs. A reader sees the old file
    or the new one, never part of one, either way; `durable` also waits for the disk (two
    fsyncs, several milliseconds), so that a power cut cannot undo the write. A built PDF
    does without: the manifest, written durably after it, holds its hash, and a PDF whose
    bytes do not match is rebuilt, never taken as current or mailed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        open_up(fd)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(output: Path) -> dict[str, Any]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data.get("briefs", {}) if isinstance(data, dict) else {}


def write_manifest(output: Path, entries: dict[str, Any]) -> None:
    text = json.dumps({"version": 1, "briefs": dict(sorted(entries.items()))}, indent=2,
                      ensure_ascii=False)
    write_atomic(output / MANIFEST, (text + "\n").encode("utf-8"))


def is_current(entry: dict[str, Any] | None, inputs: str, pdf: Path) -> bool:
    """True when the PDF exists, is the one recorded, and was built from these inputs."""
    if not entry or entry.get("inputs") != inputs or not pdf.is_file():
        return False
    return entry.get("pdf") == sha256(pdf.read_bytes())


def remove_leftovers(output: Path) -> None:
    """Delete temporary files of a run that was killed before it could rename them.

    Called with the project's lock held, so no running build still owns them.
    """
    for tmp in output.glob("**/.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def project_lock(root: Path, wait: bool = False) -> Iterator[None]:
    """The project's one lock: builds and sends of a project never run at the same time.

    It is `.briefs/lock` in the project folder, not in output/: deleting output/ while a build
    runs must not let a second one start.

    Without `wait` a second run stops at once (LockedError, exit status 3): a scheduled run
    must not pile up behind a stuck one unless it was asked to.
    """
    from filelock import FileLock, Timeout

    path = root / STATE_DIR / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout as exc:
        raise LockedError(path) from exc
    try:
        yield
    finally:
        lock.release()
