"""What changed between two editions of a donor (`briefs diff`): figures, lists, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefs.contract.funding import combined_qualifier, funding_for
from briefs.contract.model import ChannelAmount, Profile, Section
from briefs.contract.profiles import load_profile, split_front_matter
from briefs.contract.project import Project, load_brief, load_project
from briefs.errors import Collector, Problem, UserError
from briefs.layout.figures import figures_of
from briefs.layout.loader import load_layout
from briefs.text import MILLIONS, Figures
from briefs.yearly.editions import CONTRIBUTIONS, donor_editions

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
    # how each edition's layout writes figures, so the table prints what the PDFs print
    old_figures: Figures = field(default_factory=Figures)
    new_figures: Figures = field(default_factory=Figures)

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
                out.append(f"{key:<{width}}  {_setting(key, old, self.old_figures)} → "
                           f"{_setting(key, new, self.new_figures)}")
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
        old = [_million(c.old, c.old_qualifier, self.old_figures) for c in rows]
        new = [_million(c.new, c.new_qualifier, self.new_figures) for c in rows]
        change = [_percent(c.change_percent) for c in rows]
        head = ("funding (US$ million)", self.old_figures.period(self.old_period),
                self.new_figures.period(self.new_period), "change")
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


def _setting(key: str, value: Any, figures: Figures) -> str:
    if value is None:
        return "(default)"
    if key == "period":
        return figures.period(value)
    return str(value)


def _million(amount: float | None, qualifier: str, figures: Figures) -> str:
    """The amount as the edition's PDF prints it, in a table already headed 'US$ million'."""
    if amount is None:
        return "not reported"
    return figures.money(amount, qualifier, MILLIONS)


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


def diff_editions(root: Path | Project, code: str, from_year: int | None = None,
                  to_year: int | None = None) -> EditionDiff:
    """Compare two editions of a donor (default: the two newest).

    Figures are computed exactly as a build computes them. A brief with a figure problem (the
    usual state of a just-started edition) is still compared: its problems become notes, so
    the officer sees what changed while the new edition is being written. `root` is a
    project folder, or a project a caller has already loaded (`report` compares every donor).
    """
    project = root if isinstance(root, Project) else load_project(root)
    editions = donor_editions(project, code)
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
        new_period=new_profile.period, notes=tuple(notes),
        old_figures=_figures(project, old_profile, notes),
        new_figures=_figures(project, new_profile, notes))


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


def _figures(project: Project, profile: Profile, notes: list[str]) -> Figures:
    """How the edition's layout writes figures; the built-in way if the layout is broken
    (its problem becomes a note: `check` reports it, and the diff still shows the change)."""
    try:
        return figures_of(load_layout(profile.layout, project.root))
    except UserError as exc:
        notes.extend(str(p) for p in exc.problems if str(p) not in notes)
        return Figures()


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
        qualifier = combined_qualifier(a.qualifier for a in amounts.values())
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
