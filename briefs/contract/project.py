"""A project folder: its data files, its profiles and the briefs they define.

`load_project` reads and validates every table at once and reports all problems together;
`load_brief` joins one profile with the tables into a `Brief` with its numbers computed.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from briefs.contract.countries import accepted_names
from briefs.contract.funding import funding_for, partly_inside, runs_text
from briefs.contract.languages import (
    CHANNEL_TRANSLATED,
    DEFAULT_LANGUAGE,
    DONOR_TRANSLATED,
    main_language,
    translated,
    typeset_profile,
)
from briefs.contract.model import Brief, Channel, Contribution, Donor, Funding, Profile
from briefs.contract.names import DONOR_CODE, PROFILE_FILE
from briefs.contract.profiles import load_profile, split_front_matter, with_body
from briefs.contract.prose import check_stated_totals
from briefs.contract.spreadsheet import table_path
from briefs.contract.tables import load_channels, load_contributions, load_donors
from briefs.errors import Collector, Problem, UserError, Warning_, display
from briefs.layout.loader import find_layout_file, unknown_layout


@dataclass(frozen=True)
class Project:
    root: Path
    donors: dict[str, Donor]
    channels: dict[str, Channel]
    contributions: tuple[Contribution, ...]
    profiles: dict[str, dict[int, Path]]  # donor code -> edition -> file (main language)
    warnings: tuple[Warning_, ...] = ()  # about the shared tables: said once per command
    accepted_countries: frozenset[str] = frozenset()  # [countries] accept, in briefs.toml
    language: str = DEFAULT_LANGUAGE  # the main language (briefs.toml `language`)
    # donor code -> edition -> language -> file, for EDITION.LANG.md
    translations: dict[str, dict[int, dict[str, Path]]] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def name(self, path: Path) -> str:
        return display(path, self.root)

    def editions(self, code: str) -> list[int]:
        return sorted(self.profiles.get(code, {}))

    @cached_property
    def _rows_by_donor(self) -> dict[str, tuple[Contribution, ...]]:
        by: dict[str, list[Contribution]] = {}
        for row in self.contributions:
            by.setdefault(row.donor, []).append(row)
        return {code: tuple(rows) for code, rows in by.items()}

    def rows_of(self, code: str) -> tuple[Contribution, ...]:
        """The donor's contribution rows, in the table's order. Indexed once per project: a
        run over N donors must not scan every donor's rows N times."""
        return self._rows_by_donor.get(code, ())

    def languages(self, code: str, edition: int) -> list[str]:
        """The languages an edition is written in: the main language first."""
        return [self.language, *sorted(self.translations.get(code, {}).get(edition, {}))]

    def profile_path(self, code: str, edition: int, language: str | None = None) -> Path:
        """The file of one brief: EDITION.md, or EDITION.LANG.md for a translation."""
        if language is None or language == self.language:
            return self.profiles[code][edition]
        return self.translations[code][edition][language]

    def suffix(self, language: str) -> str:
        """What a brief's file names carry for its language: '' for the main one, else it."""
        return "" if language == self.language else language


def load_project(root: Path) -> Project:
    """Read and check data/; raises UserError listing every problem found."""
    root = root.resolve()
    problems = Collector()
    data = root / "data"
    if not data.is_dir():
        problems.add(display(data, root), "folder not found — run briefs in a project folder "
                     "(one holding data/), or pass --project DIR")
        problems.raise_if_any()
    with _collector_paused():
        donors = load_donors(table_path(data / "donors.csv"), problems, root)
        channels = load_channels(table_path(data / "channels.csv"), problems, root)
        rows = load_contributions(table_path(data / "contributions.csv"), problems, root,
                                  donors, channels)
    language = main_language(root, problems)
    profiles, translations = _find_profiles(data / "profiles", donors, problems, root,
                                            language)
    problems.raise_if_any()
    return Project(root, donors, channels, tuple(rows), profiles, tuple(problems.warnings),
                   accepted_names(root), language, translations)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the tables are read: they make hundreds of
    thousands of small objects and no cycles, and the collector would scan them again and
    again (a third of the loading time of 2,000 donors). Back on after, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Translations = dict[str, dict[int, dict[str, Path]]]
"""donor code -> edition -> language -> the file EDITION.LANG.md"""


def _find_profiles(folder: Path, donors: dict[str, Donor], problems: Collector, root: Path,
                   main: str) -> tuple[dict[str, dict[int, Path]], Translations]:
    """The main-language profiles and the translations, by donor and edition."""
    found: dict[str, dict[int, Path]] = {}
    others: Translations = {}
    if not folder.is_dir():
        return found, others
    for sub in sorted(folder.iterdir()):
        if sub.name.startswith("."):
            continue
        if not sub.is_dir():
            problems.add(display(sub, root), "is not used — a profile goes in the folder of "
                         "its donor: data/profiles/CODE/YEAR.md, such as "
                         "data/profiles/KOR/2017.md")
            continue
        if not DONOR_CODE.match(sub.name):
            problems.add(display(sub, root), f"'{sub.name}' is not a donor code — name each "
                         "folder after a code in donors.csv, such as KOR")
            continue
        if donors and sub.name not in donors:
            problems.add(display(sub, root), f"no donor '{sub.name}' in data/donors.csv — add "
                         "a row for it or rename the folder")
            continue
        for file in sorted(sub.iterdir()):
            match = PROFILE_FILE.match(file.name)
            if file.name.startswith("."):
                continue
            if not match:  # a right name that is not a file fails its own brief, when read
                problems.add(display(file, root), _misnamed(file.name))
                continue
            year, language = int(match.group(1)), match.group(2)
            if language == main:
                problems.add(display(file, root), f"'{language}' is the project's main "
                             f"language (briefs.toml) — name this file {year}.md")
            elif language:
                others.setdefault(sub.name, {}).setdefault(year, {})[language] = file
            else:
                found.setdefault(sub.name, {})[year] = file
    for code, editions in others.items():
        for year, files in editions.items():
            if year not in found.get(code, {}):
                first = next(iter(files.values()))
                problems.add(display(first, root), f"is a translation of {year}.md, which "
                             f"does not exist — add data/profiles/{code}/{year}.md in the "
                             "project's main language")
    return found, others


def _misnamed(name: str) -> str:
    """Why a file in a donor's folder is not read, and the name it probably should have."""
    year = re.match(r"^(\d{4})", name)
    if year and name.lower() in (f"{year.group(1)}.md", f"{year.group(1)}.md.txt"):
        return f"is not used — a profile's file name is its edition year and '.md' in lower " \
            f"case: rename it to {year.group(1)}.md"
    if year:
        return f"is not used — a profile's file name must be its edition year, such as " \
            f"{year.group(1)}.md, or {year.group(1)}.fr.md for another language; keep other " \
            "versions outside data/profiles"
    return "is not used — a profile's file name must be its edition year, such as 2017.md; " \
        "keep other files outside data/profiles"


def select(project: Project, codes: tuple[str, ...], edition: int | None,
           built: set[tuple[str, int]] | None = None) -> list[tuple[str, int]]:
    """Which briefs a command works on.

    Without --edition: each donor's newest edition, plus older editions never built yet, so
    a fresh checkout builds every edition once while the yearly run leaves archived editions
    as they were sent. With `built` None, every edition (what `check` looks at).
    """
    problems = Collector()
    for code in codes:
        if code not in project.donors:
            problems.add("data/donors.csv", f"no donor '{code}' — the donors are: "
                         f"{', '.join(project.donors) or 'none'}")
        elif not project.editions(code):
            problems.add(f"data/profiles/{code}", "no profile — create "
                         f"data/profiles/{code}/YEAR.md")
        elif edition is not None and edition not in project.profiles[code]:
            problems.add(f"data/profiles/{code}/{edition}.md", "file not found — the "
                         f"editions of {code} are: "
                         f"{', '.join(map(str, project.editions(code)))}")
    problems.raise_if_any()
    chosen = []
    for code in codes or tuple(sorted(project.profiles)):
        editions = project.editions(code)
        if edition is not None:
            if edition in editions:
                chosen.append((code, edition))
            continue
        newest = editions[-1]
        for year in editions[:-1]:
            if built is None or (code, year) not in built:
                chosen.append((code, year))
        chosen.append((code, newest))
    if not chosen and edition is not None:
        raise UserError([Problem("data/profiles", f"no profile for edition {edition} — "
                                 "create data/profiles/CODE/{edition}.md")])
    return chosen


def load_brief(project: Project, code: str, edition: int, layout: str | None = None,
               body: bool = True, language: str | None = None) -> tuple[Brief, str, Collector]:
    """The brief and the name of its layout; problems collected and raised together.

    With `body` False the profile's Markdown is not parsed (see `load_profile`). `language`
    picks a translation (EDITION.LANG.md); None or the main language, EDITION.md.
    """
    problems = Collector()
    language = language or project.language
    path = project.profile_path(code, edition, language)
    name = project.name(path)
    profile = load_profile(path, code, name, problems, body=body,
                           accepted=project.accepted_countries, language=language)
    if profile is None:
        problems.raise_if_any()
        raise AssertionError("a profile that failed to load reported no problem")
    layout_name = layout or profile.layout
    if find_layout_file(layout_name, project.root) is None:
        problems.add(name, unknown_layout(layout_name, project.root),
                     line=profile.lines.get("layout") if layout is None else None,
                     field="layout")
    funding = funding_for(code, profile.period, project.rows_of(code),
                          project.channels, problems, name,
                          project.name(table_path(project.data / "contributions.csv")),
                          profile.lines.get("period"))
    if not body and not funding.has_rows:  # its message names rows: see _check_body
        profile = with_body(profile, problems)
    profile = typeset_profile(replace(profile, language=project.suffix(language)), language)
    if profile.parsed:
        partly = partly_inside(code, profile.period, project.rows_of(code))
        _check_body(profile, funding, [r.line for r in partly], problems)
    if profile.period[1] > edition:
        problems.warn(name, f"the period ends in {profile.period[1]}, after the edition year "
                      f"{edition}")
    problems.raise_if_any()
    donor, channels = _in_language(project, code, language, name, problems)
    by_code = {c.code: c for c in channels}
    funding = replace(funding, channels=tuple(replace(c, channel=by_code[c.channel.code])
                                              for c in funding.channels))
    brief = Brief(donor, profile, funding, channels, language)
    return brief, layout_name, problems


def _check_body(profile: Profile, funding: Funding, partly: list[int],
                problems: Collector) -> None:
    """What only the Markdown tells: totals stated in the prose, a contributions section
    that has no rows (`partly`: the lines of rows that only partly overlap the period), a
    brief without one. The rules for a brief read whole and for one completed later.

    A brief with no rows is always read whole by `load_brief`, so `complete_brief`, which
    knows no table, never needs `partly`.
    """
    parts = split_front_matter(profile.source)
    if parts is not None:
        check_stated_totals(profile, funding, parts[1], parts[2], problems)
    section = next((s for s in profile.sections if s.cls == "contributions"), None)
    if section is not None and not funding.has_rows and not problems.problems:
        start, end = profile.period
        aside = f" (lines {runs_text(partly)} only partly overlap it, so this brief does " \
            "not use them)" if partly else ""
        problems.add(profile.name, f"the {{.contributions}} section reports {start}–{end}, but "
                     f"data/contributions.csv has no row for {profile.donor} inside that period"
                     f"{aside} — add the figures for {start}–{end} (one row per channel and "
                     "year, or one per channel for the whole period) or change 'period'",
                     line=section.line)
    if section is None:
        problems.warn(profile.name, "has no {.contributions} section, so the brief shows no "
                      "figures")


def complete_brief(brief: Brief) -> tuple[Brief, Collector]:
    """A brief planned from its front matter (`load_brief` with `body` False), with its
    Markdown parsed and checked; raises UserError for a mistake in it. Run by the worker that
    draws the brief, so a build's parent never holds every brief's parsed text."""
    problems = Collector()
    parsed = with_body(brief.profile, problems)  # title and subtitle are typeset already
    typeset = typeset_profile(replace(parsed, title=None, subtitle=None), brief.language)
    profile = replace(parsed, intro=typeset.intro, sections=typeset.sections)
    _check_body(profile, brief.funding, [], problems)
    problems.raise_if_any()
    return replace(brief, profile=profile), problems


def _in_language(project: Project, code: str, language: str, name: str,
                 problems: Collector) -> tuple[Donor, tuple[Channel, ...]]:
    """The donor and the channels with their names in `language`: the translated columns of
    donors.csv and channels.csv, each missing one a warning naming the column."""
    donor, channels = project.donors[code], tuple(project.channels.values())
    if language == project.language:
        return donor, channels
    own = dict(donor.translated)
    if donor.short_name == donor.name:  # no short name: it is the name, in every language
        own[f"short_name_{language}"] = own.get(f"name_{language}", "")
    donor, missing = translated(donor, language, DONOR_TRANSLATED, own)
    for column in missing:
        problems.warn(name, f"data/donors.csv has no {column} for {code} — the {language} "
                      f"brief prints the main column's text; add a column {column}")
    out = []
    for channel in channels:
        channel, missing = translated(channel, language, CHANNEL_TRANSLATED,
                                      dict(channel.translated))
        out.append(channel)
        for column in missing:
            problems.warn(name, f"data/channels.csv has no {column} for '{channel.code}' — "
                          f"the {language} brief prints the main column's text; add a "
                          f"column {column}")
    return donor, tuple(out)
