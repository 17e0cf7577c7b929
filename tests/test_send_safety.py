"""Issue 11, the mail half: no forged header, no second mailing, no endless conversation.

Every case goes through the real CLI against a real SMTP server (aiosmtpd) on 127.0.0.1, or
a real slow server on a raw socket. The written messages are parsed back and their exact
header set and recipients compared.
"""

from __future__ import annotations

import base64
import email
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import REPO, run
from filelock import FileLock
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_send import (
    ARCHIVE,
    EVERYONE,
    KIM,
    PARK,
    SENDER,
    Server,
    log_entries,
    settings,
    smtp_server,
)

from briefs.mail.sendlog import record_path

HEADERS = ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To"]


@pytest.fixture
def sample(built: Path, tmp_path: Path) -> Path:
    """A copy of the sample project whose PDFs are built (by `briefs build`, once)."""
    return Path(shutil.copytree(built, tmp_path / "project"))


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server() as running:
        yield running


def rename(project: Path, new_name: str, who: str = "Min-seo Park") -> None:
    path = project / "data" / "stakeholders.csv"
    quoted = '"' + new_name.replace('"', '""') + '"'
    path.write_text(path.read_text(encoding="utf-8").replace(who, quoted), encoding="utf-8")


def outbox(project: Path) -> dict[str, EmailMessage]:
    found = {}
    for path in sorted((project / "output" / "outbox").rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        found[path.name] = message
    return found


def b_word(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


# --- header injection -------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "=?utf-8?q?Ji-woo_Kim=0D=0AReply-To:_attacker@evil.example?=",
    b_word("Partners <attacker@evil.example>, "),
    "Park =?ISO-8859-1?Q?=0ABcc=3A_x=40evil.example?= Min-seo",
])
def test_an_encoded_word_in_a_name_is_refused_by_check_and_send(sample: Path, server: Server,
                                                                 name: str) -> None:
    settings(sample, server.port)
    rename(sample, name)
    expected = ("error: data/stakeholders.csv:3: name: contains an encoded-word (=?…?=), which "
                "mail programs decode into other header text — a name must be plain text")
    for args in (("check",), ("send",), ("send", "--send")):
        result = run(sample, *args)
        assert result.exit_code == 2, result.output
        assert expected in result.stderr.splitlines(), result.stderr
    assert server.handler.received == []
    assert not (sample / "output" / "outbox").exists()


def test_an_encoded_word_in_a_title_or_the_subject_is_refused(sample: Path) -> None:
    profile = sample / "data" / "profiles" / "KOR" / "2023.md"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("edition: 2023", "edition: 2023\ntitle: "
                                    "'=?utf-8?q?Korea=0D=0ABcc:_x@evil.example?='", 1),
                       encoding="utf-8")
    result = run(sample, "send")
    assert result.exit_code == 2
    assert ("error: data/profiles/KOR/2023.md:3: title: contains an encoded-word (=?…?=), which "
            "mail programs decode into other header text — the title must be plain text"
            ) in result.stderr.splitlines(), result.stderr
    profile.write_text(text, encoding="utf-8")
    templates = sample / "templates"
    templates.mkdir()
    (templates / "message.txt").write_text(
        "Subject: {title} =?utf-8?q?=0D=0AReply-To:_a@evil.example?=\n\nDear {name},\n",
        encoding="utf-8")
    result = run(sample, "send")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        "error: templates/message.txt:1: Subject: contains an encoded-word")
    assert not (sample / "output" / "outbox").exists()


def test_a_2000_character_name_is_refused_at_check(sample: Path) -> None:
    rename(sample, "Min-seo " + "x" * 2000)
    result = run(sample, "check")
    assert result.exit_code == 2
    assert ("error: data/stakeholders.csv:3: name: is 2008 characters long — a name must be at "
            "most 500 to go in a mail header") in result.stderr.splitlines()


def test_unicode_line_separators_are_refused(sample: Path) -> None:
    for separator in ("\u2028", "\u2029", "\x85"):
        rename(sample, f"Min-seo{separator}Bcc: x@evil.example")
        result = run(sample, "send")
        assert result.exit_code == 2
        assert "error: data/stakeholders.csv:3: name: contains a line break" in result.stderr
        rename(sample, "Min-seo Park", f"Min-seo{separator}Bcc: x@evil.example")


def test_a_name_that_looks_like_addresses_stays_one_quoted_name(sample: Path,
                                                                server: Server) -> None:
    settings(sample, server.port)
    rename(sample, "Partners <attacker@evil.example>, Park")
    result = run(sample, "send")
    assert result.exit_code == 0, result.output
    messages = outbox(sample)
    assert sorted(messages) == sorted(f"{a}.eml" for a in EVERYONE)
    for name, message in messages.items():
        assert sorted(message.keys()) == HEADERS
        [to] = message["To"].addresses
        assert to.addr_spec == name.removesuffix(".eml")
    [park] = messages[f"{PARK}.eml"]["To"].addresses
    assert park.display_name == "Partners <attacker@evil.example>, Park"


# --- the property -----------------------------------------------------------------------------

CHARSETS = ["utf-8", "iso-8859-1", "us-ascii", "windows-1252", "koi8-r", "shift_jis"]
ENCODED = st.tuples(
    st.sampled_from(CHARSETS), st.sampled_from("bBqQ"),
    st.sampled_from(["a@evil.example, ", "\r\nBcc: x@evil.example", "\n\n--x",
                     "Partners <a@evil.example>"]),
).map(lambda t: f"=?{t[0]}?{t[1]}?"
      + (base64.b64encode(t[2].encode()).decode() if t[1] in "bB"
         else "".join(f"={b:02X}" for b in t[2].encode())) + "?=")
REFUSED = st.one_of(ENCODED,
                    st.sampled_from(["\u2028", "\u2029", "\x85", "\r", "\n", "\x00", "\x1b",
                                     "\x7f", "y" * 600]))
LOOKS_HOSTILE = st.one_of(  # text that must stay text: quoted, encoded, never parsed
    st.sampled_from(["a@evil.example, b@evil.example", "<a@evil.example>", '"', ";", ":",
                     "Group: a@evil.example;", "\\", "(comment)", "=?", "?=", "Bcc: x",
                     "Zoë Ørsted", "김지우", " " * 3]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
            max_size=12),
)
HOSTILE = st.one_of(LOOKS_HOSTILE, LOOKS_HOSTILE, LOOKS_HOSTILE, REFUSED)


@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.lists(HOSTILE, min_size=1, max_size=3).map("".join),
       title=st.lists(HOSTILE, max_size=2).map("".join),
       subject=st.lists(HOSTILE, max_size=2).map("".join))
def test_hostile_names_titles_and_subjects_never_forge_a_header(
        sample: Path, tmp_path_factory: pytest.TempPathFactory, name: str, title: str,
        subject: str) -> None:
    project = Path(shutil.copytree(sample, tmp_path_factory.mktemp("p") / "project"))
    settings(project, 25)
    rename(project, name.strip() or "x")
    (project / "templates").mkdir()
    (project / "templates" / "message.txt").write_text(
        "Subject: {title} " + subject.replace("{", "{{").replace("}", "}}") +
        "\n\nDear {name},\n", encoding="utf-8", newline="")
    profile = project / "data" / "profiles" / "KOR" / "2023.md"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("edition: 2023", "edition: 2023\ntitle: "
                                    + json.dumps(title or "Korea"), 1), encoding="utf-8")
    run(project, "build", "KOR")
    result = run(project, "send", "KOR")
    messages = outbox(project)
    event("refused" if result.exit_code else "written")
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.output
        assert messages == {}
        return
    assert sorted(messages) == sorted(f"{a}.eml" for a in EVERYONE)
    for file_name, message in messages.items():
        assert sorted(message.keys()) == HEADERS
        [to] = message["To"].addresses
        assert to.addr_spec == file_name.removesuffix(".eml")
        assert [a.addr_spec for a in message["From"].addresses] == [SENDER]


# --- a server that never finishes answering ----------------------------------------------------

def trickling_server(stop: threading.Event) -> tuple[int, threading.Thread]:
    """A real server on 127.0.0.1 that greets, then answers EHLO one line every 0.3 s, forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)

    def serve() -> None:
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.sendall(b"220 slow.example ESMTP\r\n")
                    conn.recv(1024)  # EHLO
                    try:
                        while not stop.wait(0.3):
                            conn.sendall(b"250-slow.example still thinking\r\n")
                    except OSError:  # the client hung up: what we wait for
                        continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


@pytest.fixture
def slow_port() -> Iterator[int]:
    stop = threading.Event()
    port, thread = trickling_server(stop)
    yield port
    stop.set()
    thread.join(5)


def test_a_trickling_server_cannot_hold_send_or_the_lock(sample: Path, slow_port: int) -> None:
    settings(sample, slow_port, "timeout = 2")
    started = time.monotonic()
    # a child process with a timeout: without the deadline this would wait for ever
    result = subprocess.run([sys.executable, "-m", "briefs.cli", "--project", str(sample),
                             "send", "--send"], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: 127.0.0.1:{slow_port} took more than 2 seconds to greet, encrypt and log in, "
        "so the connection was closed — try again later, or raise timeout in briefs.toml "
        "[smtp]; nothing was sent")
    assert took < 25  # the 2-second deadline, plus starting Python on a busy machine
    with FileLock(str(sample / ".briefs" / "lock"), timeout=0):  # released
        pass
    assert log_entries(sample) == []


def test_timeout_must_be_a_number(sample: Path) -> None:
    settings(sample, 25, 'timeout = "soon"')
    result = run(sample, "send", "--send")
    assert result.exit_code == 2
    assert ("error: briefs.toml: smtp.timeout: 'soon' is not a number — the seconds a server "
            "may take to answer, such as 60") in result.stderr.splitlines()


# --- the send record --------------------------------------------------------------------------

def test_cleaning_output_does_not_lead_to_a_second_mailing(sample: Path, server: Server) -> None:
    settings(sample, server.port)
    assert run(sample, "send", "--send").exit_code == 0
    assert len(server.handler.received) == 3
    shutil.rmtree(sample / "output")
    assert run(sample, "build").exit_code == 0
    again = run(sample, "send", "--send")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "sent 0, skipped 3, deferred 0, failed 0"
    assert len(server.handler.received) == 3
    assert record_path(sample) == sample / ".briefs" / "send-log.jsonl"


def test_a_lost_record_with_mailed_briefs_refuses_to_send(sample: Path, server: Server) -> None:
    settings(sample, server.port)
    assert run(sample, "send", "--send").exit_code == 0
    shutil.rmtree(sample / ".briefs")
    refused = run(sample, "send", "--send")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[0] == (
        "error: .briefs/send-log.jsonl: is missing, but briefs were mailed from this project "
        "(output/.mailed says so) — without it every recipient would be mailed again: restore "
        ".briefs/ from your backup; only if you mean to mail everyone again, run with "
        "--new-send-record")
    assert len(server.handler.received) == 3
    anew = run(sample, "send", "--send", "--new-send-record")
    assert anew.exit_code == 0
    assert len(server.handler.received) == 6


def test_a_log_left_in_output_by_an_older_briefs_is_moved_and_kept(sample: Path,
                                                                   server: Server) -> None:
    settings(sample, server.port)
    assert run(sample, "send", "--send").exit_code == 0
    old = sample / "output" / "send-log.jsonl"
    record_path(sample).rename(old)
    (sample / "output" / ".mailed").unlink()
    again = run(sample, "send", "--send")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "sent 0, skipped 3, deferred 0, failed 0"
    assert not old.exists() and len(log_entries(sample)) == 6
    assert len(server.handler.received) == 3


def test_a_complete_last_entry_without_its_newline_is_kept(sample: Path,
                                                           server: Server) -> None:
    settings(sample, server.port)
    assert run(sample, "send", "--send").exit_code == 0
    log = record_path(sample)
    log.write_bytes(log.read_bytes().rstrip(b"\n"))  # an editor stripped the final newline
    again = run(sample, "send", "--send", "--resend-uncertain")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "sent 0, skipped 3, deferred 0, failed 0"
    assert len(server.handler.to(ARCHIVE)) == 1
    rebuilt = sample / "output" / "2023" / "KOR.pdf"
    rebuilt.write_bytes(rebuilt.read_bytes())  # same bytes: still current
    settings(sample, server.port)
    assert run(sample, "send", "--send", "--to", KIM).exit_code == 0  # appends after it
    assert [json.loads(line)["event"] for line in log.read_text().splitlines()] == \
        ["sending", "sent"] * 6


# --- uncertain until settled --------------------------------------------------------------------

def uncertain_log(project: Path, address: str) -> None:
    """The log a run killed between handing KIM's message over and hearing back leaves."""
    assert run(project, "send", "--send").exit_code == 0
    log = record_path(project)
    lines = log.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines
            if not (json.loads(line)["to"] == address and json.loads(line)["event"] == "sent")]
    log.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_an_uncertain_message_fails_every_run_until_settled(sample: Path,
                                                            server: Server) -> None:
    settings(sample, server.port)
    uncertain_log(sample, KIM)
    for _ in range(2):
        again = run(sample, "send", "--send")
        assert again.exit_code == 1
        assert "briefs send --uncertain-arrived" in again.stderr.splitlines()[-1]
    settled = run(sample, "send", "--uncertain-arrived")
    assert settled.exit_code == 0, settled.output
    after = run(sample, "send", "--send")
    assert after.exit_code == 0, after.output
    assert after.stdout.splitlines()[-1] == "sent 0, skipped 3, deferred 0, failed 0"
    assert len(server.handler.to(KIM)) == 1
