"""The German words the pages use for the records' fixed values (kinds, appointment, access).

Keys are the values of the record format (records.REGION_KINDS …). The words are marked for
the catalogs (N_) and translated where a template shows them: {{ _(region_kinds[kind]) }}.
Weekday names come from the CLDR in each language (templates.weekday).
"""

from atlas.i18n import N_

REGION_KINDS: dict[str, str] = {
    "kreis": N_("Landkreis"), "stadt": N_("Stadt"), "sonderstatusstadt": N_("Sonderstatusstadt"),
    "gemeinde": N_("Gemeinde"), "ortsteil": N_("Stadtteil"),
}
ACTOR_KINDS: dict[str, str] = {
    "verein": N_("Verein"), "wohlfahrtsverband": N_("Wohlfahrtsverband"),
    "migrantenorganisation": N_("Migrantenorganisation"), "behoerde": N_("Behörde"),
    "bildungstraeger": N_("Bildungsträger"), "religionsgemeinschaft": N_("Religionsgemeinschaft"),
    "initiative": N_("Initiative"), "unternehmen": N_("Unternehmen"), "sonstige": N_("Einrichtung"),
}
APPOINTMENT: dict[str, str] = {
    "required": N_("Anmeldung erforderlich"), "possible": N_("Anmeldung möglich, aber nicht nötig"),
    "none": N_("ohne Anmeldung – einfach vorbeikommen"),
}
ACCESSIBLE: dict[str, str] = {
    "yes": N_("Barrierefrei zugänglich"), "partly": N_("Teilweise barrierefrei"), "no": N_("Nicht barrierefrei"),
    "unknown": N_("Barrierefreiheit nicht bekannt"),
}
