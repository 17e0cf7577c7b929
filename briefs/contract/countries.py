"""Recognising country names, to warn about likely typos in `partner_countries`.

pycountry's files hold ISO 3166 names; UN and ILO documents also use short forms that ISO lacks
("Lao PDR", "Republic of Korea"), so those are accepted too. An unrecognised name is only a
warning: the list is free text and a region or territory may be meant.
"""

from __future__ import annotations

import importlib.util
import json
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


ISO_NAMES = ("name", "official_name", "common_name")


@cache
def iso_countries() -> tuple[tuple[dict[str, str], ...], str]:
    """ISO 3166-1's countries (each its names, by `ISO_NAMES`) and the folder of their
    translations, as pycountry ships them.

    Read from pycountry's files, found without importing it: its import reads its own
    version through importlib.metadata and the email package, a tenth of a rebuild where
    nothing changed. Should its files not be where they were, pycountry itself is asked.
    """
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent
        try:
            table = json.loads((folder / "databases" / "iso3166-1.json").read_bytes())
            return tuple({k: c[k] for k in ISO_NAMES if c.get(k)} for c in table["3166-1"]), \
                str(folder / "locales")
        except (OSError, ValueError, KeyError, TypeError):
            pass
    import pycountry

    return tuple({k: getattr(c, k) for k in ISO_NAMES if getattr(c, k, None)}
                 for c in pycountry.countries), pycountry.LOCALES_DIR


@cache
def _known(language: str = "en") -> dict[str, str]:
    """Every accepted spelling (normalised) -> the name to suggest, in `language`.

    English also accepts no other language; another language accepts its own names (ISO 3166
    as pycountry's gettext catalogues translate it, and the UN's forms) and the English ones,
    which a translator may have kept.
    """
    import gettext

    countries, locales = iso_countries()
    words = gettext.translation("iso3166-1", locales, languages=[language],
                                fallback=True).gettext
    known: dict[str, str] = {} if language == "en" else dict(_known("en"))
    for country in countries:
        for name in (words(country[k]) for k in ISO_NAMES if k in country):
            known[_key(name)] = words(country["name"])
            head, sep, tail = name.partition(", ")
            if sep:  # "Tanzania, United Republic of" is also "Tanzania" and its other order
                known[_key(head)] = words(country["name"])
                known[_key(f"{tail} {head}")] = words(country["name"])
    for name in UN_SHORT_FORMS if language == "en" else UN_FORMS.get(language, ()):
        known[_key(name)] = name
    return known


def unrecognised(name: str, accepted: frozenset[str] = frozenset(),
                 language: str = "en") -> str | None:
    """None when `name` is a country name in `language` (or English), or one the project
    accepts; otherwise a hint: " — did you mean 'Ghana'? …"."""
    known = _known(language)
    if _key(name) in known or _key(_un_form(name)) in known or _key(name) in accepted:
        return None
    accept = " (if the name is right, add it to accept in the [countries] table of " \
        "briefs.toml)"
    return did_you_mean(_key(name), known, cutoff=0.75, spelled=known,
                        otherwise=" — check the spelling") + accept
