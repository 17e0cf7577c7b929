"""The sample briefs look as they did when the references were made (tests/visual.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from visual import REFERENCES, build_sample, difference, page_images

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image.Image]:
    return page_images(build_sample(tmp_path_factory.mktemp("visual")))


def test_every_reference_page_is_still_there(pages: dict[str, Image.Image]) -> None:
    references = sorted(p.name for p in REFERENCES.glob("*.png"))
    assert references, "no reference images: run python tests/visual.py"
    assert sorted(pages) == references


@pytest.mark.parametrize("name", sorted(p.name for p in REFERENCES.glob("*.png")))
def test_page_matches_its_reference(pages: dict[str, Image.Image], name: str) -> None:
    expected = Image.open(REFERENCES / name).convert("RGB")
    actual = pages[name]
    share, shown = difference(actual, expected)
    if share > 0.004:
        ARTIFACTS.mkdir(exist_ok=True)
        actual.save(ARTIFACTS / name)
        shown.save(ARTIFACTS / name.replace(".png", "-diff.png"))
    assert share <= 0.004, (
        f"{name}: {share:.2%} of pixels differ; see tests/_artifacts/ — if the change is "
        "meant, refresh the references with python tests/visual.py")


def test_the_comparison_sees_a_change(pages: dict[str, Image.Image]) -> None:
    """A moved block of text must fail the comparison, or the test above proves nothing."""
    name = sorted(pages)[0]
    expected = Image.open(REFERENCES / name).convert("RGB")
    shifted = Image.new("RGB", expected.size, (255, 255, 255))
    shifted.paste(expected, (0, 6))
    share, _ = difference(shifted, expected)
    assert share > 0.004
