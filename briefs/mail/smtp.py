"""Talking to the mail server: a verified connection and one delivery, within a deadline.

TLS is always verified with `ssl.create_default_context()`; `ca_file` adds trust in a private
authority, and nothing turns verification off. Every exchange with the server has an overall
deadline (`timeout` in the settings), not only a limit per read: a server that trickles its
reply one line at a time cannot hold a run, and the project's lock, forever.

How the TCP connection is made is a `Connector`, passed in: the default one opens a real
connection to the configured server; a test hands in its own that reaches a local server.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from briefs.errors import WorkError
from briefs.mail.settings import PASSWORD_ENV, SETTINGS_FILE, SmtpSettings

Connector = Callable[[SmtpSettings], smtplib.SMTP]


# --- the connection ---------------------------------------------------------------------------

def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Verified TLS: the system's authorities, or only `ca_file` when it is set."""
    return ssl.create_default_context(
        cafile=str(settings.ca_file) if settings.ca_file else None)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """The default connector: a connection to the configured server, TLS at once for `ssl`.

    The greeting must come within the settings' timeout, however slowly it trickles in.
    """
    conn = smtplib.SMTP_SSL(timeout=settings.timeout, context=tls_context(settings)) \
        if settings.security == "ssl" else smtplib.SMTP(timeout=settings.timeout)
    conn._host = settings.host  # what TLS checks the certificate against (set by __init__)
    with deadline(conn, settings.timeout):
        conn.connect(settings.host, settings.port)
    return conn


@contextlib.contextmanager
def deadline(conn: smtplib.SMTP, seconds: float) -> Iterator[threading.Event]:
    """Cut the connection if what the block does with it takes longer than `seconds` in all.

    smtplib's timeout bounds each read, so a server sending one line every few seconds never
    trips it; this bounds the whole exchange. The block sees the cut as a lost connection;
    the event yielded tells it that the deadline was the cause.
    """
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = getattr(conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()


@dataclass(frozen=True)
class Session:
    """An open connection, encrypted and logged in as the settings say."""

    conn: smtplib.SMTP
    description: str  # for --check: how the connection is protected and who is logged in

    def close(self) -> None:
        """QUIT politely; a server that already hung up is no error here."""
        try:
            with deadline(self.conn, 5.0):
                self.conn.quit()
        except (smtplib.SMTPException, OSError):
            self.conn.close()


NOTHING = "nothing was sent"


def open_session(settings: SmtpSettings, password: str | None,
                 connector: Connector = connect) -> Session:
    """Connect, negotiate TLS, log in; any refusal is a WorkError saying what to check."""
    try:
        conn = connector(settings)
    except ssl.SSLCertVerificationError as exc:
        raise WorkError(_tls_failure(settings, exc)) from exc
    except ssl.SSLError as exc:
        raise WorkError(f"TLS handshake with {settings.where} failed ({exc.reason or exc}) — "
                        "check port and security (465 is usually ssl, 587 starttls); "
                        f"{NOTHING}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise WorkError(f"cannot connect to {settings.where} ({reason}) — check host and port "
                        f"in {SETTINGS_FILE} [smtp], and that the server is running; "
                        f"{NOTHING}") from exc
    try:
        with deadline(conn, settings.timeout) as expired:
            try:
                _secure_and_log_in(settings, conn, password)
            except (smtplib.SMTPException, OSError) as exc:
                if expired.is_set():
                    raise WorkError(too_slow(settings, "to greet, encrypt and log in")) \
                        from exc
                raise
    except WorkError:
        _close(conn)
        raise
    except (smtplib.SMTPException, OSError) as exc:
        _close(conn)
        raise WorkError(_refusal(settings, exc)) from exc
    return Session(conn, _describe(settings, conn))


def too_slow(settings: SmtpSettings, what: str) -> str:
    return (f"{settings.where} took more than {settings.timeout:g} seconds {what}, so the "
            f"connection was closed — try again later, or raise timeout in {SETTINGS_FILE} "
            f"[smtp]; {NOTHING}")


def _secure_and_log_in(settings: SmtpSettings, conn: smtplib.SMTP,
                       password: str | None) -> None:
    """EHLO, STARTTLS when asked for, and the login; refusals are WorkErrors."""
    conn.ehlo_or_helo_if_needed()
    if settings.security == "starttls":
        if not conn.has_extn("starttls"):
            raise WorkError(f"{settings.where} does not offer STARTTLS, so the connection "
                            "cannot be encrypted — use security = \"ssl\" (usually port "
                            f"465) if the server speaks TLS from the start; {NOTHING}")
        conn.starttls(context=tls_context(settings))
        conn.ehlo()
    if settings.security in ("starttls", "ssl") and not isinstance(conn.sock, ssl.SSLSocket):
        raise WorkError(f"the connection to {settings.where} is not encrypted although "
                        f"security is '{settings.security}'; {NOTHING}")
    if settings.username:
        if not conn.has_extn("auth"):
            raise WorkError(f"{settings.where} does not offer login (AUTH) — remove "
                            f"username from {SETTINGS_FILE}, or ask the server's "
                            f"administrator; {NOTHING}")
        conn.login(settings.username, password or "")


def _refusal(settings: SmtpSettings, exc: Exception) -> str:
    """What went wrong while encrypting or logging in, and what to check."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _tls_failure(settings, exc)
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake with {settings.where} failed ({exc.reason or exc}); {NOTHING}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"login as '{settings.username}' refused by {settings.where}: "
                f"{exc.smtp_code} {_text(exc.smtp_error)} — check username and the "
                f"password ({PASSWORD_ENV} or password_file); {NOTHING}")
    return f"{settings.where} broke off the conversation ({exc or type(exc)}); {NOTHING}"


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


def deliver(conn: smtplib.SMTP, sender: str, recipient: str, data: bytes,
            seconds: float) -> Reply:
    """One message to one recipient, all of its exchange within `seconds`.

    Past the deadline the connection is cut: ConnectionLost, "uncertain" if the text was
    already handed over.
    """
    with deadline(conn, seconds) as expired:
        try:
            return _deliver(conn, sender, recipient, data)
        except ConnectionLost as lost:
            if not expired.is_set():
                raise
            raise ConnectionLost(f"no complete answer within {seconds:g} seconds",
                                 lost.maybe_delivered) from lost


def message_seconds(settings: SmtpSettings, size: int) -> float:
    """The time one message may take: the timeout, plus a second per 50 KB to upload."""
    return settings.timeout + size / 50_000


def _deliver(conn: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> Reply:
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
