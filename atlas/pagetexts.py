"""What pages say beyond their templates: the search page's filters and the texts of its scripts, and the
"Änderung vorschlagen" links of offer and actor pages and of a search that found nothing (atlas/render.py's
pages take them into their contexts)."""

from __future__ import annotations

from typing import Any

from atlas import urls
from atlas.i18n import Catalog
from atlas.model import Site
from atlas.search import language_options


def search_filters(site: Site, lang: str, catalog: Catalog) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The search page's filter groups: (query parameter, legend, [(value, label, lang of label)])."""
    config, _ = site.config, catalog.gettext
    return [
        ("region", _("Ort"), [(r.slug, r.name, "") for r in site.regions.values()]),
        ("thema", _("Thema"), [(t.slug, t.label(lang), "") for t in config.topics]),
        ("zielgruppe", _("Für wen"), [(a.slug, a.label(lang), "") for a in config.audiences]),
        ("sprache", _("Sprache des Angebots"), [(code, name, code) for code, name in language_options(site)]),
    ]


def search_texts(lang: str, catalog: Catalog) -> dict[str, Any]:
    """What search.js says, in the page's language; counts by plural category (Intl.PluralRules)."""
    _ = catalog.gettext
    return {
        "lang": lang,
        "loading": _("Die Suche wird geladen …"),
        "failed": _("Die Suche konnte nicht geladen werden. Sie finden jedes Angebot über die Seiten unten."),
        "found": catalog.plural_forms("%(num)d Angebot gefunden.", "%(num)d Angebote gefunden."),
        "foundFor": catalog.plural_forms("%(num)d Angebot für %(words)s gefunden.",
                                         "%(num)d Angebote für %(words)s gefunden."),
        "none": _("Keine Angebote gefunden. Versuchen Sie ein anderes Wort oder weniger Filter."),
        "noneFor": _("Keine Angebote für %(words)s gefunden. Versuchen Sie ein anderes Wort oder weniger Filter."),
        "quoted": _("„%(words)s“"),
        "selected": catalog.plural_forms("%(num)d gewählt", "%(num)d gewählt"),
        "didYouMean": _("Meinten Sie %(words)s?"),
        "or": _("oder"),
        "marks": [QUERY_MARK, QUERY_IN_URL_MARK],
        **nearnow_texts(catalog),
    }


def nearnow_texts(catalog: Catalog) -> dict[str, str]:
    """What js/nearnow-page.js and js/hours.js say: near me, open now."""
    _ = catalog.gettext
    return {
        "locating": _("Ihr Standort wird abgefragt …"),
        "located": _("Nach Entfernung von Ihrem Standort sortiert. Er bleibt auf diesem Gerät."),
        "denied": _("Ihr Standort wurde nicht freigegeben. Wählen Sie stattdessen einen Ort oder eine Postleitzahl."),
        "unavailable": _("Ihr Standort ist gerade nicht verfügbar. Wählen Sie stattdessen einen Ort oder eine "
                         "Postleitzahl."),
        "from": _("Nach Entfernung von %(place)s sortiert."),
        "needPlace": _("Zum Sortieren nach Nähe: „In meiner Nähe“ wählen oder einen Ort auswählen."),
        "distance": _("%(distance)s entfernt"),
        "noGeo": _("ohne Ortsangabe, daher am Ende"),
        "noHours": _("Angebote ohne feste Zeiten (nach Vereinbarung), nicht angezeigt: %(num)d"),
        "noHoursShown": _("Davon ohne feste Zeiten (nach Vereinbarung): %(num)d"),
        "showNoHours": _("Auch diese zeigen"),
    }


def suggest_href(site: Site, catalog: Catalog, route: str, slug: str, title: str) -> str | None:
    """The "Änderung vorschlagen" link of a page, prefilled with its absolute address (in the
    reader's language) and title; None when atlas.yaml names no channel."""
    suggest = site.config.suggest
    if suggest is None:
        return None
    _ = catalog.gettext
    url = urls.absolute(site.config.base_url, urls.in_language(catalog.lang, route))
    body = "\n\n".join([_("Seite: %(url)s") % {"url": url},
                         _("Was stimmt nicht mehr oder fehlt? Bitte schreiben Sie es hier:"), ""])
    return suggest.href(url=url, slug=slug, title=title,
                        subject=_("Änderungsvorschlag: %(title)s") % {"title": title}, body=body)


# what search.js puts in for the search words (once as they are, once inside the page address)
QUERY_MARK, QUERY_IN_URL_MARK = "ATLASQUERYMARK", "ATLASQUERYINURLMARK"


def missing_offer_href(site: Site, catalog: Catalog) -> str | None:
    """The link with which a resident whose search found nothing reports a missing offer
    (deadends), prefilled with the search words and the search's address; the page puts the
    words in for the marks. None when atlas.yaml names no channel."""
    suggest = site.config.suggest
    if suggest is None:
        return None
    _ = catalog.gettext
    url = urls.absolute(site.config.base_url, urls.in_language(catalog.lang, urls.SEARCH)) + "?q=" + QUERY_IN_URL_MARK
    words = _("„%(words)s“") % {"words": QUERY_MARK}
    body = "\n\n".join([_("Ich habe nach %(words)s gesucht und kein Angebot gefunden.") % {"words": words},
                         _("Seite: %(url)s") % {"url": url},
                         _("Welches Angebot fehlt? Bitte schreiben Sie es hier:"), ""])
    return suggest.href(url=url, slug="suche", title=QUERY_MARK,
                        subject=_("Angebot fehlt: %(words)s") % {"words": words}, body=body)
