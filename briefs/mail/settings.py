"""The `[smtp]` settings of briefs.toml, checked into a frozen `SmtpSettings`, and the password.

The settings are validated before anything connects. The password comes only from the
environment or from a file named in the settings, never from the command line (where `ps`
shows it) and never from a prompt (a scheduled run has nobody to answer it).
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefs.errors import Collector
from briefs.mail.message import Mailbox, parse_mailbox
from briefs.safe_files import FileProblem, read_regular
from briefs.text import did_you_mean

SETTINGS_FILE = "briefs.toml"
PASSWORD_ENV = "BRIEFS_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_RETRY_DELAYS = (5.0, 20.0, 60.0)
KEYS = ("host", "port", "security", "username", "from", "reply_to", "rate", "ca_file",
        "password_file", "retry_delays", "timeout")
DEFAULT_TIMEOUT = 60.0  # seconds for connecting and logging in, and for each message
LOCAL_HOSTS = ("localhost",)
PASSWORD_LIMIT = 4096  # bytes: a password file is one line


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
    timeout: float = DEFAULT_TIMEOUT

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


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
    if not os.path.lexists(path):
        return None
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8-sig"))
    except FileProblem as exc:
        problems.add(SETTINGS_FILE, str(exc))
        return None
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


Bad = Callable[[str, str], None]


def _settings(table: dict[str, Any], root: Path, problems: Collector) -> SmtpSettings | None:
    before = len(problems.problems)

    def bad(key: str, message: str) -> None:
        problems.add(SETTINGS_FILE, message, field=f"smtp.{key}")

    for key in table:
        if key not in KEYS:
            hint = did_you_mean(key, KEYS, otherwise=f" — the keys are: {', '.join(KEYS)}")
            bad(key, f"unknown setting{hint}")
    host, security, port = _server(table, bad)
    sender = _mailbox(table, "from", bad)
    if "from" not in table:
        bad("from", "is missing — the sender, such as from = \"Partnerships "
            "<partnerships@example.org>\"")
    reply_to = _mailbox(table, "reply_to", bad) if "reply_to" in table else None
    username = _text(table, "username", bad)
    rate = _number(table, "rate", None, bad, "the number of messages per minute, such as 30")
    timeout = _number(table, "timeout", DEFAULT_TIMEOUT, bad,
                      "the seconds a server may take to answer, such as 60")
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
                        username=username, reply_to=reply_to, rate=rate, ca_file=ca_file,
                        password_file=password_file,
                        retry_delays=tuple(float(d) for d in delays),
                        timeout=timeout or DEFAULT_TIMEOUT)


def _text(table: dict[str, Any], key: str, bad: Bad) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        bad(key, f"must be text in double quotes, got {value!r}")
        return ""
    return value.strip()


def _number(table: dict[str, Any], key: str, default: float | None, bad: Bad,
            expected: str) -> float | None:
    """A positive number of the settings, or `default` when the key is absent."""
    value = table.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        bad(key, f"{value!r} is not a number — {expected}")
        return default
    return float(value)


def _server(table: dict[str, Any], bad: Bad) -> tuple[str, str, int]:
    """Host, security and port, checked together: `none` is only for this machine."""
    host = _text(table, "host", bad)
    if not host:
        bad("host", "is missing — the name of the mail server, such as "
            "host = \"smtp.example.org\"")
    elif re.search(r"[\s/@]", host):
        bad("host", f"'{host}' is not a server name — write only the name, such as "
            "smtp.example.org (the port is a setting of its own)")
    security = _text(table, "security", bad) or "starttls"
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
    return host, security, port


def _mailbox(table: dict[str, Any], key: str, bad: Bad) -> Mailbox | None:
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


def _file(table: dict[str, Any], key: str, root: Path, bad: Bad,
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
            raw = read_regular(settings.password_file, PASSWORD_LIMIT)
            password = raw.decode("utf-8-sig").rstrip("\r\n")
        except (FileProblem, UnicodeDecodeError) as exc:
            reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc
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


