"""Packaging: the wheel carries the built-in layouts, and the module runs from anywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import copy_project
from pypdf import PdfReader


def test_wheel_contains_the_package_and_builtin_layouts(repo: Path, tmp_path: Path) -> None:
    """Built from a copy of the sources (the test extras bring a recent setuptools), so the
    build writes nothing into the source tree and needs no network."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(repo / name, source / name)
    for name in ("briefs", "layouts", "data"):
        shutil.copytree(repo / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(dist), str(source)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    wheels = list(dist.glob("briefs-*.whl"))
    assert len(wheels) == 1, wheels
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    assert "briefs/builtin_layouts/factsheet.yaml" in names
    assert "briefs/builtin_layouts/profile.yaml" in names
    assert "briefs/sample_data/contributions.csv" in names
    assert "briefs/sample_data/profiles/KOR/2017.md" in names
    assert "briefs/cli/main.py" in names
    assert "briefs/render/document.py" in names
    # the PDF/A output intent's colour profile, and the tagging code beside it
    assert "briefs/render/srgb.icc" in names
    assert "briefs/render/tagging/canvas.py" in names
    assert "briefs/serve/app.py" in names  # the desk, a stage package of its own


def test_python_m_briefs_from_another_folder(repo: Path, tmp_path: Path) -> None:
    project = copy_project(repo, tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "briefs", "--project", str(project), "build"],
        capture_output=True, text=True, timeout=120, cwd=elsewhere,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for year in (2017, 2023):
        pdf = project / "output" / str(year) / "KOR.pdf"
        assert pdf.is_file()
        assert len(PdfReader(pdf).pages) >= 2
    assert proc.stdout.splitlines()[-1] == "built 2, unchanged 0"
