"""Starting next year's profile from the newest one (`briefs new-edition`).

Each year an officer appends the new figures, copies last year's profile and edits it, checks,
builds, looks and sends. This is the copying, done so that only `edition` and `period` change
and the officer is told what to edit; it raises UserError and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from briefs import safe_yaml
from briefs.build.store import write_atomic
from briefs.contract.funding import partly_inside, rows_used, runs_text
from briefs.contract.markdown import parse_body
from briefs.contract.model import Section
from briefs.contract.profiles import front_matter_lines, split_front_matter
from briefs.contract.project import Project, load_project
from briefs.errors import Collector, Problem, UserError
from briefs.safe_files import FileProblem, read_regular
from briefs.text import did_you_mean, noun, plural
from briefs.text import period as years

CONTRIBUTIONS = "data/contributions.csv"
DONORS = "data/donors.csv"


# --- helpers shared by the commands --------------------------------------------------------

def donor_editions(project: Project, code: str) -> list[int]:
    """The donor's editions, oldest first; a UserError says what to do when there are none."""
    if code not in project.donors:
        hint = did_you_mean(code, project.donors,
                            otherwise=f" — the donors are: {', '.join(project.donors) or 'none'}")
        raise UserError([Problem(DONORS, f"no donor '{code}'{hint}")])
    editions = project.editions(code)
    if not editions:
        raise UserError([Problem(f"data/profiles/{code}", "no profile yet — write the first "
                                 f"edition by hand as data/profiles/{code}/YEAR.md (see the "
                                 "data contract), then start later editions from it")])
    return editions


# --- new-edition -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NewEdition:
    """What `new_edition` wrote and what the officer should edit in it now."""

    path: Path
    source: Path
    edition: int
    period: tuple[int, int]
    hints: tuple[str, ...] = ()
    # the same edition started in each other language the newest edition has
    translations: tuple[NewEdition, ...] = ()


def new_edition(root: Path, code: str, year: int) -> NewEdition:
    """Start `data/profiles/CODE/YEAR.md` as a copy of the donor's newest profile, and
    `YEAR.LANG.md` from each translation of it.

    Only `edition` and `period` change, and they are changed in the text, so the officer's
    comments, key order and every byte of the body survive; the hints list what still has to
    be updated by hand, because a copied profile otherwise looks finished when it is not.
    Every file is prepared before any is written: a mistake in one writes none.
    """
    project = load_project(root)
    editions = donor_editions(project, code)
    if not 1000 <= year <= 9999:
        name = project.name(project.data / "profiles" / code / f"{year}.md")
        raise UserError([Problem(name, f"'{year}' is not a year — give four digits, such "
                                 "as 2024")])
    newest = editions[-1]
    period = (year - 5, year - 1)
    prepared = [_prepare(project, code, year, newest, language, period)
                for language in project.languages(code, newest)]
    for target, _, data in prepared:
        write_atomic(target, data)
    results = [NewEdition(target, source, year, period,
                          tuple(_hints(project, code, target, data.decode("utf-8-sig")
                                       .replace("\r\n", "\n"), period)))
               for target, source, data in prepared]
    # the figures are the same in every language: said once, with the main file
    results[1:] = [replace(r, hints=tuple(h for h in r.hints
                                          if h.startswith(project.name(r.path))))
                   for r in results[1:]]
    return replace(results[0], translations=tuple(results[1:]))


def _prepare(project: Project, code: str, year: int, newest: int, language: str,
             period: tuple[int, int]) -> tuple[Path, Path, bytes]:
    """The new file of one language, its source and its bytes; nothing is written."""
    suffix = project.suffix(language)
    target = project.data / "profiles" / code / f"{year}{f'.{suffix}' if suffix else ''}.md"
    name = project.name(target)
    if target.exists():
        raise UserError([Problem(name, "already exists — edit it, or delete it to start "
                                 "again from the previous edition")])
    source = project.profile_path(code, newest, language)
    source_name = project.name(source)
    if year <= newest:
        raise UserError([Problem(source_name, f"{year} is not after the newest edition "
                                 f"{newest} — a new edition starts from the newest one, so "
                                 f"give a later year such as {newest + 1}")])
    try:
        raw = read_regular(source)
        text = raw.decode("utf-8-sig")
    except FileProblem as exc:
        raise UserError([Problem(source_name, str(exc))]) from exc
    except UnicodeDecodeError as exc:
        raise UserError([Problem(source_name, "is not UTF-8 — save it as UTF-8 in your "
                                 "editor", line=raw[: exc.start].count(b"\n") + 1)]) from exc
    new_text = _set_edition_and_period(text, year, period, source_name)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    return target, source, bom + new_text.encode("utf-8")


def _set_edition_and_period(text: str, year: int, period: tuple[int, int],
                            source_name: str) -> str:
    """`text` with `edition` and `period` set, edited in place so nothing else moves."""
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if not lines or lines[0].strip() != "---" or end is None:
        raise UserError([Problem(source_name, "has no front matter — start the file with a "
                                 "line '---', then 'edition: YEAR', then another '---'",
                                 line=1)])
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    front = "".join(lines[1:end])
    try:
        node = safe_yaml.compose(front)
    except safe_yaml.YamlProblem as exc:
        raise UserError([Problem(source_name, f"{exc.text(2)} — fix it before starting a "
                                 "new edition from it", line=exc.line + 2,
                                 field=exc.key or None)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError([Problem(source_name, "front matter is not valid YAML: "
                                 f"{getattr(exc, 'problem', None) or exc} — fix it before "
                                 "starting a new edition from it",
                                 line=mark.line + 2 if mark is not None else None)]) from exc
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise UserError([Problem(source_name, "front matter must be a set of 'key: value' "
                                 "lines — fix it before starting a new edition from it",
                                 line=2)])
    start, stop = period
    edits: list[tuple[int, int, str]] = []  # (from, to, replacement) in `front`
    after_edition = 0
    has_period = False
    for key, value in node.value if node is not None else []:
        if key.value == "edition":
            edits.append((value.start_mark.index, value.end_mark.index, str(year)))
            line_end = front.find("\n", value.end_mark.index)
            after_edition = len(front) if line_end < 0 else line_end + 1
        elif key.value == "period":
            has_period = True
            items = value.value if isinstance(value, yaml.SequenceNode) else []
            if len(items) == 2 and all(isinstance(i, yaml.ScalarNode) for i in items):
                for item, new in zip(items, period, strict=True):
                    edits.append((item.start_mark.index, item.end_mark.index, str(new)))
            else:
                edits.append((value.start_mark.index, value.end_mark.index,
                              f"[{start}, {stop}]"))
    inserted = ""
    if not _has_key(node, "edition"):
        inserted += f"edition: {year}{newline}"
    if not has_period:
        inserted += f"period: [{start}, {stop}]{newline}"
    if inserted:
        edits.append((after_edition, after_edition, inserted))
    for begin, finish, new in sorted(edits, key=lambda e: e[0], reverse=True):
        front = front[:begin] + new + front[finish:]
    meta = yaml.safe_load(front) or {}
    if meta.get("edition") != year or meta.get("period") != [start, stop]:
        raise UserError([Problem(source_name, "could not set 'edition' and 'period' in a copy "
                                 "of this file — copy it by hand and set 'edition: "
                                 f"{year}' and 'period: [{start}, {stop}]'", line=2)])
    return lines[0] + front + "".join(lines[end:])


def _has_key(node: Any, key: str) -> bool:
    return node is not None and any(k.value == key for k, _ in node.value)


def _hints(project: Project, code: str, target: Path, text: str,
           period: tuple[int, int]) -> list[str]:
    """What a copied profile still needs, in the order of the yearly work."""
    hints = _figure_hints(project, code, target, period)
    name = project.name(target)
    parts = split_front_matter(text)
    if parts is None:  # cannot happen: the text was just written with front matter
        return hints
    front, body, body_line = parts
    intro_offset = next((i for i, line in enumerate(body.split("\n")) if line.strip()), None)
    _, sections = parse_body(body, body_line, name, Collector())
    if intro_offset is not None and (not sections or body_line + intro_offset
                                     < sections[0].line):
        hints.append(f"{name}:{body_line + intro_offset}: review the introduction")
    for section in sections:
        hints.append(f"{name}:{section.line}: {_section_hint(section)}")
    meta, lines = front_matter_lines(front)
    classes = {s.cls for s in sections}
    for key, cls in (("partner_countries", "partner-countries"),
                     ("key_partners", "key-partners")):
        value = meta.get(key)
        if isinstance(value, list):
            hints.append(f"{name}:{lines.get(key, 2)}: check {key} ({plural(len(value), 'name')})"
                         " — still the right ones?")
        elif cls in classes:
            hints.append(f"{name}: {key}: none listed, so the {{.{cls}}} section prints only "
                         f"its text — add a '{key}:' list if it should print names")
    return hints


def _section_hint(section: Section) -> str:
    heading = f"'{section.heading}'"
    if section.cls is None:
        return f"review the story {heading}"
    if section.cls == "box":
        return f"review the box {heading}"
    if section.cls == "contributions":
        return (f"review the text of {heading} {{.contributions}} (its figures come from "
                f"{CONTRIBUTIONS})")
    return f"review the text of {heading} {{.{section.cls}}}"


def _figure_hints(project: Project, code: str, target: Path,
                  period: tuple[int, int]) -> list[str]:
    mine = project.rows_of(code)
    inside = rows_used(code, period, mine)
    partly = partly_inside(code, period, mine)
    hints = []
    if inside:
        lines = runs_text([r.line for r in inside])
        hints.append(f"{CONTRIBUTIONS}: has {plural(len(inside), 'row')} for {code} inside "
                     f"{years(period)} ({noun(len(inside), 'line')} {lines}) — check "
                     "that the figures are complete and final")
    else:
        hints.append(f"{CONTRIBUTIONS}: has no rows for {code} inside {years(period)} yet — "
                     "append the figures for the new period (US dollars; one row per channel "
                     "and year, or per channel for the whole period)")
    for row in partly:
        hints.append(f"{CONTRIBUTIONS}:{row.line}: the row {row.channel} "
                     f"{years((row.start_year, row.end_year))} only partly covers "
                     f"{years(period)}, so the brief does not use it (it stays for the "
                     "editions whose period holds it)")
    return hints
