"""A proof sheet: every page of many briefs, small, with what the page inspection saw.

One person looks over a whole year's briefs in minutes: each brief gets a labelled row of
page images, and each finding is printed under the page it concerns (the layout's colour
findings under the label). The briefs are laid out in memory; only the sheet is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefs.build.batch import (
    PageWarning,
    Plan,
    brief_name,
    layout_once,
    plan_builds,
    raise_failures,
)
from briefs.build.store import write_atomic
from briefs.render.inspect import Finding
from briefs.text import plural

THUMB_DPI = 40  # page images: small, but the headings and charts can be judged
PER_ROW = 5
WARN = "#b00020"


@dataclass(frozen=True)
class Proofed:
    """One brief on the sheet: its label, its pages as PNG bytes, its findings."""

    label: str
    pages: tuple[bytes, ...]
    findings: tuple[Finding, ...]


def plan_proof(root: Path, codes: tuple[str, ...], edition: int | None,
               languages: tuple[str, ...] = ()) -> Plan:
    """The briefs a proof shows: `edition`, or each donor's newest, in every language asked
    for (the main language first); a mistake in any of them is raised, as `check` raises it."""
    plan = plan_builds(root, codes, edition, None, every_edition=True, skip_current=False,
                       languages=languages)
    if edition is None:
        last: dict[str, int] = {}
        for job in plan.jobs:
            code = job.brief.donor.code
            last[code] = max(last.get(code, job.brief.edition), job.brief.edition)
        plan.jobs = [j for j in plan.jobs if j.brief.edition == last[j.brief.donor.code]]
        plan.failures = [f for f in plan.failures if f.edition >= last.get(f.code, f.edition)]
    plan.jobs.sort(key=lambda j: (j.brief.donor.code, j.brief.profile.language != ""))
    raise_failures(plan.failures)
    return plan


def proof_title(briefs: int, warnings: int) -> str:
    return f"Proof sheet: {plural(briefs, 'brief')}, {plural(warnings, 'page warning')}"


def proof_briefs(plan: Plan) -> list[Proofed]:
    """Lay out each brief of the plan and look at its pages (the layouts' colours once)."""
    import pypdfium2 as pdfium

    from briefs.render.document import render_pdf

    out = []
    seen: set[str] = set()
    for job in plan.jobs:
        rendered = render_pdf(job.brief, job.layout)
        findings = layout_once(job.layout, seen) + list(rendered.findings)
        document = pdfium.PdfDocument(rendered.pdf)
        try:
            images = tuple(_png(page.render(scale=THUMB_DPI / 72).to_pil())
                           for page in document)
        finally:
            document.close()
        brief = job.brief
        name = brief_name(brief.donor.code, brief.edition, brief.profile.language)
        label = (f"{name} · {brief.donor.name} · layout "
                 f"{job.layout.name} · {plural(len(images), 'page')}")
        out.append(Proofed(label, images, tuple(findings)))
        plan.pages.extend(PageWarning(brief.donor.code, brief.edition, job.layout.name, f,
                                      brief.profile.language)
                          for f in findings)
    return out


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    return buffer.getvalue()


def sheet_pdf(briefs: Sequence[Proofed], title: str) -> bytes:
    """The proof sheet as PDF: landscape A4, one labelled block of pages per brief."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Table

    from briefs.render.markup import escape

    width, _ = landscape(A4)
    usable = width - 20 * mm
    cell = usable / PER_ROW
    label = ParagraphStyle("label", fontName="Helvetica-Bold", fontSize=9, leading=11,
                           spaceBefore=8, spaceAfter=3)
    note = ParagraphStyle("note", fontName="Helvetica", fontSize=6, leading=7.2,
                          textColor=WARN)
    ok = ParagraphStyle("ok", parent=note, textColor="#2e7d32")
    story: list = [Paragraph(escape(title), ParagraphStyle(
        "title", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=4))]
    for brief in briefs:
        block: list = [Paragraph(escape(brief.label), label)]
        block += [Paragraph(escape(f"⚠ {f.message}"), note) for f in brief.findings
                  if f.page is None]
        cells = []
        for number, png in enumerate(brief.pages, start=1):
            image = Image(io.BytesIO(png), width=cell - 6 * mm, height=(cell - 6 * mm) * 1.414)
            mine = [f for f in brief.findings if f.page == number]
            notes = [Paragraph(escape(f"⚠ {f.message}"), note) for f in mine] or \
                [Paragraph(f"page {number}: no warning", ok)]
            cells.append([image, *notes])
        rows = [cells[i:i + PER_ROW] for i in range(0, len(cells), PER_ROW)] or [[[]]]
        rows = [row + [[]] * (PER_ROW - len(row)) for row in rows]
        table = Table(rows, colWidths=[cell] * PER_ROW, hAlign="LEFT",
                      style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        block.append(table)
        story.append(KeepTogether(block))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=10 * mm,
                            rightMargin=10 * mm, topMargin=10 * mm, bottomMargin=10 * mm,
                            title=title, invariant=1)
    doc.build(story)
    return buffer.getvalue()


def write_proof(briefs: Sequence[Proofed], target: Path, title: str, png: bool) -> list[Path]:
    """The sheet as `target`.pdf, or as PNG images (one per sheet page) when `png`."""
    pdf = sheet_pdf(briefs, title)
    if not png:
        write_atomic(target.with_suffix(".pdf"), pdf)
        return [target.with_suffix(".pdf")]
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    paths = []
    try:
        for number, page in enumerate(document, start=1):
            path = target.with_name(f"{target.name}-{number}.png")
            write_atomic(path, _png(page.render(scale=110 / 72).to_pil()))
            paths.append(path)
    finally:
        document.close()
    return paths
