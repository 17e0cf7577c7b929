"""Drawing a one-style, left-aligned paragraph: ReportLab's `drawPara`, in fewer steps.

ReportLab draws each line of a paragraph through a function for its alignment, which joins
the line's words, asks whether the text object is preformatted, moves the pen by the line's
offset and back (nothing, for every line but the first) and shows the text: ~450 lines a
brief. `draw_plain` does what `drawPara` does for the common paragraph (one style, aligned
left, nothing under or around it) with the same calls on the canvas and the text object in
the same order, so the page's bytes are ReportLab's (the PDFs' hashes are compared before
and after); a line set tighter than its width (its spaces shrunk) still goes through
ReportLab's own function, which spaces its words. Anything else is left to ReportLab.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.platypus.paragraph import _drawBullet, _leftDrawParaLine
from reportlab.rl_config import paraFontSizeHeightOffset


def draw_plain(para: Any) -> bool:
    """Draw `para`'s lines as ReportLab's `drawPara` draws a paragraph broken into lines of
    one style (kind 0) aligned left, without background, border, underline, link, line
    offsets, automatic leading or writing direction; False (nothing drawn) for any other."""
    style = para.style
    block = para.blPara
    lines = block.lines
    if block.kind != 0 or not lines or style.alignment != TA_LEFT or style.wordWrap \
            or style.backColor or (getattr(style, "borderColor", None)
                                   and getattr(style, "borderWidth", None)) \
            or getattr(block, "us_lines", True) or getattr(block, "link", True) \
            or hasattr(para, "_offsets") \
            or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min"):
        return False
    canvas = para.canv
    canvas.saveState()
    offset = style.firstLineIndent + 0  # ReportLab adds the first line's offset, 0 here
    cur_y = para.height - (block.fontSize if paraFontSizeHeightOffset
                           else getattr(block, "ascent", block.fontSize))
    if para.bulletText:
        offset = _drawBullet(canvas, offset, cur_y, para.bulletText, style, rtl=False)
    canvas.setFillColor(block.textColor)
    tx = para.beginText(style.leftIndent, cur_y)
    preformatted = tx.preformatted = "preformatted" in para.__class__.__name__.lower()
    tx.direction = style.wordWrap
    tx.setFont(block.fontName, block.fontSize, style.leading)
    extra, words = lines[0]
    _leftDrawParaLine(tx, offset, extra, words)
    show = tx._textOut
    for extra, words in lines[1:]:  # no offset: the pen stays at the line's start
        if extra > -1e-8 or preformatted:
            show(" ".join(words), 1)
        else:
            _leftDrawParaLine(tx, 0, extra, words)
    canvas.drawText(tx)
    canvas.restoreState()
    return True
