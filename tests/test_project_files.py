"""check looks at every file a user may have meant to be read, through the real CLI.

Files that nothing reads, headings that print as text, lists that are not there, country names
as the UN writes them, the message template and layouts no profile uses.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run

P2017 = "data/profiles/KOR/2017.md"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_warnings(project: Path, *args: str) -> list[str]:
    result = run(project, "check", *args)
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


def check_errors(project: Path, *args: str) -> list[str]:
    result = run(project, "check", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_the_sample_checks_with_no_warning(project: Path) -> None:
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "ok: 2 briefs checked, no problems found\n"


@pytest.mark.parametrize(("name", "message"), [
    ("KOR/2025.MD", "data/profiles/KOR/2025.MD: is not used — a profile's file name is its "
                    "edition year and '.md' in lower case: rename it to 2025.md"),
    ("KOR/2025.md.txt", "data/profiles/KOR/2025.md.txt: is not used — a profile's file name is "
                        "its edition year and '.md' in lower case: rename it to 2025.md"),
    ("KOR/2025.txt", "data/profiles/KOR/2025.txt: is not used — a profile's file name must be "
                     "its edition year, such as 2025.md"),
    ("2025.md", "data/profiles/2025.md: is not used — a profile goes in the folder of its "
                "donor: data/profiles/CODE/YEAR.md"),
])
def test_a_profile_file_nothing_reads_is_reported(project: Path, name: str,
                                                  message: str) -> None:
    (project / "data/profiles" / name).write_text("---\nedition: 2025\n---\n", encoding="utf-8")
    [line] = check_errors(project)
    assert line.startswith(f"error: {message}"), line


def test_a_layout_file_nothing_reads_is_reported(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/ourlook.yml").write_text("extends: factsheet\n", encoding="utf-8")
    assert check_warnings(project) == [
        "layouts/ourlook.yml: warning: is not used — a layout is a file named NAME.yaml; rename "
        "it to ourlook.yaml if it is one"]


def test_a_layout_no_profile_uses_is_checked(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts/spare.yaml").write_text("extends: factsheet\npalette:\n  primary: 12\n",
                                                encoding="utf-8")
    errors = check_errors(project)
    assert errors and all(line.startswith("error: layouts/spare.yaml") for line in errors), \
        errors


def test_check_edition_checks_that_edition_only(project: Path) -> None:
    edit(project, P2017, "period: [2012, 2016]", "period: [2000, 2004]")
    assert check_errors(project)
    result = run(project, "check", "--edition", "2023")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 1 brief checked, no problems found\n"


def test_a_typo_in_the_message_template_is_found_by_check(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/message.txt").write_text("Subject: {title}\n\nDear {nme},\n",
                                                   encoding="utf-8")
    assert check_errors(project) == [
        "error: templates/message.txt:3: unknown placeholder {nme} — did you mean {name}? (the "
        "placeholders are: {name}, {role}, {donor}, {short_name}, {code}, {title}, {edition}, "
        "{period}, {total}, {sender})"]


def test_a_template_that_is_a_dangling_link_is_an_error(project: Path) -> None:
    (project / "templates").mkdir()
    os.symlink(project / "templates/gone.txt", project / "templates/message.txt")
    assert check_errors(project) == [
        "error: templates/message.txt: is a link to a file that does not exist"]


def test_a_class_without_its_dot_is_a_warning(project: Path) -> None:
    edit(project, P2017, "{.box}", "{box}")
    assert check_warnings(project) == [
        "data/profiles/KOR/2017.md:37: warning: the heading ends with '{box}', which prints as "
        "text — did you mean '{.box}'?"]


def test_a_heading_without_its_space_is_a_warning(project: Path) -> None:
    edit(project, P2017, "## From aid recipient to donor", "##From aid recipient to donor")
    assert check_warnings(project) == [
        "data/profiles/KOR/2017.md:37: warning: '##From aid recipient to donor: K…' prints as a "
        "paragraph, not a heading — did you mean '## From aid recipient to donor: K…'? (a space "
        "follows the #)"]


def test_a_list_section_without_its_list_is_a_warning(project: Path) -> None:
    path = project / P2017
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("partner_countries:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  - "))
    path.write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    [warning] = check_warnings(project)
    assert warning.startswith("data/profiles/KOR/2017.md:")
    assert warning.endswith(": warning: the {.partner-countries} section prints its text and "
                            "then the 'partner_countries' list, but the front matter has no "
                            "'partner_countries' — add the list, or remove {.partner-countries} "
                            "from the heading")


def test_the_uns_country_names_are_recognised(project: Path) -> None:
    edit(project, P2017, "partner_countries:\n", "partner_countries:\n  - Bolivia (Plurinational "
         "State of)\n  - Côte d’Ivoire\n  - Türkiye\n  - Lao People’s Democratic Republic\n")
    assert check_warnings(project) == []


def test_a_project_accepts_extra_country_names(project: Path) -> None:
    edit(project, P2017, "partner_countries:\n", "partner_countries:\n  - Zanzibar\n")
    [warning] = check_warnings(project)
    assert "'Zanzibar' is not a country name we recognise" in warning
    (project / "briefs.toml").write_text('[countries]\naccept = ["Zanzibar"]\n',
                                         encoding="utf-8")
    assert check_warnings(project) == []


@pytest.mark.parametrize(("text", "warning"), [
    ("대한민국 partners", "character '대' (U+B300, HANGUL SYLLABLE DAE) is not in the layout's "
                      "font 'sans' and prints as an empty box"),
    ("東京 office", "character '東' (U+6771, CJK UNIFIED IDEOGRAPH-6771) is not in the layout's "
                  "font 'sans'"),
    ("שלום friends", "right-to-left text 'ש' (U+05E9) prints unshaped and left to right"),
    ("a bell\x07 here", "control character U+0007 — remove it"),
])
def test_text_the_font_cannot_draw_is_a_warning(project: Path, text: str,
                                                warning: str) -> None:
    edit(project, P2017, "The Republic of Korea joined", f"{text}. The Republic of Korea joined")
    lines = (project / P2017).read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if text in line)
    [line] = check_warnings(project)
    assert line.startswith(f"data/profiles/KOR/2017.md:{number}: warning: {warning}"), line


def test_a_donor_name_the_font_cannot_draw_is_a_warning(project: Path) -> None:
    edit(project, "data/donors.csv", "Republic of Korea,Korea", "大韓民國,Korea")
    assert check_warnings(project) == [
        "data/donors.csv: warning: KOR: character '大' (U+5927, CJK UNIFIED IDEOGRAPH-5927) is "
        "not in the layout's font 'sans' and prints as an empty box — write it in Latin "
        "letters, or use a layout whose font has it"]
