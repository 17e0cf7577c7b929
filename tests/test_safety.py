"""Safety: text that does not fit is never cut, builds never leave a broken PDF, and two
builds of one project never write at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import run
from filelock import FileLock
from pdfcheck import text
from pypdf import PdfReader

P2017 = "data/profiles/KOR/2017.md"
BOX_END = "by 2030."


def lengthen_box(project: Path, sentences: int) -> str:
    """Add sentences to the side box of 2017; returns the last one added."""
    path = project / P2017
    source = path.read_text(encoding="utf-8")
    assert BOX_END in source
    extra = " ".join(f"Added sentence number {i} makes the side box longer." for i in
                     range(1, sentences + 1))
    path.write_text(source.replace(BOX_END, f"{BOX_END} {extra}", 1), encoding="utf-8")
    return f"Added sentence number {sentences} makes the side box longer."


def pdf_text(project: Path, edition: int = 2017) -> str:
    return text(PdfReader(project / "output" / str(edition) / "KOR.pdf"))


def test_side_box_shrinks_its_text_to_fit(project: Path) -> None:
    last = lengthen_box(project, 6)
    result = run(project, "build", "KOR", "--edition", "2017")
    assert result.exit_code == 0, result.output
    assert last in pdf_text(project)


def test_side_box_too_long_even_shrunk_is_an_error(project: Path) -> None:
    lengthen_box(project, 40)
    for command in ("check", "build"):
        result = run(project, command)
        assert result.exit_code == 2, result.output
        assert ("error: data/profiles/KOR/2017.md:37: KOR 2017, layout factsheet: the 'side' "
                "slot overflows by") in result.stderr
        assert "even at 80% type size; it holds the sections 'From aid recipient to donor: " \
            "Korea’s success story', 'The ILO’s key partners in Korea' — shorten that text " \
            "or give the slot more room" in result.stderr
    assert not (project / "output" / "2017" / "KOR.pdf").exists()


def test_slot_with_rule_error_does_not_shrink(project: Path, repo: Path) -> None:
    layout = (repo / "layouts" / "factsheet.yaml").read_text(encoding="utf-8")
    marker = "padding: 5mm, fit: shrink, min_scale: 0.8"
    assert marker in layout
    (project / "layouts").mkdir()
    (project / "layouts" / "factsheet.yaml").write_text(
        layout.replace(marker, "padding: 5mm, fit: error"), encoding="utf-8")
    lengthen_box(project, 6)
    result = run(project, "check", "KOR")
    assert result.exit_code == 2, result.output
    assert "the 'side' slot overflows by" in result.stderr
    assert "even at" not in result.stderr


def test_title_too_long_is_an_error(project: Path) -> None:
    path = project / P2017
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("edition: 2017", "edition: 2017\ntitle: " +
                                   "A very long title indeed " * 12, 1), encoding="utf-8")
    result = run(project, "check", "KOR")
    assert result.exit_code == 2
    assert "KOR 2017, layout factsheet: the 'title' slot overflows by" in result.stderr
    assert "it holds the title and subtitle" in result.stderr


def test_a_story_of_any_length_builds(project: Path) -> None:
    path = project / P2017
    paragraph = ("This story goes on and on, as stories about development cooperation "
                 "sometimes do, with many figures and names. ") * 8
    story = "\n\n## A very long story\n\n" + "\n\n".join(
        f"Paragraph {i}. {paragraph}" for i in range(60)) + "\n\nThe very end.\n"
    path.write_text(path.read_text(encoding="utf-8") + story, encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2017")
    assert result.exit_code == 0, result.output
    reader = PdfReader(project / "output" / "2017" / "KOR.pdf")
    assert len(reader.pages) > 6
    assert "The very end." in text(reader)


def test_second_build_stops_while_the_first_holds_the_lock(project: Path) -> None:
    (project / "output").mkdir()
    with FileLock(str(project / ".briefs" / "lock")):
        result = run(project, "build")
    assert result.exit_code == 3, result.output
    assert "another briefs run is building or sending for this project — wait for it to finish" in \
        result.stderr
    assert not (project / "output" / "2017").exists()
    assert run(project, "build").exit_code == 0  # the lock is free again


def test_killed_build_leaves_the_previous_pdf_intact(project: Path) -> None:
    """Kill builds at various moments: the PDF is always the complete previous one."""
    assert run(project, "build", "KOR", "--edition", "2017").exit_code == 0
    pdf = project / "output" / "2017" / "KOR.pdf"
    reference = pdf.read_bytes()
    command = [sys.executable, "-m", "briefs", "--project", str(project), "build", "KOR",
               "--edition", "2017", "--force", "--quiet"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert pdf.read_bytes() == reference, f"killed after {delay}s"
    # the next run clears what killed runs left behind, and builds the same bytes
    assert run(project, "build", "KOR", "--edition", "2017", "--force").exit_code == 0
    assert pdf.read_bytes() == reference
    assert list((project / "output").rglob("*.tmp")) == []


WRITER = """
import sys
from pathlib import Path
from briefs.build.store import write_atomic
write_atomic(Path(sys.argv[1]), bytes([int(sys.argv[3])]) * int(sys.argv[2]))
"""


def _kill_while_writing(path: Path, size: int, fill: int) -> None:
    """Start a process writing `size` bytes to `path` and kill it the moment the folder
    changes (a temporary file appears, or `path` itself is touched): mid-write."""
    before = path.stat()
    names = {path.name}
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(size), str(fill)],
                               env={**os.environ, "PYTHONWARNINGS": "ignore"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        now = path.stat()
        if {p.name for p in path.parent.iterdir()} != names or \
                (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            break
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_a_write_killed_midway_leaves_the_previous_file(tmp_path: Path) -> None:
    """write_atomic, killed while writing a file big enough to take a while: the file is the
    complete old one or the complete new one, never a mix; a plain open(path, "wb") write
    fails this, because it empties the file before writing."""
    path = tmp_path / "output" / "brief.pdf"
    path.parent.mkdir()
    old = b"%PDF-old" * 1000
    size = 96 * 1024 * 1024
    interrupted = 0
    for attempt in range(3):
        path.write_bytes(old)
        _kill_while_writing(path, size, fill=attempt + 1)
        data = path.read_bytes()
        if data == old:
            interrupted += 1
        else:
            assert len(data) == size and data == bytes([attempt + 1]) * size, \
                f"attempt {attempt}: a partial file of {len(data)} bytes"
    assert interrupted, "every write finished before it could be killed: make it bigger"


def test_a_reader_of_the_old_pdf_keeps_the_whole_old_pdf(project: Path) -> None:
    """A viewer that has the PDF open while a build replaces it goes on reading the complete
    old file: the build writes a new file and renames it over the old one. Writing into the
    old file in place (open(path, "wb")) would change what the viewer reads midway."""
    assert run(project, "build", "KOR", "--edition", "2017").exit_code == 0
    pdf = project / "output" / "2017" / "KOR.pdf"
    old = pdf.read_bytes()
    lengthen_box(project, 2)
    with pdf.open("rb") as viewer:
        assert run(project, "build", "KOR", "--edition", "2017").exit_code == 0
        assert pdf.read_bytes() != old
        assert viewer.read() == old
