"""How a project names its donors' folders and their profiles.

Two rules of the contract on their own, importing nothing else of it: a build counts the
profiles of the donors asked for before it reads the project (`at_most_one_brief`), and
that count decides whether a worker starts, so it must cost next to nothing.
"""

from __future__ import annotations

import re

DONOR_CODE = re.compile(r"^[A-Z0-9-]{2,16}$")  # a donor's code, and its folder's name
PROFILE_FILE = re.compile(r"^(\d{4})(?:\.([a-z]{2}))?\.md$")
"""`2023.md` (the main language) or `2023.fr.md` (a translation): the edition, the language."""
