"""Text objects for tagging: line breaks that keep their space, links that keep their text.

ReportLab drops the space where it breaks a line, so text read through the tags ran the last
word of a line into the next; `SpacedTextObject` draws that space after the line's last glyph,
where it shows nothing. ReportLab also reports where a link's text starts and ends while it
builds a paragraph's text object (its `_linkRecord` hook); the text object marks those places,
so the canvas can give the link's words to a Link element and the rest to the paragraph.
It also notes where each run of its text goes, for the page inspection (`RunRecorder`).
"""

from __future__ import annotations

import re
from typing import Any

from briefs.render.tagging.tree import AnnotRef
from briefs.render.textboxes import RunRecorder

LINK_START = "\x00link-start\x00"
LINK_END = "\x00link-end\x00"
_MARKS = re.compile(f"({LINK_START}|{LINK_END})")
_SHOWS_TEXT = re.compile(r"(\)|>|\])\s*(Tj|TJ|'|\")")


class SpacedTextObject(RunRecorder):
    """A text object that keeps line-break spaces, marks where links are, and notes where
    its runs of text go."""

    break_space = True  # RunRecorder._textOut adds it: one call a line, not two

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.link_annots: list[AnnotRef] = []  # link annotations made while it was built

    def _linkRecord(self, link: Any, kind: str) -> None:
        # ReportLab says "start" just after drawing a link's first piece on a line, and "end"
        # before drawing what follows it (or at the line's end)
        if kind == "start":
            self._code.insert(len(self._code) - 1, LINK_START)
        else:
            self._code.append(LINK_END)

    @property
    def has_links(self) -> bool:
        return LINK_START in self._code


def link_runs(code: str) -> list[tuple[bool, str]]:
    """The operators of a text object between BT and ET, cut where links start and end:
    (inside a link, operators) in order, empty runs left out."""
    assert code.startswith("BT ") and code.endswith(" ET"), code[:20]
    runs: list[tuple[bool, str]] = []
    inside = False
    for piece in _MARKS.split(code[3:-3]):
        if piece in (LINK_START, LINK_END):
            inside = piece == LINK_START
        elif piece.strip():
            runs.append((inside, piece.strip()))
    return runs


def strip_marks(code: str) -> str:
    """The text object's operators without link marks (text drawn as one piece)."""
    return _MARKS.sub("", code)


def shows_text(operators: str) -> bool:
    """Whether operators of a text object show any text (or only move and set state)."""
    return bool(_SHOWS_TEXT.search(operators))
