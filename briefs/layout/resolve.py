"""References between layout keys, checked and resolved by one mechanism.

The schema declares which keys are references (`Key("ref", ref="style")`): a style's font, a
slot's fill colour, a section's slot. `check_references` walks the merged layout once and
reports each name that does not exist, with its key path and a suggestion; `build` then turns
the checked mapping into the frozen dataclasses of `briefs.layout.model`, each reference
replaced by the value it names, so the renderer never looks a name up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor

from briefs.errors import Collector
from briefs.layout.model import Layout
from briefs.layout.schema import SCHEMA, Key
from briefs.layout.units import parse_color
from briefs.layout.validate import join
from briefs.text import did_you_mean

NOUNS = {
    "color": ("colour", "palette colours"),
    "style": ("style", "styles"),
    "font": ("font family", "font families"),
    "slot": ("slot", "first page's slots"),
    "template": ("template", "templates"),
}
"""How a message names one target of each kind of reference, and all of them."""


def _targets(ref: str, data: dict[str, Any]) -> dict[str, Any]:
    """The named values a reference of kind `ref` may name, as validated mappings."""
    if ref == "color":
        return data["palette"]
    if ref == "slot":
        first = data["templates"].get(data["page"]["first"])
        return first["slots"] if first else {}
    return data[f"{ref}s"]


def _leaves(key: Key, value: Any, path: str) -> Iterator[tuple[str, Key, Any]]:
    """Every scalar of a validated layout with its key and key path."""
    if key.kind == "map":
        for name, child in key.children.items():
            if name in value:
                yield from _leaves(child, value[name], join(path, name))
    elif key.kind == "table" and key.item is not None:
        for name, item in value.items():
            yield from _leaves(key.item, item, join(path, name))
    elif key.kind == "list" and key.item is not None:
        for index, item in enumerate(value):
            yield from _leaves(key.item, item, join(path, index))
    else:
        yield path, key, value


def check_references(data: dict[str, Any], label: str, problems: Collector) -> None:
    """A problem for each reference that names nothing: `file: key.path: unknown style …`."""
    for path, key, value in _leaves(SCHEMA, data, ""):
        if key.kind != "ref" or value == key.none:
            continue
        if key.ref == "slot" and data["page"]["first"] not in data["templates"]:
            continue  # the slots are unknown because page.first is, which is reported
        targets = _targets(key.ref, data)
        if value in targets or (key.ref == "color" and parse_color(value)):
            continue
        noun, plural = NOUNS[key.ref]
        known = ", ".join(targets) or "none"
        also = " — or a colour such as #1e2dbe" if key.ref == "color" else ""
        problems.add(label, f"unknown {noun} '{value}'{did_you_mean(value, targets)} "
                     f"(the {plural} are: {known}{also})", field=path)


class _Builder:
    """Makes typed values from a checked mapping; each named target is made once."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.made: dict[tuple[str, str], Any] = {}

    def make(self, key: Key, value: Any, name: str = "") -> Any:
        if key.kind == "map":
            return self._model(key, value, name)
        if key.kind == "table":
            assert key.item is not None
            return {k: self.make(key.item, v, k) for k, v in value.items()}
        if key.kind in ("list", "text-list"):
            item = key.item or Key("text", "")
            return tuple(self.make(item, v) for v in value)
        if key.kind == "color":
            return HexColor(value)
        if key.kind == "ref":
            return self.resolve(key, value)
        return value

    def _model(self, key: Key, value: dict[str, Any], name: str) -> Any:
        assert key.model is not None, "every map of the schema but the root names its model"
        args = {field.replace("-", "_"): self.make(child, value[field])
                for field, child in key.children.items()}
        if any(f.name == "name" for f in dataclasses.fields(key.model)):
            args["name"] = name
        return key.model(**args)

    def resolve(self, key: Key, value: str) -> Any:
        """What a checked reference names: a Color, Style, FontFamily or Slot, or None."""
        if key.ref == "template":
            return value  # templates name each other (`next`), so they stay names
        if value == key.none:
            return None
        if key.ref == "color" and value not in self.data["palette"]:
            return self.made.setdefault(("#", value), HexColor(parse_color(value)))
        if (key.ref, value) not in self.made:
            table = {"color": "palette", "style": "styles", "font": "fonts"}.get(key.ref)
            item = SCHEMA.children[table].item if table else _slot_key()
            assert item is not None
            self.made[(key.ref, value)] = self.make(item, _targets(key.ref, self.data)[value],
                                                    value)
        return self.made[(key.ref, value)]


def _slot_key() -> Key:
    item = SCHEMA.children["templates"].item
    assert item is not None and item.children["slots"].item is not None
    return item.children["slots"].item


def build(name: str, files: tuple[Path, ...], data: dict[str, Any]) -> Layout:
    """The typed layout of a checked mapping whose references all name something."""
    builder = _Builder(data)
    parts = {field: builder.make(key, data[field]) for field, key in SCHEMA.children.items()}
    return Layout(name=name, files=files, **parts)

