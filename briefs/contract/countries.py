"""Recognising country names, to warn about likely typos in `partner_countries`.

pycountry holds ISO 3166 names; UN and ILO documents also use short forms that ISO lacks
("Lao PDR", "Republic of Korea"), so those are accepted too. An unrecognised name is only a
warning: the list is free text and a region or territory may be meant.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from briefs.text import did_you_mean

# Short forms in UN usage that are not among ISO 3166's names.
UN_SHORT_FORMS = (
    "Lao PDR", "Republic of Korea", "Democratic Republic of the Congo", "Republic of Moldova",
    "Kosovo", "State of Palestine", "Occupied Palestinian Territory", "Syria", "Iran",
    "Russia", "Vietnam", "Cape Verde", "Swaziland", "Macedonia", "Turkey", "Czech Republic",
    "Ivory Coast", "East Timor", "Burma", "Micronesia", "DR Congo", "Congo-Brazzaville",
)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("’", "'").split())


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


def unrecognised(name: str) -> str | None:
    """None when `name` is a country name; otherwise a hint: " — did you mean 'Ghana'?"."""
    known = _known()
    if _key(name) in known:
        return None
    return did_you_mean(_key(name), known, cutoff=0.75, spelled=known,
                        otherwise=" — check the spelling, or ignore this if a region or "
                        "territory is meant")
