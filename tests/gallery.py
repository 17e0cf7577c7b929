"""The gallery of hard cases: synthetic donors that every layout must set well.

`write_gallery(root)` writes a project folder (data/ and two project layouts that extend the
built-in ones) whose donors cover what ordinary data holds and the sample does not: 1 to 12
funding channels; period totals and per-year rows over 3, 5, 15 and 60 years; a zero in a
channel; no contributions section; names from 4 to 80 characters; 0 to 40 partner countries
and long key partners; 0 to 8 stories with and without quotes; very long words and web
addresses; amounts from US$ 12,000 (in a channel) to US$ 2.4 billion. tests/test_gallery.py
builds every case and holds each page to the page inspection.

For a person to look at the whole gallery:

    python tests/gallery.py /tmp/gallery && briefs --project /tmp/gallery proof

The content is generated from fixed tables, never at random: the same gallery every run.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

EDITION = 2024
CHANNELS = [
    ("assessed", "Assessed contributions",
     "paid by all ILO member States by virtue of their membership, to the Regular Budget"),
    ("voluntary_core", "Voluntary core contributions",
     "un-earmarked funding to the Regular Budget Supplementary Account (RBSA)"),
    ("voluntary_earmarked", "Voluntary earmarked contributions",
     "non-core funding earmarked for specific themes or projects"),
    ("training", "International Training Centre", "courses and learning in Turin"),
    ("trust", "Multi-donor trust funds", ""),
    ("jpo", "Junior Professional Officers", "young professionals seconded to the ILO"),
    ("south_south", "South–South and triangular cooperation", ""),
    ("emergency", "Emergency response", "crisis and recovery programmes"),
    ("research", "Research partnerships", ""),
    ("secondments", "Secondments", "experts placed in ILO offices"),
    ("in_kind", "In-kind contributions", "premises, equipment and services"),
    ("cofinancing", "Co-financing of joint programmes", ""),
]
COUNTRIES = [
    "Azerbaijan", "Bangladesh", "Bolivia", "Cambodia", "Colombia", "Ethiopia", "Ghana",
    "Indonesia", "Mongolia", "Mozambique", "Myanmar", "Nepal", "Pakistan", "Paraguay", "Peru",
    "Philippines", "Rwanda", "Senegal", "Sri Lanka", "Uganda", "Uzbekistan", "Viet Nam",
    "Central African Republic", "Democratic Republic of the Congo", "Papua New Guinea",
    "Saint Vincent and the Grenadines", "Bosnia and Herzegovina", "Dominican Republic",
    "Trinidad and Tobago", "Timor-Leste", "Côte d'Ivoire", "Kyrgyzstan", "Madagascar",
    "Morocco", "Tunisia", "Jordan", "Lebanon", "Zambia", "Zimbabwe", "Sierra Leone",
]
PARTNERS = [
    "Federal Ministry for Economic Cooperation and Development (BMZ)",
    "Federal Ministry of Labour and Social Affairs",
    "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ) GmbH",
    "Confederation of Trade Unions",
    "National Employers’ Federation",
    "Agency for International Development Cooperation and Humanitarian Assistance",
]
SENTENCES = [
    "The partnership supports decent work in global supply chains and in the informal economy.",
    "Projects strengthen labour inspection, social dialogue and the protection of migrant "
    "workers.",
    "Constituents receive technical advice on employment policy, skills and social protection.",
    "Results are measured against the Decent Work Country Programmes agreed with the "
    "tripartite partners.",
    "Training of trainers has reached more than 1,200 officials across three regions.",
    "A new phase extends the work to green jobs and a just transition for workers and "
    "enterprises.",
]
LONG_WORD = "Lieferkettensorgfaltspflichtengesetz"
URL = "https://www.ilo.org/global/about-the-ilo/how-the-ilo-works/departments-and-offices/"


@dataclass(frozen=True)
class Case:
    """One gallery donor: what it exercises, and how its brief is made."""

    code: str
    name: str
    what: str
    layout: str = "factsheet"
    channels: int = 3
    years: int = 5  # the period's length
    yearly: bool = False  # per-year rows (else one row per channel for the period)
    top: float = 40e6  # the largest channel's amount over the period
    zero: bool = False  # the second channel is zero
    contributions: bool = True  # a {.contributions} section
    countries: int = 0
    partners: int = 0
    stories: int = 2
    quotes: bool = False
    long_words: bool = False


CASES = (
    # a total under US$ 50,000 is refused by design (amounts typed in millions); the smallest
    # amount the gallery prints is a channel's US$ 12,000 within a total of US$ 54,900
    Case("TCD", "Chad", "a 4-character name, a channel of US$ 12,000", channels=3, top=26.4e3,
         stories=0),
    Case("DEU", "Germany", "three channels' period totals, 30 partner countries, six stories "
         "with quotes, long German words", countries=30, partners=4, stories=6, quotes=True,
         long_words=True),
    Case("NOR", "Norway", "per-year figures over five years", yearly=True, layout="profile",
         partners=3),
    Case("GBR", "United Kingdom of Great Britain and Northern Ireland", "the full name, "
         "per-year rows over 15 years", yearly=True, years=15, countries=12),
    Case("G04", "Federal Republic of Examplestan", "four channels over US$ 100 million",
         channels=4, top=123.5e6, layout="profile"),
    Case("G05", "Grand Duchy of Longnameland", "five channels over US$ 1 billion", channels=5,
         top=1.852e9, layout="profile", countries=40, partners=6),
    Case("G08", "Principality of Eightchannels", "eight channels, per-year rows over 3 years",
         channels=8, yearly=True, years=3, stories=4),
    Case("G12", "The Plurinational and Multilateral Association of Twelve Funding Channels "
         "Donors", "an 80-character name, twelve channels, 60 years, US$ 2.4 billion",
         channels=12, yearly=True, years=60, top=2.4e9, layout="profile", stories=8,
         quotes=True),
    Case("G12F", "Twelve Channels in Columns", "twelve channels' period totals in the "
         "factsheet", channels=12, top=80e6, countries=6),
    Case("ZRO", "Zeroland", "a zero in a channel", zero=True, layout="profile"),
    Case("NOC", "The Nocontributia and Associated Territories of the Long-Named Federation "
         "Incl.", "no contributions section, an 80-character name in factsheet",
         contributions=False,
         countries=8, stories=3),
    Case("URL", "Republic of Addresses", "very long words and web addresses, 40 countries, "
         "eight stories", countries=40, partners=6, stories=8, quotes=True, long_words=True),
    Case("PFX", "Projectland", "a project layout extending factsheet, one channel",
         layout="gallery-factsheet", channels=1, stories=3, quotes=True),
    Case("PPX", "Projectlandia", "a project layout extending profile", layout="gallery-profile",
         yearly=True, stories=3, countries=10, partners=2),
)

PROJECT_LAYOUTS = {
    "gallery-factsheet": "extends: factsheet\ndescription: A project's own variant of "
                         "factsheet\npalette:\n  accent: \"#c8102e\"\nchart:\n  height: 44mm\n",
    "gallery-profile": "extends: profile\ndescription: A project's own variant of profile\n"
                       "lists:\n  partner_countries_columns: 3\n",
}


def _rows(case: Case) -> list[list[object]]:
    start, end = EDITION - case.years, EDITION - 1
    rows: list[list[object]] = []
    for index, (code, _, _) in enumerate(CHANNELS[:case.channels]):
        share = 1.0 / (1 + index * 0.6)
        amount = 0.0 if case.zero and index == 1 else round(case.top * share, -2)
        if case.yearly:
            for year in range(start, end + 1):
                wave = 0.6 + 0.4 * ((year * 7 + index * 3) % 10) / 9
                rows.append([case.code, year, year, code, round(amount / case.years * wave),
                             "", "gallery"])
        else:
            rows.append([case.code, start, end, code, round(amount), "", "gallery"])
    return rows


def _story(case: Case, number: int) -> str:
    lines = [f"## Programme {number + 1}: "
             + ("decent work in supply chains" if number % 2 else
                "skills, employment and social protection for workers in transition"), ""]
    for paragraph in range(1 + number % 3):
        text = " ".join(SENTENCES[(number + paragraph + k) % len(SENTENCES)] for k in range(3))
        if case.long_words and paragraph == 0:
            text += (f" The {LONG_WORD} of 2023 sets the rules; see {URL} for the "
                     "documents.")
        lines += [text, ""]
    if number % 2 == 0:
        lines += ["The programme's results so far:", "",
                  "- 24 labour inspectors trained;", "- a national action plan adopted;",
                  "- two sectoral agreements signed.", ""]
    if case.quotes and number % 2 == 1:
        lines += [f"> {SENTENCES[number % len(SENTENCES)]} It changed how we work.",
                  "> — A labour inspector, trained by the programme", ""]
    return "\n".join(lines)


def _profile(case: Case) -> str:
    front = [f"edition: {EDITION}", f"period: [{EDITION - case.years}, {EDITION - 1}]"]
    if case.layout != "factsheet":
        front.append(f"layout: {case.layout}")
    if case.countries:
        front.append("partner_countries:")
        front += [f"  - \"{c}\"" for c in COUNTRIES[:case.countries]]
    if case.partners:
        front.append("key_partners:")
        front += [f"  - \"{p}\"" for p in PARTNERS[:case.partners]]
    body = [f"{case.name} has been a member State of the ILO since 1948. "
            + " ".join(SENTENCES[:2]), ""]
    body += ["## Development cooperation at a glance {.box}", "",
             "- Member State of the ILO", "- A long-standing partner for decent work", ""]
    if case.countries:
        body += ["## Priority partner countries {.partner-countries}", "",
                 f"{case.name} concentrates its cooperation on these countries:", ""]
    if case.partners:
        body += ["## The ILO’s key partners {.key-partners}", "",
                 "The ILO works mainly with the following institutions:", ""]
    if case.contributions:
        body += [f"## {case.name}’s contributions to the ILO {{.contributions}}", "",
                 f"{case.name} finances the work of the ILO through the channels below.", ""]
    body += [_story(case, n) for n in range(case.stories)]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_gallery(root: Path) -> tuple[Case, ...]:
    """The gallery project in `root` (created); returns its cases."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    _csv(data / "donors.csv", ["code", "name", "short_name", "member_since"],
         [[c.code, c.name, "", 1948] for c in CASES])
    _csv(data / "channels.csv", ["code", "label", "description"], [list(c) for c in CHANNELS])
    _csv(data / "contributions.csv", ["donor", "start_year", "end_year", "channel",
                                      "amount_usd", "qualifier", "note"],
         [row for case in CASES for row in _rows(case)])
    for case in CASES:
        folder = data / "profiles" / case.code
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{EDITION}.md").write_text(_profile(case), encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir(exist_ok=True)
    for name, text in PROJECT_LAYOUTS.items():
        (layouts / f"{name}.yaml").write_text(text, encoding="utf-8")
    return CASES


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "gallery")
    write_gallery(target)
    print(f"wrote the gallery project in {target}; look at it with: "
          f"briefs --project {target} proof")
