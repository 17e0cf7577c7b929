"""Visual regression of the sample briefs: reference PNGs at a low resolution.

`python tests/visual.py` rebuilds the sample in a temporary folder and rewrites the reference
images under tests/references/; run it deliberately after a change of look, look at the new
images, and commit them. tests/test_visual.py compares against them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from PIL import Image, ImageChops

REPO = Path(__file__).resolve().parent.parent
REFERENCES = REPO / "tests" / "references"
DPI = 30
BRIEFS = ((2017, "KOR"), (2023, "KOR"))
CHANNEL_TOLERANCE = 48  # a pixel differs when a channel moves by more than this
SHARE_TOLERANCE = 0.004  # and the page differs when more than this share of pixels do


def build_sample(root: Path) -> Path:
    """The sample project built with the real CLI in `root`; returns the project folder."""
    from briefs.cli.main import cli

    shutil.copytree(REPO / "data", root / "data")
    result = CliRunner().invoke(cli, ["--project", str(root), "build"])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return root


def page_images(project: Path) -> dict[str, Image.Image]:
    """name -> image of every page of the sample briefs, at the reference resolution."""
    from briefs.build.preview import render_pages

    images = {}
    for edition, code in BRIEFS:
        pdf = project / "output" / str(edition) / f"{code}.pdf"
        for number, image in enumerate(render_pages(pdf, DPI), start=1):
            images[f"{edition}-{code}-{number}.png"] = image.convert("RGB")
    return images


def difference(actual: Image.Image, expected: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels that differ beyond the tolerance, and an image showing them."""
    if actual.size != expected.size:
        return 1.0, actual
    diff = ImageChops.difference(actual, expected).convert("L")
    mask = diff.point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    changed = mask.histogram()[255]
    shown = Image.composite(Image.new("RGB", actual.size, (255, 0, 0)),
                            actual.point(lambda v: 128 + v // 2), mask)
    return changed / (actual.width * actual.height), shown


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        images = page_images(build_sample(Path(tmp)))
    if REFERENCES.exists():
        shutil.rmtree(REFERENCES)
    REFERENCES.mkdir(parents=True)
    for name, image in images.items():
        image.save(REFERENCES / name, optimize=True)
        print(f"wrote {REFERENCES.relative_to(REPO) / name}")


if __name__ == "__main__":
    sys.exit(refresh())
