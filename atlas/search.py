"""The search step of the build: what the search page loads.

For now it writes the result documents (what one hit shows); the lunr index that the
search page queries joins it here (issue: search), built from the same model.
"""

from __future__ import annotations

import json
from typing import Any

from atlas import urls
from atlas.model import Site

DOCUMENTS = "suche/documents.json"


def documents(site: Site) -> list[dict[str, Any]]:
    """One entry per published offer: what a search result shows, and what filters match on."""
    return [
        {
            "id": offer.slug,
            "url": urls.offer(offer.slug),
            "title": offer.title,
            "summary": offer.summary,
            "actor": site.actors[offer.actor].name,
            "places": [site.regions[r].name for r in offer.regions],
            "regions": list(offer.regions),
            "topics": list(offer.topics),
            "audiences": list(offer.audiences),
            "languages": list(offer.languages),
            "free": bool(offer.cost and offer.cost.free),
        }
        for offer in site.offers.values()
    ]


def search_files(site: Site) -> dict[str, bytes]:
    payload = json.dumps(documents(site), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {DOCUMENTS: payload.encode("utf-8")}
