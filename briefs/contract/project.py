"""A project folder: its data files, its profiles and the briefs they define.

`load_project` reads and validates every table at once and reports all problems together;
`load_brief` joins one profile with the tables into a `Brief` with its numbers computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefs.contract.countries import accepted_names
from briefs.contract.funding import funding_for, partly_inside, runs_text
from briefs.contract.model import Brief, Channel, Contribution, Donor
from briefs.contract.profiles import load_profile, split_front_matter
from briefs.contract.prose import check_stated_totals
from briefs.contract.spreadsheet import table_path
from briefs.contract.tables import (
    DONOR_CODE,
    load_channels,
    load_contributions,
    load_donors,
)
from briefs.errors import Collector, Problem, UserError, Warning_, display
from briefs.layout.loader import find_layout_file, unknown_layout

EDITION_FILE = re.compile(r"^(\d{4})\.md$")


@dataclass(frozen=True)
class Project:
    root: Path
    donors: dict[str, Donor]
    channels: dict[str, Channel]
    contributions: tuple[Contribution, ...]
    profiles: dict[str, dict[int, Path]]  # donor code -> edition -> file
    warnings: tuple[Warning_, ...] = ()  # about the shared tables: said once per command
    accepted_countries: frozenset[str] = frozenset()  # [countries] accept, in briefs.toml

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


def load_project(root: Path) -> Project:
    """Read and check data/; raises UserError listing every problem found."""
    root = root.resolve()
    problems = Collector()
    data = root / "data"
    if not data.is_dir():
        problems.add(display(data, root), "folder not found — run briefs in a project folder "
                     "(one holding data/), or pass --project DIR")
        problems.raise_if_any()
    donors = load_donors(table_path(data / "donors.csv"), problems, root)
    channels = load_channels(table_path(data / "channels.csv"), problems, root)
    rows = load_contributions(table_path(data / "contributions.csv"), problems, root, donors,
                              channels)
    profiles = _find_profiles(data / "profiles", donors, problems, root)
    problems.raise_if_any()
    return Project(root, donors, channels, tuple(rows), profiles, tuple(problems.warnings),
                   accepted_names(root))


def _find_profiles(folder: Path, donors: dict[str, Donor], problems: Collector,
                   root: Path) -> dict[str, dict[int, Path]]:
    found: dict[str, dict[int, Path]] = {}
    if not folder.is_dir():
        return found
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
            match = EDITION_FILE.match(file.name)
            if file.name.startswith("."):
                continue
            if not match:  # a right name that is not a file fails its own brief, when read
                problems.add(display(file, root), _misnamed(file.name))
                continue
            found.setdefault(sub.name, {})[int(match.group(1))] = file
    return found


def _misnamed(name: str) -> str:
    """Why a file in a donor's folder is not read, and the name it probably should have."""
    year = re.match(r"^(\d{4})", name)
    if year and name.lower() in (f"{year.group(1)}.md", f"{year.group(1)}.md.txt"):
        return f"is not used — a profile's file name is its edition year and '.md' in lower " \
            f"case: rename it to {year.group(1)}.md"
    if year:
        return f"is not used — a profile's file name must be its edition year, such as " \
            f"{year.group(1)}.md; keep other versions outside data/profiles"
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
               body: bool = True) -> tuple[Brief, str, Collector]:
    """The brief and the name of its layout; problems collected and raised together.

    With `body` False the profile's Markdown is not parsed (see `load_profile`).
    """
    problems = Collector()
    path = project.profiles[code][edition]
    name = project.name(path)
    profile = load_profile(path, code, name, problems, body=body,
                           accepted=project.accepted_countries)
    if profile is None:
        problems.raise_if_any()
        raise AssertionError("a profile that failed to load reported no problem")
    layout_name = layout or profile.layout
    if find_layout_file(layout_name, project.root) is None:
        problems.add(name, unknown_layout(layout_name, project.root),
                     line=profile.lines.get("layout") if layout is None else None,
                     field="layout")
    funding = funding_for(code, profile.period, list(project.contributions),
                          project.channels, problems, name,
                          project.name(table_path(project.data / "contributions.csv")),
                          profile.lines.get("period"))
    parts = split_front_matter(profile.source) if body else None
    if parts is not None:
        check_stated_totals(profile, funding, parts[1], parts[2], problems)
    has_contrib = not body or any(s.cls == "contributions" for s in profile.sections)
    if body and has_contrib and not funding.has_rows and not problems.problems:
        start, end = profile.period
        section = next(s for s in profile.sections if s.cls == "contributions")
        partly = partly_inside(code, profile.period, project.contributions)
        aside = f" (lines {runs_text([r.line for r in partly])} only partly overlap it, so " \
            "this brief does not use them)" if partly else ""
        problems.add(name, f"the {{.contributions}} section reports {start}–{end}, but "
                     f"data/contributions.csv has no row for {code} inside that period{aside} "
                     f"— add the figures for {start}–{end} (one row per channel and year, or "
                     "one per channel for the whole period) or change 'period'",
                     line=section.line)
    if not has_contrib:
        problems.warn(name, "has no {.contributions} section, so the brief shows no figures")
    if profile.period[1] > edition:
        problems.warn(name, f"the period ends in {profile.period[1]}, after the edition year "
                      f"{edition}")
    problems.raise_if_any()
    brief = Brief(project.donors[code], profile, funding, tuple(project.channels.values()))
    return brief, layout_name, problems
