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


# The UN's forms in French and Spanish that ISO 3166's translations write otherwise.
UN_FORMS = {
    "fr": ("République de Corée", "République démocratique populaire lao", "RDP lao",
           "République de Moldova", "État de Palestine", "Viet Nam", "Türkiye",
           "République démocratique du Congo", "République-Unie de Tanzanie",
           "République arabe syrienne", "République islamique d’Iran", "Fédération de Russie"),
    "es": ("República de Corea", "República Democrática Popular Lao", "RDP Lao",
           "República de Moldova", "Estado de Palestina", "Viet Nam", "Türkiye",
           "República Democrática del Congo", "República Unida de Tanzanía",
           "República Árabe Siria", "República Islámica del Irán", "Federación de Rusia",
           "Argelia", "Túnez", "Bangladesh", "Camerún", "Marruecos"),
}


@cache
def _known(language: str = "en") -> dict[str, str]:
    """Every accepted spelling (normalised) -> the name to suggest, in `language`.

    English also accepts no other language; another language accepts its own names (ISO 3166
    as pycountry's gettext catalogues translate it, and the UN's forms) and the English ones,
    which a translator may have kept.
    """
    import gettext

    import pycountry

    words = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language],
                                fallback=True).gettext
    known: dict[str, str] = {} if language == "en" else dict(_known("en"))
    for country in pycountry.countries:
        names = [country.name, getattr(country, "official_name", None),
                 getattr(country, "common_name", None)]
        for name in (words(n) for n in names if n):
            known[_key(name)] = words(country.name)
            head, sep, tail = name.partition(", ")
            if sep:  # "Tanzania, United Republic of" is also "Tanzania" and its other order
                known[_key(head)] = words(country.name)
                known[_key(f"{tail} {head}")] = words(country.name)
    for name in UN_SHORT_FORMS if language == "en" else UN_FORMS.get(language, ()):
        known[_key(name)] = name
    return known


def unrecognised(name: str, language: str = "en") -> str | None:
    """None when `name` is a country name in `language` (or English); otherwise a hint:
    " — did you mean 'Ghana'?"."""
    known = _known(language)
    if _key(name) in known:
        return None
    return did_you_mean(_key(name), known, cutoff=0.75, spelled=known,
                        otherwise=" — check the spelling, or ignore this if a region or "
                        "territory is meant")
