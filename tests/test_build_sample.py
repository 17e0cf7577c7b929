"""The main job: `briefs build` on the shipped sample gives the two Korea fact sheets."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, run
from pdfcheck import (
    STANDARD_14,
    all_fonts,
    base_name,
    close_to,
    hex_rgb,
    image_count,
    render_page,
    text,
)
from pypdf import PdfReader

A4 = (595.28, 841.89)
EDITIONS = (2017, 2023)
ILO_BLUE = "#1e2dbe"


def front_matter(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end]))


def straighten(value: str) -> str:
    """Typographic quotes to plain ones, whitespace collapsed: for comparing quotations."""
    table = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
    return re.sub(r"\s+", " ", value.translate(table)).strip()


def quotations(path: Path) -> list[tuple[str, str]]:
    """(quotation, attribution) for each `>` block of a profile, read from its source."""
    found: list[tuple[str, str]] = []
    body: list[str] = []
    who = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(">"):
            content = line[1:].strip()
            if content.startswith(("—", "--")):
                who = content.lstrip("—-").strip()
            elif content:
                body.append(content)
            continue
        if body:
            found.append((" ".join(body), who))
        body, who = [], ""
    return found


@pytest.fixture(scope="module")
def readers(built: Path) -> dict[int, PdfReader]:
    return {year: PdfReader(built / "output" / str(year) / "KOR.pdf") for year in EDITIONS}


@pytest.fixture(scope="module")
def texts(readers: dict[int, PdfReader]) -> dict[int, str]:
    return {year: text(reader) for year, reader in readers.items()}


def test_build_writes_both_editions_and_says_so(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 5, result.output
    # one line per brief as it finishes: workers finish in any order; the newest edition
    # also in French and Spanish
    names = [f"{year}/KOR.pdf" for year in EDITIONS] + ["2023/KOR.es.pdf", "2023/KOR.fr.pdf"]
    for line, name in zip(sorted(lines[:4]), sorted(names), strict=True):
        assert re.fullmatch(rf"wrote output/{re.escape(name)} \(\d+ pages, \d+ KB\)",
                            line), line
    assert lines[4] == "built 4, unchanged 0"
    assert result.stderr == ""
    for year in EDITIONS:
        assert (project / "output" / str(year) / "KOR.pdf").is_file()


def test_printed_path_leads_to_the_pdf_from_another_folder(project: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run(project, "build", "--edition", "2017")
    assert result.exit_code == 0, result.output
    match = re.match(r"wrote (\S+) \(", result.stdout)
    assert match, result.output
    assert (elsewhere / match.group(1)).resolve() == \
        (project / "output" / "2017" / "KOR.pdf").resolve()


@pytest.mark.parametrize("year", EDITIONS)
def test_every_page_is_a4(readers: dict[int, PdfReader], year: int) -> None:
    for page in readers[year].pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4[0], abs=0.5)
        assert float(box.height) == pytest.approx(A4[1], abs=0.5)
        assert page.get("/Rotate", 0) == 0


def test_2017_has_three_or_four_pages(readers: dict[int, PdfReader]) -> None:
    assert 3 <= len(readers[2017].pages) <= 4


@pytest.mark.parametrize("year", EDITIONS)
def test_every_font_is_embedded_and_none_is_a_standard_14(readers: dict[int, PdfReader],
                                                          year: int) -> None:
    fonts = all_fonts(readers[year])
    assert fonts, "no font found at all"
    assert [name for name, embedded in fonts if not embedded] == []
    assert [name for name, _ in fonts if base_name(name) in STANDARD_14] == []


@pytest.mark.parametrize("year", EDITIONS)
def test_no_raster_image(readers: dict[int, PdfReader], year: int) -> None:
    assert image_count(readers[year]) == 0


@pytest.mark.parametrize("year", EDITIONS)
def test_metadata(readers: dict[int, PdfReader], year: int) -> None:
    reader = readers[year]
    meta = reader.metadata
    assert meta is not None
    assert "Republic of Korea" in meta.title
    assert "ILO Cooperation" in meta.title
    assert meta.author == "International Labour Organization"
    assert meta.subject and "Republic of Korea" in meta.subject
    keywords = meta.get("/Keywords")
    assert keywords and "KOR" in keywords and "Republic of Korea" in keywords
    assert reader.trailer["/Root"].get("/Lang") == "en"


FACTS_2017 = ("1991", "29", "USD 12 billion", "0.30%", "Ministry of Employment and Labour",
              "1,100", "500,000", "300,000", "1,500", "USD 4 million")


@pytest.mark.parametrize("fact", FACTS_2017)
def test_2017_key_facts(texts: dict[int, str], fact: str) -> None:
    assert fact in texts[2017]


def test_2017_lists_every_partner_country(repo: Path, texts: dict[int, str]) -> None:
    countries = front_matter(repo / "data/profiles/KOR/2017.md")["partner_countries"]
    assert len(countries) == 24
    bullet = yaml.safe_load((repo / "layouts/factsheet.yaml").read_text("utf-8"))["lists"][
        "bullet"]
    missing = [c for c in countries if f"{bullet} {c}" not in texts[2017]]
    assert missing == []


def test_2017_quotes_word_for_word(repo: Path, texts: dict[int, str]) -> None:
    quotes = quotations(repo / "data/profiles/KOR/2017.md")
    assert len(quotes) == 2
    printed = straighten(texts[2017])
    for quote, who in quotes:
        assert straighten(quote) in printed
        assert who and straighten(who) in printed


def test_2017_chart_and_funding_lines(texts: dict[int, str]) -> None:
    printed = texts[2017]
    for label in ("Assessed contributions", "39.0", "9.9", "48.9"):
        assert label in printed
    assert "more than US$ 39.0 million" in printed


def test_2023_total_is_computed_from_the_rows(texts: dict[int, str]) -> None:
    printed = texts[2023]
    for label in ("41.8", "21.2", "63.0"):
        assert label in printed
    # 41.8 + 21.2: the total is summed from the rows, not from rounded parts or typed
    assert "63.1" not in printed


@pytest.mark.parametrize("year", EDITIONS)
def test_same_inputs_same_bytes_in_another_folder(built: Path, repo: Path, tmp_path: Path,
                                                  year: int) -> None:
    other = copy_project(repo, tmp_path / "somewhere" / "else")
    result = run(other, "build", "--edition", year)
    assert result.exit_code == 0, result.output
    first = (built / "output" / str(year) / "KOR.pdf").read_bytes()
    second = (other / "output" / str(year) / "KOR.pdf").read_bytes()
    assert first == second


def test_page_one_title_band_and_white_margin(built: Path) -> None:
    image = render_page(built / "output" / "2017" / "KOR.pdf", 0, scale=1)
    width, height = image.size
    band = image.getpixel((width // 2, 15))
    assert close_to(band, hex_rgb(ILO_BLUE), 12), band
    margin = image.getpixel((10, int(height * 0.75)))
    assert close_to(margin, (255, 255, 255), 3), margin


def test_no_temporary_files_left(built: Path) -> None:
    assert list((built / "output" / "2017").glob(".*.tmp")) == []
    assert list((built / "output").rglob("*.tmp")) == []


def test_manifest_lists_both_pdfs_with_their_hashes(built: Path) -> None:
    output = built / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["briefs"]
    assert set(entries) == {"2017/KOR.pdf", "2023/KOR.pdf", "2023/KOR.es.pdf",
                            "2023/KOR.fr.pdf"}
    for key, entry in entries.items():
        pdf = output / key
        assert entry["pdf"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert entry["pages"] == len(PdfReader(pdf).pages)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["inputs"])


def test_second_build_is_unchanged_and_force_rebuilds(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert run(project, "build").exit_code == 0
    pdf = project / "output" / "2017" / "KOR.pdf"
    long_ago = 1_000_000_000
    os.utime(pdf, (long_ago, long_ago))

    again = run(project, "build")
    assert again.exit_code == 0, again.output
    assert "unchanged output/2023/KOR.pdf" in again.stdout.splitlines()
    assert again.stdout.splitlines()[-1] == "built 0, unchanged 3"
    assert pdf.stat().st_mtime == long_ago

    every = run(project, "build", "--edition", "2017")
    assert every.exit_code == 0, every.output
    assert "unchanged output/2017/KOR.pdf" in every.stdout.splitlines()
    assert pdf.stat().st_mtime == long_ago

    forced = run(project, "build", "--force", "--edition", "2017")
    assert forced.exit_code == 0, forced.output
    assert re.match(r"wrote output/2017/KOR\.pdf \(", forced.stdout), forced.output
    assert forced.stdout.splitlines()[-1] == "built 1, unchanged 0"
    assert pdf.stat().st_mtime != long_ago
