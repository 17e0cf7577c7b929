"""Folders shipped with briefs: the built-in layouts and the sample data.

In the repository they are the top-level layouts/ and data/ folders; installed, pyproject.toml
maps them into the package as `briefs.builtin_layouts` and `briefs.sample_data`. Imported
straight from a source checkout that mapping does not exist, so the folder beside the package
is used.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


def _shipped(package: str, folder: str) -> Path:
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / folder


@cache  # looked up for every brief a run plans: once is enough
def builtin_layout_dir() -> Path:
    return _shipped("briefs.builtin_layouts", "layouts")


def sample_data_dir() -> Path:
    return _shipped("briefs.sample_data", "data")
