"""Layouts: a project's own layout overrides the built-in one, and a mistake in a layout is
reported with the path of the key that is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from conftest import pdfs_under, run
from pdfcheck import close_to, hex_rgb, render_page
from pypdf import PdfReader

LAYOUT = "layouts/factsheet.yaml"
RED = "#c00000"


def own_layout(project: Path, repo: Path, change: Callable[[dict], None] | None = None,
               name: str = "factsheet") -> Path:
    """The built-in factsheet layout copied into the project, changed by `change`."""
    data = yaml.safe_load((repo / LAYOUT).read_text(encoding="utf-8"))
    if change is not None:
        change(data)
    path = project / "layouts" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def assert_layout_error(result: Result, project: Path, message: str) -> None:
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = result.stderr.splitlines()
    assert f"error: {message}" in errors, result.stderr
    assert errors[-1] == "1 problem found; nothing was written.", result.stderr
    assert pdfs_under(project) == []


def test_project_layout_overrides_the_builtin(project: Path, repo: Path) -> None:
    def red(data: dict) -> None:
        data["palette"]["primary"] = RED

    own_layout(project, repo, red)
    result = run(project, "build", "--edition", "2017")
    assert result.exit_code == 0, result.output
    image = render_page(project / "output/2017/KOR.pdf", 0, scale=1)
    band = image.getpixel((image.size[0] // 2, 15))
    assert close_to(band, hex_rgb(RED), 12), band


def _set(*changes: tuple[tuple[str | int, ...], object]) -> Callable[[dict], None]:
    """A change to a layout's data: each key path set to its value."""
    def change(data: dict) -> None:
        for path, value in changes:
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (_set((("styles", "body", "size"), "big")),
     "styles.body.size: expected a length such as 9.5pt or 12mm, got 'big'"),
    # the first frame then ends at 316mm on a 210mm page
    (_set((("templates", "first", "frames", 0, "left"), "16mm"),
          (("templates", "first", "frames", 0, "width"), "300mm")),
     "templates.first.frames[0].width: the box ends 106.0mm beyond the page's right edge"),
    (_set((("fonts", "sans", "regular"), "NoSuchFont.ttf")),
     "fonts.sans.regular: font file 'NoSuchFont.ttf' not found — put the .ttf file in the "
     "project's fonts/ folder or next to the layout"),
    (_set((("palete",), {"extra": "#000000"})),
     "palete: unknown key — did you mean 'palette'?"),
], ids=["size not a length", "frame wider than the page", "font file not found",
        "unknown top-level key"])
def test_a_mistake_in_a_layout_names_its_key(project: Path, repo: Path,
                                             change: Callable[[dict], None],
                                             message: str) -> None:
    own_layout(project, repo, change)
    result = run(project, "build", "--edition", "2017")
    assert_layout_error(result, project, f"{LAYOUT}: {message}")


def test_invalid_yaml_names_the_line(project: Path, repo: Path) -> None:
    lines = (repo / LAYOUT).read_text(encoding="utf-8").splitlines()
    at = lines.index("page:") + 1  # the 0-based index of the line after "page:"
    lines.insert(at, "  bad: a: b")
    (project / "layouts").mkdir()
    (project / LAYOUT).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "build", "--edition", "2017")
    assert_layout_error(result, project, f"{LAYOUT}:{at + 1}: is not valid YAML: mapping "
                        "values are not allowed here")


def test_unknown_layout_in_front_matter(project: Path) -> None:
    profile = project / "data/profiles/KOR/2017.md"
    content = profile.read_text(encoding="utf-8")
    assert content.startswith("---\nedition: 2017\n")
    profile.write_text(content.replace("edition: 2017\n", "edition: 2017\nlayout: factshet\n",
                                       1), encoding="utf-8")
    result = run(project, "build", "--edition", "2017")
    assert_layout_error(result, project, "data/profiles/KOR/2017.md:3: layout: unknown layout "
                        "'factshet' — did you mean 'factsheet'?")


def test_a_layout_mistake_is_reported_once_for_all_briefs_using_it(project: Path,
                                                                   repo: Path) -> None:
    """Both sample editions use the factsheet layout: one mistake, one message."""
    def typo(data: dict) -> None:
        data["palete"] = {"extra": "#000000"}

    own_layout(project, repo, typo)
    result = run(project, "build")
    assert_layout_error(result, project,
                        f"{LAYOUT}: palete: unknown key — did you mean 'palette'?")


TALL_CHART_PROFILE = """---
edition: 2024
layout: tallchart
period: [2018, 2022]
---

The Republic of Korea became a member State of the ILO in 1991.

## How Korea funds the ILO {.contributions}

The Republic of Korea finances the work of the ILO through the funding channels below.
"""


def test_last_page_balancing_with_a_chart_taller_than_the_balanced_columns(
        project: Path, repo: Path) -> None:
    """The last page's columns are balanced by shortening its frames; a chart (which cannot
    split) taller than a third of that page's text must still fit, not crash the build."""
    layout = project / "layouts" / "tallchart.yaml"
    layout.parent.mkdir()
    layout.write_text("extends: factsheet\n"
                      "sections:\n  contributions: {start: page}\n"
                      "chart: {height: 100mm}\n", encoding="utf-8")
    (project / "data/profiles/KOR/2024.md").write_text(TALL_CHART_PROFILE, encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2024")
    assert "internal error" not in result.output
    assert result.exit_code == 0, result.output
    pdf = project / "output/2024/KOR.pdf"
    assert len(PdfReader(pdf).pages) == 2


def test_layout_option_unknown(project: Path) -> None:
    result = run(project, "build", "--edition", "2017", "--layout", "factshet")
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert "unknown layout 'factshet' — did you mean 'factsheet'?" in result.stderr
    assert pdfs_under(project) == []
