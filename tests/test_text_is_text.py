"""All text is text: characters that mean something to ReportLab or HTML print as typed.

One profile uses every section class and every inline feature, with markup-like strings in
each place text can come from: headings, subheadings, the introduction, paragraphs, list
items, quotes, attributions and the two front-matter lists. Each string carries a tag naming
its place, so a place that forgets to escape is caught even when another place prints the
same string correctly.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from click.testing import Result
from conftest import copy_project, run
from pdfcheck import all_fonts, image_count, link_uris, squash, text
from pypdf import PdfReader

MARKUP = (
    "AT&T",
    "a < b > c",
    "<b>not bold</b>",
    '<img src="/etc/hostname"/>',
    '<font color="red">x</font>',
    "&lt;",
    '<a href="javascript:alert(1)">js</a>',
)
# where each tagged string is written
PLACES = ("hd", "sh", "in", "pa", "li", "qu", "at", "fm", "kp")
HTTPS = "https://www.ilo.org/korea"
MAILTO = "mailto:partners@example.org"


def tagged(place: str) -> list[str]:
    return [f"{place}: {s}" for s in MARKUP]


def yaml_list(place: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: no quoting surprises
    return "\n".join(f"  - {json.dumps(item)}" for item in tagged(place))


FILLER = ("Plain story text that carries on for a while, so that the last page holds "
          "ordinary paragraphs and not only a quote. ") * 10

PROFILE = f"""---
edition: 2024
period: [2018, 2022]
partner_countries:
{yaml_list("fm")}
key_partners:
{yaml_list("kp")}
---

{" ".join(tagged("in"))}

## A box on the side {{.box}}

Box text with **bold words** and *italic words*.

## Partner countries {{.partner-countries}}

The partner countries:

## Key partners {{.key-partners}}

The key partners:

## Money {{.contributions}}

The figures below.

## {" ".join(tagged("hd"))}

{" ".join(tagged("pa"))}

### {" ".join(tagged("sh"))}

Links: [the ILO site]({HTTPS}), [write to us]({MAILTO}) and [click](javascript:alert(1)).

{chr(10).join(f"- {item}" for item in tagged("li"))}

1. first numbered item
2. second numbered item

> {" ".join(tagged("qu"))}
>
> — Some Person, {" ".join(tagged("at"))}

## A closing story

{FILLER}

{FILLER}
"""


@pytest.fixture(scope="module")
def markup_build(repo: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, Result]:
    project = copy_project(repo, tmp_path_factory.mktemp("markup") / "project")
    (project / "data/profiles/KOR/2024.md").write_text(PROFILE, encoding="utf-8")
    return project, run(project, "build", "KOR", "--edition", "2024")


@pytest.fixture(scope="module")
def reader(markup_build: tuple[Path, Result]) -> PdfReader:
    project, result = markup_build
    pdf = project / "output/2024/KOR.pdf"
    if not pdf.is_file():
        pytest.fail(f"the markup profile did not build:\n{result.output}")
    return PdfReader(pdf)


@pytest.fixture(scope="module")
def printed(reader: PdfReader) -> str:
    return text(reader)


def test_builds(markup_build: tuple[Path, Result]) -> None:
    project, result = markup_build
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote "), result.output
    assert (project / "output/2024/KOR.pdf").is_file()


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("markup", MARKUP)
def test_markup_prints_as_typed(printed: str, place: str, markup: str) -> None:
    # ReportLab may break a long "word" such as src="/etc/hostname"/> anywhere, so
    # whitespace is ignored; a style may set capitals, so case is too
    assert squash(f"{place}: {markup}").casefold() in squash(printed).casefold()


def test_bold_and_italic_are_styles_not_asterisks(printed: str, reader: PdfReader) -> None:
    assert "Box text with bold words and italic words." in printed
    assert "**" not in printed
    names = {name for name, _ in all_fonts(reader)}
    assert any(n.endswith("DejaVuSans-Bold") for n in names), names
    assert any(n.endswith("DejaVuSans-Oblique") for n in names), names


def test_no_image_at_all(reader: PdfReader) -> None:
    assert image_count(reader) == 0


def test_links_only_for_safe_schemes(reader: PdfReader, printed: str) -> None:
    uris = link_uris(reader)
    assert [u for u in uris if u.strip().lower().startswith("javascript")] == []
    assert HTTPS in uris
    assert MAILTO in uris
    assert "click" in printed  # an unsafe link keeps its text


def test_no_file_content_leaks_in(reader: PdfReader, printed: str) -> None:
    hostname = socket.gethostname().strip()
    word = re.compile(rf"(?<!\w){re.escape(hostname)}(?!\w)", re.IGNORECASE)
    if word.search(PROFILE) or not hostname:
        pytest.skip(f"the host name {hostname!r} is in the profile itself")
    assert not word.search(printed)


def test_every_font_embedded(reader: PdfReader) -> None:
    fonts = all_fonts(reader)
    assert fonts
    assert [name for name, embedded in fonts if not embedded] == []
