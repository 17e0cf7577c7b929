"""The layout reference, generated from `briefs.layout.schema` so the two cannot drift apart.

`python -m briefs.layout.reference` rewrites docs/layouts.md; a test fails when the file differs
from what this module generates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefs.layout.schema import REFERENCES, REQUIRED, SCHEMA, Key

KINDS = {
    "text": "text", "length": "length (mm, cm, in, pt)", "color": "colour (#rrggbb)",
    "number": "number", "int": "whole number", "bool": "true or false",
    "choice": "one of", "font-file": "TrueType file", "page-size": "page size",
    "text-list": "list of texts", "map": "mapping", "table": "mapping of names",
    "list": "list", "ref": "reference", "label": "text with placeholders",
}

INTRO = """# Layout reference

Generated from `briefs/layout/schema.py` by `python -m briefs.layout.reference`;
do not edit by hand.

A layout is a YAML file in `layouts/` (the project's own, or built in). Every key below is
optional unless marked required; a layout that `extends` another needs only the keys it
changes. Lengths accept `mm`, `cm`, `in` and `pt` (a bare number is points); colours are
`#rrggbb` or a name from `palette`; boxes are placed from the page's top-left corner.
`NAME` stands for a name you choose (a palette colour, a style, a template, a slot).

| key | kind | default | what it is |
| --- | --- | --- | --- |
"""


def _kind(key: Key) -> str:
    if key.kind == "choice":
        return "one of " + ", ".join(f"`{c}`" for c in key.choices)
    if key.kind == "ref":
        return REFERENCES[key.ref] + (f" or `{key.none}`" if key.none else "")
    if key.kind == "label":
        offers = ", ".join(f"`{{{name}}}`" for name in key.offers)
        return f"text; placeholders: {offers}" if offers else "text without placeholders"
    return KINDS[key.kind]


def _default(key: Key) -> str:
    if key.default is REQUIRED:
        return "**required**"
    if key.kind in ("map", "table", "list") or key.default in (None, "", [], {}):
        return ""
    value = key.default
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, list):
        value = "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    return f"`{value}`"


def _rows(key: Key, path: str) -> list[str]:
    rows = []
    if path:
        doc = key.doc.replace("|", "\\|")
        rows.append(f"| `{path}` | {_kind(key)} | {_default(key)} | {doc} |")
    if key.kind == "map":
        for name, child in key.children.items():
            rows.extend(_rows(child, f"{path}.{name}" if path else name))
    elif key.kind == "table" and key.item is not None:
        rows.extend(_rows(key.item, f"{path}.NAME"))
    elif key.kind == "list" and key.item is not None:
        rows.extend(_rows(key.item, f"{path}[]"))
    return rows


def reference() -> str:
    return INTRO + "\n".join(_rows(SCHEMA, "")) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/layouts.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
