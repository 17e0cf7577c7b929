"""Loading layouts: YAML files checked against `briefs.layout.schema`.

A project's `layouts/NAME.yaml` overrides the built-in layout of the same name; `extends:`
starts from another layout and merges the keys given. Each file is checked against the schema
(`briefs.layout.validate`), the merged layout's references are resolved
(`briefs.layout.resolve`), and the result is a typed `Layout` (`briefs.layout.model`) whose
values are already points, colours, styles and slots, so drawing code never parses or looks up.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

from briefs import safe_yaml
from briefs.errors import Collector, display
from briefs.layout.checks import check_structure
from briefs.layout.model import Layout
from briefs.layout.resolve import build, check_references
from briefs.layout.schema import SCHEMA
from briefs.layout.validate import Checker
from briefs.resources import builtin_layout_dir
from briefs.safe_files import (
    FileProblem,
    font_problem,
    inside,
    is_regular,
    name_problem,
    read_regular,
)
from briefs.text import did_you_mean


def matplotlib_font_dir() -> Path | None:
    """DejaVu ships inside matplotlib: found without importing it (that costs time)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def layout_names(project_dir: Path | None) -> list[str]:
    names = {p.stem for p in builtin_layout_dir().glob("*.yaml")}
    if project_dir is not None and (project_dir / "layouts").is_dir():
        names |= {p.stem for p in (project_dir / "layouts").glob("*.yaml")}
    return sorted(names)


def find_layout_file(name: str, project_dir: Path | None,
                     builtin_only: bool = False) -> Path | None:
    """The file of the layout called `name`: only a plain name, only in the two folders."""
    if name_problem(name):
        return None
    if project_dir is not None and not builtin_only:
        own = project_dir / "layouts" / f"{name}.yaml"
        if own.is_file():
            return own
    builtin = builtin_layout_dir() / f"{name}.yaml"
    return builtin if builtin.is_file() else None


def unknown_layout(name: str, project_dir: Path | None) -> str:
    """The message for a layout name that names no layout (or is no name at all)."""
    not_a_name = name_problem(name)
    if not_a_name:
        return not_a_name
    names = layout_names(project_dir)
    hint = did_you_mean(name, names) or f" — the layouts are: {', '.join(names)}"
    return f"unknown layout '{name}'{hint}"


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
            where = _display(chain[-1][0], project_dir) if chain else "layout"
            problems.add(where, unknown_layout(current, project_dir),
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
        Checker(_display(path, project_dir), problems, partial=True).value(raw, SCHEMA, "")
    problems.raise_if_any()
    merged: dict[str, Any] = {}
    for _, raw in reversed(chain):
        merged = _merge(merged, raw)
    label = _display(chain[0][0], project_dir)
    data = Checker(label, problems).value(merged, SCHEMA, "")
    problems.raise_if_any()
    _resolve_fonts(data, [p for p, _ in chain], project_dir, label, problems)
    check_structure(data, label, problems)
    check_references(data, label, problems)
    problems.raise_if_any()
    return build(name, tuple(p for p, _ in chain), data)


def _read_yaml(path: Path, label: str, problems: Collector) -> dict:
    try:
        raw = safe_yaml.load(read_regular(path).decode("utf-8-sig"))
    except FileProblem as exc:
        problems.add(label, str(exc))
        problems.raise_if_any()
    except UnicodeDecodeError:
        problems.add(label, "is not UTF-8 — save it as UTF-8")
        problems.raise_if_any()
    except safe_yaml.YamlProblem as exc:
        problems.add(label, exc.text(1), line=exc.line + 1, field=exc.key or None)
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
            found = next((d / value for d in dirs if is_regular(d / value)), None)
            if found is not None and not inside(found, dirs):
                # only in the project, beside the layouts and the built-in fonts
                problems.add(label, f"'{value}' leads outside the project — fonts are read "
                             "only from the project's fonts/ folder, beside the layout, and "
                             "the built-in fonts", field=f"fonts.{family_name}.{face}")
                continue
            if found is None:
                problems.add(label, f"font file '{value}' not found — put the .ttf file in "
                             "the project's fonts/ folder or next to the layout",
                             field=f"fonts.{family_name}.{face}")
                continue
            why = font_problem(found)
            if found.suffix.lower() not in (".ttf", ".otf") or why:
                problems.add(label, f"'{value}' {why or 'is not a TrueType font file (.ttf)'}",
                             field=f"fonts.{family_name}.{face}")
            family[face] = str(found.resolve())
        family["bold"] = family["bold"] or family["regular"]
        family["italic"] = family["italic"] or family["regular"]
        family["bold_italic"] = family["bold_italic"] or family["bold"]
