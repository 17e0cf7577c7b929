"""Issue 11, the files half: YAML that cannot explode, names that are names, odd files.

Through the real CLI on copies of the sample project. Where the old behaviour was to eat the
machine's memory or hang, the command runs in a child process with a memory limit and a
timeout, so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, pdfs_under, run

PROFILE = "data/profiles/KOR/2023.md"


def front(project: Path, extra: str, after: str = "edition: 2023\n") -> Path:
    path = project / PROFILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(after, after + extra, 1), encoding="utf-8")
    return path


def briefs_process(project: Path, *args: str, memory_mb: int = 1500,
                   timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`briefs` in a child process that may use at most `memory_mb` of address space."""
    def limit() -> None:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "briefs.cli", "--project", str(project),
                           *args], capture_output=True, text=True, timeout=timeout, env=env,
                          preexec_fn=limit, check=False)


def bomb(prefix: str, levels: int = 9, last: str = "") -> str:
    """Nested anchors: 9 ** `levels` strings once expanded; the last level's key is `last`."""
    lines = [f"{prefix}0: &{prefix}0 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, levels):
        key = last if last and level == levels - 1 else f"{prefix}{level}"
        lines.append(f"{key}: &{prefix}{level} ["
                     + ",".join([f"*{prefix}{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --- YAML ------------------------------------------------------------------------------------

def test_an_alias_bomb_in_a_profile_is_refused_in_little_memory(project: Path) -> None:
    # the title is printed in a message as "not text": before, 2.2 GB and a MemoryError
    assert len(bomb("a", last="title")) < 430
    front(project, bomb("a", last="title"))
    result = briefs_process(project, "check")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines()[0] == (
        f"error: {PROFILE}:4: uses an alias (*a0) — aliases are not allowed here; write the "
        "value out in full")
    assert len(result.stderr) < 1000


def test_an_alias_bomb_in_a_layout_is_refused_in_little_memory(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts" / "profile.yaml").write_text("extends: profile\n" + bomb("p"),
                                                      encoding="utf-8")
    result = briefs_process(project, "check")
    assert result.returncode == 2, result.stderr[-2000:]
    assert ("error: layouts/profile.yaml:3: uses an alias (*p0) — aliases are not allowed "
            "here; write the value out in full") in result.stderr.splitlines()
    assert len(result.stderr) < 2000


def test_a_key_written_twice_in_front_matter_names_both_lines(project: Path) -> None:
    front(project, "period: [2019, 2023]\n", after="period: [2018, 2022]\n")
    result = run(project, "check")
    assert result.exit_code == 2
    assert (f"error: {PROFILE}:5: period: is written twice — keep one (first on line 4)"
            ) in result.stderr.splitlines()


def test_a_key_written_twice_in_a_layout_names_both_lines(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts" / "profile.yaml").write_text(
        "extends: profile\npalette:\n  primary: '#112233'\npalette:\n  primary: '#445566'\n",
        encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 2
    assert ("error: layouts/profile.yaml:4: palette: is written twice — keep one (first on "
            "line 2)") in result.stderr.splitlines()


def test_a_message_quotes_a_short_excerpt_never_the_whole_value(project: Path) -> None:
    front(project, "title: [" + ", ".join(["word"] * 5000) + "]\n")
    result = run(project, "check")
    assert result.exit_code == 2
    [line] = [li for li in result.stderr.splitlines() if ": title: " in li]
    assert line.startswith(f"error: {PROFILE}:3: title: ['word', 'word', 'word', 'word', "
                           "'word'… is not text")
    assert len(line) < 200


# --- layout names -------------------------------------------------------------------------------

NOT_A_NAME = ("is not a layout name — a layout is named by its file in layouts/ without "
              ".yaml: up to 64 letters, digits, '-', '_' or '.', no folders")


@pytest.mark.parametrize("name", ["../../../../../x", "/etc/passwd", "a/b", "..", "x" * 300])
def test_layout_option_takes_only_a_name(project: Path, tmp_path: Path, name: str) -> None:
    outside = tmp_path / "x.yaml"
    outside.write_text("extends: profile\n", encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2023", "--layout", name)
    assert result.exit_code == 2, result.output
    shown = name if len(name) <= 40 else name[:39] + "…"
    assert f"error: {PROFILE}: layout: '{shown}' {NOT_A_NAME}" in result.stderr.splitlines()
    assert "Traceback" not in result.output
    assert pdfs_under(tmp_path) == []
    assert not (project / "output" / "2023").exists()


def test_a_profile_layout_and_extends_take_only_a_name(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    front(project, "", after="")
    path = project / PROFILE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "layout: profile", f"layout: {'../' * 12}{str(secret)[1:-5]}"), encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 2
    assert any(line.startswith(f"error: {PROFILE}:3: layout: '../../") and
               line.endswith(NOT_A_NAME) for line in result.stderr.splitlines()), result.stderr
    (project / "layouts").mkdir()
    (project / "layouts" / "mine.yaml").write_text(f"extends: {secret}\n", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(
        f"layout: {'../' * 12}{str(secret)[1:-5]}", "layout: mine"), encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert any(line.startswith("error: layouts/mine.yaml: extends: '/") and
               line.endswith(NOT_A_NAME) for line in result.stderr.splitlines()), result.stderr


# --- odd files ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "why"), [
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file — put a regular file there, "
                             "or remove it"),
    (lambda p: p.symlink_to("/dev/zero"), "is a device, not a file — put a regular file "
                                          "there, or remove it"),
    (lambda p: p.mkdir(), "is a folder, not a file — put a regular file there, or remove it"),
    (lambda p: p.symlink_to(p.parent / "gone.md"), "is a link to a file that does not exist"),
])
def test_an_odd_profile_fails_its_own_brief(project: Path, make: object, why: str) -> None:
    odd = project / "data" / "profiles" / "KOR" / "2024.md"
    make(odd)  # type: ignore[operator]
    result = briefs_process(project, "build", timeout=180)
    assert result.returncode == 2, result.stderr
    assert f"error: data/profiles/KOR/2024.md: {why}" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert (project / "output" / "2017" / "KOR.pdf").is_file()  # the others are built
    assert (project / "output" / "2023" / "KOR.pdf").is_file()


def test_a_password_file_that_is_a_device_is_refused(project: Path) -> None:
    (project / "briefs.toml").write_text(
        '[smtp]\nhost = "127.0.0.1"\nport = 25\nsecurity = "none"\nusername = "u"\n'
        'from = "a@example.org"\npassword_file = "/dev/zero"\n', encoding="utf-8")
    result = briefs_process(project, "send", "--check", timeout=60)
    assert result.returncode == 2, result.stderr
    assert ("error: briefs.toml: smtp.password_file: cannot read /dev/zero: is a device, not a "
            "file — put a regular file there, or remove it") in result.stderr.splitlines()


@pytest.mark.parametrize(("make", "why"), [
    (lambda p: p.write_bytes(b""), "is not a TrueType font file — use a .ttf file"),
    (lambda p: p.write_bytes(os.urandom(4096)), "is not a TrueType font file — use a .ttf file"),
    (lambda p: p.write_bytes(b"\x00\x01\x00\x00" + os.urandom(4096)), None),
    (lambda p: p.symlink_to("/etc/passwd"), "leads outside the project — fonts are read only "
     "from the project's fonts/ folder, beside the layout, and the built-in fonts"),
])
def test_a_font_that_is_not_truetype_is_the_users_mistake(project: Path, make: object,
                                                          why: str | None) -> None:
    (project / "fonts").mkdir()
    make(project / "fonts" / "Odd.ttf")  # type: ignore[operator]
    (project / "layouts").mkdir()
    (project / "layouts" / "profile.yaml").write_text(
        "extends: profile\nfonts:\n  sans:\n    regular: Odd.ttf\n", encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2023")
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    if why is not None:
        assert f"error: layouts/profile.yaml: fonts.sans.regular: 'Odd.ttf' {why}" \
            in result.stderr.splitlines(), result.stderr
    else:  # looks like TrueType, is not: found when the font is registered
        assert "is not a usable TrueType font" in result.stderr, result.stderr


# --- files written with the umask -----------------------------------------------------------------

def test_files_are_written_with_the_users_umask(project: Path) -> None:
    old = os.umask(0o022)
    try:
        assert run(project, "build").exit_code == 0
        assert run(project, "preview", "KOR", "--dpi", "20").exit_code == 0
        assert run(project, "send").exit_code == 0
        assert run(project, "new-edition", "KOR", "2024").exit_code == 0
    finally:
        os.umask(old)
    written = [project / "output" / "2023" / "KOR.pdf", project / "output" / "manifest.json",
               project / "output" / "2023" / "KOR-1.png", project / PROFILE.replace("2023", "2024"),
               *sorted((project / "output" / "outbox").rglob("*.eml"))]
    assert len(written) == 7
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o644, path


# --- previews -------------------------------------------------------------------------------------

def test_a_preview_removes_the_images_of_pages_the_brief_no_longer_has(project: Path) -> None:
    assert run(project, "preview", "KOR", "--dpi", "20").exit_code == 0
    folder = project / "output" / "2023"
    pages = sorted(folder.glob("KOR-*.png"))
    (folder / f"KOR-{len(pages) + 1}.png").write_bytes(pages[0].read_bytes())
    (folder / f"KOR-{len(pages) + 7}.png").write_bytes(pages[0].read_bytes())
    assert run(project, "preview", "KOR", "--dpi", "20").exit_code == 0
    assert sorted(folder.glob("KOR-*.png")) == pages


def test_a_long_brief_previews_in_the_memory_of_a_page(project: Path) -> None:
    path = project / PROFILE
    text = path.read_text(encoding="utf-8")
    story = "\n\n".join(f"## Part {n}\n\n" + "A sentence about cooperation. " * 60
                        for n in range(150))
    path.write_text(text + "\n" + story + "\n", encoding="utf-8")
    assert run(project, "build", "KOR", "--edition", "2023").exit_code == 0
    small = briefs_process(project, "preview", "KOR", "--dpi", "150", memory_mb=1200)
    assert small.returncode == 0, small.stderr[-3000:]
    pages = len(small.stdout.split())
    assert pages > 60
    sheet = briefs_process(project, "preview", "KOR", "--dpi", "150", "--sheet",
                           memory_mb=1200)
    assert sheet.returncode == 0, sheet.stderr[-3000:]


# --- stale outputs -----------------------------------------------------------------------------

def test_list_reports_orphans_and_build_prune_removes_them(project: Path) -> None:
    assert run(project, "build").exit_code == 0
    assert run(project, "preview", "KOR", "--edition", "2017", "--dpi", "20").exit_code == 0
    (project / PROFILE.replace("2023", "2017")).rename(project / "data" / "2017.md.bak")
    listed = run(project, "list")
    assert listed.exit_code == 0
    [orphan] = [line for line in listed.stdout.splitlines() if line.startswith("orphan: ")]
    assert orphan.endswith("output/2017/KOR.pdf (no profile data/profiles/KOR/2017.md) — "
                           "remove it with briefs build --prune")
    pruned = run(project, "build", "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert any(line.startswith("removed ") and line.endswith(
        "output/2017/KOR.pdf (no profile data/profiles/KOR/2017.md)")
        for line in pruned.stdout.splitlines()), pruned.stdout
    assert list((project / "output" / "2017").iterdir()) == []
    assert "2017/KOR.pdf" not in (project / "output" / "manifest.json").read_text()
    assert (project / "output" / "2023" / "KOR.pdf").is_file()
    assert "orphan:" not in run(project, "list").stdout


# --- workers end with the build ------------------------------------------------------------------

def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    """Its children, their children and so on: the first worker forks the others."""
    found, todo = set(), [pid]
    while todo:
        below = children(todo.pop())
        found |= below
        todo.extend(below)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_parallel_build_leaves_no_workers(project: Path, sig: int) -> None:
    text = (project / PROFILE).read_text(encoding="utf-8")
    for year in range(2018, 2023):  # same figures, more briefs: one for each worker
        (project / PROFILE.replace("2023", str(year))).write_text(
            text.replace("edition: 2023", f"edition: {year}"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    build = subprocess.Popen([sys.executable, "-m", "briefs.cli", "--project", str(project),
                              "build", "--jobs", "4", "--force"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 4 and time.monotonic() < deadline and build.poll() is None:
        workers = {w for w in descendants(build.pid) if alive(w)}
        time.sleep(0.05)
    assert len(workers) >= 2, "the build ended before its workers could be seen"
    build.send_signal(sig)
    build.wait(30)
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.parametrize(("name", "command"), [
    ("data/stakeholders.csv", "send"), ("data/channels.csv", "build"),
    ("templates/message.txt", "send"), ("briefs.toml", "send"),
])
def test_a_shared_file_that_is_a_pipe_stops_the_run_with_its_name(project: Path, name: str,
                                                                  command: str) -> None:
    assert run(project, "build").exit_code == 0
    path = project / name
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = briefs_process(project, command, timeout=120)
    assert result.returncode == 2, result.stderr
    assert (f"error: {name}: is a named pipe (FIFO), not a file — put a regular file there, "
            "or remove it") in result.stderr.splitlines(), result.stderr
