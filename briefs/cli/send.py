"""The `send` command: parses options, calls `briefs.send`, prints the table and the summary.

`briefs.cli` registers it; errors become messages through `briefs.reporting`, as for every
command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefs.cli.reporting import reported, shown
from briefs.text import noun, plural

if TYPE_CHECKING:
    from briefs.mail.send import Choices, Message, SendReport

STATUS_WIDTH = 9  # "would send" is reported in the table, the others as lines


@click.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--edition", type=int, metavar="YEAR",
              help="Send this edition (default: each donor's newest).")
@click.option("--send", "really", is_flag=True,
              help="Send for real. Without it, a dry run writes the messages to "
                   "output/outbox/ and sends nothing.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Stop after N messages; the next run sends the rest.")
@click.option("--to", "to", metavar="ADDRESS",
              help="Send every message to this one address instead (a test run; the send "
                   "log still counts the real recipients as not sent).")
@click.option("--check", is_flag=True,
              help="Connect, check TLS and the login, validate every address; send nothing.")
@click.option("--resend-uncertain", is_flag=True,
              help="Also send messages a stopped run may or may not have sent.")
@click.option("--resend-changed", is_flag=True,
              help="Also send briefs rebuilt since they were sent.")
@click.option("--uncertain-arrived", is_flag=True,
              help="Record the uncertain messages as arrived (you checked that they did); "
                   "sends nothing.")
@click.option("--new-send-record", is_flag=True,
              help="Start a new send record although output/ says this project has mailed "
                   "before (the record .briefs/send-log.jsonl was lost): everyone is mailed "
                   "again.")
@click.pass_obj
def send(project: Path, codes: tuple[str, ...], edition: int | None, really: bool,
         limit: int | None, to: str | None, check: bool, resend_uncertain: bool,
         resend_changed: bool, uncertain_arrived: bool, new_send_record: bool) -> None:
    """Email each brief to its recipients in data/stakeholders.csv.

    A dry run unless --send: the messages are written to output/outbox/EDITION/ and a table
    says who would receive what. Settings are in briefs.toml, table [smtp]; the password in
    the environment variable BRIEFS_SMTP_PASSWORD or a file named by password_file.
    """
    if check and really:
        raise click.UsageError("--check sends nothing; run it without --send")
    if check:
        reported(_check, "nothing was sent.")(project, codes, edition, to)
    else:
        from briefs.mail.send import Choices

        choices = Choices(really, limit, to, resend_uncertain, resend_changed,
                          uncertain_arrived, new_send_record)
        reported(_send, "nothing was sent.")(project, codes, edition, choices)


def _check(project: Path, codes: tuple[str, ...], edition: int | None,
           to: str | None) -> None:
    from briefs.mail.send import check_sending

    result = check_sending(project, codes, edition, to=to)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(f"ok: {result.session}")
    click.echo(f"ok: {plural(result.addresses, 'address', 'addresses')} in "
               f"data/stakeholders.csv; {plural(result.messages, 'message')} for "
               f"{plural(result.briefs, 'brief')}; message template: {result.template}")
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo("nothing was sent")


def _send(project: Path, codes: tuple[str, ...], edition: int | None,
          chosen: Choices) -> None:
    from briefs.mail.send import send_briefs

    def progress(message: Message) -> None:
        click.echo(_line(message))

    report = send_briefs(project, codes, edition, choices=chosen,
                         progress=progress if chosen.send else None)
    for warning in report.warnings:
        click.echo(warning, err=True)
    if report.dry_run:
        _print_dry_run(report)
    _print_summary(report)
    if report.dry_run:
        click.echo(_next_step(report, codes, edition, chosen))
    if report.stopped:
        click.echo(f"error: {report.stopped}", err=True)
    uncertain = report.skipped("uncertain") + report.count("uncertain")
    if uncertain:
        command = " ".join(["briefs", "send", *codes] + (
            ["--edition", str(edition)] if edition is not None else []))
        click.echo(f"error: {plural(uncertain, 'message')} may or may not have arrived "
                   "(uncertain); every run fails until each is settled — if it arrived: "
                   f"{command} --uncertain-arrived; if not: {command} --send "
                   "--resend-uncertain", err=True)
    if not report.ok:
        sys.exit(1)


def _line(message: Message) -> str:
    """One message in a real run: what happened, the brief, the recipient, the detail."""
    detail = message.reply if message.status in ("sent", "failed") else message.note
    if message.status == "deferred" and message.reply:
        detail = f"{message.reply} ({message.note})"
    return (f"{message.status:<{STATUS_WIDTH}} {message.code} {message.edition}  "
            f"{_recipient(message)}" + (f"  {detail}" if detail else ""))


def _recipient(message: Message) -> str:
    shown = str(message.recipient.mailbox)
    return f"{message.to} (instead of {shown})" if message.to != message.recipient.address \
        else shown


def _print_dry_run(report: SendReport) -> None:
    for mail in report.briefs:
        brief = mail.brief
        click.echo(f"{brief.code} {brief.edition}: {brief.pdf_name} "
                   f"({mail.size / 1024:.0f} KB) attached as {mail.filename}")
        if mail.subject:
            click.echo(f"  subject: {mail.subject}")
    if not report.messages:
        return
    rows = [("brief", "to", "status")] + [
        (f"{m.code} {m.edition}", _recipient(m), m.status + (f" — {m.note}" if m.note else ""))
        for m in report.messages]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    click.echo("")
    for brief, to, status in rows:
        click.echo(f"{brief:<{widths[0]}}  {to:<{widths[1]}}  {status}".rstrip())
    click.echo("")


def _print_summary(report: SendReport) -> None:
    if report.dry_run:
        would = report.count("would send")
        parts = [f"would send {would}", f"skipped {report.count('skipped')}"]
    else:
        parts = [f"sent {report.count('sent')}", f"skipped {report.count('skipped')}",
                 f"deferred {report.count('deferred')}", f"failed {report.count('failed')}"]
    for status in ("uncertain", "recorded", "held back", "not sent"):
        if report.count(status):
            parts.append(f"{status} {report.count(status)}")
    click.echo(", ".join(parts))
    hints = []
    if report.skipped("uncertain"):
        hints.append("uncertain: a run stopped after it started sending these, so they may or "
                     "may not have arrived. Check with the recipients or the server's log "
                     "(the Message-ID is in .briefs/send-log.jsonl), then record them as "
                     "arrived with --uncertain-arrived, or send them again with "
                     "--resend-uncertain.")
    if report.skipped("changed"):
        hints.append("changed: these briefs were rebuilt after they were sent; to send the "
                     "new version, run again with --resend-changed.")
    if report.count("deferred"):
        hints.append("deferred: the server asked to try again later; run briefs send --send "
                     "again later to send them.")
    if report.count("failed"):
        hints.append("failed: the server refused these messages; check the addresses in "
                     "data/stakeholders.csv.")
    if report.count("held back"):
        hints.append("held back by --limit: run the command again to send the next ones.")
    for hint in hints:
        click.echo(hint)


def _next_step(report: SendReport, codes: tuple[str, ...], edition: int | None,
               chosen: Choices) -> str:
    """How the dry run's messages are checked and sent for real."""
    lines = []
    if report.outbox:
        written = report.count("would send")
        where = ", ".join(shown(folder) + "/" for folder in report.outbox)
        lines.append("dry run: nothing was sent.")
        if written:
            lines.append(f"the {plural(written, 'message')} that would be sent "
                         f"{noun(written, 'is', 'are')} in {where}: open them in a mail "
                         "program to check them")
    command = ["briefs", "send", *codes]
    if edition is not None:
        command += ["--edition", str(edition)]
    if chosen.limit is not None:
        command += ["--limit", str(chosen.limit)]
    if chosen.to is not None:
        command += ["--to", chosen.to]
    command += ["--resend-uncertain"] * chosen.resend_uncertain + \
        ["--resend-changed"] * chosen.resend_changed
    if not report.configured:
        lines.append("before sending: add [smtp] settings to briefs.toml (see the README, "
                     f"Emailing), then: {' '.join([*command[:2], '--check'])}")
    lines.append(f"to send for real: {' '.join([*command, '--send'])}")
    return "\n".join(lines)
