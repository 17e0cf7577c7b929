"""Every donor's channel totals, newest edition against the previous (`briefs report`).

The management note an officer writes each year compares what every donor gave in the period
of its newest brief with the period of the one before. The figures are `briefs diff`'s, for
every donor at once, so the note, the diff and the PDFs print the same money.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from briefs.contract.project import Project, load_brief, load_project
from briefs.errors import UserError
from briefs.yearly.diffing import AmountChange, diff_editions

FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class ReportRow:
    """One donor's channel (or its total, channel "total") in two editions; US dollars."""

    donor: str
    channel: str
    label: str
    edition: int
    period: str
    amount_usd: float | None
    qualifier: str  # "", "more than" or "about", as the brief prints before the amount
    previous_edition: int | None
    previous_period: str
    previous_amount_usd: float | None
    previous_qualifier: str
    change_usd: float | None
    change_percent: float | None
    note: str = ""


COLUMNS = tuple(ReportRow.__dataclass_fields__)
# (edition, period as printed) of the newest edition, then of the previous one (or None)
Spans = tuple[tuple[int, str], tuple[int | None, str]]


def report_rows(root: Path | Project) -> list[ReportRow]:
    """One row per donor and channel, then the donor's total, for every donor with a profile.

    A donor with one edition has no previous figures; a brief whose figures have a problem
    is still reported, its problem in `note` (`briefs check` says how to fix it).
    """
    project = root if isinstance(root, Project) else load_project(root)
    rows: list[ReportRow] = []
    for code in sorted(project.profiles):
        editions = project.editions(code)
        if len(editions) > 1:
            diff = diff_editions(project, code)
            note = "; ".join(diff.notes)
            spans: Spans = ((diff.new_edition, diff.new_figures.period(diff.new_period)),
                     (diff.old_edition, diff.old_figures.period(diff.old_period)))
            rows.extend(_row(code, c, spans, note) for c in (*diff.funding, diff.total))
        else:
            rows.extend(_only_edition(project, code, editions[0]))
    return rows


def _row(code: str, change: AmountChange, spans: Spans, note: str) -> ReportRow:
    (edition, period), (previous, previous_period) = spans
    difference = None if change.new is None or change.old is None else change.new - change.old
    percent = change.change_percent
    return ReportRow(code, change.channel, change.label, edition, period, change.new,
                     change.new_qualifier, previous, previous_period, change.old,
                     change.old_qualifier, difference,
                     None if percent is None else round(percent, 1), note)


def _only_edition(project: Project, code: str, edition: int) -> list[ReportRow]:
    from briefs.layout.figures import figures_of
    from briefs.layout.loader import load_layout

    try:
        brief, layout, _ = load_brief(project, code, edition)
        period = figures_of(load_layout(layout, project.root)).period(brief.profile.period)
    except UserError as exc:
        return [ReportRow(code, "total", "total", edition, "", None, "", None, "", None, "",
                          None, None, "; ".join(map(str, exc.problems)))]
    spans: Spans = ((edition, period), (None, ""))
    changes = [AmountChange(c.channel.code, c.channel.label, None, c.amount_usd,
                            new_qualifier=c.qualifier) for c in brief.funding.channels]
    changes.append(AmountChange("total", "total", None, brief.funding.total_usd))
    return [_row(code, c, spans, "no previous edition") for c in changes]


def _plain(value: object) -> object:
    """Whole dollar amounts as integers (41800000, not 41800000.0), as the data files hold."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def report_bytes(rows: list[ReportRow], fmt: str) -> bytes:
    """The table in one of FORMATS: CSV and JSON as UTF-8 text, XLSX as a workbook."""
    records = [{k: _plain(v) for k, v in asdict(r).items()} for r in rows]
    if fmt == "json":
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in records)
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append(COLUMNS)
    for record in records:
        sheet.append([record[c] for c in COLUMNS])
    buffer_bytes = io.BytesIO()
    book.save(buffer_bytes)
    return buffer_bytes.getvalue()
