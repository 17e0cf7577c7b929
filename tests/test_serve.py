"""`briefs serve` in a real browser: the index, a brief's pages, live rebuilds, mistakes.

One server (the real CLI in a subprocess) and one headless Chromium for the whole module;
tests that edit the profile put it back. BRIEFS_SCREENSHOT=PATH also saves the brief page's
screenshot there (how docs/serve.png is made).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Browser, chromium
from tests.conftest import REPO, copy_project, run

pytestmark = pytest.mark.skipif(chromium() is None and not os.environ.get("CI"),
                                reason="chromium is not installed (apt-get install chromium)")

PROFILE = Path("data/profiles/KOR/2023.md")
FRENCH = Path("data/profiles/KOR/2023.fr.md")


def start_server(project: Path, *args: str,
                 **env_vars: str) -> tuple[subprocess.Popen[str], str, str]:
    """`briefs serve --port 0` in a subprocess, the URL it printed and what it said before."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_vars}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefs", "--project", str(project), "serve", "--port", "0",
         *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        match = re.search(r"at (http://\S+/) ", line)
        if match:
            return process, match.group(1), "".join(lines)
    raise AssertionError(f"the server printed no URL: {''.join(lines)}")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = copy_project(REPO, tmp_path_factory.mktemp("serve") / "project")
    process, url, _ = start_server(project)
    yield project, url
    stop(process)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_index_lists_the_sample_briefs(served: tuple[Path, str], browser: Browser) -> None:
    _, url = served
    browser.open(url)
    rows = browser.evaluate("[...document.querySelectorAll('#briefs tr')].slice(1)"
                            ".map(r => [...r.children].slice(0, 5).map(c => c.textContent))")
    assert [r[:4] for r in rows] == [["KOR", "2017", "en", "2012–2016"],
                                     ["KOR", "2023", "en", "2018–2022"],
                                     ["KOR", "2023", "es", "2018–2022"],
                                     ["KOR", "2023", "fr", "2018–2022"]]
    assert {r[4] for r in rows} <= {"missing", "built", "stale"}
    links = browser.evaluate("[...document.querySelectorAll('#briefs tr td:first-child a')]"
                             ".map(a => a.getAttribute('href'))")
    assert links == ["/brief/KOR/2017", "/brief/KOR/2023", "/brief/KOR/2023/es",
                     "/brief/KOR/2023/fr"]  # as `briefs list` orders them


def test_the_french_page_shows_its_pages_and_french_figures(served: tuple[Path, str],
                                                            browser: Browser) -> None:
    project, url = served
    browser.open(url + "brief/KOR/2023/fr")
    count = browser.wait_for("document.images.length && [...document.images].every("
                             "i => i.complete && i.naturalWidth > 300) && document.images.length")
    from pypdf import PdfReader

    assert count == len(PdfReader(project / "output" / "2023" / "KOR.fr.pdf").pages)
    assert browser.evaluate("[...document.images].every(i => "
                            "i.getAttribute('src').startsWith('/brief/KOR/2023/fr/page/'))")
    figures = browser.evaluate("document.querySelector('#figures').innerText")
    assert "Total\t63,0" in figures and "Contributions fixées\t41,8" in figures
    status, pdf = get(url + "brief/KOR/2023/fr/pdf")
    assert status == 200 and pdf == (project / "output" / "2023" / "KOR.fr.pdf").read_bytes()


@contextlib.contextmanager
def titled_while_open(browser: Browser, page: str, profile: Path, title: str) -> Iterator[str]:
    """Open `page`, then save `profile` with `title` added, as an officer would; yields the
    first page image's address from before the save. The profile is put back after."""
    browser.open(page)
    browser.wait_for("document.images.length > 0")
    browser.evaluate("window.notReloaded = true")
    before = browser.evaluate("document.images[0].src")
    original = profile.read_text(encoding="utf-8")
    try:
        profile.write_text(original.replace("edition: 2023", f"edition: 2023\ntitle: {title}", 1),
                           encoding="utf-8")
        yield before
    finally:
        profile.write_text(original, encoding="utf-8")


def test_a_saved_translation_changes_its_open_page(served: tuple[Path, str],
                                                   browser: Browser) -> None:
    from pypdf import PdfReader

    project, url = served
    with titled_while_open(browser, url + "brief/KOR/2023/fr", project / FRENCH,
                           "La Corée et le bureau") as before:
        browser.wait_for(f"document.images[0]?.src !== {before!r}", timeout=30)
        assert browser.evaluate("window.notReloaded") is True
        pdf = browser.evaluate("document.querySelector('#brief a[href*=\"/pdf\"]').href")
        assert "/brief/KOR/2023/fr/pdf" in pdf
        status, body = get(pdf)
        assert status == 200
        text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
        assert "La Corée et le bureau" in text
    browser.wait_for(f"document.images[0]?.src === {before!r}", 30)


def test_a_briefs_page_shows_its_pages_and_figures(served: tuple[Path, str],
                                                    browser: Browser, tmp_path: Path) -> None:
    project, url = served
    browser.open(url + "brief/KOR/2023")
    count = browser.wait_for("document.images.length && [...document.images].every("
                             "i => i.complete && i.naturalWidth > 300) && document.images.length")
    from pypdf import PdfReader

    assert count == len(PdfReader(project / "output" / "2023" / "KOR.pdf").pages)
    figures = browser.evaluate("document.querySelector('#figures').innerText")
    assert "Total\t63.0" in figures and "Assessed contributions\t41.8" in figures
    assert "+28.8 %" in browser.evaluate("document.querySelector('#diff').textContent")
    shot = browser.screenshot()
    assert shot.startswith(b"\x89PNG") and len(shot) < 150_000
    (tmp_path / "serve.png").write_bytes(shot)
    if os.environ.get("BRIEFS_SCREENSHOT"):
        Path(os.environ["BRIEFS_SCREENSHOT"]).write_bytes(shot)


def test_a_saved_profile_changes_the_open_page(served: tuple[Path, str],
                                               browser: Browser) -> None:
    project, url = served
    with titled_while_open(browser, url + "brief/KOR/2023", project / PROFILE,
                           "Korea and the desk") as before:
        browser.wait_for("document.querySelector('#diff')?.textContent"
                         ".includes('Korea and the desk')", timeout=30)
        assert browser.evaluate("window.notReloaded") is True
        assert browser.evaluate("document.images[0].src") != before
    browser.wait_for("!document.querySelector('#diff').textContent.includes('the desk')", 30)


def test_a_mistake_shows_the_message_of_check(served: tuple[Path, str],
                                              browser: Browser) -> None:
    project, url = served
    browser.open(url + "brief/KOR/2023")
    browser.wait_for("document.images.length > 0")
    profile = project / PROFILE
    original = profile.read_text(encoding="utf-8")
    try:
        profile.write_text(original.replace("edition: 2023", "edition: 2032", 1),
                           encoding="utf-8")
        shown = browser.wait_for("document.querySelector('#problems')?.textContent", 30)
        said = [line for line in run(project, "check").stderr.splitlines()
                if line.startswith("error:")]
        assert said, "check found no problem to compare with"
        for line in said:
            assert line in shown
        assert browser.evaluate("document.images.length") == 0
        browser.open(url)  # the index: the brief's state, and the check's findings, re-run
        row = "[...document.querySelectorAll('#briefs tr')].find(r => r.textContent" \
              ".includes('2018–2022') || r.textContent.includes('2032'))?.innerText || ''"
        deadline = time.monotonic() + 60
        while said[0][7:67] not in browser.evaluate(row):  # the message, without "error: "
            assert time.monotonic() < deadline, browser.evaluate(row)
            time.sleep(0.3)
            browser.open(url)
        assert "\tfailing\t" in browser.evaluate(row)
    finally:
        profile.write_text(original, encoding="utf-8")
    browser.open(url + "brief/KOR/2023")
    browser.wait_for("document.images.length > 0 && !document.querySelector('#problems')", 30)


def test_a_translations_findings_are_on_its_own_row(served: tuple[Path, str],
                                                    browser: Browser) -> None:
    """check's findings are kept by donor, edition and language: a warning about 2023.fr.md
    is on the French row and no other."""
    project, url = served
    profile = project / FRENCH
    original = profile.read_text(encoding="utf-8")
    cells = "[...document.querySelectorAll('#briefs tr')].slice(1)" \
            ".map(r => r.children[2].textContent + '|' + r.children[5].textContent)"
    try:
        profile.write_text(original.replace("en bref {.box}", "en bref", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while True:  # check runs again after the save; the index shows its last findings
            browser.open(url)
            rows = browser.evaluate(cells)
            if any("has no {.box} section" in r for r in rows):
                break
            assert time.monotonic() < deadline, rows
            time.sleep(0.3)
        fr = [r for r in rows if r.startswith("fr|")]
        assert len(fr) == 1 and "2023.fr.md" in fr[0] and "has no {.box} section" in fr[0]
        assert all(r.endswith("|no problems") for r in rows if r not in fr), rows
    finally:
        profile.write_text(original, encoding="utf-8")


def test_the_desk_holds_the_lock_only_while_it_writes(served: tuple[Path, str],
                                                      browser: Browser) -> None:
    from briefs.build.store import project_lock

    project, url = served
    # the desk holds the lock only while it writes a brief (an earlier test's save may still be
    # rebuilding one): a build that waits gets it within moments, never blocked for long
    result = run(project, "build", "--wait")
    assert result.exit_code == 0, result.output
    browser.open(url + "brief/KOR/2023")
    browser.wait_for("document.images.length > 0")
    profile = project / PROFILE
    original = profile.read_text(encoding="utf-8")
    pdf = project / "output" / "2023" / "KOR.pdf"
    before = pdf.read_bytes()
    try:
        with project_lock(project):  # as a scheduled build or send would
            profile.write_text(original.replace("edition: 2023", "edition: 2023\n"
                                                "title: Drawn while locked", 1),
                               encoding="utf-8")
            browser.wait_for("document.querySelector('#diff')?.textContent"
                             ".includes('Drawn while locked')", timeout=30)
            assert "holds the project's lock: this preview is drawn in memory" in \
                browser.evaluate("document.querySelector('#brief').textContent")
            assert pdf.read_bytes() == before  # nothing written while another run works
    finally:
        profile.write_text(original, encoding="utf-8")
    browser.wait_for("!document.querySelector('#diff').textContent.includes('locked')", 30)


@pytest.mark.parametrize("path", [
    "../../../../etc/passwd",
    "brief/KOR/2023/../../../../../etc/passwd",
    "brief/..%2F..%2F..%2Fetc%2Fpasswd/2023",
    "brief/KOR%2F..%2F..%2F..%2F..%2Fetc/2023",
    "brief/KOR/2023/page/..%2F..%2Fmanifest.json",
    "events/..%2Fdata/2023",
    "brief/XYZ/2023",
    "brief/KOR/2023/de",
    "brief/KOR/2023/en",
    "brief/KOR/2017/fr",
    "brief/KOR/2023/..%2F2023",
    "brief/KOR/2023/fr/page/9.png",
    "events/KOR/2023/xx",
    "data/donors.csv",
    "output/manifest.json",
])
def test_no_path_outside_the_briefs_is_served(served: tuple[Path, str], path: str) -> None:
    _, url = served
    status, body = get(url + path)
    assert status == 404
    assert b"root:" not in body and b"KOR" not in body


def _listening_addresses(port: int) -> set[str]:
    """The local addresses with a TCP socket listening on `port` (Linux's /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_server_listens_on_loopback_only(served: tuple[Path, str]) -> None:
    _, url = served
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks this machine's address
        outside = probe.getsockname()[0]
    except OSError:
        outside = ""
    finally:
        probe.close()
    if outside and not outside.startswith("127."):
        with pytest.raises(OSError):
            socket.create_connection((outside, port), timeout=2).close()


def test_another_address_is_taken_only_when_asked_and_warned(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "project")
    process, url, said = start_server(project, "--host", "0.0.0.0")
    try:
        assert url.startswith("http://0.0.0.0:")
        assert "warning: serving on 0.0.0.0: anyone who can reach this machine" in said
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"00000000"}
    finally:
        stop(process)


def test_open_hands_the_url_to_the_browser(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "project")
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "fake_browser.py"  # what the user's $BROWSER would be handed
    fake.write_text("import pathlib, sys\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n",
                    encoding="utf-8")
    process, url, _ = start_server(project, "--open",
                                   BROWSER=f"{sys.executable} {fake} {opened} %s")
    try:
        deadline = time.monotonic() + 30
        while not opened.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text(encoding="utf-8") == url
    finally:
        stop(process)


def test_the_desks_total_carries_the_qualifier_the_pdf_prints(tmp_path: Path) -> None:
    """The 2017 sample's total is 'more than' (one of its channels is): the desk's figures
    table says so, as the PDF's chart title does."""
    from briefs.serve.view import view_brief

    project = copy_project(REPO, tmp_path / "project")
    view = view_brief(project, "KOR", 2017)
    total = [row.amount for row in view.figures if row.label == "Total"]
    assert len(total) == 1 and total[0].startswith("more than"), view.figures


def test_the_index_shows_checks_page_warnings(tmp_path: Path) -> None:
    """The page inspection's warnings are among check's findings: the index shows them on
    the row of the brief drawn in the layout they concern."""
    from briefs.serve.view import check_findings

    project = copy_project(REPO, tmp_path / "project")
    (project / "layouts").mkdir()
    (project / "layouts" / "factsheet.yaml").write_text(
        "extends: factsheet\nchart:\n  colors:\n    assessed: pale\n", encoding="utf-8")
    said = [line for line in run(project, "check").stderr.splitlines()
            if "contrast of 1.53:1" in line]
    assert said
    found = check_findings(project)
    assert [k for k, lines in found.items() if said[0] in lines] == [("KOR", 2017, "")]
