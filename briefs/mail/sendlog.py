"""The send log: what was sent to whom, so that nothing is sent twice and nothing is lost.

It lives in `.briefs/send-log.jsonl` in the project folder, beside the project's lock and
out of reach of cleaning `output/` (which holds only what a build can make again). A log
left in `output/` by an older briefs is moved there on the first run. The first real send
also leaves a mark in `output/`: a send that finds the mark but no log refuses to run, so
that losing the log can never silently mail everyone a second time.

The log holds one JSON object per line and is only ever appended to. Each
message gets a "sending" entry before the first byte goes to the server and, after the
server's answer, one of "sent" (with its reply and the Message-ID), "deferred" (a 4xx reply,
tried again by the next run) or "failed" (a 5xx reply). Every entry is flushed and fsynced
before the run goes on, so after a crash or a power cut the log still says which messages
may have left: a "sending" with nothing after it is *uncertain*, and only resent when asked.

A message is identified by edition, donor and recipient address; the hash of the PDF it
carried tells whether the brief was rebuilt since (*changed*).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefs.build.store import write_atomic
from briefs.errors import Problem, UserError, display
from briefs.safe_files import FileProblem, read_regular

LOG_LIMIT = 1024 * 1024 * 1024

LOG_NAME = "send-log.jsonl"
STATE_DIR = ".briefs"  # the project's own records: the send log and the lock
MARK = ".mailed"  # in output/: briefs were mailed from this project
EVENTS = ("sending", "sent", "deferred", "failed")


@dataclass(frozen=True)
class Status:
    """What the log says about one message, given the PDF that would be sent now.

    kind: "new" (never tried), "sent" (this very PDF was sent), "uncertain" (a "sending"
    with no answer after it), "changed" (an earlier PDF was sent), "deferred" or "failed"
    (the last try got a 4xx or 5xx; the message is tried again).
    """

    kind: str
    time: str = ""
    message_id: str = ""
    reply: str = ""


Key = tuple[int, str, str]


def _key(edition: int, donor: str, to: str) -> Key:
    return edition, donor, to.lower()


def record_path(root: Path) -> Path:
    """Where a project's send log lives (see the README, "What to back up")."""
    return root / STATE_DIR / LOG_NAME


def open_log(root: Path, new_record: bool = False) -> SendLog:
    """The project's send log, moved from output/ if an older briefs left it there.

    Raises UserError when the log is missing but output/ says briefs were mailed: sending
    from an empty log would mail everyone again. `new_record` starts a new log anyway.
    """
    path, old = record_path(root), root / "output" / LOG_NAME
    if not path.exists() and old.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, path)
        _fsync_dir(path.parent)
    mark = root / "output" / MARK
    if not path.exists() and mark.is_file() and not new_record:
        raise UserError([Problem(display(path, root), "is missing, but briefs were mailed from "
                                 f"this project ({display(mark, root)} says so) — without it "
                                 "every recipient would be mailed again: restore .briefs/ "
                                 "from your backup; only if you mean to mail everyone again, "
                                 "run with --new-send-record")])
    return SendLog(root)


class SendLog:
    """The log of one project, read once, then appended to entry by entry."""

    def __init__(self, root: Path):
        self.path = record_path(root)
        self.mark = root / "output" / MARK
        self.name = display(self.path, root)
        self._entries: dict[Key, list[dict[str, Any]]] = {}
        self._cut: int | None = None  # length of the complete lines, when the last one is cut
        self._unended = False  # the last entry is complete but lacks its newline
        self._read()

    def _read(self) -> None:
        try:
            raw = read_regular(self.path, LOG_LIMIT)
        except FileProblem as exc:
            if not self.path.exists() and not os.path.lexists(self.path):
                return
            raise UserError([Problem(self.name, str(exc))]) from None
        lines = raw.split(b"\n")
        if lines[-1]:
            if _parse(lines[-1]) is not None:
                # complete, only its newline is missing (an editor stripped it): keep it
                self._unended = True
                lines.append(b"")
            else:
                # a run killed while writing leaves a partial last line: it never happened
                self._cut = len(raw) - len(lines[-1])
        problems = []
        for number, line in enumerate(lines[:-1], start=1):
            if not line.strip():
                continue
            entry = _parse(line)
            if entry is None:
                problems.append(Problem(self.name, "is not a send-log entry — this file is "
                                        "written by briefs send and must not be edited; "
                                        "restore it from a backup", line=number))
                continue
            if entry.get("test"):
                continue  # a --to test run says nothing about the real recipients
            key = _key(entry["edition"], entry["donor"], entry["to"])
            self._entries.setdefault(key, []).append(entry)
        if problems:
            raise UserError(problems)

    def status(self, edition: int, donor: str, to: str, sha: str) -> Status:
        """Where the message of this brief to this address stands."""
        entries = self._entries.get(_key(edition, donor, to), [])
        if not entries:
            return Status("new")
        last = entries[-1]
        if last["event"] == "sending":
            return Status("uncertain", last.get("time", ""), last.get("message_id", ""))
        sent = [e for e in entries if e["event"] == "sent"]
        for entry in reversed(sent):
            if entry.get("sha256") == sha:
                return Status("sent", entry.get("time", ""), entry.get("message_id", ""),
                              entry.get("reply", ""))
        if sent:
            return Status("changed", sent[-1].get("time", ""), sent[-1].get("message_id", ""))
        return Status(last["event"], last.get("time", ""), last.get("message_id", ""),
                      last.get("reply", ""))

    def append(self, event: str, **fields: Any) -> dict[str, Any]:
        """Add one entry and make sure it is on disk before returning."""
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "event": event,
                 **fields}
        data = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        if self._unended:
            data, self._unended = b"\n" + data, False
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._cut is not None:
            # drop the half-written entry of a killed run (the caller holds the project's
            # lock, so no other run is writing), rather than leave a broken line behind
            with open(self.path, "r+b") as handle:
                handle.truncate(self._cut)
            self._cut = None
        with open(self.path, "ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            _fsync_dir(self.path.parent)
        if not self.mark.is_file():
            self._leave_mark(entry["time"])
        if not entry.get("test"):
            key = _key(entry["edition"], entry["donor"], entry["to"])
            self._entries.setdefault(key, []).append(entry)
        return entry


    def _leave_mark(self, time: str) -> None:
        """Say in output/ that this project mails: see `open_log`."""
        text = json.dumps({"send_log": self.name, "since": time}) + "\n"
        write_atomic(self.mark, text.encode("utf-8"))


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict) or entry.get("event") not in EVENTS:
        return None
    if not isinstance(entry.get("edition"), int) or not isinstance(entry.get("donor"), str) \
            or not isinstance(entry.get("to"), str):
        return None
    return entry


def _fsync_dir(folder: Path) -> None:
    """A new file's name is only durable once its folder is synced too."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
