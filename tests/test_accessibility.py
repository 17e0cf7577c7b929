"""Every built brief is a tagged PDF/UA-1 file and a PDF/A-1b file, read in the right order.

Three checkers on the real CLI's output: `pdfua` (0 errors, 0 warnings), Apache PDFBox
Preflight (PDF/A-1b valid), and tests/structure.py (marked content, nesting, parent tree,
figures, lists, headings); then the text read through the structure tree against the
profile's own text, in the profile's order.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from conftest import run
from structure import check_pdf
from validators import pdfua, preflight

from briefs.build.batch import plan_builds
from briefs.contract.model import Block, Brief, ListBlock, Para, Quote, Run, Subheading

SAMPLES = ("2017/KOR.pdf", "2023/KOR.pdf")


def _words(text: str) -> str:
    return " ".join(text.split())


def _runs(runs: tuple[Run, ...]) -> str:
    return _words("".join(" " if r.line_break else r.text for r in runs))


def _blocks(blocks: tuple[Block, ...], attribution: str) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(_runs(block.runs))
        elif isinstance(block, Subheading):
            out.append(_words(block.text))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out += _blocks(item, attribution)
        elif isinstance(block, Quote):
            out += [_runs(p.runs) for p in block.paras]
            if block.attribution:
                out.append(_words(attribution.replace("{who}", _runs(block.attribution))))
    return out


def profile_text(brief: Brief, attribution: str) -> list[str]:
    """The profile's own text in its order: title, introduction, each section as written
    (heading, text, then the names a name-list section adds)."""
    profile = brief.profile
    out = [_words(brief.title), *_blocks(profile.intro, attribution)]
    for section in profile.sections:
        out += [_words(section.heading), *_blocks(section.blocks, attribution)]
        if section.cls == "partner-countries":
            out += [_words(n) for n in profile.partner_countries]
        elif section.cls == "key-partners":
            out += [_words(n) for n in profile.key_partners]
    return [line for line in out if line]


def assert_read_in_order(pdf: Path, expected: list[str]) -> None:
    """Each expected block is one line of the tagged text, in order; lines the layout adds
    (labels, figures, chart descriptions, bullets) may stand between them."""
    lines = [_words(line) for line in check_pdf(pdf).text.splitlines()]
    at = 0
    for block in expected:
        try:
            at = lines.index(block, at) + 1
        except ValueError:
            near = [line for line in lines if block[:20] in line][:2]
            raise AssertionError(f"{pdf.name}: not read in order, or words run together: "
                                 f"{block!r}; lines that look like it: {near}") from None


@pytest.fixture(scope="module")
def sample_pdfs(built: Path) -> list[Path]:
    return [built / "output" / name for name in SAMPLES]


def test_pdfua_finds_nothing(sample_pdfs: list[Path]) -> None:
    reports = pdfua(sample_pdfs)
    for path in sample_pdfs:
        summary = reports[str(path)]["summary"]
        assert (summary["errors"], summary["warnings"], summary["rules_skipped"]) == (0, 0, 0), \
            reports[str(path)]["findings"]


def test_preflight_validates_pdfa_1b(sample_pdfs: list[Path], tmp_path: Path) -> None:
    assert preflight(sample_pdfs, tmp_path) == {str(p): [] for p in sample_pdfs}


def test_the_structure_checker_finds_nothing(sample_pdfs: list[Path]) -> None:
    for path in sample_pdfs:
        assert check_pdf(path).findings == [], path


def test_the_tags_read_the_profile_in_its_order(built: Path) -> None:
    plan = plan_builds(built, every_edition=True, skip_current=False)
    assert len(plan.jobs) == 2
    for job in plan.jobs:
        expected = profile_text(job.brief, job.layout.labels.attribution)
        assert_read_in_order(job.path, expected)


def test_the_side_box_is_read_where_it_stands_in_the_profile(sample_pdfs: list[Path]) -> None:
    lines = check_pdf(sample_pdfs[0]).text.splitlines()
    box = lines.index("From aid recipient to donor: Korea’s success story")
    assert lines[box - 1].startswith("The Republic of Korea joined the ILO")  # the intro
    assert lines[box + 3] == "Priorities and partner countries of Korean development cooperation"


def test_figures_and_headline_are_said_in_words(sample_pdfs: list[Path]) -> None:
    text = check_pdf(sample_pdfs[1]).text.splitlines()
    assert "Total, 2018–2022: US$ 63.0 million" in text
    assert "Assessed contributions: US$ 41.8 million" in text
    description = next(line for line in text if line.startswith("Donut chart"))
    assert "Assessed contributions: US$ 41.8 million (66%)" in description
    assert description.endswith("Total: US$ 63.0 million.")
    with pikepdf.open(sample_pdfs[0]) as pdf:
        assert [str(i.title) for i in pdf.open_outline().root] == ["Republic of Korea"]
        sections = [str(i.title) for i in pdf.open_outline().root[0].children]
    assert sections[:2] == ["From aid recipient to donor: Korea’s success story",
                            "Priorities and partner countries of Korean development cooperation"]


def test_metadata_and_catalog(sample_pdfs: list[Path]) -> None:
    with pikepdf.open(sample_pdfs[0]) as pdf:
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        profile = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "<pdfaid:part>1</pdfaid:part>" in xmp
    assert "Republic of Korea – ILO Cooperation" in xmp and "Trapped" not in xmp
    assert profile[8] == 2  # an ICC version 2 profile: PDF/A-1 accepts no other




def test_a_link_a_per_year_chart_and_pdfa_turned_off(project: Path, tmp_path: Path) -> None:
    """A profile with a link and a layout without PDF/A: still clean for pdfua and the
    checker; the link is a Link element; the description reads each year."""
    profile = project / "data" / "profiles" / "KOR" / "2023.md"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace(
        "Korea’s Expert Programme finances",
        "Korea’s [Expert Programme](https://www.ilo.org/korea) finances"), encoding="utf-8")
    contributions = project / "data" / "contributions.csv"
    lines = contributions.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not (line.startswith("KOR,") and line[4:8] >= "2018")]
    years = [f"KOR,{y},{y},assessed,{8_000_000 + y},," for y in range(2018, 2023)]
    contributions.write_text("\n".join(kept + years) + "\n", encoding="utf-8")
    layouts = project / "layouts"
    layouts.mkdir()
    (layouts / "plain.yaml").write_text("extends: profile\npdf: {archival: false}\n"
                                        "chart: {kind: bars}\n",
                                        encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2023", "--layout", "plain")
    assert result.exit_code == 0, result.output
    pdf_path = next((project / "output").rglob("*.pdf"))
    assert check_pdf(pdf_path).findings == []
    summary = pdfua([pdf_path])[str(pdf_path)]["summary"]
    assert (summary["errors"], summary["warnings"]) == (0, 0)
    with pikepdf.open(pdf_path) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert b"pdfaid" not in pdf.Root.Metadata.read_bytes()
        links = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
        assert [str(a.Contents) for a in links] == ["https://www.ilo.org/korea"]
    text = check_pdf(pdf_path).text
    # the link's words are a Link element between the paragraph's words around them
    assert "In addition, Korea’s\nExpert Programme\nfinances a substantial number" in text
    assert "2018: US$ 8.0 million; 2019: US$ 8.0 million" in text
