"""Loading layouts: YAML files checked against `briefs.layout.schema`.

A project's `layouts/NAME.yaml` overrides the built-in layout of the same name; `extends:`
starts from another layout and merges the keys given. The result is a `Layout` whose values
are already in points and hex colours, so drawing code never parses a unit.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from briefs.contract.tables import display
from briefs.errors import Collector, UserError
from briefs.layout.schema import REQUIRED, SCHEMA, Key
from briefs.layout.units import page_size, parse_color, parse_length
from briefs.resources import builtin_layout_dir
from briefs.text import did_you_mean


def matplotlib_font_dir() -> Path | None:
    """DejaVu ships inside matplotlib: found without importing it (that costs time)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


@dataclass(frozen=True)
class Layout:
    name: str
    files: tuple[Path, ...]  # this layout's file first, then those it extends
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def page_size(self) -> tuple[float, float]:
        return self.data["page"]["size"]

    def color(self, value: str) -> str | None:
        """A palette name or a hex colour as '#rrggbb'; None for 'none'."""
        if value == "none" or not value:
            return None
        return self.data["palette"].get(value) or parse_color(value)

    @cached_property
    def digest(self) -> str:
        """A hash of the layout files and the font files they use, for the manifest.

        Computed once per loaded layout: hashing the fonts for each of hundreds of briefs
        would dominate a run where nothing changed.
        """
        h = hashlib.sha256()
        for path in self.files:
            h.update(path.read_bytes())
        for family in self.data["fonts"].values():
            for face in sorted(set(family.values())):
                h.update(Path(face).read_bytes())
        return h.hexdigest()


def layout_names(project_dir: Path | None) -> list[str]:
    names = {p.stem for p in builtin_layout_dir().glob("*.yaml")}
    if project_dir is not None and (project_dir / "layouts").is_dir():
        names |= {p.stem for p in (project_dir / "layouts").glob("*.yaml")}
    return sorted(names)


def find_layout_file(name: str, project_dir: Path | None,
                     builtin_only: bool = False) -> Path | None:
    if project_dir is not None and not builtin_only:
        own = project_dir / "layouts" / f"{name}.yaml"
        if own.is_file():
            return own
    builtin = builtin_layout_dir() / f"{name}.yaml"
    return builtin if builtin.is_file() else None


def _display(path: Path, project_dir: Path | None) -> str:
    if project_dir is not None and path.is_relative_to(project_dir):
        return display(path, project_dir)
    return f"{path.name} (built in)" if path.parent == builtin_layout_dir() else str(path)


def load_layout(name: str, project_dir: Path | None) -> Layout:
    """The layout called `name`, merged with what it extends, validated; raises UserError."""
    problems = Collector()
    chain: list[tuple[Path, dict]] = []
    current: str | None = name
    while current:
        # a project's layouts/factsheet.yaml may say `extends: factsheet`: the built-in one
        own_name = bool(chain) and chain[-1][0].stem == current
        path = find_layout_file(current, project_dir, builtin_only=own_name)
        if path is None:
            names = layout_names(project_dir)
            hint = did_you_mean(current, names,
                                otherwise=f" — the layouts are: {', '.join(names)}")
            where = _display(chain[-1][0], project_dir) if chain else "layout"
            problems.add(where, f"unknown layout '{current}'{hint}",
                         field="extends" if chain else None)
            problems.raise_if_any()
        if any(p == path for p, _ in chain):
            problems.add(_display(path, project_dir), f"extends '{current}' in a loop",
                         field="extends")
            problems.raise_if_any()
        raw = _read_yaml(path, _display(path, project_dir), problems)
        chain.append((path, raw))
        base = raw.get("extends")
        current = base if isinstance(base, str) and base else None
    # each file is checked on its own first, so a mistake is named in the file that has it
    for path, raw in chain:
        _validate(raw, SCHEMA, "", _display(path, project_dir), problems, partial=True)
    problems.raise_if_any()
    merged: dict[str, Any] = {}
    for _, raw in reversed(chain):
        merged = _merge(merged, raw)
    top_path = chain[0][0]
    label = _display(top_path, project_dir)
    data = _validate(merged, SCHEMA, "", label, problems)
    if problems.problems:
        raise UserError(problems.problems)
    _resolve_fonts(data, [p for p, _ in chain], project_dir, label, problems)
    _cross_check(data, label, problems)
    problems.raise_if_any()
    return Layout(name, tuple(p for p, _ in chain), data)


def _read_yaml(path: Path, label: str, problems: Collector) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.add(label, "is not UTF-8 — save it as UTF-8")
        problems.raise_if_any()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(label, f"is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                     line=mark.line + 1 if mark is not None else None)
        problems.raise_if_any()
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(label, "must be a set of 'key: value' lines", line=1)
        problems.raise_if_any()
    return raw


def _merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; anything else (lists included) is replaced whole."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _fail(problems: Collector, label: str, path: str, message: str) -> None:
    problems.add(label, message, field=path or None)


def _validate(value: Any, key: Key, path: str, label: str, problems: Collector,
              partial: bool = False) -> Any:
    """The value checked against `key`, with defaults filled in.

    `partial` checks one file of an `extends` chain: what it says must be right, but what it
    leaves out comes from the layout it extends.
    """
    kind = key.kind
    if kind == "map":
        if value is None:
            value = {}
        if not isinstance(value, dict):
            _fail(problems, label, path, f"expected a mapping of keys, got {value!r}")
            return {}
        out = {}
        for name in value:
            if name not in key.children:
                hint = did_you_mean(str(name), key.children,
                                    otherwise=f" — expected one of: {', '.join(key.children)}")
                _fail(problems, label, _join(path, str(name)), f"unknown key{hint}")
        for name, child in key.children.items():
            sub = _join(path, name)
            if name in value and value[name] is not None:
                out[name] = _validate(value[name], child, sub, label, problems, partial)
            elif partial:
                continue
            elif child.default is REQUIRED:
                _fail(problems, label, sub, f"is required: {child.doc}")
            else:
                out[name] = _validate(child.default, child, sub, label, problems) \
                    if child.kind != "map" else _validate({}, child, sub, label, problems)
        return out
    if kind == "table":
        if not isinstance(value, dict):
            _fail(problems, label, path, f"expected a mapping of names, got {value!r}")
            return {}
        assert key.item is not None
        return {str(k): _validate(v, key.item, _join(path, str(k)), label, problems, partial)
                for k, v in value.items()}
    if kind == "list":
        if not isinstance(value, list):
            _fail(problems, label, path, f"expected a list (lines starting with '- '), "
                  f"got {value!r}")
            return []
        assert key.item is not None
        return [_validate(v, key.item, _join(path, i), label, problems, partial)
                for i, v in enumerate(value)]
    return _scalar(value, key, path, label, problems)


def _scalar(value: Any, key: Key, path: str, label: str, problems: Collector) -> Any:
    kind = key.kind
    if kind == "length":
        points = parse_length(value)
        if points is None:
            _fail(problems, label, path, f"expected a length such as 9.5pt or 12mm, "
                  f"got {value!r}")
            return 0.0
        if key.minimum is not None and points < key.minimum:
            _fail(problems, label, path, f"{value!r} is too small (at least "
                  f"{key.minimum:g}pt)")
        return points
    if kind == "color":
        color = parse_color(value)
        if color is None:
            _fail(problems, label, path, f"expected a colour such as #1e2dbe, got {value!r}")
        return color or "#000000"
    if kind == "page-size":
        size = page_size(value)
        if size is None:
            _fail(problems, label, path, f"expected A4, A5, A3, LETTER, LEGAL or "
                  f"[width, height], got {value!r}")
            return page_size("A4")
        return size
    if kind in ("number", "int"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "int":
            ok = ok and float(value).is_integer()
        if not ok:
            wanted = "a whole number" if kind == "int" else "a number"
            _fail(problems, label, path, f"expected {wanted}, got {value!r}")
            return key.default
        if key.minimum is not None and value < key.minimum:
            _fail(problems, label, path, f"{value!r} is too small (at least {key.minimum:g})")
        return int(value) if kind == "int" else float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            _fail(problems, label, path, f"expected true or false, got {value!r}")
            return bool(key.default)
        return value
    if kind == "choice":
        if value not in key.choices:
            _fail(problems, label, path, f"expected one of {', '.join(key.choices)}, "
                  f"got {value!r}")
            return key.choices[0]
        return value
    if kind == "text-list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            _fail(problems, label, path, f"expected a list of texts, got {value!r}")
            return []
        return list(value)
    if kind in ("text", "font-file"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            _fail(problems, label, path, f"expected text, got {value!r}")
            return ""
        return value
    raise AssertionError(f"schema kind {kind!r} has no validator")


def _resolve_fonts(data: dict, files: list[Path], project_dir: Path | None, label: str,
                   problems: Collector) -> None:
    """Turn every face into an absolute path; a face left empty falls back to a sibling."""
    dirs = [p.parent for p in files]
    if project_dir is not None:
        dirs.insert(0, project_dir / "fonts")
    mpl = matplotlib_font_dir()
    if mpl is not None:
        dirs.append(mpl)
    for family_name, family in data["fonts"].items():
        for face in ("regular", "bold", "italic", "bold_italic"):
            value = family[face]
            if not value:
                continue
            found = next((d / value for d in dirs if (d / value).is_file()), None)
            if found is None and Path(value).is_absolute() and Path(value).is_file():
                found = Path(value)
            if found is None:
                _fail(problems, label, f"fonts.{family_name}.{face}",
                      f"font file '{value}' not found — put the .ttf file in the project's "
                      "fonts/ folder or next to the layout")
                continue
            if found.suffix.lower() not in (".ttf", ".otf"):
                _fail(problems, label, f"fonts.{family_name}.{face}",
                      f"'{value}' is not a TrueType font file (.ttf)")
            family[face] = str(found.resolve())
        family["bold"] = family["bold"] or family["regular"]
        family["italic"] = family["italic"] or family["regular"]
        family["bold_italic"] = family["bold_italic"] or family["bold"]


def _cross_check(data: dict, label: str, problems: Collector) -> None:
    """References between keys: fonts, colours, styles, slots and templates named exist."""
    palette = data["palette"]

    def color(path: str, value: str, allow_none: bool = False) -> None:
        if allow_none and value == "none":
            return
        if value not in palette and parse_color(value) is None:
            hint = did_you_mean(value, palette,
                                otherwise=" — use a palette name or a colour such as #1e2dbe")
            _fail(problems, label, path, f"'{value}' is not a colour{hint}")

    def style(path: str, value: str) -> None:
        if value not in data["styles"]:
            _fail(problems, label, path, f"unknown style '{value}' — the styles are: "
                  f"{', '.join(data['styles'])}")

    if not data["fonts"]:
        _fail(problems, label, "fonts", "at least one font family is required")
    for name, st in data["styles"].items():
        if st["font"] not in data["fonts"]:
            _fail(problems, label, f"styles.{name}.font", f"unknown font family "
                  f"'{st['font']}' — the families are: {', '.join(data['fonts'])}")
        color(f"styles.{name}.color", st["color"])
    for needed in ("title", "subtitle", "lead", "body", "heading", "subheading", "box_heading",
                   "box_body", "list", "quote", "attribution", "funding", "footer", "chart"):
        if needed not in data["styles"]:
            _fail(problems, label, f"styles.{needed}", "is required: every layout needs this "
                  "paragraph style")
    width, height = data["page"]["size"]
    templates = data["templates"]
    if data["page"]["first"] not in templates:
        _fail(problems, label, "page.first", f"unknown template '{data['page']['first']}' — "
              f"the templates are: {', '.join(templates) or 'none'}")
    for tname, tpl in templates.items():
        base = f"templates.{tname}"
        if tpl["next"] and tpl["next"] not in templates:
            _fail(problems, label, f"{base}.next", f"unknown template '{tpl['next']}'")
        if not tpl["frames"]:
            _fail(problems, label, f"{base}.frames", "a template needs at least one frame")
        boxes = [(f"{base}.frames[{i}]", f) for i, f in enumerate(tpl["frames"])]
        boxes += [(f"{base}.slots.{n}", s) for n, s in tpl["slots"].items()]
        boxes += [(f"{base}.rects[{i}]", r) for i, r in enumerate(tpl["rects"])]
        for path, box in boxes:
            if box["left"] + box["width"] > width + 0.01:
                _fail(problems, label, f"{path}.width", f"the box ends "
                      f"{(box['left'] + box['width'] - width) / 72 * 25.4:.1f}mm beyond the "
                      "page's right edge")
            if box["top"] + box["height"] > height + 0.01:
                _fail(problems, label, f"{path}.height", f"the box ends "
                      f"{(box['top'] + box['height'] - height) / 72 * 25.4:.1f}mm below the "
                      "page's bottom edge")
        for name, slot in tpl["slots"].items():
            color(f"{base}.slots.{name}.fill", slot["fill"], allow_none=True)
        for i, rect in enumerate(tpl["rects"]):
            color(f"{base}.rects[{i}].fill", rect["fill"])
        for i, rule in enumerate(tpl["rules"]):
            color(f"{base}.rules[{i}].color", rule["color"])
        for i, text in enumerate(tpl["texts"]):
            style(f"{base}.texts[{i}].style", text["style"])
    first = templates.get(data["page"]["first"], {"slots": {}})
    for cls, place in data["sections"].items():
        if place["slot"] and place["slot"] not in first["slots"]:
            _fail(problems, label, f"sections.{cls}.slot", f"unknown slot '{place['slot']}' "
                  f"— the first page's slots are: {', '.join(first['slots']) or 'none'}")
        style(f"sections.{cls}.heading", place["heading"])
        style(f"sections.{cls}.body", place["body"])
    for tname, tpl in templates.items():
        for i, frame in enumerate(tpl["frames"]):
            if data["chart"]["height"] > frame["height"]:
                _fail(problems, label, "chart.height", f"the chart is taller than "
                      f"templates.{tname}.frames[{i}] ({frame['height'] / 72 * 25.4:.0f}mm): "
                      "it could never be placed")
    for code, value in data["chart"]["colors"].items():
        color(f"chart.colors.{code}", value)
    for i, value in enumerate(data["chart"]["series"]):
        color(f"chart.series[{i}]", value)
    for key in ("text", "grid"):
        color(f"chart.{key}", data["chart"][key])
    color("lists.bullet_color", data["lists"]["bullet_color"])
    for cls, place in data["sections"].items():
        color(f"sections.{cls}.shade", place["shade"], allow_none=True)
    contributions = data["contributions"]
    for i, part in enumerate(contributions["parts"]):
        if part not in ("headline", "chart", "lines"):
            _fail(problems, label, f"contributions.parts[{i}]", f"expected headline, chart "
                  f"or lines, got {part!r}")
    if "headline" in contributions["parts"]:
        for needed in ("headline_value", "headline_label"):
            if needed not in data["styles"]:
                _fail(problems, label, f"styles.{needed}", "is required when "
                      "contributions.parts has a headline")
    color("contributions.headline_fill", contributions["headline_fill"], allow_none=True)
    color("contributions.headline_rule", contributions["headline_rule"], allow_none=True)
    color("quote.bar", data["quote"]["bar"])
