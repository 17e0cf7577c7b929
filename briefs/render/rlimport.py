"""ReportLab's paragraphs imported without compiling, up front, their pattern of web addresses.

As it is imported, reportlab.platypus.paragraph compiles `uri_pat`, a pattern recognising web
addresses (Django's URL validator): case-insensitive over most of Unicode, it costs Python
~30 ms to compile, a twentieth of a cold brief and of each worker's start. ReportLab uses it
only to break a word that looks like an address at a line's end, which most briefs never do.
So the module is imported with that one pattern made lazily (`LazyPattern`): compiled the
first time it is used, and from then on answering exactly as the compiled pattern does.

`re.compile` is replaced only while the module is imported, and only for a pattern that
starts as ReportLab's does; any other pattern, and any import made after, is compiled as
always. If ReportLab changes the pattern, nothing is made lazy (slower, never wrong).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"  # how reportlab's `uri_pat` begins
_lock = threading.Lock()  # two threads of `briefs serve` must not swap re.compile in turn


class LazyPattern:
    """A regular expression compiled when first used; then it is the compiled pattern's
    methods and attributes that answer (match, search, pattern, flags…)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def import_paragraph() -> None:
    """Import reportlab.platypus.paragraph (and so its package) with `uri_pat` lazy, once."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _lock, _uri_pattern_lazy():
        import reportlab.platypus.paragraph  # noqa: F401  (its import is the point)


@contextmanager
def _uri_pattern_lazy() -> Iterator[None]:
    """`re.compile` gives a LazyPattern for ReportLab's address pattern, for the block."""
    original = re.compile

    def compile_lazily(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START):
            return LazyPattern(pattern, flags)
        return original(pattern, flags)

    re.compile = compile_lazily
    try:
        yield
    finally:
        re.compile = original
