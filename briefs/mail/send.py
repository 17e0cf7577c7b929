"""Emailing the briefs: `send_briefs` (a dry run unless told) and `check_sending`.

Everything is checked before the first message leaves: the settings, the template, every
address and every header value, and that each brief's PDF is built and current. Sending
itself never builds a PDF: an officer looks at the PDFs before they go out.

The send log (`briefs.sendlog`) decides what a run sends, and records each message before and
after it is handed to the server, so that a rerun sends only what is missing and a crash can
never cause a silent second copy.
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
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from briefs.build.batch import Job, plan_builds, raise_failures
from briefs.build.store import is_current, project_lock, read_manifest, sha256, write_atomic
from briefs.contract.tables import DONORS, display, read_table
from briefs.errors import Collector, WorkError
from briefs.layout.figures import figures_of
from briefs.mail.message import (
    Mailbox,
    Recipient,
    Template,
    attachment_name,
    build_message,
    check_address,
    fill_message,
    header_problem,
    load_recipients,
    load_template,
    recipients_for,
    wire_bytes,
)
from briefs.mail.sendlog import SendLog, Status
from briefs.mail.smtp import (
    SETTINGS_FILE,
    ConnectionLost,
    Connector,
    Reply,
    SmtpSettings,
    connect,
    deliver,
    load_settings,
    open_session,
    read_password,
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


@dataclass
class Message:
    """One brief to one recipient, and what became of it."""

    code: str
    edition: int
    recipient: Recipient
    to: str  # the envelope recipient: the recipient's address, or --to
    pdf_name: str  # output/2023/KOR.pdf, as the user sees it
    filename: str  # the attachment's name
    subject: str
    text: str
    html: str | None
    sha: str  # of the PDF
    # "would send", "sent", "skipped", "deferred", "failed", "held back", "not sent" (a run
    # stopped before it), "uncertain" (the connection broke after the message was handed over)
    status: str = ""
    log: Status = field(default_factory=lambda: Status("new"))
    note: str = ""
    reply: str = ""
    attempts: int = 0
    eml: Path | None = None


@dataclass(frozen=True)
class BriefMail:
    """One brief as it is attached."""

    code: str
    edition: int
    pdf: Path
    pdf_name: str
    filename: str
    size: int
    subject: str  # for the first recipient; the same for all unless {name} is in it
    recipients: int


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
        """Exit status 0: nothing failed, was deferred, or was left uncertain by this run."""
        return not (self.stopped or self.count("failed") or self.count("deferred")
                    or self.count("uncertain"))


@dataclass(frozen=True)
class CheckReport:
    session: str
    addresses: int
    messages: int
    briefs: int
    template: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass
class _Mailing:
    root: Path
    output: Path
    settings: SmtpSettings | None
    password: str | None
    template: Template
    to: str | None
    messages: list[Message]
    briefs: list[BriefMail]
    pdfs: dict[str, bytes]
    warnings: list[str]
    notes: list[str]
    addresses: int


def send_briefs(root: Path, codes: tuple[str, ...] = (), edition: int | None = None, *,
                send: bool = False, limit: int | None = None, to: str | None = None,
                resend_uncertain: bool = False, resend_changed: bool = False,
                delivery: Delivery | None = None,
                progress: Callable[[Message], None] | None = None) -> SendReport:
    """Email each selected brief to its recipients, or (the default) write the outbox.

    Raises UserError for any mistake found before sending, and WorkError when the server
    cannot be reached, TLS cannot be verified or the login is refused: in both cases nothing
    was sent. Once sending has started, a refusal of one message is recorded in the report
    and the log and the others go on; `progress` is called with each message when its fate
    is known.
    """
    delivery = delivery or Delivery()
    report_progress = progress or (lambda message: None)
    environ = os.environ if delivery.environ is None else delivery.environ
    # locked before anything is read, so the PDFs hashed are the PDFs attached
    with _locked(Path(root).resolve()):
        mailing = _prepare(root, codes, edition, to=to, need_settings=send, need_pdfs=True,
                           environ=environ)
        report = SendReport(mailing.messages, mailing.briefs, dry_run=not send,
                            configured=mailing.settings is not None,
                            template=mailing.template.source, warnings=mailing.warnings)
        log = SendLog(mailing.output, mailing.root)
        _decide(mailing.messages, log, test=to is not None, resend_uncertain=resend_uncertain,
                resend_changed=resend_changed, limit=limit)
        if not send:
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
    mailing = _prepare(root, codes, edition, to=to, need_settings=True, need_pdfs=False,
                       environ=environ)
    settings = mailing.settings
    assert settings is not None
    session = open_session(settings, mailing.password, delivery.connector)
    try:
        # MAIL FROM then RSET: whether the server takes mail from this sender, sending nothing
        code, text = session.conn.mail(settings.sender.address)
        session.conn.rset()
    except (smtplib.SMTPException, OSError) as exc:
        raise WorkError(f"{settings.where} broke off the conversation ({exc}); nothing was "
                        "sent") from exc
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


# --- preparing ------------------------------------------------------------------------------

def _prepare(root: Path, codes: tuple[str, ...], edition: int | None, *, to: str | None,
             need_settings: bool, need_pdfs: bool, environ: Mapping[str, str]) -> _Mailing:
    """Load and check everything; one UserError lists every problem found."""
    plan = plan_builds(Path(root), tuple(c.upper() for c in codes), edition)
    project = plan.project
    if edition is None:
        # build also picks older editions never built; a mailing is each donor's newest
        newest = {code: max(years) for code, years in project.profiles.items() if years}
        plan.jobs = [j for j in plan.jobs if j.brief.edition == newest[j.brief.donor.code]]
        plan.failures = [f for f in plan.failures if f.edition == newest.get(f.code)]
    raise_failures(plan.failures)
    root = project.root
    problems = Collector()
    warnings = [str(w) for w in plan.warnings]
    before = len(problems.problems)
    settings = load_settings(root, problems)
    if settings is None and need_settings and len(problems.problems) == before:
        problems.add(SETTINGS_FILE, "has no [smtp] settings — sending needs at least host and "
                     "from in an [smtp] table (see the README, Emailing)")
    password = read_password(settings, environ, problems) \
        if settings is not None and need_settings else None
    template = load_template(root, problems)
    one_line = ("name", "role") if template and "role" in template.subject_fields \
        else ("name",)
    recipients = load_recipients(root, project.donors, problems, one_line)
    to_address = None
    if to is not None:
        to_address, why = check_address(to)
        if to_address is None:
            problems.add("--to", why)
    _check_one_line_values(plan.jobs, root, problems)
    manifest = read_manifest(project.output)
    messages: list[Message] = []
    briefs: list[BriefMail] = []
    pdfs: dict[str, bytes] = {}
    notes: list[str] = []
    sender = settings.sender if settings else None
    for job in plan.jobs:
        brief = job.brief
        code, year = brief.donor.code, brief.edition
        pdf_name = project.name(job.path)
        state = _pdf_state(job, manifest)
        if state:
            if need_pdfs:
                problems.add(pdf_name, state)
            else:
                notes.append(f"{pdf_name}: {state}")
        data = job.path.read_bytes() if not state else b""
        pdfs[pdf_name] = data
        labels = job.layout.labels
        title = f"{brief.title} – {brief.profile.subtitle or labels.subtitle}"
        values = {"donor": brief.donor.name, "short_name": brief.donor.short_name,
                  "code": code, "title": title, "edition": str(year),
                  "period": figures_of(job.layout).period(brief.profile.period),
                  "sender": (sender.name or sender.address) if sender else ""}
        chosen, duplicates = recipients_for(code, recipients)
        for again, first in duplicates:
            warnings.append(f"data/stakeholders.csv:{again.line}: warning: {again.address} is "
                            f"listed again for {code} (first on line {first.line}); it gets "
                            "one message")
        if not chosen:
            warnings.append(f"data/stakeholders.csv: warning: nobody receives {code}'s brief — "
                            f"add a row with donor {code} (or *)")
        filename = attachment_name(title, year)
        first_subject = ""
        for recipient in chosen:
            if template is None:
                break
            filled = {**values, "name": recipient.name, "role": recipient.role}
            subject = fill_message(template.subject, filled)
            why = header_problem(subject, "the subject")
            if why:
                problems.add(template.source, why, line=1, field="Subject")
                continue
            first_subject = first_subject or subject
            text = fill_message(template.text, filled)
            html = (fill_message(template.html, filled, as_html=True)
                    if template.html else None)
            messages.append(Message(code, year, recipient, to_address or recipient.address,
                                    pdf_name, filename, subject, text, html, sha256(data)))
        briefs.append(BriefMail(code, year, job.path, pdf_name, filename, len(data),
                                first_subject, len(chosen)))
    problems.raise_if_any()
    assert template is not None
    return _Mailing(root, project.output, settings, password, template, to_address, messages,
                    briefs, pdfs, warnings, notes,
                    len({r.address.lower() for r in recipients}))


def _pdf_state(job: Job, manifest: dict) -> str:
    """Why this PDF cannot be sent as it is, or "" when it is built and current."""
    if not job.path.is_file():
        return "not built yet — run briefs build first (send never builds: look at the PDFs " \
            "before they go out)"
    if not is_current(manifest.get(job.key), job.inputs, job.path):
        return "is out of date: its data, profile or layout changed since it was built, or " \
            "the file was changed — run briefs build first, look at it, then send"
    return ""


def _check_one_line_values(jobs: list[Job], root: Path, problems: Collector) -> None:
    """Names and titles end up in the subject; a line break there is refused at its source."""
    donor_lines: dict[str, int] | None = None
    for job in jobs:
        donor, profile = job.brief.donor, job.brief.profile
        for column, value in (("name", donor.name), ("short_name", donor.short_name)):
            why = header_problem(value, f"a donor's {column}")
            if why:
                if donor_lines is None:
                    rows = read_table(root / "data" / "donors.csv", DONORS, Collector(), root)
                    donor_lines = {r["code"]: r.line for r in rows or []}
                problems.add("data/donors.csv", why, line=donor_lines.get(donor.code),
                             field=column)
        for key, value in (("title", profile.title), ("subtitle", profile.subtitle)):
            why = header_problem(value or "", f"the {key}")
            if why:
                problems.add(profile.name or display(profile.path, root), why,
                             line=profile.lines.get(key), field=key)


# --- deciding -------------------------------------------------------------------------------

def _decide(messages: list[Message], log: SendLog, *, test: bool, resend_uncertain: bool,
            resend_changed: bool, limit: int | None) -> None:
    """Set each message to "pending" or "skipped" from the log, then apply --limit."""
    for message in messages:
        if test:  # a test run to --to always sends and says nothing about the recipients
            message.status = "pending"
            continue
        status = log.status(message.edition, message.code, message.recipient.address,
                            message.sha)
        message.log = status
        when = _when(status.time)
        if status.kind == "sent":
            message.status, message.note = "skipped", f"already sent {when}"
        elif status.kind == "uncertain" and not resend_uncertain:
            message.status = "skipped"
            message.note = (f"uncertain: a run started sending it {when} but recorded no "
                            "answer — it may have arrived; resend with --resend-uncertain")
        elif status.kind == "changed" and not resend_changed:
            message.status = "skipped"
            message.note = (f"changed: an earlier version was sent {when} and the brief was "
                            "rebuilt since — send this one with --resend-changed")
        else:
            message.status = "pending"
            if status.kind in ("deferred", "failed"):
                message.note = f"trying again: {status.kind} {when} ({status.reply})"
            elif status.kind in ("uncertain", "changed"):
                message.note = f"sending again: {status.kind}"
    pending = [m for m in messages if m.status == "pending"]
    if limit is not None:
        for message in pending[limit:]:
            message.status, message.note = "held back", f"beyond --limit {limit}"


def _when(stamp: str) -> str:
    return f"on {stamp.replace('T', ' ').replace('+00:00', ' UTC')}" if stamp else "earlier"


# --- the dry run ----------------------------------------------------------------------------

def _write_outbox(mailing: _Mailing) -> list[Path]:
    """Each message that would be sent as output/outbox/EDITION/CODE/ADDRESS.eml."""
    folders: list[Path] = []
    for brief in mailing.briefs:
        folder = mailing.output / OUTBOX / str(brief.edition) / brief.code
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
        write_atomic(path, wire_bytes(_email(mailing, message)))
        message.eml = path
    return folders


def _email(mailing: _Mailing, message: Message) -> EmailMessage:
    settings = mailing.settings
    domain = settings.sender.address.rsplit("@", 1)[1] if settings else "localhost"
    to = Mailbox("", mailing.to) if mailing.to else message.recipient.mailbox
    return build_message(sender=settings.sender if settings else None, to=to,
                         reply_to=settings.reply_to if settings else None,
                         subject=message.subject, text=message.text, html_body=message.html,
                         pdf=mailing.pdfs[message.pdf_name], filename=message.filename,
                         message_id=make_msgid(domain=domain), date=formatdate(localtime=True))


# --- the real run ---------------------------------------------------------------------------

def _send_all(mailing: _Mailing, settings: SmtpSettings, conn: smtplib.SMTP, log: SendLog,
              delivery: Delivery, report: SendReport,
              progress: Callable[[Message], None]) -> None:
    """Send the pending messages in order; record each before and after."""
    delays = settings.retry_delays if delivery.retry_delays is None else delivery.retry_delays
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
        email = _email(mailing, message)
        data, message_id = wire_bytes(email), str(email["Message-ID"])
        fields: dict[str, object] = {
            "edition": message.edition, "donor": message.code, "to": message.to,
            "name": message.recipient.name, "pdf": message.pdf_name, "sha256": message.sha,
            "message_id": message_id}
        if mailing.to:
            fields.update(test=True, instead_of=message.recipient.address)
        log.append("sending", **fields)
        try:
            reply = _attempts(conn, settings.sender.address, message, data, delays,
                              delivery.sleep)
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
            progress(message)
            continue
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
        progress(message)


def _attempts(conn: smtplib.SMTP, sender: str, message: Message, data: bytes,
              delays: tuple[float, ...], sleep: Callable[[float], None]) -> Reply:
    """Deliver, trying again after each delay while the server answers 4xx."""
    reply = Reply(0, "")
    for delay in (0.0, *delays):
        if delay:
            sleep(delay)
        message.attempts += 1
        reply = deliver(conn, sender, message.to, data)
        if not reply.temporary:
            break
    return reply


# --- the lock -------------------------------------------------------------------------------

def _locked(root: Path) -> AbstractContextManager[None]:
    """The project's lock (the one `build` takes), held for the whole run.

    A build replacing a PDF, or a second send going through the same list, must wait until
    this run is done. A folder without data/ is no project: loading it reports that, and no
    output/ folder is made there.
    """
    if not (root / "data").is_dir():
        return contextlib.nullcontext()
    return project_lock(root / "output")


__all__ = ["CheckReport", "Delivery", "Message", "SendReport", "check_sending",
           "send_briefs"]
