"""Shared fixtures: real project folders in tmp, built with the real CLI.

Nothing here writes into the source tree: every project is a copy of the repository's data/
in pytest's tmp folders. A project holds only data/ (no layouts/), so the built-in layouts
are used unless a test adds its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefs.cli.main import cli

REPO = Path(__file__).resolve().parent.parent


def invoke(*args: object, env: Mapping[str, str | None] | None = None) -> Result:
    """The `briefs` command run in-process with arguments as given.

    Click 8.2+: `result.output` is stdout and stderr interleaved, `result.stdout` and
    `result.stderr` are the two streams on their own.
    """
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def run(project_dir: Path, *args: object,
        env: Mapping[str, str | None] | None = None) -> Result:
    """`briefs --project DIR ARGS...` run in-process."""
    return invoke("--project", project_dir, *args, env=env)


def copy_project(repo: Path, dest: Path) -> Path:
    """A project folder at `dest` holding a copy of the repository's data/ only."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(repo / "data", dest / "data")
    return dest


def pdfs_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def project(repo: Path, tmp_path: Path) -> Path:
    """A fresh project (data/ only) for a test that changes files or builds."""
    return copy_project(repo, tmp_path / "project")


@pytest.fixture(scope="session")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once with `briefs build`; read-only for the tests that use it."""
    folder = copy_project(repo, tmp_path_factory.mktemp("built") / "project")
    result = run(folder, "build")
    assert result.exit_code == 0, result.output
    return folder
