"""The catalogue of user mistakes: each a small change to the sample and the message it gives.

Every case runs the real CLI twice, `check` and `build`: both exit with status 2, print the
expected message (file, line, field, what is wrong, what to do), never a traceback, and the
build writes no PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import pdfs_under, run

Mutation = Callable[[Path], None]


def replace(rel: str, old: str, new: str, count: int = 1) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the sample changed: {old!r} is not in {rel}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def write(rel: str, content: str | bytes) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return mutate


def delete(rel: str) -> Mutation:
    return lambda root: (root / rel).unlink()


def append(rel: str, line: str) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return mutate


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Mutation
    message: str  # a line of the output, in full or its beginning
    shared: bool = True  # a mistake in shared data stops everything; in a profile, one brief
    check_only: bool = False  # found by check (and send), not needed by build


CONTRIB = "data/contributions.csv"
P2017 = "data/profiles/KOR/2017.md"
HEADER = "donor,start_year,end_year,channel,amount_usd,qualifier,note\n"

CASES = [
    # tables
    Case("missing file", delete("data/donors.csv"),
         "error: data/donors.csv: file not found — every project needs it"),
    Case("misspelt column", replace(CONTRIB, "channel,amount_usd", "chanel,amount_usd"),
         "error: data/contributions.csv:1: unknown column 'chanel' — did you mean 'channel'?"),
    Case("missing column", replace(CONTRIB, "channel,amount_usd", "channel,amount"),
         "error: data/contributions.csv:1: missing required column 'amount_usd'"),
    Case("unknown extra column", replace("data/donors.csv", "member_since\n",
                                         "member_since,comment\n"),
         "error: data/donors.csv:1: unknown column 'comment' — the columns are: code, name,"),
    Case("empty table", write("data/donors.csv", "code,name,short_name,member_since\n"),
         "error: data/donors.csv:2: has a header but no rows — add at least one row"),
    Case("empty file", write("data/channels.csv", ""),
         "error: data/channels.csv:1: is empty — expected a header line with code, label"),
    Case("blank required value", replace("data/donors.csv", "KOR,Republic of Korea",
                                         "KOR,"),
         "error: data/donors.csv:2: name: is empty — a value is required"),
    Case("amount not a number", replace(CONTRIB, "39000000", "lots"),
         "error: data/contributions.csv:2: amount_usd: 'lots' is not a number — write the "
         "amount in US dollars as digits"),
    Case("negative amount", replace(CONTRIB, "9900000", "-9900000"),
         "error: data/contributions.csv:3: amount_usd: '-9900000' is negative — amounts are "
         "0 or more"),
    Case("decimal comma", replace(CONTRIB, "9900000", '"8123456,5"'),
         "error: data/contributions.csv:3: amount_usd: '8123456,5' is not a number — use a "
         "decimal point, not a comma (8123456.5)"),
    Case("thousands separators", replace(CONTRIB, "9900000", '"9,900,000"'),
         "error: data/contributions.csv:3: amount_usd: '9,900,000' is not a number — use "
         "digits with a decimal point, no thousands separators"),
    Case("unquoted thousands separators", replace(CONTRIB, "9900000", "9,900,000"),
         "error: data/contributions.csv:3: has 9 values but the header names 7 columns: a "
         "value contains a comma"),
    Case("year not a year", replace(CONTRIB, "KOR,2012,2016,assessed", "KOR,20x2,2016,assessed"),
         "error: data/contributions.csv:2: start_year: '20x2' is not a year — write four "
         "digits such as 2016"),
    Case("end before start", replace(CONTRIB, "KOR,2012,2016,assessed", "KOR,2016,2012,assessed"),
         "error: data/contributions.csv:2: end_year: 2012 is before start_year 2016"),
    Case("semicolon separator", write("data/channels.csv", "code;label;description\n"
                                      "assessed;Assessed contributions;\n"),
         "error: data/channels.csv:1: uses ';' as separator — save it with ',' as separator"),
    Case("not UTF-8", write("data/donors.csv", "code,name,short_name,member_since\n"
                            "KOR,République de Corée,Corée,1991\n".encode("cp1252")),
         "error: data/donors.csv:2: is not UTF-8 (it looks like Windows-1252 (Western "
         "European)) — save it as UTF-8"),
    Case("bad qualifier", replace(CONTRIB, "more than", "over"),
         "error: data/contributions.csv:2: qualifier: 'over' is not a qualifier — leave it "
         "empty or write 'more than' or 'about'"),
    # references
    Case("unknown donor", replace(CONTRIB, "KOR,2012,2016,assessed", "KOX,2012,2016,assessed"),
         "error: data/contributions.csv:2: donor: unknown donor 'KOX' — did you mean 'KOR'?"),
    Case("unknown channel", replace(CONTRIB, "2016,assessed", "2016,asessed"),
         "error: data/contributions.csv:2: channel: unknown channel 'asessed' — did you mean "
         "'assessed'?"),
    Case("duplicate donor", append("data/donors.csv", "KOR,Korea again,,"),
         "error: data/donors.csv:3: code: donor code 'KOR' appears twice — codes must be "
         "unique"),
    Case("duplicate channel", append("data/channels.csv", "assessed,Again,"),
         "error: data/channels.csv:5: code: channel code 'assessed' appears twice"),
    Case("donor code escaping the output folder", append("data/donors.csv", "../x,Evil,,"),
         "error: data/donors.csv:3: code: '../x' is not a valid code — use 2 to 16 "
         "characters A–Z, 0–9 and '-'"),
    Case("lower-case donor code", append("data/donors.csv", "kor,Lower,,"),
         "error: data/donors.csv:3: code: 'kor' is not a valid code"),
    Case("overlapping rows", append(CONTRIB, "KOR,2014,2014,assessed,100000,,"),
         "error: data/contributions.csv:6: start_year: KOR assessed: the rows on lines 2, 6 "
         "(2012–2016, 2014–2014) overlap inside the period 2012–2016 of "
         "data/profiles/KOR/2017.md — the same money would be counted twice", shared=False),
    Case("bad recipient address", replace("data/stakeholders.csv", "ji-woo.kim@example.org",
                                          "ji-woo.kim@@example.org"),
         "error: data/stakeholders.csv:2: email: 'ji-woo.kim@@example.org' is not a valid "
         "address", check_only=True),
    # profiles
    Case("no front matter", write(P2017, "Just text.\n"),
         "error: data/profiles/KOR/2017.md:1: has no front matter — start the file with a "
         "line '---'", shared=False),
    Case("front matter not a mapping", write(P2017, "---\n- a\n- b\n---\nText\n"),
         "error: data/profiles/KOR/2017.md:2: front matter must be a set of 'key: value' "
         "lines", shared=False),
    Case("invalid YAML", write(P2017, "---\nedition: 2017\nperiod: [2012, 2016\n---\n"),
         "error: data/profiles/KOR/2017.md:4: front matter is not valid YAML", shared=False),
    Case("unknown key", replace(P2017, "period:", "perod:"),
         "error: data/profiles/KOR/2017.md:3: unknown key 'perod' — did you mean 'period'?",
         shared=False),
    Case("edition not the file name", replace(P2017, "edition: 2017", "edition: 2018"),
         "error: data/profiles/KOR/2017.md:2: edition: 2018 does not match the file name "
         "2017.md", shared=False),
    Case("profile folder without donor", write("data/profiles/JPN/2017.md",
                                               "---\nedition: 2017\n---\n"),
         "error: data/profiles/JPN: no donor 'JPN' in data/donors.csv"),
    Case("profile file not named by year", write("data/profiles/KOR/notes.md", "x\n"),
         "error: data/profiles/KOR/notes.md: is not used — a profile's file name must be its "
         "edition year, such as 2017.md"),
    Case("unknown layout", replace(P2017, "edition: 2017", "edition: 2017\nlayout: factshet"),
         "error: data/profiles/KOR/2017.md:3: layout: unknown layout 'factshet' — did you mean "
         "'factsheet'?", shared=False),
    Case("unknown section class", replace(P2017, "{.box}", "{.boxx}"),
         "error: data/profiles/KOR/2017.md:37: unknown section class '{.boxx}' — did you mean "
         "'{.box}'?", shared=False),
    Case("period partly covering a row", replace(P2017, "period: [2012, 2016]",
                                                 "period: [2013, 2016]"),
         "error: data/profiles/KOR/2017.md:59: the {.contributions} section reports "
         "2013–2016, but data/contributions.csv has no row for KOR inside that period (lines "
         "2–3 only partly overlap it, so this brief does not use them)", shared=False),
    Case("contributions section without rows", replace(P2017, "period: [2012, 2016]",
                                                       "period: [2000, 2004]"),
         "error: data/profiles/KOR/2017.md:59: the {.contributions} section reports "
         "2000–2004, but data/contributions.csv has no row for KOR inside that period",
         shared=False),
    Case("period not two years", replace(P2017, "period: [2012, 2016]", "period: 2012-2016"),
         "error: data/profiles/KOR/2017.md:3: period: '2012-2016' is not a period — write "
         "two years: [2012, 2016]", shared=False),
    Case("partner countries not a list", replace(P2017, "partner_countries:\n",
                                                 "partner_countries: Ghana\nx_:\n"),
         "error: data/profiles/KOR/2017.md:4: partner_countries: must be a list of names",
         shared=False),
    Case("key partners not text", replace(P2017, "  - Ministry of Oceans and Fisheries (MOOF)",
                                          "  - {name: MOOF}"),
         "error: data/profiles/KOR/2017.md:29: key_partners: must be a list of names",
         shared=False),
    Case("h1 heading", replace(P2017, "## From aid recipient", "# From aid recipient"),
         "error: data/profiles/KOR/2017.md:37: '#' headings are not used — start a section "
         "with '## '", shared=False),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mistake_is_reported_and_nothing_written(case: Case, project: Path) -> None:
    case.mutate(project)
    commands = ("check",) if case.check_only else ("check", "build")
    for command in commands:
        result = run(project, command)
        assert result.exit_code == 2, (command, result.output)
        assert "Traceback" not in result.output
        lines = result.stderr.splitlines()
        assert any(line.startswith(case.message) for line in lines), \
            f"{command}: expected a line starting with\n  {case.message}\ngot\n{result.stderr}"
        if case.shared or command == "check":
            assert lines[-1].endswith("found; nothing was written."), result.stderr
        else:
            assert lines[-1].endswith("found; not written: KOR 2017; the other briefs are "
                                      "done."), result.stderr
    assert not (project / "output/2017/KOR.pdf").exists()
    if case.shared:
        assert pdfs_under(project / "output") == []


def test_check_reports_every_problem_in_one_run(project: Path) -> None:
    for mutate in (replace(CONTRIB, "39000000", "lots"),
                   replace(CONTRIB, "2016,voluntary_earmarked", "2016,voluntary_earmarkd"),
                   replace("data/donors.csv", "KOR,Republic of Korea", "KOR,")):
        mutate(project)
    result = run(project, "check")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, result.stderr
    assert result.stderr.splitlines()[-1] == "3 problems found; nothing was written."


def test_byte_order_mark_is_accepted(project: Path) -> None:
    path = project / CONTRIB
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 briefs checked")


@pytest.mark.parametrize(("mutate", "warning"), [
    (replace(P2017, "  - Ghana", "  - Ghanna"),
     "data/profiles/KOR/2017.md:11: warning: partner_countries: 'Ghanna' is not a country "
     "name we recognise — did you mean 'Ghana'? (if the name is right, add it to accept in "
     "the [countries] table of briefs.toml)"),
    (write("data/profiles/KOR/2021.md", "---\nedition: 2021\nperiod: [2018, 2022]\n---\n\n"
           "## Figures {.contributions}\n\nText.\n"),
     "data/profiles/KOR/2021.md: warning: the period ends in 2022, after the edition year "
     "2021"),
    (replace(P2017, " {.contributions}", ""),
     "data/profiles/KOR/2017.md: warning: has no {.contributions} section, so the brief "
     "shows no figures"),
], ids=["country name", "period after edition", "no contributions section"])
def test_legal_but_likely_wrong_is_a_warning(project: Path, mutate: Mutation,
                                             warning: str) -> None:
    mutate(project)
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert warning in result.stderr.splitlines()
    assert "(1 warning)" in result.stdout
