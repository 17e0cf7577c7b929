"""Messages that used to mislead: each now says what is wrong, where, and what to do."""

from __future__ import annotations

from pathlib import Path

from conftest import run

P2017 = "data/profiles/KOR/2017.md"
CONTRIB = "data/contributions.csv"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(project: Path, command: str = "check") -> list[str]:
    result = run(project, command)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.stderr.splitlines()


def test_a_mistyped_closing_fence_is_named(project: Path) -> None:
    edit(project, P2017, "\n---\n\nThe Republic", "\n--\n\nThe Republic")
    lines = (project / P2017).read_text(encoding="utf-8").splitlines()
    number = lines.index("--") + 1
    assert errors(project)[0] == (
        f"error: {P2017}:{number}: the front matter is not closed: line {number} is '--' — end "
        "the front matter with a line of exactly three dashes '---'")


def test_a_list_item_with_a_colon_is_told_to_quote_it(project: Path) -> None:
    edit(project, P2017, "  - Ghana", "  - Korea: Republic of")
    assert errors(project)[0] == (
        f"error: {P2017}:4: partner_countries: the item 'Korea: Republic of' reads as 'key: "
        "value' because of the ': ' in it — put the name in quotes: - \"Korea: Republic of\"")


def test_a_semicolon_file_with_commas_in_its_text_is_named(project: Path) -> None:
    (project / "data/channels.csv").write_text(
        "code;label;description\nassessed;Assessed;paid by all, to the budget\n",
        encoding="utf-8")
    assert errors(project)[:2] == [
        "error: data/channels.csv:1: uses ';' as separator — save it with ',' as separator (in "
        "Excel: 'CSV UTF-8 (Comma delimited)')", "1 problem found; nothing was written."]


def test_a_tab_separated_file_is_named(project: Path) -> None:
    (project / "data/channels.csv").write_text("code\tlabel\nassessed\tAssessed\n",
                                               encoding="utf-8")
    assert errors(project)[0] == (
        "error: data/channels.csv:1: uses tabs as separator — save it with ',' as separator (in "
        "Excel: 'CSV UTF-8 (Comma delimited)')")


def test_excels_empty_trailing_columns_are_ignored(project: Path) -> None:
    path = project / "data/donors.csv"
    path.write_text("\n".join(line + ",," for line in
                              path.read_text(encoding="utf-8").splitlines()) + "\n",
                    encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 0, result.output


def test_a_column_with_values_but_no_name_is_named(project: Path) -> None:
    path = project / "data/donors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0] + ",\n" + lines[1] + ",extra\n", encoding="utf-8")
    assert errors(project)[0] == (
        "error: data/donors.csv:2: column 5 has values but no name in the header line — name "
        "it, or delete the column")


def test_a_comma_in_an_address_gets_advice_about_addresses(project: Path) -> None:
    edit(project, "data/stakeholders.csv", "ji-woo.kim@example.org",
         "ji-woo.kim@example.org, other@example.org")
    [line] = [e for e in errors(project) if e.startswith("error:")]
    assert line.endswith("a value contains a comma — put that value in double quotes; an "
                         "email cell holds one address: give each recipient a row of their own")
    assert "amounts" not in line


def test_old_mac_line_endings_are_read(project: Path) -> None:
    for name in ("donors", "channels", "contributions"):
        path = project / f"data/{name}.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    result = run(project, "check")
    assert result.exit_code == 0, result.output


def test_a_lone_cr_in_a_cell_is_no_internal_error(project: Path) -> None:
    path = project / CONTRIB
    path.write_bytes(path.read_bytes().replace(b"2017 print edition", b"2017\rprint", 1))
    result = run(project, "check")
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output


def test_row_numbers_count_the_lines_of_a_quoted_cell(project: Path) -> None:
    path = project / CONTRIB
    text = path.read_text(encoding="utf-8").replace('2017 print edition"', '2017\nprint\n"', 1)
    path.write_text(text + "KOR,2012,2016,voluntary_core,lots,,\n", encoding="utf-8")
    lines = text.count("\n") + 1
    assert errors(project)[0] == (
        f"error: {CONTRIB}:{lines}: amount_usd: 'lots' is not a number — write the amount in "
        "US dollars as digits with an optional decimal point, such as 9900000")


def test_control_characters_from_data_are_shown_as_escapes(project: Path) -> None:
    edit(project, CONTRIB, "39000000", "\x1b[2J39")
    line = errors(project)[0]
    assert "\x1b" not in line
    assert "'\\x1b[2J39'" in line


def test_a_send_error_says_nothing_was_sent(project: Path) -> None:
    assert run(project, "build").exit_code == 0
    (project / "briefs.toml").write_text("[smtp]\nport = 'x'\n", encoding="utf-8")
    result = run(project, "send", "--send")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1].endswith("found; nothing was sent.")
