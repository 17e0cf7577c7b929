"""Checking one layout mapping against the schema, key by key, with defaults filled in.

Each kind of key has one small checker; a mistake is a `file: key.path: …` problem and the
value is replaced by a harmless one, so that one run reports every mistake of a file. What
needs the whole merged layout (references between keys) is done by `briefs.layout.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefs.errors import Collector
from briefs.layout.schema import REQUIRED, Key
from briefs.layout.units import page_size, parse_color, parse_length
from briefs.safe_yaml import excerpt
from briefs.text import PatternError, did_you_mean, unknown_placeholders


def join(path: str, key: str | int) -> str:
    """The key path of a child, as messages print it: `templates.first.frames[0].width`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class Checker:
    """Validates values of one file (`label`) and collects its problems."""

    def __init__(self, label: str, problems: Collector, partial: bool = False):
        self.label = label
        self.problems = problems
        # one file of an `extends` chain: what it says must be right, but what it leaves
        # out comes from the layout it extends
        self.partial = partial

    def fail(self, path: str, message: str) -> None:
        self.problems.add(self.label, message, field=path or None)

    def value(self, value: Any, key: Key, path: str) -> Any:
        """The value checked against `key`, with defaults filled in."""
        if key.kind == "map":
            return self._map(value, key, path)
        if key.kind == "table":
            if not isinstance(value, dict):
                self.fail(path, f"expected a mapping of names, got {excerpt(value)}")
                return {}
            assert key.item is not None
            return {str(k): self.value(v, key.item, join(path, str(k))) for k, v in value.items()}
        if key.kind == "list":
            if not isinstance(value, list):
                self.fail(path, f"expected a list (lines starting with '- '), got {excerpt(value)}")
                return []
            assert key.item is not None
            return [self.value(v, key.item, join(path, i)) for i, v in enumerate(value)]
        return SCALARS[key.kind](self, value, key, path)

    def _map(self, value: Any, key: Key, path: str) -> dict[str, Any]:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping of keys, got {excerpt(value)}")
            return {}
        for name in value:
            if name not in key.children:
                hint = did_you_mean(str(name), key.children) or \
                    f" — expected one of: {', '.join(key.children)}"
                self.fail(join(path, str(name)), f"unknown key{hint}")
        out = {}
        for name, child in key.children.items():
            sub = join(path, name)
            if name in value and value[name] is not None:
                out[name] = self.value(value[name], child, sub)
            elif self.partial:
                continue
            elif child.default is REQUIRED:
                self.fail(sub, f"is required: {child.doc}")
            else:
                default = {} if child.kind == "map" else child.default
                out[name] = self.value(default, child, sub)
        return out


def _length(checker: Checker, value: Any, key: Key, path: str) -> float:
    points = parse_length(value)
    if points is None:
        checker.fail(path, f"expected a length such as 9.5pt or 12mm, got {excerpt(value)}")
        return 0.0
    if key.minimum is not None and points < key.minimum:
        checker.fail(path, f"{excerpt(value)} is too small (at least {key.minimum:g}pt)")
    return points


def _color(checker: Checker, value: Any, key: Key, path: str) -> str:
    color = parse_color(value)
    if color is None:
        checker.fail(path, f"expected a colour such as #1e2dbe, got {excerpt(value)}")
    return color or "#000000"


def _page_size(checker: Checker, value: Any, key: Key, path: str) -> tuple[float, float]:
    size = page_size(value)
    if size is None:
        checker.fail(path, f"expected A4, A5, A3, LETTER, LEGAL or [width, height], "
                     f"got {excerpt(value)}")
        return page_size("A4") or (0.0, 0.0)
    return size


def _number(checker: Checker, value: Any, key: Key, path: str) -> Any:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if key.kind == "int":
        ok = ok and float(value).is_integer()
    if not ok:
        wanted = "a whole number" if key.kind == "int" else "a number"
        checker.fail(path, f"expected {wanted}, got {excerpt(value)}")
        return key.default
    if key.minimum is not None and value < key.minimum:
        checker.fail(path, f"{excerpt(value)} is too small (at least {key.minimum:g})")
    return int(value) if key.kind == "int" else float(value)


def _bool(checker: Checker, value: Any, key: Key, path: str) -> bool:
    if not isinstance(value, bool):
        checker.fail(path, f"expected true or false, got {excerpt(value)}")
        return bool(key.default)
    return value


def _choice(checker: Checker, value: Any, key: Key, path: str) -> str:
    if value not in key.choices:
        checker.fail(path, f"expected one of {', '.join(key.choices)}, got {excerpt(value)}")
        return key.choices[0]
    return value


def _text_list(checker: Checker, value: Any, key: Key, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        checker.fail(path, f"expected a list of texts, got {excerpt(value)}")
        return []
    if key.choices:
        wanted = ", ".join(key.choices[:-1]) + f" or {key.choices[-1]}"
        for index, item in enumerate(value):
            if item not in key.choices:
                checker.fail(join(path, index), f"expected {wanted}, got {excerpt(item)}")
        return [item for item in value if item in key.choices]
    return list(value)


def _text(checker: Checker, value: Any, key: Key, path: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        checker.fail(path, f"expected text, got {excerpt(value)}")
        return ""
    return value


def _label(checker: Checker, value: Any, key: Key, path: str) -> str:
    """A text whose placeholders are checked against those the label offers."""
    text = _text(checker, value, key, path)
    try:
        for message in unknown_placeholders(text, key.offers):
            checker.fail(path, message)
    except PatternError as error:
        checker.fail(path, str(error))
    return text


SCALARS: dict[str, Callable[[Checker, Any, Key, str], Any]] = {
    "length": _length, "color": _color, "page-size": _page_size, "number": _number,
    "int": _number, "bool": _bool, "choice": _choice, "text-list": _text_list,
    "text": _text, "font-file": _text, "ref": _text, "label": _label,
}
"""The checker of each scalar kind of key; a kind missing here fails the schema test."""
