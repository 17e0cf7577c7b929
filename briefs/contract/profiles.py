"""Reading `profiles/CODE/EDITION.md`: YAML front matter, then CommonMark.

The front matter is read and checked here; the body is parsed by `briefs.contract.markdown`
into the small block model of `briefs.contract.model`. Nothing here knows about ReportLab.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from briefs import safe_yaml
from briefs.contract.markdown import parse_body
from briefs.contract.model import (
    Profile,
)
from briefs.contract.profilechecks import (
    warn_empty_lists,
    why_no_front_matter,
)
from briefs.errors import Collector
from briefs.safe_files import FileProblem, read_regular
from briefs.safe_yaml import excerpt
from briefs.text import did_you_mean

FRONT_MATTER_KEYS = ("edition", "layout", "title", "subtitle", "period", "partner_countries",
                     "key_partners")
DEFAULT_LAYOUT = "factsheet"


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first line), or None without front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def _read_front(front: str) -> tuple[object, dict[str, int], dict[str, list[int]]]:
    """The front matter's value, the line of each top-level key and of each list item.

    Parsed once into a node tree: the lines come from its marks, the value is constructed
    from it. Raises yaml.YAMLError, or YamlProblem for an alias or a repeated key.
    """
    node = safe_yaml.compose(front, fast=True)
    if node is None:
        return None, {}, {}
    value = safe_yaml.construct(node)
    keys: dict[str, int] = {}
    items: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            keys[str(key.value)] = key.start_mark.line + 2
            if isinstance(child, yaml.SequenceNode):
                items[str(key.value)] = [i.start_mark.line + 2 for i in child.value]
    return value, keys, items


def front_matter_lines(front: str) -> tuple[dict, dict[str, int]]:
    """The front matter as a mapping (empty when it is not one) and each key's line."""
    try:
        value, lines, _ = _read_front(front)
    except (yaml.YAMLError, safe_yaml.YamlProblem):
        return {}, {}
    return (value if isinstance(value, dict) else {}), lines


def _read_text(path: Path, name: str, problems: Collector) -> str | None:
    """The profile's text with LF line ends: only a regular file of a sane size, in UTF-8."""
    try:
        raw = read_regular(path)
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except FileProblem as exc:
        problems.add(name, str(exc))
    except UnicodeDecodeError as exc:
        problems.add(name, "is not UTF-8 — save it as UTF-8 in your editor",
                     line=raw[: exc.start].count(b"\n") + 1)
    return None


def load_profile(path: Path, donor: str, name: str, problems: Collector,
                 body: bool = True, accepted: frozenset[str] = frozenset(),
                 language: str = "en") -> Profile | None:
    """Parse one profile; problems are collected, None when it cannot be used.

    With `body` False the Markdown is not parsed (intro and sections stay empty): enough to
    tell whether an existing PDF is still current, which is most briefs of a yearly run.
    """
    text = _read_text(path, name, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.add(name, *why_no_front_matter(text))
        return None
    front, text_body, body_line = parts
    try:
        meta, lines, items = _read_front(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        problems.add(name, f"front matter is not valid YAML: {what}", line=line)
        return None
    except safe_yaml.YamlProblem as exc:
        problems.add(name, exc.text(2), line=exc.line + 2, field=exc.key or None)
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.add(name, "front matter must be a set of 'key: value' lines, such as "
                     "'edition: 2017'", line=2)
        return None
    before = len(problems.problems)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            hint = did_you_mean(str(key), FRONT_MATTER_KEYS,
                                otherwise=f" — the keys are: {', '.join(FRONT_MATTER_KEYS)}")
            problems.add(name, f"unknown key '{key}'{hint}", line=lines.get(str(key)))
    edition = _edition(meta, path, name, lines, problems)
    period = _period(meta, edition, name, lines, problems)
    layout = _text(meta, "layout", name, lines, problems) or DEFAULT_LAYOUT
    title = _text(meta, "title", name, lines, problems)
    subtitle = _text(meta, "subtitle", name, lines, problems)
    partners = _text_list(meta, "partner_countries", name, lines, problems, front)
    key_partners = _text_list(meta, "key_partners", name, lines, problems, front)
    _warn_countries(partners, items.get("partner_countries", []),
                    lines.get("partner_countries"), name, problems, accepted, language)
    intro, sections = parse_body(text_body, body_line, name, problems) if body else ((), ())
    warn_empty_lists(sections, {"partner-countries": partners, "key-partners": key_partners},
                      name, problems)
    if len(problems.problems) > before or edition is None or period is None:
        return None
    return Profile(donor=donor, edition=edition, path=path, layout=layout, title=title,
                   subtitle=subtitle, period=period, partner_countries=partners,
                   key_partners=key_partners, intro=intro, sections=sections, source=text,
                   name=name, lines=lines, parsed=body)


def with_body(profile: Profile, problems: Collector) -> Profile:
    """The profile with its Markdown parsed, from a profile read with `body` False.

    The text is the one read then (`source`), not the file read again: the brief drawn is the
    brief whose inputs were hashed. Used by a build's worker, so the run's parent reads front
    matter only.
    """
    from dataclasses import replace

    parts = split_front_matter(profile.source)
    if parts is None:
        raise AssertionError("a profile read without its body had no front matter")
    _, text_body, body_line = parts
    intro, sections = parse_body(text_body, body_line, profile.name, problems)
    return replace(profile, intro=intro, sections=sections, parsed=True)


def _warn_countries(names: tuple[str, ...], item_lines: list[int], key_line: int | None,
                    name: str, problems: Collector, accepted: frozenset[str],
                    language: str = "en") -> None:
    from briefs.contract.countries import unrecognised

    for index, country in enumerate(names):
        hint = unrecognised(country, accepted, language)
        if hint:
            line = item_lines[index] if index < len(item_lines) else key_line
            problems.warn(name, f"partner_countries: '{country}' is not a country name we "
                          f"recognise{hint}", line=line)


def _edition(meta: dict, path: Path, name: str, lines: dict[str, int],
             problems: Collector) -> int | None:
    value = meta.get("edition")
    if value is None:
        year = path.name.split(".")[0]
        problems.add(name, f"missing key 'edition' — add 'edition: {year}' to the front "
                     "matter", line=2)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, f"'{value}' is not a year — write four digits such as 2017",
                     line=lines.get("edition"), field="edition")
        return None
    year, _, rest = path.name.partition(".")
    if str(value) != year:
        problems.add(name, f"{value} does not match the file name {path.name} — rename the "
                     f"file to {value}.{rest} or set 'edition: {year}'",
                     line=lines.get("edition"), field="edition")
        return None
    return value


def _period(meta: dict, edition: int | None, name: str, lines: dict[str, int],
            problems: Collector) -> tuple[int, int] | None:
    value = meta.get("period")
    if value is None:
        return None if edition is None else (edition - 5, edition - 1)
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 9999
                  for v in value))
    if not ok:
        problems.add(name, f"{excerpt(value)} is not a period — write two years: [2012, 2016]",
                     line=lines.get("period"), field="period")
        return None
    start, end = value
    if end < start:
        problems.add(name, f"ends ({end}) before it starts ({start}) — write [start, end]",
                     line=lines.get("period"), field="period")
        return None
    return start, end


def _text(meta: dict, key: str, name: str, lines: dict[str, int],
          problems: Collector) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(name, f"{excerpt(value)} is not text — write it on one line after '{key}:'",
                     line=lines.get(key), field=key)
        return None
    return value.strip()


def _text_list(meta: dict, key: str, name: str, lines: dict[str, int],
               problems: Collector, front: str = "") -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and len(item) == 1 and \
                    f"- {next(iter(item))}: " in front:
                [(head, tail)] = item.items()
                problems.add(name, f"the item '{head}: {tail}' reads as 'key: value' because "
                             "of the ': ' in it — put the name in quotes: "
                             f"- \"{head}: {tail}\"", line=lines.get(key), field=key)
                return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(name, "must be a list of names, one per line starting with '- ', "
                     "or [Name, Name]", line=lines.get(key), field=key)
        return ()
    return tuple(v.strip() for v in value)
