"""The shortcuts of building a brief's story give what the plain way gives.

A context's placeholder values (`Context.values`) are written once and handed down to the
contexts made `within` it, never to a context for another brief or layout; text other than
ASCII skips `str.translate` in `escape` only when translating would change nothing.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import REPO


def test_context_values_written_once_and_only_for_their_brief() -> None:
    from briefs.contract.project import load_brief, load_project
    from briefs.layout.loader import load_layout
    from briefs.render.context import Context
    from briefs.render.fonts import register_families
    from briefs.render.styles import make_styles
    from briefs.render.tagging import StructElem

    project = load_project(REPO)
    brief, layout_name, _ = load_brief(project, "KOR", 2017)
    other, _, _ = load_brief(project, "KOR", 2023)
    layout = load_layout(layout_name, REPO).in_language(brief.language)
    families = register_families(layout.fonts)
    ctx = Context(brief, layout, families, make_styles(layout, families))
    assert dict(ctx.values) == {
        "title": brief.title, "subtitle": brief.subtitle(layout.labels.subtitle),
        "name": brief.donor.name, "short_name": brief.donor.short_name,
        "edition": "2017", "code": "KOR", "footer": layout.labels.footer,
        "period": ctx.values["period"]}
    assert "–" in ctx.values["period"]
    inner = ctx.within(StructElem("Sect")).within(StructElem("P"))
    assert inner.values is ctx.values  # handed down, not written again
    moved = replace(inner, brief=other)
    assert moved.values["edition"] == "2023"
    assert moved.values["period"] != ctx.values["period"]
    with pytest.raises(TypeError):
        ctx.values["title"] = "changed"  # type: ignore[index]


def test_escape_translates_only_text_that_holds_a_character_to_change() -> None:
    """Text other than ASCII is translated only when it holds a character `_CONTROLS`
    changes: every such character, alone or among accented letters, is still changed."""
    from briefs.render.markup import _CONTROLS, escape, xml_escape

    texts = ["plain & <b>", "café — “quoted”", "Ελλάδα", ""]
    for code in _CONTROLS:
        texts += [f"a{chr(code)}b", f"é{chr(code)}", f"{chr(code)}Ελλάδα «x»"]
    for text in texts:
        assert escape(text) == xml_escape(text.translate(_CONTROLS)), repr(text)
    assert escape("12\u202f%\u00e9") == "12\u00a0%\u00e9"
