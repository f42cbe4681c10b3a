"""`atlas new`: a new record from a template, with a comment that explains every field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from atlas.config import CONFIG_FILE, load_config
from atlas.errors import AtlasError
from atlas.fields import SLUG
from atlas.records import ACTOR_KINDS, REGION_KINDS
from atlas.sources import CONTENT

FOLDERS = {"offer": "offers", "actor": "actors", "region": "regions"}

REGION = """\
---
# The region's name as residents know it.
name: {title}
# One of: {region_kinds}
kind: gemeinde
# The slug of the enclosing region (Gemeinde -> Kreis, Ortsteil -> Stadt); empty for a Kreis.
parent:
# Postcodes in quotes (YAML would read 01067 as a number), e.g. ["63450", "63452"].
postcodes: []
# Optional: where the map should centre.
# geo: {{lat: 50.13, lon: 8.92}}
---
A sentence or two about the place (optional).
"""

ACTOR = """\
---
# The full name, e.g. "Caritasverband für den Main-Kinzig-Kreis e. V."
name: {title}
# One of: {actor_kinds}
kind: verein
# Region slugs where the actor works: content/regions/<slug>.md, e.g. [hanau, maintal]
regions: []
# Optional contact; phone numbers and postcodes in quotes.
# website: https://www.example.org/
# email: info@example.org
# phone: "06181 000000"
# address: {{street: Musterstraße 1, postcode: "63450", city: Hanau}}
---
Who you are and what you do, in a few sentences (Markdown).
"""

OFFER = """\
---
# A short name for the offer.
title: {title}
# One or two sentences, plain text, at most 300 characters: shown in lists and search results.
summary:
# The slug of the actor that runs it: content/actors/<slug>.md
actor:
# Optional: other actors that take part.
# partners: []
# Region slugs it serves (content/regions/<slug>.md); a Kreis slug means the whole Kreis.
regions: []
# Topic slugs, one or more of: {topics}
topics: []
# Optional audience slugs (absent means: everyone), of: {audiences}
# audiences: []
# Optional: languages the offer is held in, as ISO 639-1 codes.
# languages: [de, tr, ar]
# Optional: free, or {{amount: "20 €", note: "Ermäßigung möglich"}}
# cost: free
# Optional: required, possible or none
# appointment: possible
# Optional places; accessible: yes, partly, no or unknown. Postcodes in quotes.
# locations:
#   - name: Stadtteilzentrum
#     street: Musterstraße 1
#     postcode: "63450"
#     city: Hanau
#     accessible: yes
# Optional opening hours; days: mo di mi do fr sa so; times in quotes.
# hours:
#   - days: [di, do]
#     opens: "09:00"
#     closes: "12:00"
# hours_note: In den Schulferien geschlossen.
# contact: {{name: Beratungsteam, phone: "06181 000000", email: info@example.org}}
# For time-limited projects; after valid_until the offer is no longer listed.
# valid_from: {today}
# valid_until: {today}
# The day an editor last confirmed that this entry is correct.
reviewed: {today}
---
What happens, how to take part, what to bring (Markdown).
"""

TEMPLATES = {"offer": OFFER, "actor": ACTOR, "region": REGION}


def new_record(project: Path, kind: str, slug: str, today: date | None = None) -> Path:
    """Write content/<kind>s/<slug>.md. What only a person can know (summary, actor, regions,
    topics, cost …) is left empty or commented out: `atlas check` then names what is missing,
    and an unedited record cannot slip through with a wrong actor or a wrong "kostenlos"."""
    if not (project / CONFIG_FILE).is_file():
        raise AtlasError(f"{project} is not an atlas (it has no {CONFIG_FILE}); run this in the atlas folder "
                         "or name it with --project")
    if not SLUG.match(slug):
        raise AtlasError(f'"{slug}" is not a valid slug: use a-z, 0-9 and single hyphens, e.g. sprachcafe-hanau')
    path = project / CONTENT / FOLDERS[kind] / f"{slug}.md"
    if path.exists():
        raise AtlasError(f"{path} exists already; edit it, or choose another slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATES[kind].format(**_hints(project, slug, today or date.today())), encoding="utf-8")
    return path


def _hints(project: Path, slug: str, today: date) -> dict[str, str]:
    """The title from the slug, today's date, and the project's vocabularies for the comments."""
    config, _ = load_config(project)
    topics = [t.slug for t in config.topics] if config else []
    audiences = [a.slug for a in config.audiences] if config else []
    return {
        "title": slug.replace("-", " ").title(),
        "today": today.isoformat(),
        "region_kinds": ", ".join(REGION_KINDS),
        "actor_kinds": ", ".join(ACTOR_KINDS),
        "topics": ", ".join(topics) or "(see atlas.yaml)",
        "audiences": ", ".join(audiences) or "(see atlas.yaml)",
    }
