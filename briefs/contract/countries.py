"""Recognising country names, to warn about likely typos in `partner_countries`.

pycountry holds ISO 3166 names; UN and ILO documents also use short forms that ISO lacks
("Lao PDR", "Republic of Korea"), so those are accepted too. An unrecognised name is only a
warning: the list is free text and a region or territory may be meant.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from briefs.text import did_you_mean

# Short forms in UN usage that are not among ISO 3166's names.
UN_SHORT_FORMS = (
    "Lao PDR", "Republic of Korea", "Democratic Republic of the Congo", "Republic of Moldova",
    "Kosovo", "State of Palestine", "Occupied Palestinian Territory", "Syria", "Iran",
    "Russia", "Vietnam", "Cape Verde", "Swaziland", "Macedonia", "Turkey", "Czech Republic",
    "Ivory Coast", "East Timor", "Burma", "Micronesia", "DR Congo", "Congo-Brazzaville",
    # the UN's own names that ISO writes otherwise
    "Netherlands (Kingdom of the)", "Holy See", "Türkiye",
)


# typographic apostrophes and quotes as typed by word processors, read as the plain one
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
SETTINGS_FILE = "briefs.toml"


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = text.encode("ascii", "ignore").decode()
    return " ".join(text.casefold().split())


def _un_form(name: str) -> str:
    """'Bolivia (Plurinational State of)', as the UN writes it, is ISO's 'Bolivia, …'."""
    head, sep, tail = name.partition(" (")
    return f"{head}, {tail.rstrip(')')}" if sep and name.endswith(")") else name


def accepted_names(root: Path) -> frozenset[str]:
    """Extra names a project accepts: `accept` in the `[countries]` table of briefs.toml.

    A broken briefs.toml is reported where its settings are used (sending); here it only
    means no extra names.
    """
    from briefs.safe_files import FileProblem, read_regular

    path = root / SETTINGS_FILE
    try:  # a regular file only: a pipe named briefs.toml must not block every command
        data = tomllib.loads(read_regular(path).decode("utf-8-sig"))
    except (FileProblem, OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    table = data.get("countries")
    names = table.get("accept", []) if isinstance(table, dict) else []
    return frozenset(_key(n) for n in names if isinstance(n, str)) \
        if isinstance(names, list) else frozenset()


@cache
def _known() -> dict[str, str]:
    """Every accepted spelling (normalised) -> the name to suggest."""
    import pycountry

    known: dict[str, str] = {}
    for country in pycountry.countries:
        names = [country.name, getattr(country, "official_name", None),
                 getattr(country, "common_name", None)]
        for name in filter(None, names):
            known[_key(name)] = country.name
            head, sep, _ = name.partition(",")
            if sep:  # "Tanzania, United Republic of" is also "Tanzania"
                known[_key(head)] = country.name
    for name in UN_SHORT_FORMS:
        known[_key(name)] = name
    return known


def unrecognised(name: str, accepted: frozenset[str] = frozenset()) -> str | None:
    """None when `name` is a country name (or one the project accepts); otherwise a hint:
    " — did you mean 'Ghana'? …"."""
    known = _known()
    if _key(name) in known or _key(_un_form(name)) in known or _key(name) in accepted:
        return None
    accept = " (if the name is right, add it to accept in the [countries] table of " \
        "briefs.toml)"
    return did_you_mean(_key(name), known, cutoff=0.75, spelled=known,
                        otherwise=" — check the spelling") + accept
