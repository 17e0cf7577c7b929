"""Value objects that flow from loading to drawing.

Loading produces these and drawing consumes them; neither side knows about the other's
libraries. Text is kept as plain strings in `Run`s and only becomes ReportLab markup, escaped,
at the very end (see `briefs.markup`), which is what keeps data from acting as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SECTION_CLASSES = ("box", "partner-countries", "key-partners", "contributions")
QUALIFIERS = ("", "more than", "about")


@dataclass(frozen=True)
class Donor:
    code: str
    name: str
    short_name: str
    member_since: int | None = None
    # the translated columns' cells: (("name_fr", "République de Corée"), …)
    translated: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Channel:
    code: str
    label: str
    description: str = ""
    translated: tuple[tuple[str, str], ...] = ()  # (("label_fr", "Contributions fixées"), …)


@dataclass(frozen=True)
class Contribution:
    donor: str
    start_year: int
    end_year: int
    channel: str
    amount_usd: float
    qualifier: str = ""
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one set of attributes; `href` only for safe schemes."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    code: bool = False
    line_break: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Subheading:
    text: str
    level: int = 3


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Quote:
    paras: tuple[Para, ...]
    attribution: tuple[Run, ...] = ()


Block = Para | Subheading | ListBlock | Quote


@dataclass(frozen=True)
class Section:
    heading: str
    cls: str | None
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class ChannelAmount:
    """One funding channel's money in a brief's period, summed from the rows."""

    channel: Channel
    amount_usd: float
    qualifier: str


@dataclass(frozen=True)
class Funding:
    """What the `.contributions` section prints and charts for one brief."""

    period: tuple[int, int]
    channels: tuple[ChannelAmount, ...]
    # (year, channel code, amount) when every row in the period is a single year
    yearly: tuple[tuple[int, str, float], ...] = ()

    @property
    def total_usd(self) -> float:
        return sum(c.amount_usd for c in self.channels)

    @property
    def total_qualifier(self) -> str:
        """The total's qualifier, by the one rule for sums (see `briefs.contract.funding`)."""
        from briefs.contract.funding import combined_qualifier

        return combined_qualifier(c.qualifier for c in self.channels)

    @property
    def has_rows(self) -> bool:
        return bool(self.channels)


@dataclass(frozen=True)
class Profile:
    """One `profiles/CODE/EDITION.md` as written by the user, before data is joined in."""

    donor: str
    edition: int
    path: Path
    layout: str
    title: str | None
    subtitle: str | None
    period: tuple[int, int]
    partner_countries: tuple[str, ...]
    key_partners: tuple[str, ...]
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    source: str = ""
    name: str = ""  # the path as the user sees it, for messages
    lines: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    language: str = ""  # a translation's language (2023.fr.md); empty: the main language's
    parsed: bool = True  # False: read for its front matter only, intro and sections not yet


@dataclass(frozen=True)
class Brief:
    """Everything one PDF says: one donor, one edition, with its numbers computed."""

    donor: Donor
    profile: Profile
    funding: Funding
    channels: tuple[Channel, ...] = field(default=())
    language: str = "en"  # what the brief is written in: its labels, numbers and /Lang

    @property
    def edition(self) -> int:
        return self.profile.edition

    @property
    def title(self) -> str:
        return self.profile.title or self.donor.name

    def subtitle(self, default: str) -> str:
        """The profile's subtitle, or the layout's (`default`) when it sets none."""
        return self.profile.subtitle or default

    def title_line(self, default_subtitle: str) -> str:
        """Title and subtitle on one line, as the PDF's title and a message quote them."""
        return f"{self.title} – {self.subtitle(default_subtitle)}"
