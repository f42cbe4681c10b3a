"""The Bestandsaufnahme page in every UI language: the inventory's counts, with charts in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from markupsafe import Markup

from atlas import urls
from atlas.charts import bar_chart, swatch
from atlas.i18n import Catalog
from atlas.inventory import COSTS, CSV, Inventory
from atlas.languages import direction, name_in
from atlas.model import Site
from atlas.render import Page

CHART_ROWS = 15  # the network's chart shows the actors with the most partners
TABLE_ROWS = 50  # the network's and the review's tables; the CSV files hold every row
PLACE_WIDTH = 150  # chart units for a place's name beside its bar ("Steinau an der Straße")


def inventory_pages(site: Site, inventory: Inventory, catalogs: Mapping[str, Catalog], today: date) -> Iterator[Page]:
    for lang in site.config.languages:
        _ = catalogs[lang].gettext
        yield Page(urls.INVENTORY, lang, "bestandsaufnahme.html", _("Bestandsaufnahme"), {
            "inv": inventory,
            "today": today,
            "charts": _charts(site, inventory, lang, catalogs[lang]),
            "language_names": {code: name_in(code, lang) for code in inventory.languages.columns if code},
            "table_rows": TABLE_ROWS,
            "inventory_csv": CSV,
            "swatch": swatch,
        }, ((_("Start"), urls.HOME),))


def _charts(site: Site, inventory: Inventory, lang: str, catalog: Catalog) -> dict[str, Markup]:
    rtl = direction(lang) == "rtl"
    name = {slug: region.name for slug, region in site.regions.items()}
    for_everyone = sum(1 for offer in site.offers.values() if not offer.audiences)
    topics, costs, review = inventory.topics, inventory.costs, inventory.review
    languages = [code for code in inventory.languages.columns if code]
    return {
        # the gaps: how many topics have no offer in a place (series 1: hatched, as the empty cells)
        "topics": bar_chart("chart-themen", [(name[place], (0, topics.empty_cells([place])))
                                             for place in inventory.places], rtl=rtl, label_width=PLACE_WIDTH),
        "audiences": bar_chart("chart-zielgruppen", [
            (term.label(lang), (len(site.offers_by_audience.get(term.slug, ())),)) for term in site.config.audiences]
            + [(catalog.gettext("Ohne Zielgruppe (für alle)"), (for_everyone,))], rtl=rtl),
        "languages": bar_chart("chart-sprachen", [
            (name_in(code, lang), (inventory.languages.totals.get(code, 0),)) for code in languages],
            rtl=rtl, label_width=PLACE_WIDTH),
        "costs": bar_chart("chart-kosten", [
            (name[place], tuple(costs.count(place, cost) for cost in COSTS)) for place in inventory.places],
            rtl=rtl, label_width=PLACE_WIDTH),
        "review": bar_chart("chart-pruefung", [("", (review.total - review.due, review.due))], rtl=rtl),
        "network": bar_chart("chart-netzwerk", [
            (site.actors[actor].name, (len(partners),))
            for actor, partners in inventory.network.partners[:CHART_ROWS]], rtl=rtl),
    }

