"""Languages of a project: which profile is which language, and what a translation takes from
the tables.

The project's main language is `language` in briefs.toml (default `en`); `EDITION.md` is the
brief in that language and `EDITION.LANG.md` the same edition in another. A translation takes
the donor's name and the channels' labels from the columns with its suffix (`name_fr`,
`label_es`) and falls back to the main column with a warning, so a missing translation never
stops a build but is never silent either.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from briefs.contract.model import Block, ListBlock, Para, Profile, Quote, Run, Section, Subheading
from briefs.errors import Collector
from briefs.text import typography

DEFAULT_LANGUAGE = "en"
SETTINGS_FILE = "briefs.toml"

DONOR_TRANSLATED = ("name", "short_name")
CHANNEL_TRANSLATED = ("label", "description")


def main_language(root: Path, problems: Collector) -> str:
    """`language` at the top of briefs.toml, checked; `en` when the file or key is absent.

    A file that is not valid TOML is reported by the command that needs its other settings
    (`send`); here it only means the default.
    """
    from briefs.layout.loader import language_problem

    path = root / SETTINGS_FILE
    if not path.is_file():
        return DEFAULT_LANGUAGE
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_LANGUAGE
    value = data.get("language", DEFAULT_LANGUAGE)
    problem = language_problem(value) if isinstance(value, str) else \
        f"expected a language code such as \"fr\", got {value!r}"
    if problem:
        problems.add(SETTINGS_FILE, problem, field="language")
        return DEFAULT_LANGUAGE
    return value


T = TypeVar("T")


def translated(record: T, language: str, fields: Iterable[str], own: dict[str, str]
               ) -> tuple[T, list[str]]:
    """`record` with each of `fields` taken from its `FIELD_LANG` column when filled.

    Returns the record and the columns that were missing or empty where the main column has a
    value (the caller warns about them). `own` is the record's translated cells by column.
    """
    changes: dict[str, str] = {}
    missing: list[str] = []
    for name in fields:
        column = f"{name}_{language}"
        if own.get(column):
            changes[name] = own[column]
        elif getattr(record, name):
            missing.append(column)
    return replace(record, **changes), missing  # type: ignore[type-var]


def typeset_profile(profile: Profile, language: str) -> Profile:
    """The profile with the language's typography applied to every text it prints."""
    rule = typography(language)
    if rule is None:
        return profile

    def section(item: Section) -> Section:
        return replace(item, heading=rule(item.heading),
                       blocks=tuple(_typeset(b, rule) for b in item.blocks))

    return replace(profile, title=profile.title and rule(profile.title),
                   subtitle=profile.subtitle and rule(profile.subtitle),
                   intro=tuple(_typeset(b, rule) for b in profile.intro),
                   sections=tuple(map(section, profile.sections)))


def _typeset(item: Block, rule: Callable[[str], str]) -> Block:
    """A block with `rule` applied to its text (a function of the module: a nested one that
    calls itself, for lists in lists, is a reference cycle left to the collector)."""
    def runs(items: tuple[Run, ...]) -> tuple[Run, ...]:
        return tuple(replace(r, text=rule(r.text)) for r in items)

    if isinstance(item, Para):
        return Para(runs(item.runs))
    if isinstance(item, Subheading):
        return replace(item, text=rule(item.text))
    if isinstance(item, ListBlock):
        return replace(item, items=tuple(tuple(_typeset(b, rule) for b in entry)
                                         for entry in item.items))
    if isinstance(item, Quote):
        return Quote(tuple(Para(runs(p.runs)) for p in item.paras), runs(item.attribution))
    return item


def compare_translation(main: Profile, other: Profile, problems: Collector) -> None:
    """Warnings where a translation says something else than the main file's front matter:
    another period or layout, or a section class the main file has and it lacks."""
    name = other.name
    if other.period != main.period:
        problems.warn(name, f"period {list(other.period)} differs from {main.name}'s "
                      f"{list(main.period)} — a translation reports the same years",
                      line=other.lines.get("period"))
    if other.layout != main.layout:
        problems.warn(name, f"layout '{other.layout}' differs from {main.name}'s "
                      f"'{main.layout}'", line=other.lines.get("layout"))
    theirs = {s.cls for s in other.sections}
    for cls in dict.fromkeys(s.cls for s in main.sections if s.cls):
        if cls not in theirs:
            problems.warn(name, f"has no {{.{cls}}} section, which {main.name} has — "
                          "translate that section too")
