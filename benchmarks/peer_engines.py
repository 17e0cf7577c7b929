"""The two anchors `bench_peers.py` measures briefs against, on the same donors' files.

- Typst (PyPI `typst`): a comparable template — title band, introduction beside a shaded side
  box on page 1, the stories in three columns after — with the same matplotlib stacked-bar
  chart, embedded as SVG.
- The floor: plain ReportLab, one pass, a native `reportlab.graphics` stacked-bar chart, two
  frames then three columns; no tagging, no balancing, no fitting: what drawing the same text
  costs at the least.

Both read the project's own files (profiles, contributions.csv, donors.csv) with a small
reader of the Markdown subset the benchmark's generator writes; neither imports briefs.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
CHANNELS = ("assessed", "voluntary_core", "voluntary_earmarked")
LABELS = ("Assessed contributions", "Voluntary core contributions",
          "Voluntary earmarked contributions")
COLORS = ("#1e2dbe", "#1b9e8f", "#fa3c4b")
HEADING = re.compile(r"^## (.*?)(?: \{\.([\w-]+)\})?$")


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "quote"
    text: str
    cls: str = ""


@dataclass(frozen=True)
class Donor:
    code: str
    name: str
    edition: int
    countries: tuple[str, ...]
    blocks: tuple[Block, ...]
    yearly: tuple[tuple[int, tuple[float, ...]], ...]  # year, US$ million per channel


def _blocks(body: str) -> tuple[Block, ...]:
    out = []
    for chunk in body.strip().split("\n\n"):
        chunk = chunk.strip()
        heading = HEADING.match(chunk)
        if heading:
            out.append(Block("h", heading.group(1), heading.group(2) or ""))
        elif chunk.startswith(">"):
            lines = [line.lstrip("> ").strip() for line in chunk.splitlines()]
            out.append(Block("quote", " ".join(x for x in lines if x)))
        elif chunk:
            out.append(Block("p", chunk))
    return tuple(out)


def load_donors(project: Path) -> list[Donor]:
    """Every donor with a profile, with its five-year figures (the period before its edition)."""
    data = project / "data"
    names = {r["code"]: r["name"] for r in csv.DictReader(
        (data / "donors.csv").open(encoding="utf-8"))}
    rows: dict[str, dict[int, list[float]]] = {}
    for r in csv.DictReader((data / "contributions.csv").open(encoding="utf-8")):
        if r["channel"] in CHANNELS and r["start_year"] == r["end_year"]:
            year = rows.setdefault(r["donor"], {}).setdefault(int(r["start_year"]), [0.0] * 3)
            year[CHANNELS.index(r["channel"])] += float(r["amount_usd"]) / 1e6
    donors = []
    for path in sorted((data / "profiles").glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        edition = int(re.search(r"edition: (\d+)", front).group(1))
        countries = re.search(r"partner_countries: \[(.*)\]", front)
        code = path.parent.name
        years = rows.get(code, {})
        period = range(edition - 5, edition)
        donors.append(Donor(code, names[code], edition,
                            tuple(c.strip() for c in countries.group(1).split(","))
                            if countries else (), _blocks(body),
                            tuple((y, tuple(years.get(y, [0.0] * 3))) for y in period)))
    return donors


def chart_svg(donor: Donor) -> str:
    """The stacked-bar chart as matplotlib draws it for a brief, as SVG text."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(178 / 25.4, 62 / 25.4), dpi=72)
    ax = fig.add_subplot()
    years = [y for y, _ in donor.yearly]
    bottoms = [0.0] * len(years)
    for index, label in enumerate(LABELS):
        values = [v[index] for _, v in donor.yearly]
        ax.bar(years, values, bottom=bottoms, width=0.62, color=COLORS[index], label=label)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    ax.set_xticks(years, [str(y) for y in years])
    ax.yaxis.grid(True, color="#c5cae3", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", ncol=3, frameon=False, bbox_to_anchor=(0.5, -0.12))
    fig.subplots_adjust(left=0.06, right=0.99, top=0.95, bottom=0.3)
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 8.2}):
        fig.savefig(out, format="svg")
    return out.getvalue()


def _typst_text(text: str) -> str:
    return re.sub(r"([\\#*_`$@<\[\]])", r"\\\1", text)


def typst_source(donor: Donor) -> str:
    """A Typst document like the factsheet layout: title band, side box, three columns."""
    out: dict[str, list[str]] = {}
    for kind, blocks in _parts(donor).items():
        out[kind] = []
        for block in blocks:
            text = _typst_text(block.text)
            if block.kind == "h":
                size = "9.6pt" if kind == "box" else "11.5pt"
                out[kind].append(f'#text(weight: "bold", fill: blue, size: {size})'
                                 f"[{text.upper()}]\n\n")
                if block.cls == "contributions":
                    out[kind].append('#image(bytes(sys.inputs.at("chart")), format: "svg", '
                                     "width: 100%)\n\n")
            elif block.kind == "quote":
                out[kind].append(f"#block(inset: (left: 6pt), stroke: (left: 1.5pt + red))"
                                 f'[#text(style: "italic", fill: navy, size: 9.6pt)[{text}]]'
                                 "\n\n")
            else:
                out[kind].append(text + "\n\n")
    lead, box, stories = out["main"], out["box"], out["stories"]
    countries = ", ".join(_typst_text(c) for c in donor.countries)
    return f"""#let blue = rgb("#1e2dbe")
#let navy = rgb("#15208a")
#let red = rgb("#fa3c4b")
#set page(paper: "a4", margin: (x: 16mm, top: 20mm, bottom: 18mm),
  header: context if counter(page).get().first() > 1 [
    #place(top + left, dx: -16mm, dy: -8mm, rect(width: 210mm, height: 12mm, fill: blue))],
  footer: [#set text(size: 6.8pt, fill: gray)
    #line(length: 100%, stroke: 0.6pt + silver) {_typst_text(donor.name)} – ILO Cooperation
    #h(1fr) #context counter(page).display()])
#set text(font: "DejaVu Sans", size: 8.4pt, lang: "en")
#set par(justify: false, leading: 0.55em, spacing: 5pt)
#place(top + left, dx: -16mm, dy: -20mm, rect(width: 210mm, height: 50mm, fill: blue))
#place(top + left, dx: 0mm, dy: 0mm, block(width: 178mm)[
  #text(size: 8pt, weight: "bold", fill: rgb("#c9cff5"))[DONOR PROFILE · {donor.edition}]
  #v(8mm)
  #text(size: 27pt, weight: "bold", fill: white)[{_typst_text(donor.name)}]
  #linebreak() #text(size: 15pt, fill: rgb("#c9cff5"))[ILO Cooperation]])
#v(38mm)
#grid(columns: (118mm, 54mm), gutter: 6mm,
  [#set text(size: 9.8pt)
{"".join(lead)}],
  block(fill: rgb("#eceefa"), inset: 5mm, width: 100%)[#set text(size: 8.2pt)
{"".join(box)}
Partner countries: {countries}])
#pagebreak()
#columns(3, gutter: 6mm)[
{"".join(stories)}]
"""


def typst_pdf(donor: Donor) -> bytes:
    """One donor's PDF by Typst, its chart drawn by matplotlib as SVG."""
    import typst

    return typst.compile(typst_source(donor).encode("utf-8"), format="pdf",
                         font_paths=[str(FONTS)], ignore_system_fonts=True,
                         sys_inputs={"chart": chart_svg(donor)})


def floor_pdf(donor: Donor) -> bytes:
    """One donor's PDF by plain ReportLab in one pass, with a native stacked-bar chart."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
    )

    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    ink, blue = colors.HexColor("#1f2430"), colors.HexColor(COLORS[0])
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=8.4, leading=12,
                          textColor=ink, spaceAfter=5)
    lead = ParagraphStyle("lead", body, fontSize=9.8, leading=14)
    head = ParagraphStyle("head", body, fontName="DejaVuSans-Bold", fontSize=11.5,
                          leading=14, textColor=blue, spaceBefore=10)
    quote = ParagraphStyle("quote", body, fontName="DejaVuSans-Oblique", fontSize=9.6,
                           leading=13.2, textColor=colors.HexColor("#15208a"))

    def band(canvas, doc, height=50 * mm):
        canvas.setFillColor(blue)
        canvas.rect(0, 297 * mm - height, 210 * mm, height, stroke=0, fill=1)
        if doc.page == 1:
            canvas.setFillColor(colors.white)
            canvas.setFont("DejaVuSans-Bold", 27)
            canvas.drawString(16 * mm, 297 * mm - 40 * mm, donor.name)
        canvas.setFont("DejaVuSans", 6.8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(16 * mm, 8 * mm, f"{donor.name} – ILO Cooperation")
        canvas.drawRightString(194 * mm, 8 * mm, str(doc.page))

    first = PageTemplate("first", [Frame(16 * mm, 18 * mm, 118 * mm, 219 * mm, id="main"),
                                   Frame(140 * mm, 18 * mm, 54 * mm, 219 * mm, id="box")],
                         onPage=band)
    later = PageTemplate("later", [Frame((16 + i * 61.33) * mm, 18 * mm, 55.33 * mm,
                                         259 * mm, id=f"c{i}") for i in range(3)],
                         onPage=lambda c, d: band(c, d, 12 * mm))
    parts = _parts(donor)
    paragraphs = {kind: [] for kind in parts}
    for kind, blocks in parts.items():
        for block in blocks:
            if block.kind == "h":
                paragraphs[kind].append(Paragraph(block.text.upper(), head))
                if block.cls == "contributions":
                    paragraphs[kind].append(_floor_chart(donor, VerticalBarChart, Drawing,
                                                         colors))
            else:
                paragraphs[kind].append(Paragraph(block.text, quote if block.kind == "quote"
                                                  else lead if kind == "main" else body))
    paragraphs["box"].append(Paragraph("Partner countries: " + ", ".join(donor.countries),
                                       body))
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=(210 * mm, 297 * mm), invariant=1)
    doc.addPageTemplates([first, later])
    doc.build([*paragraphs["main"], FrameBreak(), *paragraphs["box"],
               NextPageTemplate("later"), FrameBreak(), *paragraphs["stories"]])
    return out.getvalue()


BOX = ("box", "partner-countries", "key-partners")


def _parts(donor: Donor) -> dict[str, list[Block]]:
    """The blocks of page 1's wide column (introduction, contributions), of the side box, and
    of the stories, as the factsheet layout places them."""
    parts: dict[str, list[Block]] = {"main": [], "box": [], "stories": []}
    kind = "main"
    for block in donor.blocks:
        if block.kind == "h":
            kind = "box" if block.cls in BOX else "main" if block.cls else "stories"
        parts[kind].append(block)
    return parts


def _floor_chart(donor: Donor, chart_class, drawing_class, colors):
    from reportlab.lib.units import mm

    drawing = drawing_class(118 * mm, 60 * mm)
    chart = chart_class()
    chart.x, chart.y, chart.width, chart.height = 28, 30, 118 * mm - 36, 60 * mm - 40
    chart.data = [[v[i] for _, v in donor.yearly] for i in range(3)]
    chart.categoryAxis.categoryNames = [str(y) for y, _ in donor.yearly]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "DejaVuSans"
    chart.valueAxis.visibleGrid = 1
    for index, color in enumerate(COLORS):
        chart.bars[index].fillColor = colors.HexColor(color)
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    return drawing
