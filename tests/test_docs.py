"""The README documents every command the CLI has, and its first lines stay true."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.main import cli


def test_every_command_has_a_readme_section(repo: Path) -> None:
    readme = repo.joinpath("README.md").read_text(encoding="utf-8")
    names = cli.list_commands(click.Context(cli))
    assert len(names) == 11
    for name in names:
        assert f"### `briefs {name}" in readme, f"README has no section for briefs {name}"


def test_readme_starts_with_the_two_setup_commands(repo: Path) -> None:
    lines = repo.joinpath("README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1: lines.index("```sh") + 3]
    assert block[0].startswith("pip install . && briefs build")
    # the test command installs what the tests drive (Debian's Java, PDFBox and Chromium, the
    # test extras) before running them, so it is true on a fresh machine
    assert block[1].startswith("bash .ci/run")
    assert lines.index("```sh") < 5


def test_ci_runs_the_readme_test_command(repo: Path) -> None:
    script = repo.joinpath(".ci/run").read_text(encoding="utf-8")
    assert '-e ".[test]"' in script
    assert "python3 -m pytest" in script
