"""Everything a mailing needs, loaded and checked before the first message leaves.

`prepare` takes the built briefs (from `briefs.build.handover`) and the project's folder, and
checks the settings, the template, every address and every value that becomes a header: each
message is built and read back (`written_problem`) here, so `send --check` finds a forged or
over-long header weeks before the mailing, not the server on the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from briefs.build.handover import BuiltBrief, Handover
from briefs.build.store import sha256
from briefs.errors import Collector
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
    written_problem,
)
from briefs.mail.sendlog import Status
from briefs.mail.settings import SETTINGS_FILE, SmtpSettings, load_settings, read_password
from briefs.safe_files import FileProblem, read_regular

PDF_LIMIT = 512 * 1024 * 1024


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
    # stopped before it), "uncertain" (the connection broke after the message was handed
    # over), "recorded" (an uncertain message recorded as arrived, by hand)
    status: str = ""
    log: Status = field(default_factory=lambda: Status("new"))
    note: str = ""
    reply: str = ""
    attempts: int = 0
    eml: Path | None = None


@dataclass(frozen=True)
class BriefMail:
    """One brief as it is attached."""

    brief: BuiltBrief
    filename: str
    size: int
    subject: str  # for the first recipient; the same for all unless {name} is in it
    recipients: int


@dataclass
class Mailing:
    """A checked mailing: what `send_briefs` and `check_sending` work from."""

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

    def email(self, message: Message) -> EmailMessage:
        """The MIME message of `message`, with a new Message-ID and today's date."""
        settings = self.settings
        domain = settings.sender.address.rsplit("@", 1)[1] if settings else "localhost"
        return build_message(sender=settings.sender if settings else None, to=self.mailbox(message),
                             reply_to=settings.reply_to if settings else None,
                             subject=message.subject, text=message.text,
                             html_body=message.html, pdf=self.pdfs[message.pdf_name],
                             filename=message.filename, message_id=make_msgid(domain=domain),
                             date=formatdate(localtime=True))

    def mailbox(self, message: Message) -> Mailbox:
        return Mailbox("", self.to) if self.to else message.recipient.mailbox

    def wire(self, message: Message) -> tuple[bytes, str]:
        """The bytes to send and their Message-ID, read back first: see `written_problem`."""
        email = self.email(message)
        data = wire_bytes(email)
        why = self.forged(message, data)
        if why:  # prepare() read every message back: reaching this is a bug in briefs
            raise AssertionError(f"message to {message.to} for {message.code}: {why}")
        return data, str(email["Message-ID"])

    def forged(self, message: Message, data: bytes) -> str | None:
        """Why the written `data` is not `message` as meant (see `written_problem`)."""
        settings = self.settings
        return written_problem(data, to=self.mailbox(message), subject=message.subject,
                               sender=settings.sender if settings else None,
                               reply_to=settings.reply_to if settings else None)


def prepare(handover: Handover, *, to: str | None, need_settings: bool, need_pdfs: bool,
            environ: Mapping[str, str]) -> Mailing:
    """Load and check everything; one UserError lists every problem found."""
    root = handover.project.root
    problems = Collector()
    warnings = [str(w) for w in handover.warnings]
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
    recipients = load_recipients(root, handover.project.donors, problems, one_line)
    to_address = None
    if to is not None:
        to_address, why = check_address(to)
        if to_address is None:
            problems.add("--to", why)
    mailing = Mailing(root, handover.project.output, settings, password,
                      template or Template("", "", None, ""), to_address, [], [], {},
                      warnings, [], len({r.address.lower() for r in recipients}))
    for brief in handover.briefs:
        _one_brief(mailing, brief, recipients, problems, need_pdfs)
    problems.raise_if_any()
    return mailing


def _one_brief(mailing: Mailing, brief: BuiltBrief, recipients: list[Recipient],
               problems: Collector, need_pdfs: bool) -> None:
    """The messages of one brief: its PDF read, its values checked, each message read back."""
    for source in brief.sources:
        why = header_problem(source.value, f"the {source.field.split()[0]}")
        if why:
            problems.add(source.file, why, line=source.line, field=source.field)
    state = brief.state
    data = b""
    if not state:
        try:
            data = read_regular(brief.pdf, PDF_LIMIT)
        except FileProblem as exc:
            state = str(exc)
    if state:
        if need_pdfs:
            problems.add(brief.pdf_name, state)
        else:
            mailing.notes.append(f"{brief.pdf_name}: {state}")
    mailing.pdfs[brief.pdf_name] = data
    sender = mailing.settings.sender if mailing.settings else None
    values = {"donor": brief.donor, "short_name": brief.short_name, "code": brief.code,
              "title": brief.title, "edition": str(brief.edition), "period": brief.period,
              "total": brief.total,
              "sender": (sender.name or sender.address) if sender else ""}
    chosen, duplicates = recipients_for(brief.code, recipients)
    for again, first in duplicates:
        mailing.warnings.append(f"data/stakeholders.csv:{again.line}: warning: {again.address} "
                                f"is listed again for {brief.code} (first on line "
                                f"{first.line}); it gets one message")
    if not chosen:
        mailing.warnings.append(f"data/stakeholders.csv: warning: nobody receives "
                                f"{brief.code}'s brief — add a row with donor {brief.code} "
                                "(or *)")
    filename = attachment_name(brief.title, brief.edition)
    subjects = [_message(mailing, brief, recipient, values, filename, data, problems)
                for recipient in chosen if mailing.template.source]
    mailing.briefs.append(BriefMail(brief, filename, len(data),
                                    next(filter(None, subjects), ""), len(chosen)))


def _message(mailing: Mailing, brief: BuiltBrief, recipient: Recipient,
             values: dict[str, str], filename: str, data: bytes, problems: Collector) -> str:
    """Add the message of `brief` to `recipient`; its subject, or "" when it is refused."""
    template = mailing.template
    filled = {**values, "name": recipient.name, "role": recipient.role}
    subject = fill_message(template.subject, filled)
    why = header_problem(subject, "the subject")
    if why:
        problems.add(template.source, why, line=1, field="Subject")
        return ""
    text = fill_message(template.text, filled)
    html = (fill_message(template.html, filled, as_html=True)
            if template.html else None)
    message = Message(brief.code, brief.edition, recipient,
                      mailing.to or recipient.address, brief.pdf_name, filename, subject,
                      text, html, sha256(data))
    why = mailing.forged(message, wire_bytes(mailing.email(message)))
    if why:
        problems.add("data/stakeholders.csv", f"the message to {recipient.address} for "
                     f"{brief.code} {brief.edition} cannot be written safely: {why} — check "
                     "the name on this line, the donor's name, the profile's title and the "
                     "template's subject", line=recipient.line)
        return ""
    mailing.messages.append(message)
    return subject
