"""The yearly cycle: start next year's profile, compare editions, see what is built, start afresh.

Each year an officer appends the new figures, copies last year's profile and edits it, checks,
builds, looks and sends. These functions do the parts of that cycle that are bookkeeping rather
than writing: they raise UserError for a user's mistake and never print, so the CLI (and any
Python caller) decides how to show the results.
"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Collector, Problem, UserError
from .funding import funding_for
from .model import ChannelAmount, Profile, Section
from .output import is_current, read_manifest, write_atomic
from .profiles import front_matter_lines, load_profile, parse_body, split_front_matter
from .project import Project, load_brief, load_project

CONTRIBUTIONS = "data/contributions.csv"
DONORS = "data/donors.csv"


# --- helpers shared by the commands --------------------------------------------------------

def _donor_with_profiles(project: Project, code: str) -> list[int]:
    """The donor's editions, oldest first; a UserError says what to do when there are none."""
    if code not in project.donors:
        near = difflib.get_close_matches(code, list(project.donors), n=1)
        hint = f" — did you mean '{near[0]}'?" if near else \
            f" — the donors are: {', '.join(project.donors) or 'none'}"
        raise UserError([Problem(DONORS, f"no donor '{code}'{hint}")])
    editions = project.editions(code)
    if not editions:
        raise UserError([Problem(f"data/profiles/{code}", "no profile yet — write the first "
                                 f"edition by hand as data/profiles/{code}/YEAR.md (see the "
                                 "data contract), then start later editions from it")])
    return editions


def _years(period: tuple[int, int]) -> str:
    start, end = period
    return str(start) if start == end else f"{start}–{end}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- new-edition -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NewEdition:
    """What `new_edition` wrote and what the officer should edit in it now."""

    path: Path
    source: Path
    edition: int
    period: tuple[int, int]
    hints: tuple[str, ...] = ()


def new_edition(root: Path, code: str, year: int) -> NewEdition:
    """Start `data/profiles/CODE/YEAR.md` as a copy of the donor's newest profile.

    Only `edition` and `period` change, and they are changed in the text, so the officer's
    comments, key order and every byte of the body survive; the hints list what still has to
    be updated by hand, because a copied profile otherwise looks finished when it is not.
    """
    project = load_project(root)
    editions = _donor_with_profiles(project, code)
    target = project.data / "profiles" / code / f"{year}.md"
    name = project.name(target)
    if target.exists():
        raise UserError([Problem(name, "already exists — edit it, or delete it to start "
                                 "again from the previous edition")])
    if not 1000 <= year <= 9999:
        raise UserError([Problem(name, f"'{year}' is not a year — give four digits, such "
                                 "as 2024")])
    newest = editions[-1]
    source = project.profiles[code][newest]
    source_name = project.name(source)
    if year <= newest:
        raise UserError([Problem(source_name, f"{year} is not after the newest edition "
                                 f"{newest} — a new edition starts from the newest one, so "
                                 f"give a later year such as {newest + 1}")])
    period = (year - 5, year - 1)
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError([Problem(source_name, "is not UTF-8 — save it as UTF-8 in your "
                                 "editor", line=raw[: exc.start].count(b"\n") + 1)]) from exc
    new_text = _set_edition_and_period(text, year, period, source_name)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    write_atomic(target, bom + new_text.encode("utf-8"))
    hints = _hints(project, code, target, new_text.replace("\r\n", "\n"), period)
    return NewEdition(target, source, year, period, tuple(hints))


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
        node = yaml.compose(front, Loader=yaml.SafeLoader)
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
            hints.append(f"{name}:{lines.get(key, 2)}: check {key} ({_plural(len(value), 'name')})"
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
    start, end = period
    rows = [r for r in project.contributions if r.donor == code]
    inside = [r for r in rows if r.start_year >= start and r.end_year <= end]
    partly = [r for r in rows if not (r.start_year >= start and r.end_year <= end)
              and r.end_year >= start and r.start_year <= end]
    hints = []
    if inside:
        lines = _runs([r.line for r in inside])
        hints.append(f"{CONTRIBUTIONS}: has {_plural(len(inside), 'row')} for {code} inside "
                     f"{_years(period)} (line{'s' if len(inside) > 1 else ''} {lines}) — check "
                     "that the figures are complete and final")
    else:
        hints.append(f"{CONTRIBUTIONS}: has no rows for {code} inside {_years(period)} yet — "
                     "append the figures for the new period (US dollars; one row per channel "
                     "and year, or per channel for the whole period)")
    for row in partly:
        hints.append(f"{CONTRIBUTIONS}:{row.line}: the row {row.channel} "
                     f"{_years((row.start_year, row.end_year))} only partly covers "
                     f"{_years(period)}, so the brief cannot use it and check will report it "
                     "— split it into one row per year, or change 'period' in "
                     f"{project.name(target)}")
    return hints


def _runs(numbers: list[int]) -> str:
    """Line numbers with consecutive runs joined: 2, 6–15."""
    parts: list[str] = []
    for number in sorted(numbers):
        if parts and parts[-1].rsplit("–", 1)[-1] == str(number - 1):
            parts[-1] = f"{parts[-1].split('–')[0]}–{number}"
        else:
            parts.append(str(number))
    return ", ".join(parts)


# --- diff ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AmountChange:
    """One funding channel (or the total) in two editions; amounts in US dollars."""

    channel: str
    label: str
    old: float | None
    new: float | None
    old_qualifier: str = ""
    new_qualifier: str = ""

    @property
    def change_percent(self) -> float | None:
        """None when either amount is missing or the old one is 0: no meaningful ratio."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old * 100

    def to_json(self) -> dict[str, Any]:
        change = self.change_percent
        return {"channel": self.channel, "label": self.label, "from": self.old,
                "to": self.new, "from_qualifier": self.old_qualifier,
                "to_qualifier": self.new_qualifier,
                "change_percent": None if change is None else round(change, 1)}


@dataclass(frozen=True)
class ListChange:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"added": list(self.added), "removed": list(self.removed)}


@dataclass(frozen=True)
class SectionRef:
    heading: str
    cls: str | None
    old_cls: str | None = None  # for an edited section whose class changed

    def label(self) -> str:
        cls = f" {{.{self.cls}}}" if self.cls else ""
        if self.old_cls != self.cls and self.old_cls is not None:
            return f"{self.heading}{cls} (was {{.{self.old_cls}}})"
        return self.heading + cls

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"heading": self.heading, "class": self.cls}
        if self.old_cls != self.cls:
            data["class_from"] = self.old_cls
        return data


@dataclass(frozen=True)
class EditionDiff:
    """What changed between two editions of one donor's profile, and in their figures."""

    code: str
    old_edition: int
    new_edition: int
    old_file: str
    new_file: str
    settings: tuple[tuple[str, Any, Any], ...]  # (key, old, new) for period, layout, …
    funding: tuple[AmountChange, ...]
    total: AmountChange
    partner_countries: ListChange
    key_partners: ListChange
    intro_edited: bool
    sections_added: tuple[SectionRef, ...]
    sections_removed: tuple[SectionRef, ...]
    sections_edited: tuple[SectionRef, ...]
    sections_unchanged: tuple[SectionRef, ...]
    old_period: tuple[int, int] = (0, 0)
    new_period: tuple[int, int] = (0, 0)
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "donor": self.code,
            "from": {"edition": self.old_edition, "file": self.old_file,
                     "period": list(self.old_period)},
            "to": {"edition": self.new_edition, "file": self.new_file,
                   "period": list(self.new_period)},
            "changed": {key: {"from": _jsonable(old), "to": _jsonable(new)}
                        for key, old, new in self.settings},
            "funding": [c.to_json() for c in self.funding],
            "total": self.total.to_json(),
            "partner_countries": self.partner_countries.to_json(),
            "key_partners": self.key_partners.to_json(),
            "introduction_edited": self.intro_edited,
            "sections": {
                "added": [s.to_json() for s in self.sections_added],
                "removed": [s.to_json() for s in self.sections_removed],
                "edited": [s.to_json() for s in self.sections_edited],
                "unchanged": [s.to_json() for s in self.sections_unchanged],
            },
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        out = [f"{self.code}: edition {self.old_edition} → {self.new_edition} "
               f"({self.old_file} → {self.new_file})", ""]
        if self.settings:
            width = max(len(key) for key, _, _ in self.settings)
            for key, old, new in self.settings:
                out.append(f"{key:<{width}}  {_setting(key, old)} → {_setting(key, new)}")
        else:
            out.append("period, layout, title and subtitle: unchanged")
        out.append("")
        out.extend(self._funding_table())
        out.append("")
        for title, change in (("partner countries", self.partner_countries),
                              ("key partners", self.key_partners)):
            out.extend(_list_lines(title, change))
        out.append("")
        out.append(f"introduction: {'edited' if self.intro_edited else 'unchanged'}")
        counts = [f"{len(self.sections_added)} added", f"{len(self.sections_removed)} removed",
                  f"{len(self.sections_edited)} edited",
                  f"{len(self.sections_unchanged)} unchanged"]
        out.append(f"sections: {', '.join(counts)}")
        for mark, refs in (("+", self.sections_added), ("-", self.sections_removed),
                           ("~", self.sections_edited)):
            out.extend(f"  {mark} {ref.label()}" for ref in refs)
        if self.notes:
            out.append("")
            out.extend(f"note: {note}" for note in self.notes)
        return "\n".join(out) + "\n"

    def _funding_table(self) -> list[str]:
        rows = [*self.funding, self.total]
        labels = [c.label for c in self.funding] + ["total"]
        old = [_million(c.old, c.old_qualifier) for c in rows]
        new = [_million(c.new, c.new_qualifier) for c in rows]
        change = [_percent(c.change_percent) for c in rows]
        head = ("funding (US$ million)", _years(self.old_period), _years(self.new_period),
                "change")
        w0 = max(len(head[0]), *(len(x) + 2 for x in labels))
        w1 = max(len(head[1]), *map(len, old))
        w2 = max(len(head[2]), *map(len, new))
        w3 = max(len(head[3]), *map(len, change))
        out = [f"{head[0]:<{w0}}  {head[1]:>{w1}}  {head[2]:>{w2}}  {head[3]:>{w3}}"]
        for label, a, b, c in zip(labels, old, new, change, strict=True):
            out.append(f"{'  ' + label:<{w0}}  {a:>{w1}}  {b:>{w2}}  {c:>{w3}}")
        return out


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _setting(key: str, value: Any) -> str:
    if value is None:
        return "(default)"
    if key == "period":
        return _years(value)
    return str(value)


def _million(amount: float | None, qualifier: str) -> str:
    if amount is None:
        return "not reported"
    number = f"{amount / 1e6:.1f}"
    return f"{qualifier} {number}" if qualifier else number


def _percent(change: float | None) -> str:
    return "—" if change is None else f"{change:+.1f} %"


def _list_lines(title: str, change: ListChange) -> list[str]:
    if not change.added and not change.removed:
        return [f"{title}: unchanged"]
    parts = []
    if change.added:
        parts.append(f"{len(change.added)} added")
    if change.removed:
        parts.append(f"{len(change.removed)} removed")
    lines = [f"{title}: {', '.join(parts)}"]
    lines.extend(f"  + {name}" for name in change.added)
    lines.extend(f"  - {name}" for name in change.removed)
    return lines


def diff_editions(root: Path, code: str, from_year: int | None = None,
                  to_year: int | None = None) -> EditionDiff:
    """Compare two editions of a donor (default: the two newest).

    Figures are computed exactly as a build computes them. A brief with a figure problem (the
    usual state of a just-started edition) is still compared: its problems become notes, so
    the officer sees what changed while the new edition is being written.
    """
    project = load_project(root)
    editions = _donor_with_profiles(project, code)
    problems = Collector()
    for year in (from_year, to_year):
        if year is not None and year not in editions:
            problems.add(f"data/profiles/{code}/{year}.md", "file not found — the editions "
                         f"of {code} are: {', '.join(map(str, editions))}")
    problems.raise_if_any()
    new = to_year if to_year is not None else editions[-1]
    if from_year is not None:
        old = from_year
    else:
        earlier = [e for e in editions if e < new]
        if not earlier:
            raise UserError([Problem(f"data/profiles/{code}", f"no edition before {new} to "
                                     f"compare with — the editions of {code} are: "
                                     f"{', '.join(map(str, editions))}")])
        old = earlier[-1]
    if old == new:
        raise UserError([Problem(f"data/profiles/{code}/{old}.md", "compared with itself — "
                                 "give two different editions with --from and --to")])
    notes: list[str] = []
    old_profile, old_funding = _profile_and_funding(project, code, old, notes)
    new_profile, new_funding = _profile_and_funding(project, code, new, notes)
    funding = _funding_changes(project, old_funding, new_funding)
    settings = tuple((key, a, b) for key, a, b in (
        ("period", old_profile.period, new_profile.period),
        ("layout", old_profile.layout, new_profile.layout),
        ("title", old_profile.title, new_profile.title),
        ("subtitle", old_profile.subtitle, new_profile.subtitle)) if a != b)
    added, removed, edited, unchanged = _section_changes(old_profile, new_profile)
    return EditionDiff(
        code=code, old_edition=old, new_edition=new, old_file=old_profile.name,
        new_file=new_profile.name, settings=settings, funding=funding,
        total=_total(old_funding, new_funding),
        partner_countries=_list_change(old_profile.partner_countries,
                                       new_profile.partner_countries),
        key_partners=_list_change(old_profile.key_partners, new_profile.key_partners),
        intro_edited=_intro_text(old_profile) != _intro_text(new_profile),
        sections_added=added, sections_removed=removed, sections_edited=edited,
        sections_unchanged=unchanged, old_period=old_profile.period,
        new_period=new_profile.period, notes=tuple(notes))


def _profile_and_funding(project: Project, code: str, edition: int,
                         notes: list[str]) -> tuple[Profile, dict[str, ChannelAmount]]:
    try:
        brief, _, _ = load_brief(project, code, edition)
        return brief.profile, {c.channel.code: c for c in brief.funding.channels}
    except UserError as exc:
        path = project.profiles[code][edition]
        problems = Collector()
        profile = load_profile(path, code, project.name(path), problems)
        if profile is None:
            raise  # the profile itself cannot be read: nothing to compare
        funding = funding_for(code, profile.period, list(project.contributions),
                              project.channels, problems, profile.name, CONTRIBUTIONS,
                              profile.lines.get("period"))
        notes.extend(str(p) for p in exc.problems)
        return profile, {c.channel.code: c for c in funding.channels}


def _funding_changes(project: Project, old: dict[str, ChannelAmount],
                     new: dict[str, ChannelAmount]) -> tuple[AmountChange, ...]:
    changes = []
    for code, channel in project.channels.items():
        a, b = old.get(code), new.get(code)
        if a is None and b is None:
            continue
        changes.append(AmountChange(code, channel.label,
                                    None if a is None else a.amount_usd,
                                    None if b is None else b.amount_usd,
                                    "" if a is None else a.qualifier,
                                    "" if b is None else b.qualifier))
    return tuple(changes)


def _total(old: dict[str, ChannelAmount], new: dict[str, ChannelAmount]) -> AmountChange:
    def summed(amounts: dict[str, ChannelAmount]) -> tuple[float | None, str]:
        if not amounts:
            return None, ""
        qualifiers = {a.qualifier for a in amounts.values()} - {""}
        qualifier = "about" if "about" in qualifiers else "more than" if qualifiers else ""
        return sum(a.amount_usd for a in amounts.values()), qualifier

    (a, qa), (b, qb) = summed(old), summed(new)
    return AmountChange("total", "total", a, b, qa, qb)


def _list_change(old: tuple[str, ...], new: tuple[str, ...]) -> ListChange:
    return ListChange(tuple(x for x in new if x not in old),
                      tuple(x for x in old if x not in new))


def _section_texts(profile: Profile) -> tuple[str, list[tuple[str, Section, str]]]:
    """The introduction's Markdown and each section's (key, section, Markdown)."""
    lines = profile.source.split("\n")
    parts = split_front_matter(profile.source)
    body_line = parts[2] if parts else 1
    starts = [s.line for s in profile.sections] + [len(lines) + 1]
    intro = "\n".join(lines[body_line - 1: starts[0] - 1]).strip()
    seen: dict[str, int] = {}
    result = []
    for index, section in enumerate(profile.sections):
        seen[section.heading] = seen.get(section.heading, 0) + 1
        key = section.heading if seen[section.heading] == 1 else \
            f"{section.heading} ({seen[section.heading]})"
        text = "\n".join(lines[section.line: starts[index + 1] - 1]).strip()
        result.append((key, section, text))
    return intro, result


def _intro_text(profile: Profile) -> str:
    return _section_texts(profile)[0]


def _section_changes(old: Profile, new: Profile) -> tuple[tuple[SectionRef, ...], ...]:
    _, before = _section_texts(old)
    _, after = _section_texts(new)
    old_by_key = {key: (section, text) for key, section, text in before}
    new_keys = {key for key, _, _ in after}
    added, edited, unchanged = [], [], []
    for key, section, text in after:
        if key not in old_by_key:
            added.append(SectionRef(section.heading, section.cls, section.cls))
            continue
        old_section, old_text = old_by_key[key]
        ref = SectionRef(section.heading, section.cls, old_section.cls)
        if old_text != text or old_section.cls != section.cls:
            edited.append(ref)
        else:
            unchanged.append(ref)
    removed = [SectionRef(s.heading, s.cls, s.cls) for key, s, _ in before
               if key not in new_keys]
    return tuple(added), tuple(removed), tuple(edited), tuple(unchanged)


# --- list ------------------------------------------------------------------------------------

STATES = ("missing", "built", "stale", "error")


@dataclass(frozen=True)
class BriefState:
    """One donor × edition and the state of its PDF (in the profile's own layout)."""

    code: str
    edition: int
    layout: str | None
    state: str  # one of STATES
    path: Path
    message: str | None = None  # the first problem, when state is "error"


def list_briefs(root: Path) -> list[BriefState]:
    """Every brief of the project and whether its PDF is missing, built (current) or stale.

    `built` means exactly what `briefs build` would skip: the manifest's inputs match and the
    PDF is the one recorded. One broken profile must not hide the others, so its problem is
    reported in its row instead of being raised.
    """
    from .build import plan_builds

    plan = plan_builds(root, every_edition=True, skip_current=False)
    manifest = read_manifest(plan.project.output)
    states = [BriefState(f.code, f.edition, None, "error", f.path, str(f.problems[0]))
              for f in plan.failures]
    for job in plan.jobs:
        if not job.path.is_file():
            state = "missing"
        elif is_current(manifest.get(job.key), job.inputs, job.path):
            state = "built"
        else:
            state = "stale"
        states.append(BriefState(job.brief.donor.code, job.brief.edition, job.layout.name,
                                 state, job.path))
    return sorted(states, key=lambda s: (s.code, s.edition))


# --- init ------------------------------------------------------------------------------------

GITIGNORE = "# written by briefs: built PDFs, previews, the manifest and the lock\noutput/\n"

README = """\
# {name}: donor briefs

This folder is a project of `briefs`, which builds donor-profile PDF fact sheets from the
files in `data/`. It starts as a copy of the sample data: one donor, the Republic of Korea, in
two editions. Replace it with your own.

- `data/donors.csv`, `data/channels.csv`: who the donors are and the funding channels.
- `data/contributions.csv`: the figures, in US dollars, one row per donor, channel and period
  (or year). Totals are computed from the rows.
- `data/stakeholders.csv`: who receives which donor's brief.
- `data/profiles/CODE/EDITION.md`: the text of each brief (front matter, then Markdown).
- `layouts/` (optional): your own layouts, or changed copies of the built-in ones.
- `output/`: written by briefs (the PDFs in `output/EDITION/CODE.pdf`); not kept in git.

Run the commands in this folder, or from anywhere with `briefs --project {name} ...`.

## Every year

1. Append the new figures to `data/contributions.csv`.
2. Start each donor's new edition from the newest one: `briefs new-edition CODE YEAR`.
3. Edit `data/profiles/CODE/YEAR.md`: the command lists what to review.
4. `briefs check`: fix what it reports.
5. `briefs build`: writes the PDFs.
6. Look at them: `briefs preview CODE --sheet`, or open the PDFs. `briefs diff CODE` shows
   what changed since the previous edition, `briefs list` which PDFs are built or stale.
7. Send them to the people in `data/stakeholders.csv`.
"""


def init_project(target: Path) -> list[Path]:
    """Create a project folder holding the sample data, a .gitignore and a README.

    An existing folder with anything in it is refused, so init never mixes the sample into
    someone's files or overwrites them. If copying fails halfway, what was written is
    removed again.
    """
    from .resources import sample_data_dir

    if target.exists() and not target.is_dir():
        raise UserError([Problem(str(target), "is a file — give the name of a new folder")])
    if target.is_dir() and any(target.iterdir()):
        raise UserError([Problem(str(target), "is not empty — give the name of a new folder "
                                 "(or an empty one); init never writes into existing files")])
    created = not target.exists()
    sample = sample_data_dir()
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(_sample_files(sample)):
            dest = target / "data" / source.relative_to(sample)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            written.append(dest)
        for name, text in ((".gitignore", GITIGNORE),
                           ("README.md", README.format(name=target.name))):
            write_atomic(target / name, text.encode("utf-8"))
            written.append(target / name)
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for path in written:
                path.unlink(missing_ok=True)
            if (target / "data").is_dir():
                shutil.rmtree(target / "data", ignore_errors=True)
        raise
    return sorted(written, key=lambda p: (p.parent != target, p.as_posix()))


def _sample_files(sample: Path) -> list[Path]:
    """The shipped data files: CSV and Markdown, never caches or hidden files."""
    files = []
    for folder, dirs, names in os.walk(sample):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
        files.extend(Path(folder) / n for n in names
                     if n.endswith((".csv", ".md")) and not n.startswith("."))
    return files

