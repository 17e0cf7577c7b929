"""briefs: donor-profile fact sheets as PDF, from data files and YAML layouts.

The package is importable cheaply (the CLI's --help must be fast); the heavy libraries are
imported by the modules that draw.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
