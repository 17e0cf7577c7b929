"""A layout's way of writing money and periods, as the plain `briefs.text.Figures`.

The one place that knows which labels of a layout say how figures print, so that the PDF,
`briefs diff`, `briefs list` and the mail read them the same way.
"""

from __future__ import annotations

from briefs.layout.model import Layout
from briefs.text import Figures


def figures_of(layout: Layout) -> Figures:
    """The layout's amount pattern, decimals, decimal mark, qualifier words and period."""
    labels = layout.labels
    return Figures(amount=labels.amount, decimals=labels.decimals,
                   decimal_mark=labels.decimal_mark,
                   words=tuple(sorted(labels.qualifiers.items())), span=labels.period)
