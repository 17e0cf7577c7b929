"""Emailing the briefs: `send_briefs` (a dry run unless told) and `check_sending`.

Everything is checked before the first message leaves (`briefs.mail.prepare`): the settings,
the template, every address and every header value, and that each brief's PDF is built and
current. Sending itself never builds a PDF: an officer looks at the PDFs before they go out.

The send log (`briefs.mail.sendlog`) decides what a run sends, and records each message
before and after it is handed to the server, so that a rerun sends only what is missing and a
crash can never cause a silent second copy.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from briefs.build.handover import built_briefs
from briefs.build.store import project_lock, write_atomic
from briefs.errors import WorkError
from briefs.mail.prepare import BriefMail, Mailing, Message, prepare
from briefs.mail.sendlog import SendLog, open_log
from briefs.mail.settings import SETTINGS_FILE, SmtpSettings
from briefs.mail.smtp import (
    ConnectionLost,
    Connector,
    Reply,
    connect,
    deadline,
    deliver,
    message_seconds,
    open_session,
    too_slow,
)

OUTBOX = "outbox"


@dataclass(frozen=True)
class Delivery:
    """How messages reach the server: what a test or another program may replace."""

    connector: Connector = connect
    retry_delays: tuple[float, ...] | None = None  # None: retry_delays from the settings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    environ: Mapping[str, str] | None = None  # None: the process environment at call time


@dataclass(frozen=True)
class Choices:
    """What the user asked of a run beyond which briefs: the options of `briefs send`."""

    send: bool = False
    limit: int | None = None
    to: str | None = None
    resend_uncertain: bool = False
    resend_changed: bool = False
    uncertain_arrived: bool = False  # record uncertain messages as arrived, send nothing
    new_send_record: bool = False  # start a send log although output/ says one existed


@dataclass
class SendReport:
    """What a run did or, in a dry run, would do."""

    messages: list[Message]
    briefs: list[BriefMail]
    dry_run: bool
    configured: bool  # briefs.toml has [smtp] settings
    template: str  # where the message template came from
    warnings: list[str] = field(default_factory=list)
    outbox: list[Path] = field(default_factory=list)  # folders the dry run wrote to
    session: str = ""  # how the connection was made
    stopped: str = ""  # why a run stopped early

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.messages)

    def skipped(self, kind: str) -> int:
        return sum(m.status == "skipped" and m.log.kind == kind for m in self.messages)

    @property
    def ok(self) -> bool:
        """Exit status 0: nothing failed, was deferred, or is uncertain (now or from before).

        An uncertain message keeps every later run failing until it is settled, so that a
        nightly job surfaces it instead of skipping it quietly for ever.
        """
        return not (self.stopped or self.count("failed") or self.count("deferred")
                    or self.count("uncertain") or self.skipped("uncertain"))


@dataclass(frozen=True)
class CheckReport:
    session: str
    addresses: int
    messages: int
    briefs: int
    template: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def send_briefs(root: Path, codes: tuple[str, ...] = (), edition: int | None = None, *,
                send: bool = False, limit: int | None = None, to: str | None = None,
                resend_uncertain: bool = False, resend_changed: bool = False,
                delivery: Delivery | None = None,
                progress: Callable[[Message], None] | None = None,
                choices: Choices | None = None) -> SendReport:
    """Email each selected brief to its recipients, or (the default) write the outbox.

    Raises UserError for any mistake found before sending, and WorkError when the server
    cannot be reached, TLS cannot be verified or the login is refused: in both cases nothing
    was sent. Once sending has started, a refusal of one message is recorded in the report
    and the log and the others go on; `progress` is called with each message when its fate
    is known. `choices`, when given, replaces the keyword options.
    """
    chosen = choices or Choices(send, limit, to, resend_uncertain, resend_changed)
    delivery = delivery or Delivery()
    report_progress = progress or (lambda message: None)
    environ = os.environ if delivery.environ is None else delivery.environ
    root = Path(root).resolve()
    # locked before anything is read, so the PDFs hashed are the PDFs attached
    with _locked(root):
        mailing = prepare(built_briefs(root, codes, edition), to=chosen.to,
                          need_settings=chosen.send, need_pdfs=True, environ=environ)
        report = SendReport(mailing.messages, mailing.briefs, dry_run=not chosen.send,
                            configured=mailing.settings is not None,
                            template=mailing.template.source, warnings=mailing.warnings)
        log = open_log(mailing.root, new_record=chosen.new_send_record)
        _decide(mailing.messages, log, chosen)
        if not chosen.send:
            report.outbox = _write_outbox(mailing)
            return report
        if not any(m.status == "pending" for m in mailing.messages):
            for message in mailing.messages:
                report_progress(message)
            return report
        assert mailing.settings is not None  # need_settings=True made sure
        session = open_session(mailing.settings, mailing.password, delivery.connector)
        report.session = session.description
        try:
            _send_all(mailing, mailing.settings, session.conn, log, delivery, report,
                      report_progress)
        finally:
            session.close()
    return report


def check_sending(root: Path, codes: tuple[str, ...] = (), edition: int | None = None, *,
                  to: str | None = None, delivery: Delivery | None = None) -> CheckReport:
    """Everything a real run checks, and a connection with TLS and login; sends nothing.

    PDFs need not be built yet (this is the check to run weeks before the mailing); a
    missing or stale one is a note, not a problem.
    """
    delivery = delivery or Delivery()
    environ = os.environ if delivery.environ is None else delivery.environ
    mailing = prepare(built_briefs(Path(root), codes, edition), to=to, need_settings=True,
                      need_pdfs=False, environ=environ)
    settings = mailing.settings
    assert settings is not None
    session = open_session(settings, mailing.password, delivery.connector)
    try:
        # MAIL FROM then RSET: whether the server takes mail from this sender, sending nothing
        with deadline(session.conn, settings.timeout) as expired:
            code, text = session.conn.mail(settings.sender.address)
            session.conn.rset()
    except (smtplib.SMTPException, OSError) as exc:
        why = too_slow(settings, "to answer") if expired.is_set() else \
            f"{settings.where} broke off the conversation ({exc}); nothing was sent"
        raise WorkError(why) from exc
    finally:
        session.close()
    if code != 250:
        reply = Reply(code, " ".join(text.decode("utf-8", "replace").split()))
        raise WorkError(f"{settings.where} refuses mail from {settings.sender.address}: "
                        f"{reply} — check from and username in {SETTINGS_FILE}; nothing was "
                        "sent")
    return CheckReport(session.description, mailing.addresses, len(mailing.messages),
                       len(mailing.briefs), mailing.template.source, tuple(mailing.notes),
                       tuple(mailing.warnings))


# --- deciding -------------------------------------------------------------------------------

def _decide(messages: list[Message], log: SendLog, chosen: Choices) -> None:
    """Set each message to "pending" or "skipped" from the log, then apply --limit."""
    for message in messages:
        if chosen.to is not None:  # a test run always sends and says nothing of the others
            message.status = "pending"
            continue
        status = log.status(message.edition, message.code, message.recipient.address,
                            message.sha)
        message.log = status
        when = _when(status.time)
        if status.kind == "sent":
            message.status, message.note = "skipped", f"already sent {when}"
        elif status.kind == "uncertain" and chosen.uncertain_arrived:
            log.append("sent", edition=message.edition, donor=message.code, to=message.to,
                       name=message.recipient.name, pdf=message.pdf_name, sha256=message.sha,
                       message_id=status.message_id, reply="recorded as arrived by hand")
            message.status, message.note = "recorded", "recorded as arrived; not sent again"
        elif status.kind == "uncertain" and not chosen.resend_uncertain:
            message.status = "skipped"
            message.note = (f"uncertain: a run started sending it {when} but recorded no "
                            "answer — it may have arrived")
        elif status.kind == "changed" and not chosen.resend_changed:
            message.status = "skipped"
            message.note = (f"changed: an earlier version was sent {when} and the brief was "
                            "rebuilt since — send this one with --resend-changed")
        elif chosen.uncertain_arrived:
            message.status, message.note = "held back", "--uncertain-arrived sends nothing"
        else:
            message.status = "pending"
            if status.kind in ("deferred", "failed"):
                message.note = f"trying again: {status.kind} {when} ({status.reply})"
            elif status.kind in ("uncertain", "changed"):
                message.note = f"sending again: {status.kind}"
    pending = [m for m in messages if m.status == "pending"]
    if chosen.limit is not None:
        for message in pending[chosen.limit:]:
            message.status, message.note = "held back", f"beyond --limit {chosen.limit}"


def _when(stamp: str) -> str:
    return f"on {stamp.replace('T', ' ').replace('+00:00', ' UTC')}" if stamp else "earlier"


# --- the dry run ----------------------------------------------------------------------------

def _write_outbox(mailing: Mailing) -> list[Path]:
    """Each message that would be sent as output/outbox/EDITION/CODE/ADDRESS.eml."""
    folders: list[Path] = []
    for mail in mailing.briefs:
        folder = mailing.output / OUTBOX / str(mail.brief.edition) / mail.brief.code
        if folder.is_dir():  # messages of an earlier dry run would mislead
            for old in folder.glob("*.eml"):
                old.unlink()
        if folder.parent not in folders:
            folders.append(folder.parent)
    used: set[Path] = set()
    for message in mailing.messages:
        if message.status != "pending":
            continue
        message.status = "would send"
        folder = mailing.output / OUTBOX / str(message.edition) / message.code
        stem = re.sub(r"[^A-Za-z0-9._@+-]", "_", message.recipient.address)
        path, number = folder / f"{stem}.eml", 1
        while path in used:
            number += 1
            path = folder / f"{stem}-{number}.eml"
        used.add(path)
        write_atomic(path, mailing.wire(message)[0])
        message.eml = path
    return folders


# --- the real run ---------------------------------------------------------------------------

def _send_all(mailing: Mailing, settings: SmtpSettings, conn: smtplib.SMTP, log: SendLog,
              delivery: Delivery, report: SendReport,
              progress: Callable[[Message], None]) -> None:
    """Send the pending messages in order; record each before and after."""
    interval = 60.0 / settings.rate if settings.rate else 0.0
    last_start: float | None = None
    for message in mailing.messages:
        if message.status != "pending":
            progress(message)
            continue
        if report.stopped:
            message.status, message.note = "not sent", "the run stopped before it"
            progress(message)
            continue
        if interval and last_start is not None:
            wait = last_start + interval - delivery.clock()
            if wait > 0:
                delivery.sleep(wait)
        last_start = delivery.clock()
        _send_one(mailing, settings, conn, log, delivery, report, message)
        progress(message)


def _send_one(mailing: Mailing, settings: SmtpSettings, conn: smtplib.SMTP, log: SendLog,
              delivery: Delivery, report: SendReport, message: Message) -> None:
    """One message: recorded as sending, delivered (with retries), its fate recorded."""
    data, message_id = mailing.wire(message)
    fields: dict[str, object] = {
        "edition": message.edition, "donor": message.code, "to": message.to,
        "name": message.recipient.name, "pdf": message.pdf_name, "sha256": message.sha,
        "message_id": message_id}
    if mailing.to:
        fields.update(test=True, instead_of=message.recipient.address)
    log.append("sending", **fields)
    delays = settings.retry_delays if delivery.retry_delays is None else delivery.retry_delays
    try:
        reply = _attempts(conn, settings, message, data, delays, delivery.sleep)
    except ConnectionLost as lost:
        if lost.maybe_delivered:
            message.status = "uncertain"
            message.note = ("the connection broke after the message was handed over, so "
                            "it may have arrived; the log records it as uncertain")
        else:
            log.append("deferred", **fields, reply=f"connection lost: {lost}")
            message.status, message.note = "deferred", f"connection lost: {lost}"
        report.stopped = (f"the connection to {settings.where} was lost ({lost}) while "
                          f"sending {message.code} {message.edition} to {message.to}; "
                          "the messages after it were not sent — run the command again to "
                          "send them")
        return
    message.reply = str(reply)
    if reply.ok:
        log.append("sent", **fields, reply=str(reply))
        message.status = "sent"
    elif reply.temporary:
        log.append("deferred", **fields, reply=str(reply), attempts=message.attempts)
        message.status = "deferred"
        message.note = f"tried {message.attempts} times; the next run tries again"
    else:
        log.append("failed", **fields, reply=str(reply))
        message.status = "failed"


def _attempts(conn: smtplib.SMTP, settings: SmtpSettings, message: Message, data: bytes,
              delays: tuple[float, ...], sleep: Callable[[float], None]) -> Reply:
    """Deliver, trying again after each delay while the server answers 4xx."""
    reply = Reply(0, "")
    for delay in (0.0, *delays):
        if delay:
            sleep(delay)
        message.attempts += 1
        reply = deliver(conn, settings.sender.address, message.to, data,
                        message_seconds(settings, len(data)))
        if not reply.temporary:
            break
    return reply


# --- the lock -------------------------------------------------------------------------------

def _locked(root: Path) -> AbstractContextManager[None]:
    """The project's lock (the one `build` takes), held for the whole run.

    A build replacing a PDF, or a second send going through the same list, must wait until
    this run is done. A folder without data/ is no project: loading it reports that, and no
    .briefs/ folder is made there.
    """
    if not (root / "data").is_dir():
        return contextlib.nullcontext()
    return project_lock(root)


__all__ = ["CheckReport", "Choices", "Delivery", "Message", "SendReport", "check_sending",
           "send_briefs"]
