"""Many briefs in one run: isolation, failures that stay local, the manifest, the lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import run
from pdfcheck import close_to, hex_rgb, render_page, text
from pypdf import PdfReader

GREEN = "#0a7d3c"


def add_donor(project: Path, code: str, name: str, layout: str, amounts: tuple[int, int]
              ) -> None:
    """A second donor with its own layout and figures, per year over 2019–2023."""
    with (project / "data/donors.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{code},{name},{name},\n")
    with (project / "data/contributions.csv").open("a", encoding="utf-8") as handle:
        for year in range(2019, 2024):
            handle.write(f"{code},{year},{year},assessed,{amounts[0]},,\n")
            handle.write(f"{code},{year},{year},voluntary_core,{amounts[1]},,\n")
    folder = project / "data/profiles" / code
    folder.mkdir(parents=True)
    (folder / "2024.md").write_text(
        f"---\nedition: 2024\nlayout: {layout}\n---\n\n{name} supports the ILO.\n\n"
        "## Figures {.contributions}\n\nBy year and channel.\n", encoding="utf-8")


def two_donors(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/green.yaml").write_text(
        f"extends: factsheet\npalette:\n  primary: '{GREEN}'\n", encoding="utf-8")
    add_donor(project, "AAA", "Avalonia", "green", (1_000_000, 2_000_000))
    add_donor(project, "BBB", "Borduria", "factsheet", (7_000_000, 3_000_000))


def test_briefs_in_one_worker_do_not_share_state(project: Path) -> None:
    """Two donors with different palettes and figures, built one after the other in one
    process: each PDF has its own colour and its own numbers."""
    two_donors(project)
    result = run(project, "build", "AAA", "BBB", "--jobs", "1")
    assert result.exit_code == 0, result.output
    green = render_page(project / "output/2024/AAA.pdf")
    blue = render_page(project / "output/2024/BBB.pdf")
    assert close_to(green.getpixel((green.width // 2, 15)), hex_rgb(GREEN), 12)
    assert close_to(blue.getpixel((blue.width // 2, 15)), hex_rgb("#1e2dbe"), 12)
    first = text(PdfReader(project / "output/2024/AAA.pdf"))
    second = text(PdfReader(project / "output/2024/BBB.pdf"))
    assert "US$ 5.0 million, 2019–2023" in first and "US$ 10.0 million" in first
    assert "US$ 35.0 million, 2019–2023" in second and "US$ 15.0 million" in second
    assert "Borduria" not in first and "Avalonia" not in second
    # the same briefs built in two workers are the same bytes
    one = {c: (project / f"output/2024/{c}.pdf").read_bytes() for c in ("AAA", "BBB")}
    assert run(project, "build", "AAA", "BBB", "--jobs", "2", "--force").exit_code == 0
    assert {c: (project / f"output/2024/{c}.pdf").read_bytes() for c in ("AAA", "BBB")} == one


def test_a_broken_brief_does_not_stop_the_others(project: Path) -> None:
    two_donors(project)
    profile = project / "data/profiles/AAA/2024.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("{.contributions}",
                                                                   "{.contribution}"),
                       encoding="utf-8")
    result = run(project, "build", "--quiet")
    assert result.exit_code == 2, result.output
    assert not (project / "output/2024/AAA.pdf").exists()
    assert (project / "output/2024/BBB.pdf").is_file()
    assert (project / "output/2023/KOR.pdf").is_file()
    assert result.stdout == "built 3, unchanged 0, failed 1\n"
    assert ("error: data/profiles/AAA/2024.md:8: unknown section class '{.contribution}' — "
            "did you mean '{.contributions}'?") in result.stderr
    assert result.stderr.splitlines()[-1] == ("1 problem found; not written: AAA 2024; the "
                                              "other briefs are done.")


def test_quiet_prints_only_the_summary(project: Path) -> None:
    result = run(project, "build", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == "built 2, unchanged 0\n"
    again = run(project, "build", "-q")
    assert again.stdout == "built 0, unchanged 1\n"


def test_output_without_a_terminal_has_no_colour_and_no_progress_bar(project: Path) -> None:
    result = run(project, "build")
    assert "\x1b[" not in result.output
    assert "\r" not in result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["wrote", "wrote",
                                                                        "built"]


def test_deleted_or_edited_pdf_is_rebuilt(project: Path) -> None:
    assert run(project, "build").exit_code == 0
    pdf = project / "output/2023/KOR.pdf"
    original = pdf.read_bytes()
    pdf.unlink()
    result = run(project, "build")
    assert "wrote output" in result.output or "wrote " in result.output
    assert pdf.read_bytes() == original
    pdf.write_bytes(original[:-100] + b"%% edited by hand" + original[-83:])
    result = run(project, "build")
    assert result.stdout.splitlines()[-1] == "built 1, unchanged 0"
    assert pdf.read_bytes() == original


def test_changed_inputs_rebuild_only_that_brief(project: Path) -> None:
    two_donors(project)
    assert run(project, "build").exit_code == 0
    with (project / "data/contributions.csv").open("a", encoding="utf-8") as handle:
        handle.write("AAA,2019,2023,voluntary_earmarked,500000,,\n")
    result = run(project, "build")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "built 1, unchanged 2"
    assert "US$ 0.5 million" in text(PdfReader(project / "output/2024/AAA.pdf"))


def test_wait_queues_behind_the_lock_holder(project: Path) -> None:
    """Another process holds the lock for a while: --wait builds once it is released."""
    (project / "output").mkdir()
    ready = project / "held"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib; from filelock import FileLock\n"
        "lock = FileLock(sys.argv[1]); lock.acquire()\n"
        "pathlib.Path(sys.argv[2]).write_text('x'); time.sleep(1.5); lock.release()\n"),
        str(project / ".briefs/lock"), str(ready)])
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        refused = run(project, "build")
        assert refused.exit_code == 3
        started = time.monotonic()
        result = run(project, "build", "--wait")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert result.exit_code == 0, result.output
    assert waited > 0.5
    assert (project / "output/2023/KOR.pdf").is_file()


def test_a_terminal_gets_a_progress_bar(project: Path) -> None:
    """On a terminal (a pseudo-terminal here) the build shows a bar naming the brief."""
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "briefs", "--project", str(project),
                                "build", "--jobs", "1"], stdout=follower, stderr=follower,
                               stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    output = b"".join(chunks).decode("utf-8", "replace")
    assert "building" in output
    assert "KOR 20" in output  # the brief being built
    assert "2/2" in output
    assert "built 2, unchanged 0" in output
    assert "wrote output" not in output  # the bar replaces the line per brief
