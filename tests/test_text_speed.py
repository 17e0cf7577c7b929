"""The fast paths of drawing text and writing the PDF give what the slow paths gave.

Each mechanism of the speed work on text (issue 15) is checked against the ReportLab code it
stands in for, on texts that take the slow path: new characters, non-Latin characters, a
character the font lacks, a no-break space, and more characters than one subset holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

GREEK = "Η Διεθνής Οργάνωση Εργασίας προωθεί την αξιοπρεπή εργασία."
CYRILLIC = "Международная организация труда: ёжик, щука, эхо, юг, ящик."
# Latin Extended-A and symbols: with the above, more characters than one subset's 224 codes
MANY = "".join(chr(c) for c in range(0x100, 0x17F)) + " ½ € ™ † • … ‰ → ∞ ≈ ≠ ≤ ≥"
TEXTS = ["Decent work", "Decent work", "", "café\u00a0au lait", GREEK, "work " + GREEK,
         CYRILLIC, MANY, "中文 missing", CYRILLIC + " " + MANY[:40], "Decent work again",
         MANY[::-1], GREEK + MANY, b"bytes \xc3\xa9t\xc3\xa9"]


def _dejavu_path() -> str:
    from matplotlib import get_data_path

    return f"{get_data_path()}/fonts/ttf/DejaVuSans.ttf"


class _Doc:
    """What a font keys its subsets by: any object (a PDF document in a real run)."""


def test_split_string_gives_reportlabs_codes_on_every_kind_of_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The compact font's splitString against ReportLab's own, call by call, on one document,
    and repeated strings are translated without ReportLab's loop."""
    from reportlab.pdfbase.ttfonts import TTFont

    from briefs.render.fonts import _compact_font

    # not registered: ReportLab's registry gives a face's first font to every later name
    compact = _compact_font("CompactDejaVuForTest", _dejavu_path())
    plain = TTFont("PlainDejaVuForTest", _dejavu_path())
    mine, theirs = _Doc(), _Doc()
    for text in TEXTS * 2:
        assert compact.splitString(text, mine) == plain.splitString(text, theirs), text
    assert len(compact.state[mine].subsets) > 1  # the texts spilled into a second subset
    assert compact.state[mine].assignments == plain.state[theirs].assignments

    calls: list[str] = []
    slow = TTFont.splitString

    def counted(self: Any, text: str, doc: Any, encoding: str = "utf-8") -> Any:
        calls.append(text)
        return slow(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", counted)
    assert compact.splitString("Decent work café", mine) == \
        slow(plain, "Decent work café", theirs)
    assert calls == [], "a string of known characters went through ReportLab's loop"
    assert compact.splitString("new: ŉ Ω", mine) == slow(plain, "new: ŉ Ω", theirs)
    assert calls == ["new: ŉ Ω"]


def test_a_width_kept_is_the_width_reportlab_measures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compact font keeps the widths of words it measured (a paragraph asks for each
    word's each time it breaks its lines): asked again, at any size, it answers what ReportLab
    measures; it keeps no bytes (their characters depend on an encoding) and no lines, and
    starts again past WIDTHS_KEPT."""
    from reportlab.pdfbase.ttfonts import TTFont

    from briefs.render import fonts

    compact = fonts._compact_font("CompactDejaVuForWidths", _dejavu_path())
    plain = TTFont("PlainDejaVuForWidths", _dejavu_path())
    for text in [t for t in TEXTS if isinstance(t, str)] * 2:
        for size in (8.4, 10, 27.0):
            assert compact.stringWidth(text, size) == plain.stringWidth(text, size), text
    assert ("Decent work", 10) in compact._widths
    assert compact.stringWidth(b"caf\xc3\xa9", 10) == plain.stringWidth(b"caf\xc3\xa9", 10)
    assert not any(isinstance(text, bytes) for text, _ in compact._widths)
    assert (GREEK, 10) not in compact._widths  # a line's, asked once
    monkeypatch.setattr(fonts, "WIDTHS_KEPT", len(compact._widths) + 2)
    for word in ("one", "two", "three"):
        compact.stringWidth(word, 9)
    assert list(compact._widths) == [("three", 9)]
    assert compact.stringWidth("three", 9) == plain.stringWidth("three", 9)


def _stress_brief(folder: Path) -> tuple[Any, Any]:
    """The sample's 2017 brief with Greek, Cyrillic and symbols (two subsets), and a link."""
    from briefs.build.batch import plan_builds
    from briefs.contract.project import complete_brief

    shutil.copytree(REPO / "data", folder / "data")
    profile = folder / "data" / "profiles" / "KOR" / "2017.md"
    text = profile.read_text(encoding="utf-8")
    extra = f"{GREEK} See [the ILO](https://www.ilo.org).\n\n{CYRILLIC}\n\n{MANY}"
    profile.write_text(text.replace("\n## ", f"\n{extra}\n\n## ", 1), encoding="utf-8")
    job = next(j for j in plan_builds(folder, skip_current=False).jobs
               if j.brief.edition == 2017)
    return (job.brief if job.brief.profile.parsed else complete_brief(job.brief)[0]), job.layout


def _slow_split(self: Any, text: str) -> None:
    return None


def _widths_left_to_reportlab(doc: Any, names: list[str]) -> None:
    return None


def _reportlabs_operators(self: Any, text: str) -> str:
    from reportlab.pdfgen.textobject import PDFTextObject

    return PDFTextObject._formatText(self, text)


def _mechanism(name: str) -> tuple[Any, str, Any]:
    """(owner, attribute, ReportLab's way) of each fast path."""
    from briefs.render import fonts, textboxes

    return {"split": (fonts.SubsetCodes, "split", _slow_split),
            "widths": (fonts, "written_widths", _widths_left_to_reportlab),
            "operators": (textboxes.RunRecorder, "_operators", _reportlabs_operators)}[name]


def _taken(name: str, args: tuple[Any, ...], found: Any) -> bool:
    """Whether a call of a fast path took it (rather than leaving the work to ReportLab)."""
    from briefs.render.tagging.writer import Written

    if name == "split":
        return found is not None
    if name == "widths":
        doc, names = args
        fonts = doc.idToObject["BasicFonts"].dict
        return all(isinstance(fonts[n].Widths, Written) for n in names)
    return True


@pytest.mark.parametrize("name", ["split", "widths", "operators"])
def test_a_brief_has_the_same_bytes_by_either_path(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    name: str) -> None:
    """A whole brief, its text over two subsets of a face, with a link: the PDF made with
    each fast path is the PDF made by ReportLab's code, and the fast path was taken."""
    from briefs.render.document import render_pdf

    brief, layout = _stress_brief(tmp_path)
    owner, attribute, slow = _mechanism(name)
    fast_path = getattr(owner, attribute)
    taken: list[bool] = []

    def spied(*args: Any) -> Any:
        found = fast_path(*args)
        taken.append(_taken(name, args, found))
        return found

    monkeypatch.setattr(owner, attribute, spied)
    fast = render_pdf(brief, layout).pdf
    assert b"/F2+1 " in fast  # a second subset of the body's face was used
    # strings are mostly translated; each face's subsets have their widths written
    least = {"split": 100, "widths": 3, "operators": 100}[name]
    assert taken.count(True) >= least, (taken.count(True), len(taken))
    monkeypatch.setattr(owner, attribute, slow)
    assert render_pdf(brief, layout).pdf == fast
