"""Mail in each recipient's language: which brief a recipient gets, and the message around it.

A recipient's `language` (data/stakeholders.csv) picks the brief of that language when the
edition has one; otherwise they get the main-language brief and the user is warned. Each
language's message is templates/message.LANG.txt (and .html), else the built-in message in
that language, written here in English, French and Spanish.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from briefs.errors import Collector, Warning_
from briefs.mail.message import Recipient
from briefs.mail.template import BUILTIN_TEMPLATE, Template, load_template
from briefs.text import french_spacing

BUILTIN_TEMPLATES = {
    "en": BUILTIN_TEMPLATE,
    "fr": "Subject: {title}, édition {edition}\n" + french_spacing("""
Bonjour {name},

Veuillez trouver ci-joint l’édition {edition} de « {title} », notre note sur la
coopération avec {short_name}, avec les chiffres de la période {period}.

Pour toute question ou remarque, il vous suffit de répondre à ce message.

Avec nos meilleures salutations,
{sender}
"""),
    "es": """\
Subject: {title}, edición {edition}

Estimado/a {name}:

Le adjuntamos la edición {edition} de «{title}», nuestra nota sobre la cooperación
con {short_name}, con las cifras del período {period}.

Si tiene alguna pregunta o comentario, basta con responder a este mensaje.

Atentamente,
{sender}
""",
}
"""The built-in message in each language briefs speaks; another language gets English."""


def load_templates(root: Path, languages: Iterable[str], main: str,
                   problems: Collector) -> dict[str, Template | None]:
    """The message template of each language: the project's own file for it, else the
    built-in text in that language (in English for a language briefs does not speak)."""
    out: dict[str, Template | None] = {}
    for language in dict.fromkeys(languages):
        builtin = BUILTIN_TEMPLATES.get(language, BUILTIN_TEMPLATE)
        suffix = "" if language == main else language
        out[language] = load_template(root, problems, suffix, builtin)
    return out


def route(recipients: Iterable[Recipient], languages: list[str], main: str, code: str,
          edition: int) -> tuple[dict[str, list[Recipient]], list[Warning_]]:
    """Which recipients get the brief in which language, and a warning for each recipient
    whose language this edition is not written in (they get the main-language brief)."""
    routed: dict[str, list[Recipient]] = {language: [] for language in languages}
    warnings = []
    for recipient in recipients:
        wanted = recipient.language or main
        if wanted not in routed:
            warnings.append(Warning_(
                "data/stakeholders.csv", f"{code} {edition} has no '{wanted}' profile, so "
                f"{recipient.name} is sent the '{main}' brief — add "
                f"data/profiles/{code}/{edition}.{wanted}.md", recipient.line))
            wanted = main
        routed.setdefault(wanted, []).append(recipient)
    return routed, warnings


def today(language: str) -> str:
    """Today's date as the message's language writes it: '1 May 2024', '1 mai 2024'."""
    from babel.dates import format_date

    return format_date(datetime.date.today(), format="long", locale=language)
