"""From a Brief and a Layout to PDF bytes: the one place that runs the render stage in order.

Everything here is a function of its inputs: no file is read except the fonts the layout
names, and nothing is written. Sections become flowables (`story`); slots (fixed boxes such
as the title band and the side box) are fitted before drawing (`slots`), so text that does
not fit is reported, never cut; pages are decorated (`decoration`) and the last page's
columns balanced (`balance`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.doctemplate import LayoutError

from briefs import __version__
from briefs.contract.model import Brief, Section
from briefs.layout.model import Layout, Slot
from briefs.render.balance import BalancingDocument, balanced
from briefs.render.context import Context
from briefs.render.decoration import page_templates
from briefs.render.flowables import HeadingRoom, StartNew
from briefs.render.fonts import Family, register_families
from briefs.render.inspect import Finding, inspect_pages
from briefs.render.slots import FittedSlot, fit_slot
from briefs.render.story import STORY, block_flowables, section_flowables
from briefs.render.styles import make_styles
from briefs.text import fill as fill_pattern


def _flow(brief: Brief, ctx: Context) -> tuple[list[Flowable], dict[str, list[Section]]]:
    """The flowing story, and the sections each slot of the first page holds."""
    layout = ctx.layout
    placed: dict[str, list[Section]] = {name: [] for name in layout.first_template.slots}
    story: list[Flowable] = []
    intro = Section("", "intro", brief.profile.intro)
    started: set[str] = set()
    for section in (intro, *brief.profile.sections):
        cls = section.cls or STORY
        place = layout.sections.of("intro" if section is intro else cls)
        if section is intro and not section.blocks:
            continue
        if place.slot is not None:
            placed[place.slot.name].append(section)
            continue
        if place.start != "none" and cls not in started:
            story.append(StartNew(place.start))
        started.add(cls)
        if section is intro:
            story.extend(f for b in section.blocks for f in block_flowables(b, ctx, "lead"))
        else:
            story.extend(section_flowables(section, ctx))
    return story, placed


def _fit_slots(brief: Brief, layout: Layout, families: dict[str, Family],
               placed: dict[str, list[Section]]) -> list[FittedSlot]:
    """Each slot of the first page with its text laid out at the scale that fits."""
    def at(scale: float) -> Context:
        return Context(brief, layout, families, make_styles(layout, families, scale))

    def title(scale: float) -> list[Flowable]:
        c = at(scale)
        return [c.text(c.values["title"], "title"), c.text(c.values["subtitle"], "subtitle")]

    def sections(mine: list[Section]) -> Callable[[float], list[Flowable]]:
        def make(scale: float) -> list[Flowable]:
            c = at(scale)
            return [f for s in mine for f in section_flowables(s, c)
                    if not isinstance(f, HeadingRoom)]
        return make

    who = f"{brief.donor.code} {brief.edition}, layout {layout.name}"
    fitted = []
    slot: Slot
    for name, slot in layout.first_template.slots.items():
        if slot.content == "title":
            fitted.append(fit_slot(slot, title, (brief.profile.name, None), who,
                                   "the title and subtitle"))
            continue
        mine = placed[name]
        if mine:
            holds = "the sections " + ", ".join(f"'{s.heading}'" for s in mine)
            fitted.append(fit_slot(slot, sections(mine), (brief.profile.name, mine[0].line),
                                   who, holds))
    return fitted


def prepare(brief: Brief, layout: Layout,
            hyphenate: bool = True) -> tuple[Context, list[FittedSlot], list[Flowable]]:
    """Build the flowing story and fit the slots; raises UserError for text that won't fit."""
    families = register_families(layout.fonts)
    ctx = Context(brief, layout, families, make_styles(layout, families, hyphenate=hyphenate))
    story, placed = _flow(brief, ctx)
    return ctx, _fit_slots(brief, layout, families, placed), story


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # what the page inspection saw


def _render_once(brief: Brief, layout: Layout, balance: tuple[int, float] | None,
                 hyphenate: bool = True) -> tuple[bytes, BalancingDocument]:
    ctx, slots, story = prepare(brief, layout, hyphenate)
    labels = layout.labels
    values = ctx.values
    buffer = io.BytesIO()
    doc = BalancingDocument(
        buffer, pagesize=layout.page_size, leftMargin=0, rightMargin=0, topMargin=0,
        bottomMargin=0, title=f"{values['title']} – {values['subtitle']}",
        author=labels.organisation, subject=fill_pattern(labels.subject, values),
        keywords=[brief.donor.code, brief.donor.name, str(brief.edition), *labels.keywords],
        creator=f"briefs {__version__}", lang=labels.language, invariant=1,
        initialFontName=ctx.styles["body"].fontName, pageCompression=1, balance=balance,
    )
    doc.addPageTemplates(page_templates(ctx, slots))
    doc.build(story or [Spacer(1, 1)])
    # the last frame ends with the build, not with a frame break
    doc.record()
    return buffer.getvalue(), doc


def _inspected(pdf: bytes, doc: BalancingDocument, inspect: bool) -> Rendered:
    findings = inspect_pages(doc.placed, doc.used, doc.heights, pdf) if inspect else []
    return Rendered(pdf, doc.page, tuple(findings))


def render_pdf(brief: Brief, layout: Layout, inspect: bool = True) -> Rendered:
    """The brief as PDF bytes; the same inputs always give the same bytes.

    When the last page has several columns, it is laid out again with shorter frames so that
    its columns end level instead of one full column beside empty ones. With `inspect`, the
    laid-out pages are looked at, and what a person should look at is returned as findings
    (`briefs.render.inspect`).
    """
    from reportlab import rl_config

    # streams as binary, not ASCII85 text: smaller files and less work (a documented setting)
    rl_config.useA85 = 0
    hyphenate = True
    try:
        pdf, doc = _render_once(brief, layout, None)
    except LayoutError:
        # ReportLab cannot split some hyphenated paragraphs (runs of very long words, found
        # by the property tests): such a brief is set without hyphenation
        hyphenate = False
        pdf, doc = _render_once(brief, layout, None, hyphenate)
    pages = doc.page
    if pages >= 2:
        frames = doc.pageTemplate.frames
        level = balanced(lambda target: _render_once(brief, layout, (pages, target),
                                                      hyphenate), pages,
                         doc.used.get(pages, []), min(f._height for f in frames), len(frames),
                         layout.styles["body"].leading)
        if level is not None:
            return _inspected(*level, inspect)
    return _inspected(pdf, doc, inspect)
