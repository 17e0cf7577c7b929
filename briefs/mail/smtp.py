"""Talking to the mail server: the `[smtp]` settings, a verified connection, one delivery.

The settings are validated into a frozen `SmtpSettings` before anything connects. TLS is
always verified with `ssl.create_default_context()`; `ca_file` adds trust in a private
authority, and nothing turns verification off. The password comes only from the environment
or from a file named in the settings, never from the command line (where `ps` shows it) and
never from a prompt (a scheduled run has nobody to answer it).

How the TCP connection is made is a `Connector`, passed in: the default one opens a real
connection to the configured server; a test hands in its own that reaches a local server.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import smtplib
import ssl
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefs.errors import Collector, WorkError
from briefs.mail.message import Mailbox, parse_mailbox
from briefs.text import did_you_mean

SETTINGS_FILE = "briefs.toml"
PASSWORD_ENV = "BRIEFS_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_RETRY_DELAYS = (5.0, 20.0, 60.0)
KEYS = ("host", "port", "security", "username", "from", "reply_to", "rate", "ca_file",
        "password_file", "retry_delays")
TIMEOUT = 60.0
LOCAL_HOSTS = ("localhost",)


@dataclass(frozen=True)
class SmtpSettings:
    """The `[smtp]` table of briefs.toml, checked."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    sender: Mailbox
    username: str = ""
    reply_to: Mailbox | None = None
    rate: float | None = None  # messages per minute; None: as fast as the server takes them
    ca_file: Path | None = None
    password_file: Path | None = None
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


Connector = Callable[[SmtpSettings], smtplib.SMTP]


def is_local(host: str) -> bool:
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(root: Path, problems: Collector) -> SmtpSettings | None:
    """The checked `[smtp]` settings, or None when briefs.toml has none (or is missing).

    Every mistake is added to `problems` with the key named (`smtp.port: …`).
    """
    path = root / SETTINGS_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.add(SETTINGS_FILE, "is not UTF-8 — save it as UTF-8")
        return None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problems.add(SETTINGS_FILE, f"is not valid TOML: {reason} — see the example in the "
                     "README, Emailing", line=int(match.group(1)) if match else None)
        return None
    table = data.get("smtp")
    if table is None:
        return None
    if not isinstance(table, dict):
        problems.add(SETTINGS_FILE, "smtp must be a table: a line [smtp], then key = value "
                     "lines")
        return None
    return _settings(table, root, problems)


def _settings(table: dict[str, Any], root: Path, problems: Collector) -> SmtpSettings | None:
    before = len(problems.problems)

    def bad(key: str, message: str) -> None:
        problems.add(SETTINGS_FILE, message, field=f"smtp.{key}")

    for key in table:
        if key not in KEYS:
            hint = did_you_mean(key, KEYS, otherwise=f" — the keys are: {', '.join(KEYS)}")
            bad(key, f"unknown setting{hint}")

    def text(key: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            bad(key, f"must be text in double quotes, got {value!r}")
            return ""
        return value.strip()

    host = text("host")
    if not host:
        bad("host", "is missing — the name of the mail server, such as "
            "host = \"smtp.example.org\"")
    elif re.search(r"[\s/@]", host):
        bad("host", f"'{host}' is not a server name — write only the name, such as "
            "smtp.example.org (the port is a setting of its own)")
    security = text("security") or "starttls"
    if security not in SECURITY:
        bad("security", f"'{security}' is not one of {', '.join(SECURITY)}")
    elif security == "none" and host and not is_local(host):
        bad("security", f"'none' sends the briefs and the password unencrypted, so it is "
            f"only allowed for a server on this machine (localhost, 127.0.0.1, ::1), not "
            f"'{host}' — use starttls or ssl")
    port = table.get("port", DEFAULT_PORTS.get(security, 587))
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        bad("port", f"{port!r} is not a port number — a whole number from 1 to 65535, "
            "usually 587 for starttls and 465 for ssl")
    sender = _mailbox(table, "from", bad)
    if "from" not in table:
        bad("from", "is missing — the sender, such as from = \"Partnerships "
            "<partnerships@example.org>\"")
    reply_to = _mailbox(table, "reply_to", bad) if "reply_to" in table else None
    username = text("username")
    rate = table.get("rate")
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int | float)
                             or rate <= 0):
        bad("rate", f"{rate!r} is not a rate — the number of messages per minute, such as 30")
    ca_file = _file(table, "ca_file", root, bad, must_exist=True)
    password_file = _file(table, "password_file", root, bad, must_exist=False)
    delays = table.get("retry_delays", list(DEFAULT_RETRY_DELAYS))
    if not isinstance(delays, list) or len(delays) > 10 or any(
            isinstance(d, bool) or not isinstance(d, int | float) or not 0 <= d <= 3600
            for d in delays):
        bad("retry_delays", f"{delays!r} is not a list of delays — up to 10 numbers of "
            "seconds from 0 to 3600, such as [5, 20, 60]")
        delays = []
    if len(problems.problems) > before or sender is None:
        return None
    return SmtpSettings(host=host, port=port, security=security, sender=sender,
                        username=username, reply_to=reply_to,
                        rate=float(rate) if rate is not None else None, ca_file=ca_file,
                        password_file=password_file,
                        retry_delays=tuple(float(d) for d in delays))


def _mailbox(table: dict[str, Any], key: str,
             bad: Callable[[str, str], None]) -> Mailbox | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        bad(key, f"must be text in double quotes, got {value!r}")
        return None
    mailbox, why = parse_mailbox(value)
    if mailbox is None:
        bad(key, why)
    return mailbox


def _file(table: dict[str, Any], key: str, root: Path, bad: Callable[[str, str], None],
          must_exist: bool) -> Path | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        bad(key, f"must be a file name in double quotes, got {value!r}")
        return None
    path = (root / Path(value).expanduser()).resolve()
    if must_exist and not path.is_file():
        bad(key, f"'{value}' not found — give the path of the authority's certificate (PEM), "
            "relative to the project folder or absolute")
        return None
    return path


def read_password(settings: SmtpSettings, environ: Mapping[str, str],
                  problems: Collector) -> str | None:
    """The password, from BRIEFS_SMTP_PASSWORD or else `password_file`; None without one."""
    if environ.get(PASSWORD_ENV):
        return environ[PASSWORD_ENV]
    if settings.password_file is not None:
        try:
            password = settings.password_file.read_text(encoding="utf-8-sig").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            problems.add(SETTINGS_FILE, f"cannot read {settings.password_file}: {reason}",
                         field="smtp.password_file")
            return None
        if password:
            return password
        problems.add(SETTINGS_FILE, f"{settings.password_file} is empty",
                     field="smtp.password_file")
        return None
    if settings.username:
        problems.add(SETTINGS_FILE, f"is set but there is no password — set the environment "
                     f"variable {PASSWORD_ENV}, or name a file holding it with password_file",
                     field="smtp.username")
    return None


# --- the connection ---------------------------------------------------------------------------

def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Verified TLS: the system's authorities, or only `ca_file` when it is set."""
    return ssl.create_default_context(
        cafile=str(settings.ca_file) if settings.ca_file else None)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """The default connector: a connection to the configured server, TLS at once for `ssl`."""
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT,
                                context=tls_context(settings))
    return smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)


@dataclass(frozen=True)
class Session:
    """An open connection, encrypted and logged in as the settings say."""

    conn: smtplib.SMTP
    description: str  # for --check: how the connection is protected and who is logged in

    def close(self) -> None:
        """QUIT politely; a server that already hung up is no error here."""
        try:
            self.conn.quit()
        except (smtplib.SMTPException, OSError):
            self.conn.close()


def open_session(settings: SmtpSettings, password: str | None,
                 connector: Connector = connect) -> Session:
    """Connect, negotiate TLS, log in; any refusal is a WorkError saying what to check."""
    nothing = "nothing was sent"
    try:
        conn = connector(settings)
    except ssl.SSLCertVerificationError as exc:
        raise WorkError(_tls_failure(settings, exc)) from exc
    except ssl.SSLError as exc:
        raise WorkError(f"TLS handshake with {settings.where} failed ({exc.reason or exc}) — "
                        "check port and security (465 is usually ssl, 587 starttls); "
                        f"{nothing}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise WorkError(f"cannot connect to {settings.where} ({reason}) — check host and port "
                        f"in {SETTINGS_FILE} [smtp], and that the server is running; "
                        f"{nothing}") from exc
    try:
        conn.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            if not conn.has_extn("starttls"):
                raise WorkError(f"{settings.where} does not offer STARTTLS, so the connection "
                                "cannot be encrypted — use security = \"ssl\" (usually port "
                                f"465) if the server speaks TLS from the start; {nothing}")
            conn.starttls(context=tls_context(settings))
            conn.ehlo()
        if settings.security in ("starttls", "ssl") and not isinstance(conn.sock,
                                                                          ssl.SSLSocket):
            raise WorkError(f"the connection to {settings.where} is not encrypted although "
                            f"security is '{settings.security}'; {nothing}")
        if settings.username:
            if not conn.has_extn("auth"):
                raise WorkError(f"{settings.where} does not offer login (AUTH) — remove "
                                f"username from {SETTINGS_FILE}, or ask the server's "
                                f"administrator; {nothing}")
            conn.login(settings.username, password or "")
    except WorkError:
        _close(conn)
        raise
    except ssl.SSLCertVerificationError as exc:
        _close(conn)
        raise WorkError(_tls_failure(settings, exc)) from exc
    except ssl.SSLError as exc:
        _close(conn)
        raise WorkError(f"TLS handshake with {settings.where} failed ({exc.reason or exc}); "
                        f"{nothing}") from exc
    except smtplib.SMTPAuthenticationError as exc:
        _close(conn)
        raise WorkError(f"login as '{settings.username}' refused by {settings.where}: "
                        f"{exc.smtp_code} {_text(exc.smtp_error)} — check username and the "
                        f"password ({PASSWORD_ENV} or password_file); {nothing}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        _close(conn)
        raise WorkError(f"{settings.where} broke off the conversation ({exc or type(exc)}); "
                        f"{nothing}") from exc
    return Session(conn, _describe(settings, conn))


def _tls_failure(settings: SmtpSettings, exc: ssl.SSLCertVerificationError) -> str:
    why = exc.verify_message or exc.reason or str(exc)
    trust = f"only {settings.ca_file}" if settings.ca_file else "the system's authorities"
    return (f"TLS handshake with {settings.where} failed: the server's certificate is not "
            f"trusted ({why}; trusting {trust}) — if the server uses a certificate from your "
            f"organisation's own authority, set ca_file in {SETTINGS_FILE} [smtp] to that "
            "authority's certificate (PEM); nothing was sent")


def _describe(settings: SmtpSettings, conn: smtplib.SMTP) -> str:
    sock = conn.sock
    if isinstance(sock, ssl.SSLSocket):
        how = "STARTTLS" if settings.security == "starttls" else "TLS"
        protection = f"{how} ({sock.version()}, certificate verified)"
    else:
        protection = "unencrypted (a server on this machine)"
    login = f", logged in as '{settings.username}'" if settings.username else ""
    return f"connected to {settings.where}, {protection}{login}"


def _close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        conn.close()


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


# --- one delivery -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    """The server's answer to one message."""

    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


class ConnectionLost(Exception):
    """The connection broke during a delivery.

    `maybe_delivered` is True when it broke after the message text was handed over: the
    server may have accepted it without our hearing the reply.
    """

    def __init__(self, reason: str, maybe_delivered: bool):
        super().__init__(reason)
        self.maybe_delivered = maybe_delivered


def deliver(conn: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> Reply:
    """One message to one recipient, by hand, so that the reply to DATA is kept.

    A refusal is returned, not raised: 4xx and 5xx are ordinary answers the caller sorts out.
    A reply of 421 means the server is closing the connection, so it is ConnectionLost.
    """
    try:
        reply = Reply(*_reply(conn.mail(sender)))
        if reply.ok:
            reply = Reply(*_reply(conn.rcpt(recipient)))
        if not reply.ok:
            _reset(conn, reply)
            return reply
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise ConnectionLost(str(exc) or type(exc).__name__, maybe_delivered=False) from exc
    try:
        reply = Reply(*_reply(conn.data(data)))
    except smtplib.SMTPDataError as exc:  # DATA itself refused: nothing was handed over
        reply = Reply(exc.smtp_code, _text(exc.smtp_error))
        _reset(conn, reply)
        return reply
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise ConnectionLost(str(exc) or type(exc).__name__, maybe_delivered=True) from exc
    if reply.code == 421:
        raise ConnectionLost(str(reply), maybe_delivered=False)
    return reply


def _reply(answer: tuple[int, bytes]) -> tuple[int, str]:
    code, text = answer
    return code, _text(text)


def _reset(conn: smtplib.SMTP, reply: Reply) -> None:
    if reply.code == 421:
        _close(conn)
        raise ConnectionLost(str(reply), maybe_delivered=False)
    try:
        conn.rset()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise ConnectionLost(str(exc) or type(exc).__name__, maybe_delivered=False) from exc
