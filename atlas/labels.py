"""The German words the pages use for the records' fixed values (kinds, days, access …).

Keys are the values of the record format (records.REGION_KINDS …); translation catalogs for
the other UI languages will translate these words.
"""

WEEKDAYS: dict[str, str] = {
    "mo": "Montag", "di": "Dienstag", "mi": "Mittwoch", "do": "Donnerstag", "fr": "Freitag",
    "sa": "Samstag", "so": "Sonntag",
}
REGION_KINDS: dict[str, str] = {
    "kreis": "Landkreis", "stadt": "Stadt", "sonderstatusstadt": "Sonderstatusstadt", "gemeinde": "Gemeinde",
    "ortsteil": "Stadtteil",
}
ACTOR_KINDS: dict[str, str] = {
    "verein": "Verein", "wohlfahrtsverband": "Wohlfahrtsverband", "migrantenorganisation": "Migrantenorganisation",
    "behoerde": "Behörde", "bildungstraeger": "Bildungsträger", "religionsgemeinschaft": "Religionsgemeinschaft",
    "initiative": "Initiative", "unternehmen": "Unternehmen", "sonstige": "Einrichtung",
}
APPOINTMENT: dict[str, str] = {
    "required": "Anmeldung erforderlich", "possible": "Anmeldung möglich, aber nicht nötig",
    "none": "ohne Anmeldung – einfach vorbeikommen",
}
ACCESSIBLE: dict[str, str] = {
    "yes": "Barrierefrei zugänglich", "partly": "Teilweise barrierefrei", "no": "Nicht barrierefrei",
    "unknown": "Barrierefreiheit nicht bekannt",
}
