"""French and Spanish editions: the sample's translations built, checked, listed and mailed.

Every test goes through the real CLI on a copy of the sample, reads the PDFs with pypdf, and
mails over a real SMTP server on 127.0.0.1 (the one of test_send).
"""

from __future__ import annotations

import csv
import email
import io
import json
import re
import shutil
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from conftest import run
from pypdf import PdfReader
from test_send import log_entries, settings, smtp_server

from briefs.contract.countries import unrecognised
from briefs.mail.sendlog import SendLog
from briefs.text import french_spacing, millions, number, percent

NBSP, NARROW = "\u00a0", "\u202f"

# Every fixed text an English brief of the sample prints, and its English number forms
ENGLISH = ("Donor profile", "ILO Cooperation", "International Labour Organization",
           "Partnerships and Field Support", "Assessed contributions", "Voluntary earmarked",
           "contributions to the ILO", "US$", " million ", "million,", "Republic of Korea",
           "Total:", "63.0", "41.8", "21.2")


def pdf_text(path: Path) -> str:
    """The PDF's text; a no-break space reads as a space (fonts may share its glyph)."""
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")


@pytest.fixture(scope="module")
def translated(built: Path) -> dict[str, Path]:
    return {lang: built / "output" / "2023" / f"KOR.{lang}.pdf" for lang in ("fr", "es")}


def translation_text(path: Path, language: str, *printed: str) -> str:
    """The PDF's text, after checking it has no English fixed text, has each of `printed`
    and says it is in `language`."""
    text = pdf_text(path)
    for english in ENGLISH:
        assert english not in text, english
    for words in printed:
        assert words in text, words
    assert PdfReader(path).trailer["/Root"]["/Lang"] == language
    return text


def test_the_french_brief_has_no_english_fixed_text(translated: dict[str, Path]) -> None:
    text = translation_text(
        translated["fr"], "fr", "PROFIL DE DONATEUR · 2023", "République de Corée",
        "Coopération OIT", "Organisation internationale du Travail", "CONTRIBUTIONS FIXÉES",
        "41,8 millions de dollars des États-Unis, 2018–2022", "63,0 M$ US", "(66 %)",
        "Contributions de la Corée à l’OIT par mode de financement")
    # French spacing: a no-break space before the colon in paragraphs (ReportLab would break
    # a line at a narrow one), so no line starts with the colon; the narrow one in the chart
    assert "fondamentales : deux" in text
    assert not [line for line in text.splitlines() if line[:1] and line[0] in ":;!?»"]
    assert "Contributions fixées" + NARROW + ": 41,8" in text
    reader = PdfReader(translated["fr"])
    assert reader.metadata.subject == ("Profil de donateur" + NARROW + ": République de "
                                       "Corée et l’OIT, édition 2023")


def test_the_spanish_brief_has_no_english_fixed_text(translated: dict[str, Path]) -> None:
    translation_text(
        translated["es"], "es", "PERFIL DE DONANTE · 2023", "República de Corea",
        "Cooperación con la OIT", "Organización Internacional del Trabajo",
        "CONTRIBUCIONES PRORRATEADAS", "41,8 millones de dólares de los EE. UU., 2018–2022",
        "Contribuciones de Corea a la OIT por modalidad de financiación", "63,0 M USD")


def test_the_english_brief_keeps_its_english_numbers(built: Path) -> None:
    text = pdf_text(built / "output/2023/KOR.pdf")
    assert "US$ 41.8 million, 2018–2022" in text
    assert "DONOR PROFILE · 2023" in text
    assert "Contributions fixées" not in text


def test_numbers_follow_the_language() -> None:
    assert millions(1_234_500_000) == "1,234.5"
    assert millions(1_234_500_000, locale="fr") == "1" + NARROW + "234,5"
    assert millions(63_000_000, locale="es") == "63,0"
    assert millions(63_040_000, decimals=2, decimal_mark="·", locale="fr") == "63·04"
    # rounded once, the same way in every language
    assert millions(41_850_000, locale="fr").replace(",", ".") == millions(41_850_000)
    assert number(2.5, 1, "", "fr") == "2,5"
    assert percent(0.456, "fr") == "46" + NBSP + "%"
    assert percent(0.456) == "46%"


def test_french_spacing_leaves_addresses_and_times_alone() -> None:
    assert french_spacing("Note: voir https://ilo.org à 10:30 ! « citation »") == (
        f"Note{NARROW}: voir https://ilo.org à 10:30{NARROW}! «{NARROW}citation{NARROW}»")


def test_country_names_in_the_briefs_language() -> None:
    assert unrecognised("Maroc", language="fr") is None
    assert unrecognised("République de Corée", language="fr") is None  # the UN's form
    assert unrecognised("Marruecos", language="es") is None
    assert unrecognised("Morocco", language="fr") is None  # English names stay known
    assert unrecognised("Maroc") is not None  # but an English brief knows no French names
    assert str(unrecognised("Marueccos", language="es")).startswith(
        " — did you mean 'Marruecos'?")


# --- building and checking -------------------------------------------------------------------

def test_lang_builds_only_that_language(project: Path) -> None:
    result = run(project, "build", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert re.search(r"^wrote \S*output/2023/KOR\.fr\.pdf \(", result.stdout)
    assert sorted(p.name for p in (project / "output").rglob("*.pdf")) == ["KOR.fr.pdf"]
    wrong = run(project, "build", "--lang", "de")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("error: --lang: no profile is written in 'de' — the "
                                   "languages are: en, es, fr")
    assert run(project, "check", "--lang", "es").stdout.startswith("ok: 1 brief checked")
    preview = run(project, "preview", "KOR", "--lang", "es", "--dpi", "20")
    assert preview.exit_code == 0, preview.output
    assert [Path(line).name for line in preview.stdout.splitlines()] == [
        "KOR.es-1.png", "KOR.es-2.png"]


def test_layout_option_keeps_the_language_suffix(project: Path) -> None:
    result = run(project, "build", "--layout", "factsheet", "--lang", "fr", "--edition", 2023)
    assert result.exit_code == 0, result.output
    assert (project / "output/2023/KOR-factsheet.fr.pdf").is_file()


def test_check_warns_where_a_translation_differs(project: Path) -> None:
    profile = project / "data/profiles/KOR/2023.fr.md"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("period: [2018, 2022]", "period: [2017, 2022]")
    table = project / "data/contributions.csv"  # yearly rows, so both periods have figures
    rows = [r for r in table.read_text(encoding="utf-8").splitlines() if ",2018,2022," not in r]
    rows += [f"KOR,{y},{y},{c},1000000,," for y in range(2017, 2023)
             for c in ("assessed", "voluntary_earmarked")]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = text.replace("layout: profile", "layout: factsheet")
    text = text.replace(" {.key-partners}", "")
    profile.write_text(text, encoding="utf-8")
    result = run(project, "check")
    warnings = result.stderr
    name = "data/profiles/KOR/2023.fr.md"
    assert f"{name}:4: warning: period [2017, 2022] differs from data/profiles/KOR/2023.md's " \
           "[2018, 2022]" in warnings
    assert f"{name}:3: warning: layout 'factsheet' differs from data/profiles/KOR/2023.md's " \
           "'profile'" in warnings
    assert f"{name}: warning: has no {{.key-partners}} section, which " \
           "data/profiles/KOR/2023.md has" in warnings


def test_a_missing_translated_column_is_a_warning_and_the_main_text_prints(
        project: Path) -> None:
    channels = project / "data/channels.csv"
    table = list(csv.reader(io.StringIO(channels.read_text(encoding="utf-8"))))
    index = table[0].index("label_es")
    for row in table:
        del row[index]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    channels.write_text(out.getvalue(), encoding="utf-8")
    result = run(project, "check", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert ("data/profiles/KOR/2023.es.md: warning: data/channels.csv has no label_es for "
            "'assessed' — the es brief prints the main column's text; add a column label_es"
            ) in result.stderr
    assert run(project, "build", "--lang", "es").exit_code == 0
    text = pdf_text(project / "output/2023/KOR.es.pdf")
    assert "Assessed contributions, abonadas al presupuesto ordinario" in text


def test_translation_files_are_named_by_their_main_file(project: Path) -> None:
    folder = project / "data/profiles/KOR"
    shutil.copy(folder / "2023.fr.md", folder / "2021.fr.md")
    shutil.copy(folder / "2023.md", folder / "2023.en.md")
    result = run(project, "check")
    assert result.exit_code == 2
    assert "error: data/profiles/KOR/2021.fr.md: is a translation of 2021.md, which does " \
           "not exist" in result.stderr
    assert "error: data/profiles/KOR/2023.en.md: 'en' is the project's main language " \
           "(briefs.toml) — name this file 2023.md" in result.stderr


def test_the_main_language_comes_from_briefs_toml(project: Path) -> None:
    """A French project: 2023.md is French, so it prints French labels and numbers."""
    folder = project / "data/profiles/KOR"
    (folder / "2023.md").write_text((folder / "2023.fr.md").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (folder / "2023.fr.md").unlink()
    (folder / "2017.md").unlink()
    (project / "briefs.toml").write_text('language = "fr"\n', encoding="utf-8")
    result = run(project, "build", "--lang", "fr")
    assert result.exit_code == 0, result.output
    text = pdf_text(project / "output/2023/KOR.pdf")
    assert "41,8 millions de dollars des États-Unis" in text
    (project / "briefs.toml").write_text('language = "french"\n', encoding="utf-8")
    wrong = run(project, "check")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("error: briefs.toml: language: 'french' is not a language "
                                   "code — use two lowercase letters (ISO 639-1), such as fr")


def test_a_layout_says_a_label_per_language(project: Path) -> None:
    layouts = project / "layouts"
    layouts.mkdir()
    (layouts / "profile.yaml").write_text(
        "extends: profile\nlanguages:\n  fr:\n    labels:\n"
        "      eyebrow: \"Fiche donateur · {edition}\"\n"
        "  es:\n    labels:\n      funding_line: \"{label}: {amount} ({periodo})\"\n",
        encoding="utf-8")
    bad = run(project, "check")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: layouts/profile.yaml: languages.es.labels."
                                 "funding_line: unknown placeholder {periodo} — did you mean "
                                 "{period}?")
    (layouts / "profile.yaml").write_text(
        "extends: profile\nlanguages:\n  fr:\n    labels:\n"
        "      eyebrow: \"Fiche donateur · {edition}\"\n  xx1:\n    labels: {}\n",
        encoding="utf-8")
    bad = run(project, "check")
    assert "error: layouts/profile.yaml: languages.xx1: 'xx1' is not a language code" \
        in bad.stderr
    (layouts / "profile.yaml").write_text(
        "extends: profile\nlanguages:\n  fr:\n    labels:\n"
        "      eyebrow: \"Fiche donateur · {edition}\"\n", encoding="utf-8")
    assert run(project, "build", "--lang", "fr", "--lang", "es").exit_code == 0
    assert "FICHE DONATEUR · 2023" in pdf_text(project / "output/2023/KOR.fr.pdf")
    # the labels left out are the built-in French ones
    assert "41,8 millions de dollars" in pdf_text(project / "output/2023/KOR.fr.pdf")
    assert "PERFIL DE DONANTE" in pdf_text(project / "output/2023/KOR.es.pdf")


# --- mail --------------------------------------------------------------------------------------

STAKEHOLDERS = """\
donor,name,email,role,language
KOR,Ji-woo Kim,ji-woo.kim@example.org,Desk officer,
KOR,Marie Dupont,marie.dupont@example.org,Mission,fr
KOR,Ana Pérez,ana.perez@example.org,Mission,es
KOR,Hans Muster,hans.muster@example.org,Mission,de
"""


@pytest.fixture
def mailing(built: Path, tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(built, tmp_path / "project"))
    (folder / "data/stakeholders.csv").write_text(STAKEHOLDERS, encoding="utf-8")
    return folder


def parsed(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def test_the_dry_run_sends_each_recipient_their_language(mailing: Path) -> None:
    result = run(mailing, "send")
    assert result.exit_code == 0, result.output
    assert ("data/stakeholders.csv:5: warning: KOR 2023 has no 'de' profile, so Hans Muster "
            "is sent the 'en' brief — add data/profiles/KOR/2023.de.md") in result.stderr
    outbox = mailing / "output/outbox/2023/KOR"
    french = parsed(outbox / "marie.dupont@example.org.eml")
    assert french["Subject"] == "République de Corée – Coopération OIT, édition 2023"
    body = french.get_body(("plain",)).get_content()
    assert body.startswith("Bonjour Marie Dupont,")
    assert f"«{NARROW}République de Corée – Coopération OIT{NARROW}»" in body
    [attachment] = list(french.iter_attachments())
    assert attachment.get_filename() == "Republique-de-Coree-Cooperation-OIT-2023.pdf"
    assert attachment.get_content() == (mailing / "output/2023/KOR.fr.pdf").read_bytes()
    spanish = parsed(outbox / "ana.perez@example.org.eml")
    assert spanish.get_body(("plain",)).get_content().startswith("Estimado/a Ana Pérez:")
    assert [a.get_filename() for a in spanish.iter_attachments()] == [
        "Republica-de-Corea-Cooperacion-con-la-OIT-2023.pdf"]
    for english in ("ji-woo.kim@example.org", "hans.muster@example.org"):
        message = parsed(outbox / f"{english}.eml")
        assert message["Subject"] == "Republic of Korea – ILO Cooperation, 2023 edition"
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content() == (mailing / "output/2023/KOR.pdf").read_bytes()
    table = result.stdout
    assert re.search(r"KOR 2023 fr +Marie Dupont <marie.dupont@example.org> +would send",
                     table)
    only = run(mailing, "send", "--lang", "es")
    assert "would send 1, skipped 0" in only.stdout
    assert "to send for real: briefs send --lang es --send" in only.stdout


def test_a_project_template_per_language(mailing: Path) -> None:
    templates = mailing / "templates"
    templates.mkdir()
    (templates / "message.fr.txt").write_text(
        "Subject: {title} ({edition})\n\nChère {name}, voici la note du {date}.\n",
        encoding="utf-8")
    result = run(mailing, "send", "--lang", "fr")
    assert result.exit_code == 0, result.output
    message = parsed(mailing / "output/outbox/2023/KOR/marie.dupont@example.org.eml")
    assert message["Subject"] == "République de Corée – Coopération OIT (2023)"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert re.fullmatch(r"Chère Marie Dupont, voici la note du \d{1,2} (janvier|février|mars|"
                        r"avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) "
                        r"\d{4}\.\n", body), body


def test_sending_the_french_brief_never_marks_the_english_one_sent(mailing: Path) -> None:
    with smtp_server() as server:
        _send_french_then_english(mailing, server.port, server.handler)


def _send_french_then_english(mailing: Path, port: int, handler: Any) -> None:
    settings(mailing, port)
    first = run(mailing, "send", "--send", "--lang", "fr")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == "sent 1, skipped 0, deferred 0, failed 0"
    [received] = handler.received
    assert received.rcpt_tos == ("marie.dupont@example.org",)
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content() == (mailing / "output/2023/KOR.fr.pdf").read_bytes()
    entries = log_entries(mailing)
    assert [(e["event"], e.get("language")) for e in entries] == [("sending", "fr"),
                                                                  ("sent", "fr")]
    # Marie now reads English: her English brief was never sent, so it goes
    stakeholders = mailing / "data/stakeholders.csv"
    stakeholders.write_text(STAKEHOLDERS.replace("Mission,fr", "Mission,"), encoding="utf-8")
    second = run(mailing, "send", "--send")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[-1] == "sent 4, skipped 0, deferred 0, failed 0"
    again = handler.to("marie.dupont@example.org")[-1]
    assert again.message["Subject"] == "Republic of Korea – ILO Cooperation, 2023 edition"
    log = SendLog(mailing)
    sha = json.loads(json.dumps(entries[0]))["sha256"]
    assert log.status(2023, "KOR", "marie.dupont@example.org", sha, "fr").kind == "sent"
    assert log.status(2023, "KOR", "marie.dupont@example.org", sha).kind == "changed"
    third = run(mailing, "send", "--send")
    assert third.stdout.splitlines()[-1] == "sent 0, skipped 4, deferred 0, failed 0"


def test_a_recipients_language_is_checked(mailing: Path) -> None:
    stakeholders = mailing / "data/stakeholders.csv"
    stakeholders.write_text(STAKEHOLDERS.replace("Mission,es", "Mission,spanish"),
                            encoding="utf-8")
    result = run(mailing, "check")
    assert result.exit_code == 2
    assert ("error: data/stakeholders.csv:4: language: 'spanish' is not a language code — "
            "use two lowercase letters (ISO 639-1), such as fr") in result.stderr
    stakeholders.write_text(STAKEHOLDERS, encoding="utf-8")
    ok = run(mailing, "check")
    assert ok.exit_code == 0, ok.output
    assert "data/stakeholders.csv:5: warning: KOR 2023 has no 'de' profile" in ok.stderr


def test_diff_compares_the_translations(project: Path) -> None:
    assert run(project, "new-edition", "KOR", 2024).exit_code == 0
    result = run(project, "diff", "KOR", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("KOR: edition 2023 → 2024 (data/profiles/KOR/2023.fr.md → "
                                    "data/profiles/KOR/2024.fr.md)")
    both = run(project, "diff", "KOR", "--format", "json")
    assert sorted(json.loads(both.stdout)) == ["en", "es", "fr"]
    none = run(project, "diff", "KOR", "--from", 2017, "--lang", "fr")
    assert none.exit_code == 2
    assert "editions 2017 and 2024 are not both written in fr" in none.stderr


def test_a_line_never_breaks_before_french_punctuation() -> None:
    """ReportLab breaks lines at U+202F; the PDF's paragraphs get a no-break space there."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefs.render.markup import escape

    text = french_spacing("Les contributions volontaires affectées : 21,2 millions ; "
                          "voir « Compte supplémentaire du budget ordinaire » !")
    starts = set()
    for width in range(60, 400, 4):
        paragraph = Paragraph(escape(text), ParagraphStyle("p", fontSize=9, leading=11))
        paragraph.wrap(width, 1000)
        starts |= {" ".join(words)[:1] for _, words in paragraph.blPara.lines}
    assert not starts & set(":;!?»"), starts


def test_a_language_the_layout_does_not_speak_is_a_warning(project: Path) -> None:
    folder = project / "data/profiles/KOR"
    shutil.copy(folder / "2023.md", folder / "2023.de.md")
    result = run(project, "check", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert ("data/profiles/KOR/2023.de.md: warning: layout 'profile' has no labels in 'de': "
            "its fixed texts print in 'en' — add languages.de.labels to the layout"
            ) in result.stderr
    assert "data/donors.csv has no name_de for KOR" in result.stderr
    assert run(project, "build", "--lang", "de").exit_code == 0
    text = pdf_text(project / "output/2023/KOR.de.pdf")
    assert "41,8 million" in text  # English words, German numbers
    assert PdfReader(project / "output/2023/KOR.de.pdf").trailer["/Root"]["/Lang"] == "de"


def test_an_approximate_total_is_never_printed_as_exact(project: Path) -> None:
    """One channel's amount is 'about': the chart's title says so in each language, as the
    funding lines do ('total : environ 63,0 millions…', not 'total : 63,0 millions'), a
    donut's centre carries the word on a line above the total, and an amount at the end of
    its bar its sign ('> 39.0' for 2012–2016's assessed contributions, more than that)."""
    table = project / "data/contributions.csv"
    text_ = table.read_text(encoding="utf-8")
    table.write_text(text_.replace("KOR,2018,2022,assessed,41800000,,",
                                   "KOR,2018,2022,assessed,41800000,about,"), encoding="utf-8")
    (project / "layouts").mkdir()
    (project / "layouts/ring.yaml").write_text(
        "extends: profile\nlabels:\n  donut_center: 'US$ {total}M'\n", encoding="utf-8")
    expected = {"": "(US$ million; total about US$ 63.0 million)",
                ".fr": "total : environ 63,0 millions de dollars des États-Unis)",
                ".es": "total: alrededor de 63,0 millones de dólares de los EE. UU.)"}
    result = run(project, "build", "KOR", "--edition", "2023", "--layout", "factsheet")
    assert result.exit_code == 0, result.output
    for suffix, title in expected.items():
        reader = PdfReader(project / f"output/2023/KOR-factsheet{suffix}.pdf")
        assert title in " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert run(project, "build", "KOR", "--edition", "2023").exit_code == 0
    assert run(project, "build", "KOR", "--edition", "2023", "--layout", "ring").exit_code == 0
    plain = " ".join(p.extract_text() for p in PdfReader(project / "output/2023/KOR.pdf").pages)
    ring = " ".join(p.extract_text()
                    for p in PdfReader(project / "output/2023/KOR-ring.pdf").pages)
    assert ring.count("about") == plain.count("about") + 1, (plain, ring)
    assert run(project, "build", "KOR", "--edition", "2017").exit_code == 0
    bars = " ".join(p.extract_text() for p in PdfReader(project / "output/2017/KOR.pdf").pages)
    assert "> 39.0" in bars.replace("\u00a0", " ")
