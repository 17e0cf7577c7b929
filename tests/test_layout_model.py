"""Layout loading below the CLI: the typed layout, its resolved references, and the messages
for a wrong reference or a label placeholder typo, each naming the file and the key path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfcheck
import pytest
from conftest import pdfs_under, run
from pypdf import PdfReader
from reportlab.lib.colors import Color, HexColor

from briefs.errors import UserError
from briefs.layout import model
from briefs.layout.loader import load_layout
from briefs.layout.schema import SCHEMA, Key
from briefs.layout.validate import SCALARS


def write(project: Path, name: str, text: str) -> Path:
    path = project / "layouts" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(project: Path, name: str) -> list[str]:
    with pytest.raises(UserError) as caught:
        load_layout(name, project)
    return [str(p) for p in caught.value.problems]


def test_references_are_resolved_to_typed_values() -> None:
    layout = load_layout("factsheet", None)
    title = layout.styles["title"]
    assert title.font == layout.fonts["sans"]
    assert Path(title.font.bold).is_absolute() and Path(title.font.bold).is_file()
    assert isinstance(title.color, Color) and title.color == layout.palette["white"]
    side = layout.sections.box.slot
    assert side == layout.first_template.slots["side"] and side.name == "side"
    assert side.fill == layout.palette["box"]
    assert layout.sections.box.heading == layout.styles["box_heading"]
    assert layout.sections.of("key-partners").body.name == "box_body"
    assert layout.sections.intro.slot is None  # empty: the text flow
    assert layout.first_template.slots["title"].fill is None  # none: no background
    assert layout.first_template.texts[0].style == layout.styles["eyebrow"]
    assert all(isinstance(c, Color) for c in layout.chart.series)
    assert layout.quote.bar == layout.palette["accent"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        layout.chart.kind = "donut"  # type: ignore[misc]


def test_a_hex_colour_reference_becomes_a_colour(project: Path) -> None:
    write(project, "red", "extends: factsheet\nquote:\n  bar: '#f00'\n"
          "chart:\n  colors: {assessed: '#00ff00'}\n")
    layout = load_layout("red", project)
    assert layout.quote.bar == HexColor("#ff0000")
    assert layout.chart.colors["assessed"] == HexColor("#00ff00")


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("styles:\n  body: {font: sans, color: primery}\n",
     "styles.body.color: unknown colour 'primery' — did you mean 'primary'?"),
    ("quote:\n  bar: '#12'\n", "quote.bar: unknown colour '#12' (the palette colours are: "),
    ("chart:\n  series: [primary, acent]\n",
     "chart.series[1]: unknown colour 'acent' — did you mean 'accent'?"),
    ("sections:\n  box: {slot: side, heading: box_headng}\n",
     "sections.box.heading: unknown style 'box_headng' — did you mean 'box_heading'? "
     "(the styles are: title, "),
    ("styles:\n  body: {font: snas}\n",
     "styles.body.font: unknown font family 'snas' — did you mean 'sans'? "
     "(the font families are: sans)"),
    ("sections:\n  box: {slot: sid}\n",
     "sections.box.slot: unknown slot 'sid' — did you mean 'side'? "
     "(the first page's slots are: title, side)"),
    ("page:\n  first: frist\n",
     "page.first: unknown template 'frist' — did you mean 'first'? "
     "(the templates are: first, later)"),
])
def test_a_wrong_reference_names_file_and_key(project: Path, yaml_text: str,
                                              expected: str) -> None:
    write(project, "mine", "extends: factsheet\n" + yaml_text)
    problems = problems_of(project, "mine")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"layouts/mine.yaml: {expected}"), problems


@pytest.mark.parametrize(("key", "pattern", "expected"), [
    ("funding_line", "{lable}, {description}: {amount}, {period}",
     "labels.funding_line: unknown placeholder {lable} — did you mean {label}? (the "
     "placeholders are: {title}, {subtitle}, {name}, {short_name}, {edition}, {code}, "
     "{footer}, {period}, {label}, {description}, {amount})"),
    ("amount", "US$ {milions} million",
     "labels.amount: unknown placeholder {milions} — did you mean {millions}? (the "
     "placeholders are: {millions})"),
    ("subject", "{page} of {name}",  # {page} exists on the page, not in the metadata
     "labels.subject: unknown placeholder {page} (the placeholders are: {title}, "),
    ("footer", "Page {page}", "labels.footer: unknown placeholder {page} (the placeholders "
     "are: none)"),
    ("attribution", "— {who", "labels.attribution: has a lone '{' or '}'"),
])
def test_label_placeholders_are_checked(project: Path, key: str, pattern: str,
                                        expected: str) -> None:
    write(project, "mine", f"extends: factsheet\nlabels:\n  {key}: \"{pattern}\"\n")
    problems = problems_of(project, "mine")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"layouts/mine.yaml: {expected}"), problems


def test_a_template_text_offers_the_page_number(project: Path) -> None:
    write(project, "mine", "extends: factsheet\ntemplates:\n  later:\n    texts:\n"
          "      - {text: 'Page {page} · {short_name}', x: 16mm, y: 289mm}\n"
          "      - {text: '{pgae}', x: 16mm, y: 289mm}\n")
    assert problems_of(project, "mine") == [
        "layouts/mine.yaml: templates.later.texts[1].text: unknown placeholder {pgae} — did "
        "you mean {page}? (the placeholders are: {title}, {subtitle}, {name}, {short_name}, "
        "{edition}, {code}, {footer}, {period}, {page})"]


def test_extends_merges_and_references_resolve_after_merging(project: Path) -> None:
    # the project's factsheet extends the built-in one: a new palette colour reaches every
    # style that names it, a list replaces the list, and keys not given are inherited
    write(project, "factsheet", "extends: factsheet\npalette:\n  primary: '#c00000'\n"
          "chart:\n  series: [teal]\nlabels:\n  footer: Our footer\n")
    base = load_layout("factsheet", None)
    mine = load_layout("factsheet", project)
    assert mine.files[0] == project / "layouts/factsheet.yaml"
    assert mine.files[1] == base.files[0]
    assert mine.styles["heading"].color == HexColor("#c00000")
    assert mine.sections.contributions.heading.color == HexColor("#c00000")
    assert mine.chart.series == (base.palette["teal"],)
    assert mine.labels.footer == "Our footer"
    assert mine.labels.funding_line == base.labels.funding_line
    assert mine.first_template.rects[0].fill == HexColor("#c00000")  # the title band
    assert mine.first_template.frames == base.first_template.frames
    assert mine.styles["body"] == base.styles["body"]


def test_a_mistake_is_named_in_the_file_that_has_it(project: Path) -> None:
    write(project, "base", "extends: factsheet\nlabels:\n  period: '{start}-{ende}'\n")
    write(project, "mine", "extends: base\npalette:\n  primary: '#000000'\n")
    assert problems_of(project, "mine") == [
        "layouts/base.yaml: labels.period: unknown placeholder {ende} — did you mean {end}? "
        "(the placeholders are: {start}, {end})"]


def _maps(key: Key, path: str) -> list[tuple[str, Key]]:
    found = [(path, key)] if key.kind == "map" and path else []
    for name, child in key.children.items():
        found += _maps(child, f"{path}.{name}" if path else name)
    if key.item is not None:
        found += _maps(key.item, f"{path}.NAME")
    return found


def test_every_schema_map_is_a_model_with_the_same_fields() -> None:
    """The loader fills models from the schema generically: a key without a field (or a
    field without a key) would be lost or fail at load time."""
    for path, key in _maps(SCHEMA, ""):
        assert key.model is not None, path
        fields = {f.name for f in dataclasses.fields(key.model)} - {"name"}
        assert fields == {n.replace("-", "_") for n in key.children}, path
    top = {f.name for f in dataclasses.fields(model.Layout)} - {"name", "files"}
    assert top == set(SCHEMA.children)


def test_every_scalar_kind_has_a_checker() -> None:
    def kinds(key: Key) -> set[str]:
        out = {key.kind}
        for child in (*key.children.values(), key.item):
            if child is not None:
                out |= kinds(child)
        return out
    assert kinds(SCHEMA) - {"map", "table", "list"} <= set(SCALARS)


def test_check_reports_a_label_typo_in_the_project_layout(project: Path) -> None:
    write(project, "factsheet", "extends: factsheet\nlabels:\n"
          "  funding_line: \"{lable}, {description}: {amount}, {period}\"\n")
    result = run(project, "check")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "error: layouts/factsheet.yaml: labels.funding_line: unknown placeholder {lable} — did "
        "you mean {label}? (the placeholders are: {title}, {subtitle}, {name}, {short_name}, "
        "{edition}, {code}, {footer}, {period}, {label}, {description}, {amount})",
        "1 problem found; nothing was written."]
    assert pdfs_under(project) == []


@pytest.mark.parametrize("base", ["factsheet", "profile"])
def test_every_placeholder_a_label_offers_is_filled(project: Path, base: str) -> None:
    """What the schema offers is what the renderer fills: a label using every placeholder
    it offers prints no brace, in the text, the chart and the metadata."""
    labels = SCHEMA.children["labels"].children
    used = [name for name, key in labels.items() if key.kind == "label" and key.offers]
    lines = [f"  {name}: \"<{name} " + " ".join(f"{{{p}}}" for p in labels[name].offers)
             + ">\"" for name in used]
    write(project, "every", f"extends: {base}\nlabels:\n" + "\n".join(lines) + "\n")
    result = run(project, "build", "--layout", "every")
    assert result.exit_code == 0, result.output
    pdfs = pdfs_under(project)
    assert pdfs
    for pdf in pdfs:
        reader = PdfReader(pdf)
        printed = pdfcheck.text(reader)
        assert "<funding_line " in printed and "<subject " in str(reader.metadata.subject)
        assert "{" not in printed and "}" not in printed, printed
        assert "{" not in str(reader.metadata.subject)
