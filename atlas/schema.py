"""The record schema: every field of a region, actor and offer, described once.

Validation (`records`), `atlas new` (`scaffold`), the web editor's configuration (`editor`),
the importer's column names and the README's field table are all derived from these tuples,
so a field added or changed here changes all of them (MkDocs derives its unknown-key warning
from its config schema the same way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
POSTCODE = re.compile(r"^\d{5}\Z")
TIME = re.compile(r"^(([01]?\d|2[0-3]):[0-5]\d|24:00)\Z")
PHONE = re.compile(r"^\+?[0-9][0-9 /()\-]{3,}\Z")
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}\Z", re.IGNORECASE)
WEBSITE = re.compile(r"^https?://[^\s<>\"]+\Z")

REGION_KINDS = ("kreis", "stadt", "sonderstatusstadt", "gemeinde", "ortsteil")
ACTOR_KINDS = (
    "verein", "wohlfahrtsverband", "migrantenorganisation", "behoerde", "bildungstraeger",
    "religionsgemeinschaft", "initiative", "unternehmen", "sonstige",
)
DAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
APPOINTMENT = ("required", "possible", "none")
ACCESSIBLE = ("yes", "partly", "no", "unknown")
SUMMARY_MAX = 300
TEXT_MAX = 300  # names and titles: a real one is far shorter
NOTE_MAX = 1_000  # a note on the hours: a few sentences
URL_MAX = 2_000  # e-mail and web addresses: a real one is far shorter

# How a field is written and read:
#   text      one line of text              choice   one of `choices`
#   quoted    text that YAML would misread (postcode, phone, time): must be in quotes, matches `pattern`
#   email, url, date (YYYY-MM-DD), number (within `low`..`high`)
#   ref       the slug of a record of kind `ref`      refs   a list of them
#   terms     a list of slugs of the `vocabulary` in atlas.yaml (topics, audiences)
#   languages a list of ISO 639-1 codes             days   a list of weekdays mo … so
#   strings   a list of quoted texts matching `pattern`
#   group     a mapping of `fields`                 groups a list of such mappings
#   cost      "free", or a group of `fields`
Kind = Literal["text", "choice", "quoted", "email", "url", "date", "number", "ref", "refs", "terms",
               "languages", "days", "strings", "group", "groups", "cost"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    label: tuple[str, str]  # (German, English): the web editor's label and the importer's column names
    help: tuple[str, str]  # (German, English): the web editor's hint and the comment in `atlas new`
    required: bool = False
    choices: tuple[str, ...] = ()
    vocabulary: str | None = None  # "topics" | "audiences"
    ref: str | None = None  # "regions" | "actors"
    pattern: re.Pattern[str] | None = None
    example: str = ""  # how a value is written (YAML), for messages and for `atlas new`
    max_length: int | None = None
    low: float = 0.0
    high: float = 0.0
    fields: tuple[Field, ...] = ()
    translatable: bool = False  # may appear in a translation `<slug>.<lang>.md`
    multiline: bool = False  # text whose line breaks count (else white space runs become one space)

    @property
    def is_list(self) -> bool:
        return self.kind in ("refs", "terms", "languages", "days", "strings", "groups")

    def sub(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _f(name: str, kind: Kind, label: tuple[str, str], help: tuple[str, str], **more: object) -> Field:  # noqa: A002
    return Field(name, kind, label, help, **more)  # type: ignore[arg-type]


_LAT = _f("lat", "number", ("Breitengrad", "Latitude"), ("z. B. 50.13", "e.g. 50.13"), low=-90, high=90,
          example="50.13")
_LON = _f("lon", "number", ("Längengrad", "Longitude"), ("z. B. 8.92", "e.g. 8.92"), low=-180, high=180,
          example="8.92")
_STREET = _f("street", "text", ("Straße und Hausnummer", "Street and number"), ("z. B. Musterstraße 1", ""),
             max_length=TEXT_MAX, example="Musterstraße 1")
_POSTCODE = _f("postcode", "quoted", ("Postleitzahl", "Postcode"), ("Fünf Ziffern", "Five digits, in quotes"),
               pattern=POSTCODE, example='"63450"')
_CITY = _f("city", "text", ("Ort", "City"), ("", ""), max_length=TEXT_MAX, example="Hanau")
_PHONE = _f("phone", "quoted", ("Telefon", "Phone"),
            ("Telefonnummer, z. B. 06181 12345", 'Phone number in quotes, e.g. "06181 12345"'),
            pattern=PHONE, example='"06181 12345"')
_EMAIL = _f("email", "email", ("E-Mail", "E-mail"), ("E-Mail-Adresse", "E-mail address"), pattern=EMAIL,
            max_length=URL_MAX, example="info@example.org")
_WEBSITE = _f("website", "url", ("Website", "Website"), ("Vollständige Adresse mit https://",
                                                         "A full address starting with https://"),
              pattern=WEBSITE, max_length=URL_MAX, example="https://www.example.org/")

REGION: tuple[Field, ...] = (
    _f("name", "text", ("Name", "Name"), ("Der Name, wie ihn die Menschen vor Ort kennen.",
                                          "The region's name as residents know it."),
       required=True, max_length=TEXT_MAX),
    _f("kind", "choice", ("Art", "Kind"), ("Kreis, Stadt, Gemeinde oder Ortsteil.", "What kind of place it is."),
       required=True, choices=REGION_KINDS, example="gemeinde"),
    _f("parent", "ref", ("Gehört zu", "Part of"),
       ("Die umgebende Region (Gemeinde → Kreis, Ortsteil → Stadt); leer für einen Kreis.",
        "The slug of the enclosing region (Gemeinde -> Kreis, Ortsteil -> Stadt); empty for a Kreis."),
       ref="regions", example="main-kinzig-kreis"),
    _f("postcodes", "strings", ("Postleitzahlen", "Postcodes"), ("Fünfstellig, z. B. 63450.",
       "Postcodes in quotes (YAML would read 01067 as a number)."), pattern=POSTCODE, example='["63450", "63452"]'),
    _f("geo", "group", ("Kartenmitte", "Map centre"), ("Wo die Karte ihre Mitte hat.",
                                                       "Where the map should centre."),
       fields=(_LAT, _LON), example="{lat: 50.13, lon: 8.92}"),
)

ACTOR: tuple[Field, ...] = (
    _f("name", "text", ("Name", "Name"), ("Der volle Name, z. B. Caritasverband für den Main-Kinzig-Kreis e. V.",
                                          'The full name, e.g. "Caritasverband für den Main-Kinzig-Kreis e. V."'),
       required=True, max_length=TEXT_MAX),
    _f("kind", "choice", ("Art", "Kind"), ("Verein, Wohlfahrtsverband, Behörde …", "What kind of organisation it is."),
       required=True, choices=ACTOR_KINDS, example="verein"),
    _f("regions", "refs", ("Tätig in", "Works in"), ("Die Regionen, in denen der Träger arbeitet.",
                                                     "Region slugs where the actor works, e.g. [hanau, maintal]"),
       required=True, ref="regions", example="[hanau, maintal]"),
    _WEBSITE, _EMAIL, _PHONE,
    _f("address", "group", ("Anschrift", "Address"), ("Straße, Postleitzahl und Ort.",
                                                      "Street, postcode and city; postcodes in quotes."),
       fields=(_STREET, _POSTCODE, _CITY), example='{street: Musterstraße 1, postcode: "63450", city: Hanau}'),
)

OFFER: tuple[Field, ...] = (
    _f("title", "text", ("Titel", "Title"), ("Ein kurzer Name für das Angebot.", "A short name for the offer."),
       required=True, max_length=TEXT_MAX, translatable=True),
    _f("summary", "text", ("Kurzbeschreibung", "Summary"),
       ("Ein oder zwei Sätze, höchstens 300 Zeichen: erscheint in Listen und Suchergebnissen.",
        "One or two sentences, plain text, at most 300 characters: shown in lists and search results."),
       required=True, max_length=SUMMARY_MAX, translatable=True),
    _f("actor", "ref", ("Träger", "Actor"), ("Der Träger, der das Angebot macht.",
                                             "The slug of the actor that runs it: content/actors/<slug>.md"),
       required=True, ref="actors", example="vhs"),
    _f("partners", "refs", ("Partner", "Partners"), ("Weitere Träger, die mitwirken.",
                                                     "Other actors that take part."),
       ref="actors", example="[caritas]"),
    _f("regions", "refs", ("Orte", "Regions"),
       ("Für wen vor Ort das Angebot da ist; ein Kreis heißt: der ganze Kreis.",
        "Region slugs it serves; a Kreis slug means the whole Kreis."),
       required=True, ref="regions", example="[hanau]"),
    _f("topics", "terms", ("Themen", "Topics"), ("Ein oder mehrere Handlungsfelder.", "Topic slugs, one or more of:"),
       required=True, vocabulary="topics", example="[beratung]"),
    _f("audiences", "terms", ("Zielgruppen", "Audiences"), ("Leer heißt: für alle.",
                                                            "Audience slugs (absent means: everyone), of:"),
       vocabulary="audiences", example="[frauen]"),
    _f("languages", "languages", ("Sprachen", "Languages"), ("Sprachen, in denen das Angebot stattfindet.",
       "Languages the offer is held in, as ISO 639-1 codes."), example="[de, tr, ar]"),
    _f("cost", "cost", ("Kosten", "Cost"), ('Kostenlos ("free") oder ein Betrag mit Hinweis.',
                                            'free, or {amount: "20 €", note: "Ermäßigung möglich"}'),
       fields=(_f("amount", "text", ("Betrag", "Amount"), ("z. B. 20 €", 'e.g. "20 €"'), required=True,
                  max_length=TEXT_MAX),
               _f("note", "text", ("Hinweis", "Note"), ("z. B. Ermäßigung möglich", ""), max_length=TEXT_MAX)),
       example="free"),
    _f("appointment", "choice", ("Anmeldung", "Appointment"), ("Ist eine Anmeldung nötig?",
                                                               "Whether residents must register first."),
       choices=APPOINTMENT, example="possible"),
    _f("locations", "groups", ("Orte des Angebots", "Locations"),
       ("Wo das Angebot stattfindet; barrierefrei: yes, partly, no oder unknown.",
        "Places; accessible: yes, partly, no or unknown. Postcodes in quotes."),
       fields=(_f("name", "text", ("Name des Ortes", "Name"), ("z. B. Stadtteilzentrum", ""),
                  max_length=TEXT_MAX, example="Stadtteilzentrum"),
               _STREET, _POSTCODE, _CITY, _LAT, _LON,
               _f("accessible", "choice", ("Barrierefrei", "Accessible"),
                  ("Stufenlos erreichbar?", "Step-free access?"), choices=ACCESSIBLE, example="yes")),
       example="\n  - name: Stadtteilzentrum\n    street: Musterstraße 1\n    postcode: \"63450\"\n"
               "    city: Hanau\n    accessible: yes"),
    _f("hours", "groups", ("Öffnungszeiten", "Hours"),
       ("Wochentage und Uhrzeiten, z. B. di und do von 09:00 bis 12:00.",
        "Opening hours; days: mo di mi do fr sa so; times in quotes."),
       fields=(_f("days", "days", ("Tage", "Days"), ("", ""), required=True, choices=DAYS, example="[di, do]"),
               _f("opens", "quoted", ("von", "Opens"), ("z. B. 09:00", ""), required=True, pattern=TIME,
                  example='"09:00"'),
               _f("closes", "quoted", ("bis", "Closes"), ("z. B. 12:00", ""), required=True, pattern=TIME,
                  example='"12:00"')),
       example='\n  - days: [di, do]\n    opens: "09:00"\n    closes: "12:00"'),
    _f("hours_note", "text", ("Hinweis zu den Zeiten", "Note on hours"),
       ("z. B. In den Schulferien geschlossen.", "e.g. closed during school holidays"),
       translatable=True, max_length=NOTE_MAX, multiline=True, example="In den Schulferien geschlossen."),
    _f("contact", "group", ("Ansprechperson", "Contact"), ("Wer Fragen beantwortet.", "Who answers questions."),
       fields=(_f("name", "text", ("Name", "Name"), ("", ""), max_length=TEXT_MAX), _PHONE, _EMAIL, _WEBSITE),
       example='{name: Beratungsteam, phone: "06181 000000", email: info@example.org}'),
    _f("valid_from", "date", ("Gültig ab", "Valid from"), ("Für befristete Projekte.",
                                                           "For time-limited projects."), example="{today}"),
    _f("valid_until", "date", ("Gültig bis", "Valid until"), ("Danach wird das Angebot nicht mehr angezeigt.",
                                                              "After this day the offer is no longer listed."),
       example="{today}"),
    _f("reviewed", "date", ("Zuletzt geprüft", "Reviewed"),
       ("Der Tag, an dem jemand zuletzt bestätigt hat, dass der Eintrag stimmt.",
        "The day an editor last confirmed that this entry is correct."), required=True, example="{today}"),
)

SCHEMAS: dict[str, tuple[Field, ...]] = {"regions": REGION, "actors": ACTOR, "offers": OFFER}
TRANSLATION: tuple[Field, ...] = tuple(f for f in OFFER if f.translatable)


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


def field(fields: tuple[Field, ...], name: str) -> Field:
    return next(f for f in fields if f.name == name)
