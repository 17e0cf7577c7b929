"""A second layout, layouts as a schema, `extends`, `--layout` and page previews."""

from __future__ import annotations

from pathlib import Path

from conftest import pdfs_under, run
from pdfcheck import all_fonts, close_to, hex_rgb, image_count, render_page, text
from PIL import Image
from pypdf import PdfReader

from briefs.layout.reference import reference


def test_2023_sample_uses_the_profile_layout(built: Path) -> None:
    reader = PdfReader(built / "output/2023/KOR.pdf")
    assert 1 <= len(reader.pages) <= 2
    content = text(reader)
    # the headline row: the total and each channel, large, with their labels
    for figure in ("US$ 63.0M", "US$ 41.8M", "US$ 21.2M", "TOTAL, 2018–2022"):
        assert figure in content
    # the donut's legend gives each channel's share
    assert "Assessed contributions: 41.8 (66%)" in content
    assert "Voluntary earmarked contributions: 21.2 (34%)" in content
    assert all(embedded for _, embedded in all_fonts(reader))
    assert image_count(reader) == 0


def test_build_with_another_layout_writes_beside_the_brief(project: Path) -> None:
    assert run(project, "build").exit_code == 0
    own = (project / "output/2017/KOR.pdf").read_bytes()
    result = run(project, "build", "KOR", "--edition", "2017", "--layout", "profile")
    assert result.exit_code == 0, result.output
    other = project / "output/2017/KOR-profile.pdf"
    assert "wrote" in result.output and "KOR-profile.pdf" in result.output
    assert (project / "output/2017/KOR.pdf").read_bytes() == own
    assert "US$ 48.9M" in text(PdfReader(other))  # the headline row only profile has
    assert "US$ 48.9M" not in text(PdfReader(project / "output/2017/KOR.pdf"))


def test_a_layout_that_only_extends_and_changes_the_palette_builds(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/mylook.yaml").write_text(
        "extends: profile\npalette:\n  primary: '#007a3d'\n  accent: '#f2a900'\n",
        encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2023", "--layout", "mylook")
    assert result.exit_code == 0, result.output
    pdf = project / "output/2023/KOR-mylook.pdf"
    image = render_page(pdf)
    assert close_to(image.getpixel((image.width // 2, 15)), hex_rgb("#007a3d"), 12)


def test_project_layout_may_extend_the_builtin_of_the_same_name(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/factsheet.yaml").write_text(
        "extends: factsheet\npalette:\n  primary: '#6b2c91'\n", encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2017")
    assert result.exit_code == 0, result.output
    image = render_page(project / "output/2017/KOR.pdf")
    assert close_to(image.getpixel((image.width // 2, 15)), hex_rgb("#6b2c91"), 12)


def test_extends_an_unknown_layout(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/mylook.yaml").write_text("extends: profil\n", encoding="utf-8")
    result = run(project, "build", "--layout", "mylook")
    assert result.exit_code == 2
    assert ("error: layouts/mylook.yaml: extends: unknown layout 'profil' — did you mean "
            "'profile'?") in result.stderr


def test_extends_loop(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/a.yaml").write_text("extends: b\n", encoding="utf-8")
    (project / "layouts/b.yaml").write_text("extends: a\n", encoding="utf-8")
    result = run(project, "build", "--layout", "a")
    assert result.exit_code == 2
    assert "extends: extends 'a' in a loop" in result.stderr


def test_headline_needs_its_styles(project: Path) -> None:
    # a part that does not exist is a mistake of the file itself, found before the rules
    # about the whole layout: the two are checked in two runs
    (project / "layouts").mkdir()
    bare = project / "layouts/bare.yaml"
    bare.write_text("extends: factsheet\ncontributions:\n  parts: [headline, chart, table]\n",
                    encoding="utf-8")
    result = run(project, "build", "--layout", "bare")
    assert result.exit_code == 2
    assert ("layouts/bare.yaml: contributions.parts[2]: expected headline, chart or lines, "
            "got 'table'") in result.stderr
    bare.write_text("extends: factsheet\ncontributions:\n  parts: [headline, chart]\n",
                    encoding="utf-8")
    result = run(project, "build", "--layout", "bare")
    assert result.exit_code == 2
    assert ("layouts/bare.yaml: styles.headline_value: is required when contributions.parts "
            "has a headline") in result.stderr
    assert pdfs_under(project) == []


def test_layout_reference_is_generated_from_the_schema(repo: Path) -> None:
    written = (repo / "docs/layouts.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/layouts.md is stale: run python -m briefs.layout.reference"
    for key in ("`chart.kind`", "`templates.NAME.slots.NAME.fit`", "`styles.NAME.size`",
                "`extends`", "`contributions.parts`"):
        assert key in written


def test_no_python_module_names_a_layout(repo: Path) -> None:
    """Two layouts differ only in YAML: no code asks which layout it is drawing."""
    for module in (repo / "briefs").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert '"profile"' not in source and "'profile'" not in source, module.name
        names = source.count('"factsheet"')
        assert names == (1 if module.name == "profiles.py" else 0), module.name  # the default


def test_preview_writes_one_png_per_page(project: Path) -> None:
    result = run(project, "preview", "KOR", "--edition", "2017", "--dpi", "50")
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(project / "output/2017/KOR.pdf").pages)
    printed = result.stdout.split()
    assert len(printed) == pages
    for number, line in enumerate(printed, start=1):
        assert line.endswith(f"KOR-{number}.png")
        with Image.open(project / "output/2017" / f"KOR-{number}.png") as image:
            width, height = image.size
        assert abs(width - 595.28 * 50 / 72) <= 1 and abs(height - 841.89 * 50 / 72) <= 1


def test_preview_sheet_puts_the_pages_side_by_side(project: Path) -> None:
    result = run(project, "preview", "KOR", "--sheet", "--dpi", "40")
    assert result.exit_code == 0, result.output
    sheet = project / "output/2023/KOR-sheet.png"
    assert result.stdout.strip().endswith("KOR-sheet.png")
    pages = len(PdfReader(project / "output/2023/KOR.pdf").pages)
    with Image.open(sheet) as image:
        width, height = image.size
    assert width > pages * round(595.28 * 40 / 72)
    assert height < 2 * round(841.89 * 40 / 72)


def test_preview_of_an_unknown_donor(project: Path) -> None:
    result = run(project, "preview", "XYZ")
    assert result.exit_code == 2
    assert "error: data/donors.csv: no donor 'XYZ'" in result.stderr


def test_preview_of_the_newest_edition_ignores_a_broken_older_one(project: Path) -> None:
    """An older edition never built is in the build plan; its mistake must not stop a
    preview of the newest edition."""
    profile = project / "data/profiles/KOR/2017.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("{.box}", "{.boxx}"),
                       encoding="utf-8")
    result = run(project, "preview", "KOR", "--dpi", "30")
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[0].endswith("2023/KOR-1.png")
    broken = run(project, "preview", "KOR", "--edition", "2017")
    assert broken.exit_code == 2
    assert "unknown section class '{.boxx}'" in broken.stderr
