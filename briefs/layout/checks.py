"""Rules about a whole layout that no single key can state: boxes on the page, the styles the
renderer needs, a chart that fits its frames.

References between keys are not checked here: the schema declares them and
`briefs.layout.resolve` checks them all the same way.
"""

from __future__ import annotations

from typing import Any

from briefs.errors import Collector

NEEDED_STYLES = ("title", "subtitle", "lead", "body", "heading", "subheading", "box_heading",
                 "box_body", "list", "quote", "attribution", "funding", "footer", "chart")
HEADLINE_STYLES = ("headline_value", "headline_label")


def _mm(points: float) -> float:
    return points / 72 * 25.4


def check_structure(data: dict[str, Any], label: str, problems: Collector) -> None:
    """Problems of the merged, validated layout mapping that span several keys."""
    def fail(path: str, message: str) -> None:
        problems.add(label, message, field=path)

    if not data["fonts"]:
        fail("fonts", "at least one font family is required")
    for needed in NEEDED_STYLES:
        if needed not in data["styles"]:
            fail(f"styles.{needed}", "is required: every layout needs this paragraph style")
    if "headline" in data["contributions"]["parts"]:
        for needed in HEADLINE_STYLES:
            if needed not in data["styles"]:
                fail(f"styles.{needed}", "is required when contributions.parts has a headline")
    for name, template in data["templates"].items():
        _check_template(f"templates.{name}", template, data, fail)


def _check_template(base: str, template: dict[str, Any], data: dict[str, Any],
                    fail: Any) -> None:
    width, height = data["page"]["size"]
    if not template["frames"]:
        fail(f"{base}.frames", "a template needs at least one frame")
    boxes = [(f"{base}.frames[{i}]", f) for i, f in enumerate(template["frames"])]
    boxes += [(f"{base}.slots.{n}", s) for n, s in template["slots"].items()]
    boxes += [(f"{base}.rects[{i}]", r) for i, r in enumerate(template["rects"])]
    for path, box in boxes:
        if box["left"] + box["width"] > width + 0.01:
            fail(f"{path}.width", f"the box ends {_mm(box['left'] + box['width'] - width):.1f}"
                 "mm beyond the page's right edge")
        if box["top"] + box["height"] > height + 0.01:
            fail(f"{path}.height", f"the box ends "
                 f"{_mm(box['top'] + box['height'] - height):.1f}mm below the page's bottom "
                 "edge")
    for i, frame in enumerate(template["frames"]):
        if data["chart"]["height"] > frame["height"]:
            fail("chart.height", f"the chart is taller than {base}.frames[{i}] "
                 f"({_mm(frame['height']):.0f}mm): it could never be placed")
