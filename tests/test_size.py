"""A brief's PDF stays small: byte budgets for the sample briefs and a four-page brief.

Each budget leaves some 10% above today's size, so an unrelated change does not break it by a
byte, while a regression that matters does: a face embedded twice (10 KB), subsets carrying
all of ASCII or the fonts' licence text again (some 8 and 11 KB), or the 6.9 KB colour profile
(its own test). When a budget fails, its message gives the sizes by part.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf
from conftest import REPO, run
from srgb_profile import PROFILE, compact_srgb, curve_error

# bytes; today: 70.2 KB (was 101.9 KB), 44.0 KB (was 63.7 KB), 58.1 KB (was 92.2 KB)
SAMPLE_2017 = 77_000
SAMPLE_2023 = 48_500
FOUR_PAGES = 64_000
STORIES = 8  # as many as make the brief below four pages

_WORDS = ("decent", "work", "social", "protection", "employment", "skills", "dialogue",
          "standards", "youth", "women", "migration", "training", "enterprises", "rural",
          "safety", "health", "inspection", "policy", "capacity", "evidence", "partners",
          "programme", "results", "labour", "workers", "employers")


def _parts(path: Path) -> dict[str, int]:
    """Where a file's bytes go: font programs, content streams, the rest (stream lengths as
    stored, so compressed)."""
    with pikepdf.open(path) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                program = font.FontDescriptor.FontFile2
                fonts[program.objgen] = int(program.Length)
        content = sum(int(page.obj.Contents.Length) for page in pdf.pages)
    size = path.stat().st_size
    return {"file": size, "font programs": sum(fonts.values()), "fonts": len(fonts),
            "content streams": content, "the rest": size - sum(fonts.values()) - content}


def _within(path: Path, budget: int) -> None:
    parts = _parts(path)
    assert parts["file"] <= budget, f"{path.name}: {parts['file']} bytes > {budget}: {parts}"


def _faces(path: Path) -> list[str]:
    """The embedded faces, one entry per font program (the subset tag left out)."""
    with pikepdf.open(path) as pdf:
        seen = {}
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                program = font.FontDescriptor.FontFile2
                seen[program.objgen] = str(font.BaseFont).split("+", 1)[-1]
    return sorted(seen.values())


def _sentence(index: int, words: int) -> str:
    text = " ".join(_WORDS[(index * 7 + k * 3) % len(_WORDS)] for k in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(index: int) -> str:
    return " ".join(_sentence(index * 5 + s, 9 + s % 4) for s in range(5))


def _four_page_profile() -> str:
    """A factsheet profile shaped like the benchmark's (benchmarks/bench_build.py): a side
    box, partner countries, key partners, the contributions chart and six stories."""
    stories = []
    for story in range(STORIES):
        quote = f"> “{_sentence(story, 12)}”\n>\n> — Mi-rae Park, project participant"
        stories.append(f"## {_sentence(story + 40, 5)[:-1]}\n\n{_paragraph(story)}\n\n"
                       f"{_paragraph(story + 10)}\n\n{quote}\n\n{_paragraph(story + 20)}")
    return ("---\nedition: 2024\nperiod: [2018, 2022]\n"
            "partner_countries: [Ghana, Nepal, Peru, Kenya, Viet Nam]\n"
            "key_partners: [Ministry of Labour, Development Agency]\n---\n\n"
            f"{_paragraph(90)}\n\n## At a glance {{.box}}\n\n{_paragraph(91)}\n\n"
            f"## Priorities {{.partner-countries}}\n\n{_paragraph(92)}\n\n"
            "## Key partners {.key-partners}\n\nThe ILO works with:\n\n"
            f"## Contributions {{.contributions}}\n\n{_sentence(93, 10)}\n\n"
            + "\n\n".join(stories) + "\n")


def test_the_sample_briefs_stay_within_their_budgets(built: Path) -> None:
    _within(built / "output" / "2017" / "KOR.pdf", SAMPLE_2017)
    _within(built / "output" / "2023" / "KOR.pdf", SAMPLE_2023)


def test_a_four_page_brief_stays_within_its_budget(project: Path) -> None:
    (project / "data" / "profiles" / "KOR" / "2024.md").write_text(
        _four_page_profile(), encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2024")
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "2024" / "KOR.pdf"
    with pikepdf.open(pdf) as opened:
        assert len(opened.pages) == 4
    _within(pdf, FOUR_PAGES)
    # each face once: a second program of one face is the regression this file is for
    assert _faces(pdf) == ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"]


def test_the_face_check_sees_a_face_embedded_twice(built: Path, tmp_path: Path) -> None:
    """A second program of the regular face (what two registrations of one file would
    write) must show in the check above, or it proves nothing."""
    copy = tmp_path / "twice.pdf"
    with pikepdf.open(built / "output" / "2023" / "KOR.pdf") as pdf:
        fonts = pdf.pages[0].obj.Resources.Font
        name, font = next((n, f) for n, f in fonts.items() if str(f.BaseFont).endswith("Sans"))
        program = font.FontDescriptor.FontFile2
        descriptor = pikepdf.Dictionary(font.FontDescriptor)  # shallow copies
        descriptor.FontFile2 = pdf.make_stream(program.read_raw_bytes(), program.stream_dict)
        twin = pikepdf.Dictionary(font)
        twin.FontDescriptor = pdf.make_indirect(descriptor)
        fonts[name + "x"] = pdf.make_indirect(twin)
        pdf.save(copy)
    assert _faces(copy).count("DejaVuSans") == 2


def test_the_output_intent_is_the_compact_srgb_profile() -> None:
    shipped = PROFILE.read_bytes()
    assert shipped == compact_srgb(), "run python tests/srgb_profile.py"
    assert len(shipped) < 1024
    assert curve_error(shipped) * 255 < 0.05  # of an 8-bit step: no colour can differ


def test_a_face_registered_before_briefs_does_not_replace_its_compact_font(tmp_path: Path) -> None:
    """A program using briefs as a library may have registered the layout's font itself
    (ReportLab then hands any new name of that face the font it registered first): briefs
    still draws with its own font, whose subsets carry only what is drawn."""
    script = f"""
import sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from briefs.layout.loader import load_layout
from briefs.render.fonts import register_families
project = Path({str(REPO)!r})
layout = load_layout("factsheet", project)
regular = layout.fonts["sans"].regular
pdfmetrics.registerFont(TTFont("TheirSans", regular))
names = register_families(layout.fonts)
print(type(pdfmetrics.getFont(names["sans"].regular)).__name__)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "CompactFont", done.stdout
