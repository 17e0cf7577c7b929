"""Page images of a built brief, for looking at it without a PDF viewer.

pypdfium2 renders the PDF exactly as a reader would see it; PNGs are written next to the PDF
and, like the PDF, appear complete or not at all. Pages are rendered, written and let go one
at a time, so a brief of any length previews in the memory of one page; a contact sheet is
made smaller as needed to stay within `SHEET_PIXELS`. Images of pages a brief no longer has
(it shrank since the last preview) are removed.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefs.build.store import write_atomic

GAP = 24  # pixels between pages on a contact sheet, at any resolution
BACKGROUND = (228, 230, 236)
SHEET_PIXELS = 40_000_000  # a contact sheet's size at most: about 120 MB while it is made
ROW = 12  # pages side by side on a contact sheet before it starts another row


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def render_pages(pdf: Path, dpi: int) -> Iterator[Any]:
    """One PIL image per page at `dpi`, each rendered only when it is asked for."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        yield from _rendered(document, dpi / 72)
    finally:
        document.close()


def _rendered(document: Any, scale: float) -> Iterator[Any]:
    for index in range(len(document)):
        page = document[index]
        try:
            yield page.render(scale=scale).to_pil()
        finally:
            page.close()


def write_previews(pdf: Path, dpi: int = 100, sheet: bool = False) -> list[Path]:
    """PNG files of the PDF's pages (or one contact sheet of them all); returns their paths."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = len(document)
        paths = [_sheet(document, pdf, dpi)] if sheet else _page_files(document, pdf, dpi)
    finally:
        document.close()
    _remove_stale(pdf, pages)
    return paths


def _page_files(document: Any, pdf: Path, dpi: int) -> list[Path]:
    paths = []
    for number, image in enumerate(_rendered(document, dpi / 72), start=1):
        path = pdf.with_name(f"{pdf.stem}-{number}.png")
        write_atomic(path, _png(image))
        image.close()
        paths.append(path)
    return paths


def _sheet(document: Any, pdf: Path, dpi: int) -> Path:
    """All pages on one image, in rows of up to ROW pages, scaled down to fit SHEET_PIXELS."""
    from PIL import Image

    count = len(document)
    sizes = [document.get_page_size(i) for i in range(count)]
    columns = min(count, ROW)
    rows = math.ceil(count / columns)
    scale = dpi / 72
    margin = max(8, GAP * dpi // 100)
    cell_w = max(w for w, _ in sizes)
    cell_h = max(h for _, h in sizes)
    needed = (columns * cell_w * scale + margin * (columns + 1)) * \
        (rows * cell_h * scale + margin * (rows + 1))
    if needed > SHEET_PIXELS:
        shrink = math.sqrt(SHEET_PIXELS / needed)
        scale, margin = scale * shrink, max(2, int(margin * shrink))
    step_w, step_h = round(cell_w * scale) + margin, round(cell_h * scale) + margin
    canvas = Image.new("RGB", (columns * step_w + margin, rows * step_h + margin), BACKGROUND)
    for index, image in enumerate(_rendered(document, scale)):
        row, column = divmod(index, columns)
        canvas.paste(image, (margin + column * step_w, margin + row * step_h))
        image.close()
    path = pdf.with_name(f"{pdf.stem}-sheet.png")
    write_atomic(path, _png(canvas))
    return path


def _remove_stale(pdf: Path, pages: int) -> None:
    """Images of pages beyond the last: left by a preview of a longer version of the brief."""
    pattern = re.compile(rf"{re.escape(pdf.stem)}-(\d+)\.png")
    for image in pdf.parent.glob(f"{pdf.stem}-*.png"):
        match = pattern.fullmatch(image.name)
        if match and int(match.group(1)) > pages:
            image.unlink(missing_ok=True)
