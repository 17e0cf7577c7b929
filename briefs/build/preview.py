"""Page images of a built brief, for looking at it without a PDF viewer.

pypdfium2 renders the PDF exactly as a reader would see it; PNGs are written next to the PDF
and, like the PDF, appear complete or not at all.
"""

from __future__ import annotations

import io
from pathlib import Path

from briefs.build.store import write_atomic

GAP = 24  # pixels between pages on a contact sheet, at any resolution
BACKGROUND = (228, 230, 236)


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)  # type: ignore[attr-defined]
    return buffer.getvalue()


def render_pages(pdf: Path, dpi: int) -> list[object]:
    """One PIL image per page at `dpi`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def write_previews(pdf: Path, dpi: int = 100, sheet: bool = False) -> list[Path]:
    """PNG files of the PDF's pages (or one contact sheet of them all); returns their paths."""
    images = render_pages(pdf, dpi)
    if sheet:
        from PIL import Image

        margin = max(8, GAP * dpi // 100)
        width = sum(i.width for i in images) + margin * (len(images) + 1)  # type: ignore
        height = max(i.height for i in images) + 2 * margin  # type: ignore[attr-defined]
        canvas = Image.new("RGB", (width, height), BACKGROUND)
        x = margin
        for image in images:
            canvas.paste(image, (x, margin))  # type: ignore[arg-type]
            x += image.width + margin  # type: ignore[attr-defined]
        path = pdf.with_name(f"{pdf.stem}-sheet.png")
        write_atomic(path, _png(canvas))
        return [path]
    paths = []
    for number, image in enumerate(images, start=1):
        path = pdf.with_name(f"{pdf.stem}-{number}.png")
        write_atomic(path, _png(image))
        paths.append(path)
    return paths
