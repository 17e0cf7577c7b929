"""The declarative schema every layout file is checked against.

One table of typed keys serves three purposes: validating a user's layout with messages that
name the key path, filling in defaults so a short layout (`extends:` plus a palette) is complete,
and generating the layout reference in docs/layouts.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefs.layout import model as m

REQUIRED: Any = object()


@dataclass(frozen=True)
class Key:
    """One key of a layout: its kind, its default and what it is for.

    kind is one of: text, length, color, number, int, bool, choice, font-file, page-size,
    map (fixed `children`, made into `model`), table (free keys, each an `item`), list (each
    an `item`), text-list (each one of `choices` when given), and two that the loader checks
    after merging:

    - ref: a reference to a name elsewhere in the layout; `ref` says what it names (see
      `REFERENCES`), `none` is the word that means "no reference" (none for a colour, the
      empty text for a slot or the next template);
    - label: a text with placeholders, each of which must be one of `offers`.
    """

    kind: str
    doc: str
    default: Any = None
    children: dict[str, Key] = field(default_factory=dict)
    item: Key | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    ref: str = ""
    none: str | None = None
    offers: tuple[str, ...] = ()
    model: type | None = None


REFERENCES = {
    "color": "a palette name or a #rrggbb colour",
    "style": "a key of `styles`",
    "font": "a key of `fonts`",
    "slot": "a slot of the first page's template",
    "template": "a key of `templates`",
}
"""What each kind of reference names, as the reference documentation says it."""


def _ref(ref: str, doc: str, default: Any = None, none: str | None = None) -> Key:
    return Key("ref", doc, default, ref=ref, none=none)


def _label(doc: str, default: str, *offers: str) -> Key:
    return Key("label", doc, default, offers=offers)


BRIEF_VALUES = ("title", "subtitle", "name", "short_name", "edition", "code", "footer",
                "period")
"""The placeholders every brief fills: the donor, the edition and its period."""

CHART_VALUES = (*BRIEF_VALUES, "total", "total_amount")
"""What a chart's title and description offer: a brief's values and the period's total."""


def _map(doc: str, model: type | None = None, **children: Key) -> Key:
    return Key("map", doc, children=children, model=model)


def _style(doc: str) -> Key:
    return _map(
        doc, m.Style,
        font=_ref("font", "font family, a key of `fonts`", "sans"),
        bold=Key("bool", "use the family's bold face", False),
        italic=Key("bool", "use the family's italic face", False),
        size=Key("length", "type size", "9pt", minimum=3),
        leading=Key("length", "distance between baselines", "12pt", minimum=3),
        color=_ref("color", "a palette name or a #rrggbb colour", "ink"),
        align=Key("choice", "alignment", "left", choices=("left", "right", "center", "justify")),
        space_before=Key("length", "space above a paragraph", "0pt"),
        space_after=Key("length", "space below a paragraph", "0pt"),
        upper=Key("bool", "set in capitals", False),
        indent=Key("length", "left indent", "0pt"),
    )


BOX = {
    "left": Key("length", "distance from the page's left edge", REQUIRED, minimum=0),
    "top": Key("length", "distance from the page's top edge", REQUIRED, minimum=0),
    "width": Key("length", "width", REQUIRED, minimum=1),
    "height": Key("length", "height", REQUIRED, minimum=1),
}

FRAME = Key("map", "a rectangle text flows through, filled in list order", children=dict(BOX),
            model=m.Frame)

SLOT = Key("map", "a fixed box on the page, filled with a fixed content and never flowing on",
           children={
               **BOX,
               "content": Key("choice", "what the slot holds: the title and subtitle, or the "
                              "sections placed in it", REQUIRED, choices=("title", "sections")),
               "fill": _ref("color", "background: a palette name, a #rrggbb colour or none",
                            "none", none="none"),
               "padding": Key("length", "space between the box's edge and its text", "0pt"),
               "valign": Key("choice", "where the text sits when it is shorter than the box",
                             "top", choices=("top", "middle", "bottom")),
               "fit": Key("choice", "what happens to text that does not fit: shrink it "
                          "(down to min_scale) or stop with an error", "shrink",
                          choices=("shrink", "error")),
               "min_scale": Key("number", "the smallest type scale `shrink` may use", 0.75,
                                minimum=0.3),
           }, model=m.Slot)

RULE = Key("map", "a straight line drawn on every page of the template", children={
    "x1": Key("length", "start, from the left edge", REQUIRED),
    "y1": Key("length", "start, from the top edge", REQUIRED),
    "x2": Key("length", "end, from the left edge", REQUIRED),
    "y2": Key("length", "end, from the top edge", REQUIRED),
    "color": _ref("color", "a palette name or #rrggbb", "rule"),
    "width": Key("length", "line width", "0.5pt"),
}, model=m.Rule)

RECT = Key("map", "a filled rectangle drawn on every page of the template",
           children={**BOX, "fill": _ref("color", "a palette name or #rrggbb", REQUIRED)},
           model=m.Rect)

TEXT = Key("map", "a line of text drawn on every page of the template (header, footer)",
           children={
               "text": _label("the text; {eyebrow} is the label of that name, in the brief's "
                              "language", REQUIRED, *BRIEF_VALUES, "eyebrow", "page"),
               "x": Key("length", "position from the left edge (see align)", REQUIRED),
               "y": Key("length", "baseline position from the top edge", REQUIRED),
               "style": _ref("style", "a key of `styles`", "footer"),
               "align": Key("choice", "which end of the text x marks", "left",
                            choices=("left", "right", "center")),
           }, model=m.Text)

TEMPLATE = _map(
    "a page template: frames for flowing text and what is drawn on the page", m.Template,
    frames=Key("list", "rectangles text flows through, in order", REQUIRED, item=FRAME),
    slots=Key("table", "fixed boxes by name", {}, item=SLOT),
    rects=Key("list", "filled rectangles drawn before the text", [], item=RECT),
    rules=Key("list", "lines drawn before the text", [], item=RULE),
    texts=Key("list", "lines of text such as headers, footers and page numbers", [], item=TEXT),
    next=_ref("template", "the template of the page that follows (default: this one)", "",
              none=""),
)

PLACEMENT = _map(
    "where sections of one class go", m.Placement,
    slot=_ref("slot", "the name of a slot of the first template; empty: the text flow", "",
              none=""),
    start=Key("choice", "the first section of this class starts a new frame or page",
              "none", choices=("none", "frame", "page")),
    heading=_ref("style", "the paragraph style of its heading", "heading"),
    body=_ref("style", "the paragraph style of its text", "body"),
    shade=_ref("color", "in the flow, set the section on this background (a palette name or "
              "#rrggbb); none: no background", "none", none="none"),
    padding=Key("length", "space around a shaded section's text", "4mm"),
)

LABELS = _map(
    "every fixed text the layout prints, so another language or organisation is a YAML "
    "change", m.Labels,
    organisation=Key("text", "the PDF's author", "International Labour Organization"),
    subtitle=Key("text", "the default subtitle", "ILO Cooperation"),
    language=Key("text", "the language of these labels, a two-letter ISO 639-1 code; "
                 "numbers, hyphenation and the PDF's language follow the brief's", "en"),
    eyebrow=_label("the line above the title, printed by the templates' texts as "
                   "{eyebrow}", "Donor profile · {edition}", *BRIEF_VALUES),
    footer=_label("footer text, printed by the templates' texts as {footer}", ""),
    amount=_label("an amount; {millions} is the amount in millions",
                  "US$ {millions} million", "millions"),
    decimal_mark=Key("text", "the decimal mark of printed amounts; empty: the "
                     "language's (63.0 in English, 63,0 in French)", ""),
    decimals=Key("int", "decimals of amounts in millions", 1, minimum=0),
    period=_label("a span of years", "{start}–{end}", "start", "end"),
    qualifiers=Key("table", "how the contract's qualifiers print",
                   {"more than": "more than", "about": "about"},
                   item=Key("text", "the printed words")),
    funding_line=_label("one funding channel in the .contributions section; {label} "
                        "prints in bold", "{label}, {description}: {amount}, {period}",
                        *BRIEF_VALUES, "label", "description", "amount"),
    funding_line_short=_label("the same for a channel without description",
                              "{label}: {amount}, {period}",
                              *BRIEF_VALUES, "label", "description", "amount"),
    funding_total=_label("the line after the channels, when there are several; empty: "
                         "none", "Total: {amount}, {period}", *BRIEF_VALUES, "amount"),
    headline_total=_label("label of the total in the headline row", "Total, {period}",
                          *BRIEF_VALUES),
    headline_amount=_label("an amount in the headline row; {millions} is the amount "
                           "in millions", "US$ {millions}M", "millions"),
    donut_center=_label("the text in the middle of a donut chart; {total} is the "
                        "total in millions (an approximate total gets its qualifier, "
                        "'about', on a line above)", "US$ {total}M", "total"),
    chart_title_totals=_label("chart title when the data are period totals",
                              "{short_name}’s contributions to the ILO, {period} "
                              "(US$ million; total {total_amount})",
                              *CHART_VALUES),
    chart_title_years=_label("chart title when the data are per year",
                             "{short_name}’s contributions to the ILO by year, {period} "
                             "(US$ million; total {total_amount})", *CHART_VALUES),
    headline_spoken=_label("how a headline figure is read aloud by a screen reader",
                           "{label}: {amount}", "label", "amount"),
    chart_description_years=_label(
        "the first sentence of a per-year chart's description (read aloud)",
        "Stacked bar chart of {short_name}’s contributions to the ILO by year and funding "
        "channel, {period}.", *CHART_VALUES),
    chart_description_totals=_label(
        "the same for a chart of channel totals",
        "Bar chart of {short_name}’s contributions to the ILO by funding channel, "
        "{period}.", *CHART_VALUES),
    chart_description_donut=_label(
        "the same for a donut chart",
        "Donut chart of each funding channel’s share of {short_name}’s contributions to "
        "the ILO, {period}.", *CHART_VALUES),
    chart_description_channel=_label(
        "one channel in a chart's description; {share} is its share of the total",
        "{label}: {amount} ({share}).", *CHART_VALUES, "label", "amount", "share"),
    chart_description_year=_label("one year of a channel in a per-year chart's "
                                  "description", "{year}: {amount}", *CHART_VALUES,
                                  "year", "amount"),
    chart_description_summary=_label(
        "a channel's years when there are more than six",
        "Lowest {low} in {low_year}, highest {high} in {high_year}.", *CHART_VALUES,
        "low", "low_year", "high", "high_year"),
    chart_description_total=_label("the last sentence of a chart's description",
                                   "Total: {amount}.", *CHART_VALUES, "amount"),
    attribution=_label("how a quote's attribution prints; {who} is the text after "
                       "the dash", "— {who}", "who"),
    no_contributions=_label("printed when the period has no rows",
                            "No contributions are recorded for {period}.", *BRIEF_VALUES),
    subject=_label("the PDF's subject", "Donor profile: {name} and the ILO, "
                   "{edition} edition", *BRIEF_VALUES),
    keywords=Key("text-list", "the PDF's keywords besides the donor's code and name",
                 ["ILO", "development cooperation", "donor profile"]),
)


SCHEMA = _map(
    "a layout",
    extends=Key("text", "the layout this one starts from; only the keys given here change", ""),
    description=Key("text", "one line saying what the layout is for", ""),
    page=_map(
        "the paper", m.Page,
        size=Key("page-size", "A4, A5, A3, LETTER, LEGAL or [width, height]", "A4"),
        first=_ref("template", "the template of the first page", "first"),
    ),
    pdf=_map(
        "what the PDF file conforms to; every brief is a tagged PDF (PDF/UA-1) whatever this "
        "says", m.Pdf,
        archival=Key("bool", "also a PDF/A-1b file (archival: sRGB output intent, no "
                     "transparency); false for a layout that needs transparency", True),
    ),
    palette=Key("table", "named colours (#rrggbb); styles and shapes refer to them by name",
                {}, item=Key("color", "a colour such as #1e2dbe")),
    fonts=Key("table", "type families by name; each face is a TrueType file (a path relative "
              "to the layout, to the project's fonts/ folder, or a file name matplotlib ships "
              "such as DejaVuSans.ttf)", {}, item=_map(
                  "a type family", m.FontFamily,
                  regular=Key("font-file", "the upright face", REQUIRED),
                  bold=Key("font-file", "the bold face (default: regular)", ""),
                  italic=Key("font-file", "the italic face (default: regular)", ""),
                  bold_italic=Key("font-file", "the bold italic face (default: bold)", ""),
              )),
    styles=Key("table", "paragraph styles by name; the layout uses title, subtitle, lead, "
               "body, heading, subheading, box_heading, box_body, list, quote, attribution, "
               "funding, footer, chart, and with a headline row headline_value and "
               "headline_label", {}, item=_style("a paragraph style")),
    templates=Key("table", "page templates by name", {}, item=TEMPLATE),
    sections=_map(
        "where each kind of section goes; `story` is a section without a class", m.Sections,
        intro=PLACEMENT, story=PLACEMENT, box=PLACEMENT,
        **{"partner-countries": PLACEMENT, "key-partners": PLACEMENT,
           "contributions": PLACEMENT},
    ),
    lists=_map(
        "how the partner countries and key partners lists are set", m.Lists,
        partner_countries_columns=Key("int", "columns of the partner countries list", 3,
                                      minimum=1),
        key_partners_columns=Key("int", "columns of the key partners list", 1, minimum=1),
        bullet=Key("text", "the bullet of unordered lists", "•"),
        bullet_color=_ref("color", "a palette name or #rrggbb", "primary"),
    ),
    quote=_map(
        "pull quotes", m.Quote,
        bar=_ref("color", "colour of the bar beside a quote: a palette name or #rrggbb",
                "accent"),
        bar_width=Key("length", "width of that bar", "2.5pt"),
        gap=Key("length", "space between the bar and the text", "7pt"),
        space=Key("length", "space above and below a quote", "8pt"),
    ),
    contributions=_map(
        "what a {.contributions} section shows after its text", m.Contributions,
        parts=Key("text-list", "in order, any of: headline (a row of large figures: the "
                  "total and each channel), chart, lines (one line per channel)",
                  ["chart", "lines"], choices=("headline", "chart", "lines")),
        headline_fill=_ref("color", "background of the headline row: a palette name, #rrggbb "
                           "or none", "none", none="none"),
        headline_rule=_ref("color", "colour of the rule above the headline row, or none",
                           "none", none="none"),
    ),
    chart=_map(
        "the contributions chart", m.Chart,
        kind=Key("choice", "bars: one bar per channel, or stacked bars per year when the data "
                 "are per year; donut: each channel's share of the total", "bars",
                 choices=("bars", "donut")),
        width=Key("length", "the chart's drawing width; it is scaled to the column", "120mm",
                  minimum=20),
        height=Key("length", "the chart's drawing height at that width", "60mm", minimum=20),
        font_size=Key("length", "size of the chart's text", "7.5pt", minimum=4),
        title_size=Key("length", "size of the chart's title", "8.5pt", minimum=4),
        text=_ref("color", "colour of text and axes", "ink"),
        grid=_ref("color", "colour of grid lines", "rule"),
        colors=Key("table", "a colour for each channel code; a palette name or #rrggbb", {},
                   item=_ref("color", "a palette name or #rrggbb")),
        series=Key("list", "colours for channels not named in `colors`",
                   ["primary", "accent", "ink"], item=_ref("color", "a palette name or #rrggbb")),
        space_before=Key("length", "space above the chart", "4pt"),
        space_after=Key("length", "space below the chart", "6pt"),
    ),
    labels=LABELS,
    languages=Key("table", "the labels of other languages, by two-letter ISO 639-1 code "
                  "(fr, es, …): a brief in that language prints `languages.CODE.labels`, and "
                  "each label left out there is the one of `labels`", {}, item=_map(
                      "one language", m.Language, labels=LABELS)),
)
