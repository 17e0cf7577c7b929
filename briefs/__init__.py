"""briefs: donor-profile fact sheets as PDF, from data files and YAML layouts.

The library's front door: everything the `briefs` command does, a Python caller can do with
the names below (see "Python API" in the README). Each is imported on first use (module
`__getattr__`), so `import briefs` and `briefs --help` stay fast: the heavy libraries (pandas,
ReportLab, matplotlib) are imported only by the stages that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    # load: the data contract and the layouts
    "Project": "briefs.contract.project",
    "load_project": "briefs.contract.project",
    "load_brief": "briefs.contract.project",
    "Brief": "briefs.contract.model",
    "Layout": "briefs.layout.model",
    "load_layout": "briefs.layout.loader",
    # build: plan, check, render, run, preview
    "Plan": "briefs.build.batch",
    "Job": "briefs.build.batch",
    "Outcome": "briefs.build.batch",
    "plan_builds": "briefs.build.batch",
    "check_project": "briefs.build.batch",
    "render_brief": "briefs.build.run",
    "run_builds": "briefs.build.run",
    "write_previews": "briefs.build.preview",
    # send
    "send_briefs": "briefs.mail.send",
    "check_sending": "briefs.mail.send",
    "Delivery": "briefs.mail.send",
    # the yearly commands
    "diff_editions": "briefs.yearly.diffing",
    "new_edition": "briefs.yearly.editions",
    "list_briefs": "briefs.yearly.listing",
    "init_project": "briefs.yearly.scaffold",
    "report_rows": "briefs.yearly.report",
    # the desk
    "create_app": "briefs.serve.app",
    # errors
    "BriefsError": "briefs.errors",
    "UserError": "briefs.errors",
    "WorkError": "briefs.errors",
    "LockedError": "briefs.errors",
    "InternalError": "briefs.errors",
    "Problem": "briefs.errors",
    "Warning_": "briefs.errors",
    "Bug": "briefs.errors",
}

__all__ = [
    "Brief",
    "BriefsError",
    "Bug",
    "Delivery",
    "InternalError",
    "Job",
    "Layout",
    "LockedError",
    "Outcome",
    "Plan",
    "Problem",
    "Project",
    "UserError",
    "Warning_",
    "WorkError",
    "__version__",
    "check_project",
    "check_sending",
    "create_app",
    "diff_editions",
    "init_project",
    "list_briefs",
    "load_brief",
    "load_layout",
    "load_project",
    "new_edition",
    "plan_builds",
    "render_brief",
    "report_rows",
    "run_builds",
    "send_briefs",
    "write_previews",
]

if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__ below
    from briefs.build.batch import Job, Outcome, Plan, check_project, plan_builds
    from briefs.build.preview import write_previews
    from briefs.build.run import render_brief, run_builds
    from briefs.contract.model import Brief
    from briefs.contract.project import Project, load_brief, load_project
    from briefs.errors import (
        BriefsError,
        Bug,
        InternalError,
        LockedError,
        Problem,
        UserError,
        Warning_,
        WorkError,
    )
    from briefs.layout.loader import load_layout
    from briefs.layout.model import Layout
    from briefs.mail.send import Delivery, check_sending, send_briefs
    from briefs.serve.app import create_app
    from briefs.yearly.diffing import diff_editions
    from briefs.yearly.editions import new_edition
    from briefs.yearly.listing import list_briefs
    from briefs.yearly.report import report_rows
    from briefs.yearly.scaffold import init_project


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use, and keep the name here for the next."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefs' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
