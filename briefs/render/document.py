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
from functools import partial

from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.doctemplate import LayoutError

from briefs import __version__
from briefs.contract.model import Brief, Section
from briefs.layout.model import Layout, Slot
from briefs.render.balance import BalancingDocument
from briefs.render.context import Context
from briefs.render.decoration import page_templates
from briefs.render.flowables import HeadingRoom, StartNew
from briefs.render.fonts import Family, register_families
from briefs.render.inspect import Finding, inspect_pages
from briefs.render.slots import FittedSlot, fit_slot
from briefs.render.story import STORY, block_flowables, section_flowables
from briefs.render.streams import deflating
from briefs.render.styles import StyleSet, make_styles
from briefs.render.tagging import Archive, StructElem, TaggingCanvas
from briefs.render.textboxes import text_boxes
from briefs.text import fill as fill_pattern

Placed = dict[str, list[tuple[Section, StructElem]]]


def _flow(brief: Brief, ctx: Context) -> tuple[list[Flowable], Placed]:
    """The flowing story, and the sections each slot of the first page holds, each with the
    placeholder element that stands for it in the structure tree until its slot is fitted."""
    layout = ctx.layout
    placed: Placed = {name: [] for name in layout.first_template.slots}
    story: list[Flowable] = []
    intro = Section("", "intro", brief.profile.intro)
    started: set[str] = set()
    for section in (intro, *brief.profile.sections):
        cls = section.cls or STORY
        place = layout.sections.of("intro" if section is intro else cls)
        if section is intro and not section.blocks:
            continue
        if place.slot is not None:
            placed[place.slot.name].append((section, ctx.tags.add("Div")))
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
               placed: dict[str, list[Section]],
               made: dict[float, StyleSet]) -> list[FittedSlot]:
    """Each slot of the first page with its text laid out at the scale that fits; the
    styles at a scale are made once (`made`: those made already, by scale) for every slot."""
    def at(scale: float) -> Context:
        styles = made.get(scale)
        if styles is None:
            styles = made[scale] = make_styles(layout, families, scale)
        return Context(brief, layout, families, styles, StructElem("Div"))

    def title(scale: float) -> tuple[list[Flowable], StructElem]:
        c = at(scale)
        return [c.heading(c.values["title"], "title", "H1", 0),
                c.tag(c.text(c.values["subtitle"], "subtitle"), "P")], c.tags

    def sections(mine: list[Section]) -> Callable[[float], tuple[list[Flowable], StructElem]]:
        def make(scale: float) -> tuple[list[Flowable], StructElem]:
            c = at(scale)
            return [f for s in mine for f in section_flowables(s, c)
                    if not isinstance(f, HeadingRoom)], c.tags
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
    """Build the flowing story and fit the slots; raises UserError for text that won't fit.

    The structure tree (`ctx.tags`) follows the profile: the title first, then the
    introduction and the sections as written, a section printed in a slot (the side box)
    where it stands in the profile, wherever the slot is on the page.
    """
    layout = layout.in_language(brief.language)  # the labels a brief prints are its own
    families = register_families(layout.fonts)
    ctx = Context(brief, layout, families, make_styles(layout, families, hyphenate=hyphenate))
    title = ctx.tags.add("Div")  # stands for the title until its slot is fitted
    story, placed = _flow(brief, ctx)
    fitted = _fit_slots(brief, layout, families,
                        {name: [s for s, _ in mine] for name, mine in placed.items()},
                        {1.0: ctx.styles} if hyphenate else {})
    for slot in fitted:
        made = list(slot.tags.kids)
        if slot.slot.content == "title":
            title.replace_with(made)
        else:  # one Sect per section, in the slot's order
            for (_, anchor), element in zip(placed[slot.name], made, strict=True):
                anchor.replace_with([element])
    return ctx, fitted, story


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # what the page inspection saw


def _render_once(brief: Brief, layout: Layout, line: float,
                 hyphenate: bool = True) -> tuple[bytes, BalancingDocument]:
    """One layout pass writing the PDF; `line` the body's leading to balance the last page
    with, 0 not to balance it."""
    ctx, slots, story = prepare(brief, layout, hyphenate)
    labels = ctx.layout.labels
    values = ctx.values
    buffer = io.BytesIO()
    doc = BalancingDocument(
        buffer, pagesize=layout.page_size, leftMargin=0, rightMargin=0, topMargin=0,
        bottomMargin=0, title=brief.title_line(labels.subtitle),
        author=labels.organisation, subject=fill_pattern(labels.subject, values),
        keywords=[brief.donor.code, brief.donor.name, str(brief.edition), *labels.keywords],
        creator=f"briefs {__version__}", lang=labels.language, invariant=1,
        initialFontName=ctx.styles["body"].fontName, pageCompression=1, line=line,
    )
    doc.addPageTemplates(page_templates(ctx, slots))
    archive = Archive(labels.language, layout.pdf.archival)
    doc.build(story or [Spacer(1, 1)],
              canvasmaker=partial(TaggingCanvas, document=ctx.tags, archive=archive))
    # the last frame ends with the build, not with a frame break
    doc.record()
    return buffer.getvalue(), doc


def _inspected(pdf: bytes, doc: BalancingDocument, inspect: bool) -> Rendered:
    findings = inspect_pages(doc.placed, doc.used, doc.heights, text_boxes(doc.canv.drawn),
                             doc.pagesize) if inspect else []
    return Rendered(pdf, doc.page, tuple(findings))


def render_pdf(brief: Brief, layout: Layout, inspect: bool = True) -> Rendered:
    """The brief as PDF bytes; the same inputs always give the same bytes.

    When the last page has several columns, it gets shorter frames so that its columns end
    level instead of one full column beside empty ones: decided as that page begins
    (`briefs.render.balance`), so the brief is laid out and written once. Should the
    balanced page not be the last after all, the brief is laid out again unbalanced: a
    level page is never bought with an extra one. With `inspect`, the laid-out pages are
    looked at, and what a person should look at is returned as findings
    (`briefs.render.inspect`).
    """
    from reportlab import rl_config

    # streams as binary, not ASCII85 text: smaller files and less work (a documented setting)
    rl_config.useA85 = 0
    line = layout.styles["body"].leading
    hyphenate = True
    with deflating():
        try:
            pdf, doc = _render_once(brief, layout, line)
        except LayoutError:
            # ReportLab cannot split some hyphenated paragraphs (runs of very long words,
            # found by the property tests): such a brief is set without hyphenation
            hyphenate = False
            pdf, doc = _render_once(brief, layout, line, hyphenate)
        if doc.balance is not None and doc.balance[0] != doc.page:
            pdf, doc = _render_once(brief, layout, 0.0, hyphenate)
    return _inspected(pdf, doc, inspect)
