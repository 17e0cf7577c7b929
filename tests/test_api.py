"""The library's front door: `import briefs` is cheap, every public name resolves, and the
README's "Python API" example runs as written and prints what the README says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

import briefs

HEAVY = ("pandas", "reportlab", "matplotlib", "markdown_it", "yaml", "click")


def readme_section(repo: Path, title: str) -> str:
    text = (repo / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def python_env(repo: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(repo), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def test_import_briefs_loads_no_heavy_library(repo: Path) -> None:
    code = f"import sys, briefs; print([m for m in {HEAVY!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=python_env(repo), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("name", briefs.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(briefs, name)
    assert value is not None
    if name != "__version__":
        assert value.__module__.startswith("briefs."), name
        assert name in dir(briefs)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'briefs' has no attribute 'render_pdf'"):
        briefs.render_pdf  # noqa: B018


def test_the_readme_example_runs(repo: Path, tmp_path: Path) -> None:
    section = readme_section(repo, "Python API")
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S)
    example = next(body for lang, body in blocks if lang == "python")
    printed = next(body for lang, body in blocks if lang == "")
    project = copy_project(repo, tmp_path / "project")
    proc = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                          cwd=project, env=python_env(repo), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == printed
    assert (project / "output" / "2017" / "KOR.pdf").read_bytes()[:5] == b"%PDF-"
