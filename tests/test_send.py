"""`briefs send` against a real SMTP server (aiosmtpd on 127.0.0.1), through the real CLI.

Each test gets a copy of the sample project with its PDFs built once per session, and its own
server on a free port. What the server received is compared with the PDFs on disk; what the
command printed is compared line by line.
"""

from __future__ import annotations

import datetime
import email
import ipaddress
import json
import re
import shutil
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import run
from filelock import FileLock

from briefs.errors import Collector
from briefs.mail.message import Mailbox, attachment_name, build_message, parse_template
from briefs.mail.send import Delivery, send_briefs
from briefs.mail.sendlog import SendLog, record_path

KIM = "ji-woo.kim@example.org"
PARK = "min-seo.park@example.com"
ARCHIVE = "partnerships-archive@example.org"
EVERYONE = (KIM, PARK, ARCHIVE)
SENDER = "partnerships@example.org"
OK_REPLY = "250 2.0.0 OK queued"
NO_PASSWORD = {"BRIEFS_SMTP_PASSWORD": None}


# --- the server -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """An aiosmtpd handler: keeps every message, answers chosen recipients with a refusal."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    rcpt_attempts: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        self.rcpt_attempts.append(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos),
                                      envelope.content))
        return OK_REPLY

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@dataclass
class Server:
    handler: Recorder
    port: int
    logins: list[tuple[str, str]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(password: str | None = None, **kwargs: Any) -> Iterator[Server]:
    """A real SMTP server on 127.0.0.1; with `password`, AUTH is required."""
    handler = Recorder()
    logins: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, given = auth_data.login.decode(), auth_data.password.decode()
        logins.append((login, given))
        return AuthResult(success=given == password, handled=False)

    if password is not None:
        kwargs.update(auth_required=True, authenticator=authenticator)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield Server(handler, port, logins)
    finally:
        controller.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def sample(built: Path, tmp_path: Path) -> Path:
    """A copy of the sample project whose PDFs are built (by `briefs build`, once)."""
    return Path(shutil.copytree(built, tmp_path / "project"))


def settings(project: Path, port: int, *extra: str, security: str = "none") -> None:
    lines = ["[smtp]", 'host = "127.0.0.1"', f"port = {port}", f'security = "{security}"',
             f'from = "ILO Partnerships <{SENDER}>"', "retry_delays = [0, 0]", *extra]
    (project / "briefs.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def log_entries(project: Path) -> list[dict[str, Any]]:
    path = record_path(project)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def pdf(project: Path) -> bytes:
    return (project / "output" / "2023" / "KOR.pdf").read_bytes()


def sent_line(name: str, address: str, reply: str = OK_REPLY) -> str:
    return f"sent      KOR 2023  {name} <{address}>  {reply}"


# --- the dry run ------------------------------------------------------------------------------

def test_dry_run_sends_nothing_and_writes_parseable_messages(sample: Path,
                                                             server: Server) -> None:
    settings(sample, server.port)
    result = run(sample, "send")
    assert result.exit_code == 0, result.output
    assert server.handler.received == []
    assert log_entries(sample) == []
    lines = result.stdout.splitlines()
    assert lines[0].startswith("KOR 2023: output/2023/KOR.pdf (")
    assert lines[0].endswith(" KB) attached as Republic-of-Korea-ILO-Cooperation-2023.pdf")
    assert lines[1:8] == [
        "  subject: Republic of Korea – ILO Cooperation, 2023 edition",
        "",
        "brief     to                                                       status",
        "KOR 2023  Ji-woo Kim <ji-woo.kim@example.org>                      would send",
        "KOR 2023  Min-seo Park <min-seo.park@example.com>                  would send",
        "KOR 2023  Partnerships archive <partnerships-archive@example.org>  would send",
        "",
    ]
    assert lines[8] == "would send 3, skipped 0"
    assert lines[-1] == "to send for real: briefs send --send"

    outbox = sample / "output" / "outbox" / "2023" / "KOR"
    files = sorted(outbox.glob("*.eml"))
    assert [f.name for f in files] == sorted(f"{a}.eml" for a in EVERYONE)
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        address = path.name.removesuffix(".eml")
        assert message["To"].addresses[0].addr_spec == address
        assert message["From"].addresses[0].addr_spec == SENDER
        assert message["Subject"] == "Republic of Korea – ILO Cooperation, 2023 edition"
        assert message["Bcc"] is None and message["Cc"] is None
        body = message.get_body(("plain",))
        assert body is not None and "2018–2022" in body.get_content()
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "Republic-of-Korea-ILO-Cooperation-2023.pdf"
        assert attachment.get_content() == pdf(sample)


def test_dry_run_without_settings_says_how_to_set_up_sending(sample: Path) -> None:
    result = run(sample, "send", "KOR", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "would send 2, skipped 0, held back 1" in result.stdout
    lines = result.stdout.splitlines()
    assert lines[-5:-3] == ["held back by --limit: run the command again to send the next ones.",
                            "dry run: nothing was sent."]
    assert lines[-3].startswith("the 2 messages that would be sent are in ")
    assert lines[-3].endswith("/output/outbox/2023/: open them in a mail program to check them")
    assert lines[-2:] == [
        "before sending: add [smtp] settings to briefs.toml (see the README, Emailing), then: "
        "briefs send --check",
        "to send for real: briefs send KOR --limit 2 --send",
    ]
    assert len(list((sample / "output" / "outbox").rglob("*.eml"))) == 2


def test_sending_without_settings_is_refused(sample: Path) -> None:
    result = run(sample, "send", "--send")
    assert result.exit_code == 2
    assert "error: briefs.toml: has no [smtp] settings" in result.stderr


# --- sending ----------------------------------------------------------------------------------

def test_send_delivers_every_message_with_the_pdf_and_a_rerun_sends_nothing(
        sample: Path, server: Server) -> None:
    settings(sample, server.port)
    result = run(sample, "send", "--send")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        sent_line("Ji-woo Kim", KIM),
        sent_line("Min-seo Park", PARK),
        sent_line("Partnerships archive", ARCHIVE),
        "sent 3, skipped 0, deferred 0, failed 0",
    ]
    received = server.handler.received
    assert [r.rcpt_tos for r in received] == [(a,) for a in EVERYONE]
    for item in received:
        assert item.mail_from == SENDER
        message = item.message
        assert message["Bcc"] is None
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == pdf(sample)
        assert item.content.isascii()  # no server needs 8BITMIME or SMTPUTF8 for it

    entries = log_entries(sample)
    assert [(e["event"], e["to"]) for e in entries] == [
        (event, address) for address in EVERYONE for event in ("sending", "sent")]
    for before, after in zip(entries[::2], entries[1::2], strict=True):
        assert after["reply"] == OK_REPLY
        assert before["message_id"] == after["message_id"]
        assert before["sha256"] == after["sha256"] == entries[0]["sha256"]
    ids = {r.message["Message-ID"] for r in received}
    assert ids == {e["message_id"] for e in entries}

    again = run(sample, "send", "--send")
    assert again.exit_code == 0, again.output
    assert len(server.handler.received) == 3
    assert again.stdout.splitlines()[-1] == "sent 0, skipped 3, deferred 0, failed 0"
    assert all(re.match(r"skipped   KOR 2023  .* already sent on \d{4}-\d\d-\d\d ", line)
               for line in again.stdout.splitlines()[:3])
    dry = run(sample, "send")
    assert "would send 0, skipped 3" in dry.stdout


def test_451_is_retried_then_deferred_and_the_next_run_delivers_exactly_that_one(
        sample: Path, server: Server) -> None:
    settings(sample, server.port)
    server.handler.refuse[PARK] = "451 4.7.1 Greylisted, try again later"
    result = run(sample, "send", "--send")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        sent_line("Ji-woo Kim", KIM),
        "deferred  KOR 2023  Min-seo Park <min-seo.park@example.com>  451 4.7.1 Greylisted, "
        "try again later (tried 3 times; the next run tries again)",
        sent_line("Partnerships archive", ARCHIVE),
        "sent 2, skipped 0, deferred 1, failed 0",
        "deferred: the server asked to try again later; run briefs send --send again later to "
        "send them.",
    ]
    assert server.handler.rcpt_attempts.count(PARK) == 3  # once, then after each of 2 delays
    assert server.handler.to(PARK) == []

    server.handler.refuse.clear()
    again = run(sample, "send", "--send")
    assert again.exit_code == 0, again.output
    assert len(server.handler.received) == 3
    assert server.handler.received[-1].rcpt_tos == (PARK,)
    assert again.stdout.splitlines()[-1] == "sent 1, skipped 2, deferred 0, failed 0"


def test_550_fails_one_recipient_and_the_others_are_delivered(sample: Path,
                                                              server: Server) -> None:
    settings(sample, server.port)
    server.handler.refuse[KIM] = "550 5.1.1 No such user"
    result = run(sample, "send", "--send")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:4] == [
        "failed    KOR 2023  Ji-woo Kim <ji-woo.kim@example.org>  550 5.1.1 No such user",
        sent_line("Min-seo Park", PARK),
        sent_line("Partnerships archive", ARCHIVE),
        "sent 2, skipped 0, deferred 0, failed 1",
    ]
    assert server.handler.rcpt_attempts.count(KIM) == 1  # a permanent refusal is not retried
    assert [r.rcpt_tos for r in server.handler.received] == [(PARK,), (ARCHIVE,)]
    assert [e["event"] for e in log_entries(sample) if e["to"] == KIM] == ["sending", "failed"]


def test_a_server_that_is_down_stops_the_run_and_nothing_is_marked_sent(sample: Path) -> None:
    port = free_port()  # nobody listens there
    settings(sample, port)
    result = run(sample, "send", "--send")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot connect to 127.0.0.1:{port} (")
    assert "nothing was sent" in result.stderr
    assert log_entries(sample) == []


# --- login and TLS ----------------------------------------------------------------------------

# aiosmtpd warns when AUTH is offered without TLS; on 127.0.0.1 that is the point of the test
PLAIN_AUTH = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


@PLAIN_AUTH
def test_login_with_the_password_from_the_environment(sample: Path) -> None:
    with smtp_server(password="s3cret", auth_require_tls=False) as running:
        settings(sample, running.port, 'username = "briefs"')
        refused = run(sample, "send", "--send", env={"BRIEFS_SMTP_PASSWORD": "wrong"})
        assert refused.exit_code == 1
        assert f"error: login as 'briefs' refused by 127.0.0.1:{running.port}: 535" \
            in refused.stderr
        assert log_entries(sample) == []

        missing = run(sample, "send", "--send", env=NO_PASSWORD)
        assert missing.exit_code == 2
        assert "error: briefs.toml: smtp.username: is set but there is no password — set the " \
            "environment variable BRIEFS_SMTP_PASSWORD" in missing.stderr

        result = run(sample, "send", "--send", env={"BRIEFS_SMTP_PASSWORD": "s3cret"})
        assert result.exit_code == 0, result.output
        assert running.logins[-1] == ("briefs", "s3cret")
        assert len(running.handler.received) == 3
        assert "s3cret" not in record_path(sample).read_text(encoding="utf-8")


@PLAIN_AUTH
def test_login_with_the_password_from_a_file(sample: Path) -> None:
    (sample / "secret.txt").write_text("from-a-file\n", encoding="utf-8")
    with smtp_server(password="from-a-file", auth_require_tls=False) as running:
        settings(sample, running.port, 'username = "briefs"', 'password_file = "secret.txt"')
        result = run(sample, "send", "--send", "--limit", "1", env=NO_PASSWORD)
        assert result.exit_code == 0, result.output
        assert running.logins == [("briefs", "from-a-file")]
        assert len(running.handler.received) == 1


@dataclass(frozen=True)
class Authority:
    ca: Path  # the private authority's certificate: what ca_file names
    cert: Path  # the server's certificate, signed by the authority
    key: Path


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """A private certificate authority and a server certificate for 127.0.0.1 it signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefs test authority")])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    paths = Authority(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


@contextmanager
def starttls_server(authority: Authority) -> Iterator[Server]:
    """STARTTLS required, then AUTH (which aiosmtpd only allows once TLS is on)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(authority.cert, authority.key)
    with smtp_server(password="s3cret", tls_context=context, require_starttls=True) as running:
        yield running


def test_starttls_with_an_unknown_authority_is_refused_and_accepted_with_ca_file(
        sample: Path, authority: Authority) -> None:
    password = {"BRIEFS_SMTP_PASSWORD": "s3cret"}
    with starttls_server(authority) as running:
        settings(sample, running.port, 'username = "briefs"', security="starttls")
        refused = run(sample, "send", "--send", env=password)
        assert refused.exit_code == 1
        assert refused.stderr.startswith(f"error: TLS handshake with 127.0.0.1:{running.port} "
                                         "failed: the server's certificate is not trusted (")
        assert "set ca_file in briefs.toml [smtp]" in refused.stderr
        assert running.logins == [] and running.handler.received == []
        assert log_entries(sample) == []

        settings(sample, running.port, 'username = "briefs"', f'ca_file = "{authority.ca}"',
                 security="starttls")
        check = run(sample, "send", "--check", env=password)
        assert check.exit_code == 0, check.output
        assert re.match(rf"ok: connected to 127\.0\.0\.1:{running.port}, STARTTLS \(TLSv1\.\d, "
                        r"certificate verified\), logged in as 'briefs'\n", check.stdout)
        assert running.handler.received == []

        result = run(sample, "send", "--send", env=password)
        assert result.exit_code == 0, result.output
        assert [r.rcpt_tos for r in running.handler.received] == [(a,) for a in EVERYONE]


def test_ssl_is_verified_too(sample: Path, authority: Authority) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(authority.cert, authority.key)
    with smtp_server(ssl_context=context) as running:
        settings(sample, running.port, security="ssl")
        refused = run(sample, "send", "--send")
        assert refused.exit_code == 1
        assert "the server's certificate is not trusted" in refused.stderr
        settings(sample, running.port, f'ca_file = "{authority.ca}"', security="ssl")
        result = run(sample, "send", "--send", "--limit", "1")
        assert result.exit_code == 0, result.output
        assert [r.rcpt_tos for r in running.handler.received] == [(KIM,)]


def test_security_none_is_only_for_this_machine(sample: Path) -> None:
    (sample / "briefs.toml").write_text(
        '[smtp]\nhost = "smtp.example.org"\nsecurity = "none"\nfrom = "a@example.org"\n'
        'hots = "x"\n', encoding="utf-8")
    result = run(sample, "send")
    assert result.exit_code == 2
    assert "error: briefs.toml: smtp.hots: unknown setting — did you mean 'host'?" \
        in result.stderr
    assert "error: briefs.toml: smtp.security: 'none' sends the briefs and the password " \
        "unencrypted, so it is only allowed for a server on this machine" in result.stderr


# --- refused before anything is sent ---------------------------------------------------------

def test_a_line_break_in_a_name_is_refused_before_anything_is_sent(sample: Path,
                                                                   server: Server) -> None:
    settings(sample, server.port)
    stakeholders = sample / "data" / "stakeholders.csv"
    text = stakeholders.read_text(encoding="utf-8")
    stakeholders.write_text(text.replace("Min-seo Park", '"Min-seo Park\nBcc: x@example.net"'),
                            encoding="utf-8")
    for args in (("send", "--send"), ("send",)):
        result = run(sample, *args)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[0] == (
            "error: data/stakeholders.csv:3: name: contains a line break — a name must be on "
            "one line")
    assert server.handler.received == []
    assert log_entries(sample) == []
    assert not (sample / "output" / "outbox").exists()


def test_every_address_is_checked(sample: Path) -> None:
    stakeholders = sample / "data" / "stakeholders.csv"
    with stakeholders.open("a", encoding="utf-8") as handle:
        handle.write('KOR,Two People,"a@example.org, b@example.org",\nKOX,Nobody,n@example.org,\n')
    result = run(sample, "send", "--to", "not-an-address")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: data/stakeholders.csv:5: email: 'a@example.org, "
                                "b@example.org' is not a valid address: ")
    assert errors[1] == ("error: data/stakeholders.csv:6: donor: unknown donor 'KOX' — did you "
                         "mean 'KOR'?")
    assert errors[2].startswith("error: --to: 'not-an-address' is not a valid address")


def test_a_missing_or_stale_pdf_must_be_built_first(sample: Path, server: Server) -> None:
    settings(sample, server.port)
    profile = sample / "data" / "profiles" / "KOR" / "2023.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    stale = run(sample, "send", "--send")
    assert stale.exit_code == 2
    assert "error: output/2023/KOR.pdf: is out of date" in stale.stderr
    (sample / "output" / "2023" / "KOR.pdf").unlink()
    missing = run(sample, "send")
    assert missing.exit_code == 2
    assert "error: output/2023/KOR.pdf: not built yet — run briefs build first" in missing.stderr
    assert server.handler.received == []


def test_a_pdf_cut_short_is_never_mailed(sample: Path, server: Server) -> None:
    """Built PDFs are written without waiting for the disk (issue 15): what a power cut can
    leave, a PDF cut short under its name, must then be caught by its hash in the manifest,
    as a PDF to build again, never mailed."""
    settings(sample, server.port)
    pdf = sample / "output" / "2023" / "KOR.pdf"
    pdf.write_bytes(pdf.read_bytes()[:4096])
    cut = run(sample, "send", "--send")
    assert cut.exit_code == 2
    assert "error: output/2023/KOR.pdf: is out of date" in cut.stderr
    assert server.handler.received == []


def test_a_send_waits_for_no_one_while_a_build_or_send_holds_the_lock(sample: Path,
                                                                      server: Server) -> None:
    settings(sample, server.port)
    with FileLock(str(sample / ".briefs" / "lock")):
        result = run(sample, "send", "--send")
    assert result.exit_code == 3
    assert "another briefs run is building or sending for this project" in result.stderr
    assert server.handler.received == []


# --- --limit, --to, --check -------------------------------------------------------------------

def test_limit_stops_after_n_messages_and_the_next_run_goes_on(sample: Path,
                                                               server: Server) -> None:
    settings(sample, server.port)
    first = run(sample, "send", "--send", "--limit", "2")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[2] == (
        "held back KOR 2023  Partnerships archive <partnerships-archive@example.org>  beyond "
        "--limit 2")
    assert "sent 2, skipped 0, deferred 0, failed 0, held back 1" in first.stdout
    second = run(sample, "send", "--send", "--limit", "2")
    assert second.exit_code == 0, second.output
    assert [r.rcpt_tos for r in server.handler.received] == [(a,) for a in EVERYONE]


def test_to_sends_everything_to_one_address_and_the_real_run_still_sends(
        sample: Path, server: Server) -> None:
    settings(sample, server.port)
    tester = "tester@example.net"
    result = run(sample, "send", "--send", "--to", tester)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"sent      KOR 2023  {tester} (instead of Ji-woo Kim <{KIM}>)  {OK_REPLY}")
    assert [r.rcpt_tos for r in server.handler.received] == [(tester,)] * 3
    assert {r.message["To"].addresses[0].addr_spec for r in server.handler.received} == {tester}
    # the greeting is the real recipient's, so the test shows what they will get
    assert "Dear Ji-woo Kim," in server.handler.received[0].message.get_body(
        ("plain",)).get_content()
    assert all(e["test"] for e in log_entries(sample))

    real = run(sample, "send", "--send")
    assert real.exit_code == 0, real.output
    assert [r.rcpt_tos for r in server.handler.received[3:]] == [(a,) for a in EVERYONE]


def test_check_connects_and_sends_nothing_even_before_the_build(sample: Path,
                                                                server: Server) -> None:
    settings(sample, server.port)
    (sample / "output" / "2023" / "KOR.pdf").unlink()
    result = run(sample, "send", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok: connected to 127.0.0.1:{server.port}, unencrypted (a server on this machine)",
        "ok: 3 addresses in data/stakeholders.csv; 3 messages for 1 brief; message template: "
        "built-in",
        "note: output/2023/KOR.pdf: not built yet — run briefs build first (send never builds: "
        "look at the PDFs before they go out)",
        "nothing was sent",
    ]
    assert server.handler.received == []
    assert run(sample, "send", "--check", "--send").exit_code == 2


@PLAIN_AUTH
def test_check_finds_a_server_that_refuses_the_sender(sample: Path) -> None:
    with smtp_server(password="s3cret", auth_require_tls=False) as running:
        settings(sample, running.port)  # no username, but the server wants a login
        result = run(sample, "send", "--check")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: 127.0.0.1:{running.port} refuses mail from "
                                        f"{SENDER}: 530 ")


def test_the_newest_edition_unless_another_is_asked_for(sample: Path) -> None:
    (sample / "output" / "2017" / "KOR.pdf").unlink()
    newest = run(sample, "send")
    assert newest.exit_code == 0, newest.output
    assert newest.stdout.startswith("KOR 2023: ")
    older = run(sample, "send", "KOR", "--edition", "2017")
    assert older.exit_code == 2
    assert "error: output/2017/KOR.pdf: not built yet" in older.stderr


# --- uncertain and changed --------------------------------------------------------------------

class LosesTheReply(smtplib.SMTP):
    """A real connection that breaks right after the server took the first message."""

    def data(self, msg: Any) -> tuple[int, bytes]:
        super().data(msg)
        self.close()
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_uncertain_message_is_only_resent_when_asked(sample: Path, server: Server) -> None:
    settings(sample, server.port)
    connector = lambda s: LosesTheReply(s.host, s.port, timeout=10)  # noqa: E731
    report = send_briefs(sample, send=True, delivery=Delivery(connector=connector,
                                                              environ={}))
    assert [m.status for m in report.messages] == ["uncertain", "not sent", "not sent"]
    assert report.stopped.startswith("the connection to 127.0.0.1:")
    assert not report.ok
    assert [r.rcpt_tos for r in server.handler.received] == [(KIM,)]  # it did arrive
    assert [e["event"] for e in log_entries(sample)] == ["sending"]

    rerun = run(sample, "send", "--send")
    assert rerun.exit_code == 1, rerun.output  # a nightly job sees it until it is settled
    assert rerun.stderr.splitlines()[-1] == (
        "error: 1 message may or may not have arrived (uncertain); every run fails until each "
        "is settled — if it arrived: briefs send --uncertain-arrived; if not: briefs send "
        "--send --resend-uncertain")
    lines = rerun.stdout.splitlines()
    assert lines[0].startswith("skipped   KOR 2023  Ji-woo Kim <ji-woo.kim@example.org>  "
                               "uncertain: a run started sending it on ")
    assert lines[3] == "sent 2, skipped 1, deferred 0, failed 0"
    assert lines[4].startswith("uncertain: a run stopped after it started sending these")
    assert len(server.handler.to(KIM)) == 1

    resend = run(sample, "send", "--send", "--resend-uncertain")
    assert resend.exit_code == 0, resend.output
    assert resend.stdout.splitlines()[-1] == "sent 1, skipped 2, deferred 0, failed 0"
    assert len(server.handler.to(KIM)) == 2


def test_a_brief_rebuilt_after_sending_is_changed_and_only_resent_when_asked(
        sample: Path, server: Server) -> None:
    settings(sample, server.port)
    assert run(sample, "send", "--send").exit_code == 0
    old = pdf(sample)
    profile = sample / "data" / "profiles" / "KOR" / "2023.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    assert run(sample, "build", "KOR").exit_code == 0
    assert pdf(sample) != old

    result = run(sample, "send", "--send")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        "skipped   KOR 2023  Ji-woo Kim <ji-woo.kim@example.org>  changed: an earlier version "
        "was sent on ")
    assert result.stdout.splitlines()[3:] == [
        "sent 0, skipped 3, deferred 0, failed 0",
        "changed: these briefs were rebuilt after they were sent; to send the new version, run "
        "again with --resend-changed.",
    ]
    assert len(server.handler.received) == 3

    resend = run(sample, "send", "--send", "--resend-changed")
    assert resend.exit_code == 0, resend.output
    assert len(server.handler.received) == 6
    for item in server.handler.received[3:]:
        [attachment] = list(item.message.iter_attachments())
        assert attachment.get_content() == pdf(sample)


# --- the library ------------------------------------------------------------------------------

def test_rate_spaces_the_messages(sample: Path, server: Server) -> None:
    settings(sample, server.port, "rate = 30")  # one message every 2 seconds
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    def connector(settings: Any) -> smtplib.SMTP:  # a plain smtplib connection, handed in
        return smtplib.SMTP(settings.host, settings.port, timeout=10)

    delivery = Delivery(connector=connector, sleep=sleep, clock=lambda: now[0], environ={})
    report = send_briefs(sample, send=True, delivery=delivery)
    assert report.ok and report.count("sent") == 3
    assert waits == [2.0, 2.0]


def test_a_project_template_with_an_html_alternative(sample: Path, server: Server) -> None:
    settings(sample, server.port)
    templates = sample / "templates"
    templates.mkdir()
    (templates / "message.txt").write_text(
        "Subject: {short_name}: the {edition} brief for {name}\n\nHello {name},\n\n"
        "the brief on {donor} ({period}) is attached.\n", encoding="utf-8")
    (templates / "message.html").write_text(
        "<p>Hello <b>{name}</b>, the brief on {donor} ({period}) is attached.</p>\n",
        encoding="utf-8")
    stakeholders = sample / "data" / "stakeholders.csv"
    stakeholders.write_text(
        stakeholders.read_text(encoding="utf-8").replace("Ji-woo Kim", "Ji-woo <Kim> & Co"),
        encoding="utf-8")
    result = run(sample, "send", "--send", "--limit", "1")
    assert result.exit_code == 0, result.output
    message = server.handler.received[0].message
    assert message["Subject"] == "Korea: the 2023 brief for Ji-woo <Kim> & Co"
    assert message.get_content_type() == "multipart/mixed"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == (
        "Hello Ji-woo <Kim> & Co,\n\nthe brief on Republic of Korea (2018–2022) is attached.\n")
    assert "<b>Ji-woo &lt;Kim&gt; &amp; Co</b>" in html.get_content()

    (templates / "message.txt").write_text("Subject: {title}\n\nDear {nme},\n",
                                           encoding="utf-8")
    bad = run(sample, "send")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[0] == (
        "error: templates/message.txt:3: unknown placeholder {nme} — did you mean {name}? (the "
        "placeholders are: {name}, {role}, {donor}, {short_name}, {code}, {title}, {edition}, "
        "{period}, {total}, {sender}, {date})")


def test_a_template_must_start_with_its_subject() -> None:
    problems = Collector()
    assert parse_template("Dear {name},\n", "templates/message.txt", None, "", problems) is None
    assert str(problems.problems[0]).startswith("templates/message.txt:1: the first line must "
                                                "be the subject")


def test_non_ascii_file_names_and_names_are_encoded() -> None:
    filename = attachment_name("Côte d’Ivoire – ILO Cooperation", 2024)
    assert filename == "Cote-d’Ivoire-ILO-Cooperation-2024.pdf"  # accents dropped, as in
    # Republique-de-Coree-Cooperation-OIT-2023.pdf; the typographic apostrophe is kept
    message = build_message(sender=Mailbox("Bureau Genève", SENDER),
                            to=Mailbox("Zoë Ørsted", "zoe@example.org"), reply_to=None,
                            subject="Côte d’Ivoire", text="Chère Zoë,\n", html_body=None,
                            pdf=b"%PDF-1.7", filename=filename, message_id="<1@example.org>",
                            date="Mon, 1 Jan 2024 00:00:00 +0000")
    raw = message.as_bytes()
    assert raw.isascii()
    assert b"filename*=utf-8''Cote-d%E2%80%99Ivoire-ILO-Cooperation-2024.pdf" in raw
    parsed = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_filename() == filename
    assert parsed["To"].addresses[0].display_name == "Zoë Ørsted"


def test_the_log_ignores_a_line_cut_short_by_a_crash(tmp_path: Path) -> None:
    path = record_path(tmp_path)
    path.parent.mkdir()
    entry = {"time": "t", "event": "sent", "edition": 2023, "donor": "KOR", "to": KIM,
             "sha256": "abc"}
    path.write_text(json.dumps(entry) + '\n{"event": "sen', encoding="utf-8")
    log = SendLog(tmp_path)
    assert log.status(2023, "KOR", KIM.upper(), "abc").kind == "sent"
    assert log.status(2023, "KOR", KIM, "def").kind == "changed"
    assert log.status(2023, "KOR", PARK, "abc").kind == "new"
    log.append("sending", edition=2023, donor="KOR", to=PARK, sha256="abc")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["to"] for line in lines] == [KIM, PARK]  # the cut one is gone
    assert SendLog(tmp_path).status(2023, "KOR", PARK, "abc").kind == "uncertain"
