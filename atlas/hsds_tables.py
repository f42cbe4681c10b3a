"""HSDS 3.0 as a tabular data package: the nested services flattened into one CSV per table.

The table schemas follow HSDS 3.0's datapackage.json (Open Referral, CC BY-SA 4.0), written
compactly: `name:type` (type uuid, uri, email, number, date, time, datetime; none: string),
`!` required, `^` unique. The tests compare them with the original field by field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from atlas import hsds

# (resource, file, fields, foreign keys (field -> resource), enums)
TABLES: tuple[tuple[str, str, str, dict[str, str], dict[str, tuple[str, ...]]], ...] = (
    ("organization", "organizations.csv", "id:uuid! name! alternate_name description! email:email website:uri "
     "tax_status tax_id year_incorporated:number legal_status logo uri:uri parent_organization_id:uuid", {}, {}),
    ("program", "programs.csv", "id:uuid! organization_id:uuid!^ name! alternate_name description!",
     {"organization_id": "organization"}, {}),
    ("service", "services.csv", "id:uuid! organization_id:uuid! program_id:uuid name! alternate_name description "
     "url:uri email:email status! interpretation_services application_process fees_description wait_time fees "
     "accreditations eligibility_description minimum_age:number maximum_age:number assured_date:date "
     "assurer_email:email licenses alert last_modified:datetime",
     {"organization_id": "organization", "program_id": "program"},
     {"status": ("active", "inactive", "defunct", "temporarily closed")}),
    ("attribute", "attributes.csv", "id:uuid! link_id:uuid! taxonomy_term_id:uuid! link_type link_entity! value",
     {"taxonomy_term_id": "taxonomy_term"}, {}),
    ("service_at_location", "service_at_location.csv", "id:uuid! service_id:uuid! location_id:uuid! description",
     {"service_id": "service", "location_id": "location"}, {}),
    ("location", "locations.csv", "id:uuid! location_type! url:uri organization_id:uuid name alternate_name "
     "description transportation latitude:number longitude:number external_identifier external_identifier_type",
     {"organization_id": "organization"}, {"location_type": ("physical", "postal", "virtual")}),
    ("phone", "phones.csv", "id:uuid! location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid "
     "service_at_location_id:uuid number! extension:number type description",
     {"contact_id": "contact", "location_id": "location", "organization_id": "organization", "service_id": "service",
      "service_at_location_id": "service_at_location"}, {}),
    ("contact", "contacts.csv", "id:uuid! organization_id:uuid service_id:uuid service_at_location_id:uuid "
     "location_id:uuid name title department email:email",
     {"location_id": "location", "organization_id": "organization", "service_id": "service",
      "service_at_location_id": "service_at_location"}, {}),
    ("address", "addresses.csv", "id:uuid! location_id:uuid attention address_1! address_2 city! region "
     "state_province! postal_code! country! address_type!", {"location_id": "location"},
     {"address_type": ("physical", "postal", "virtual")}),
    ("schedule", "schedules.csv", "id:uuid! service_id:uuid location_id:uuid service_at_location_id:uuid "
     "valid_from:date valid_to:date dtstart:date timezone:number until:date count:number wkst freq interval:number "
     "byday byweekno bymonthday byyearday description opens_at:time closes_at:time schedule_link:uri "
     "attending_type notes",
     {"location_id": "location", "service_id": "service", "service_at_location_id": "service_at_location"},
     {"wkst": ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), "freq": ("WEEKLY", "MONTHLY")}),
    ("funding", "funding.csv", "id:uuid! organization_id:uuid service_id:uuid source",
     {"organization_id": "organization", "service_id": "service"}, {}),
    ("service_area", "service_areas.csv", "id:uuid! service_id:uuid name description extent extent_type uri",
     {"service_id": "service"}, {}),
    ("required_document", "required_documents.csv", "id:uuid! service_id:uuid document uri:uri",
     {"service_id": "service"}, {}),
    ("language", "languages.csv", "id:uuid! service_id:uuid location_id:uuid phone_id:uuid name code note",
     {"location_id": "location", "phone_id": "phone", "service_id": "service"}, {}),
    ("accessibility", "accessibility.csv", "id:uuid! location_id:uuid description details url:uri",
     {"location_id": "location"}, {}),
    ("taxonomy_term", "taxonomy_terms.csv", "id:uuid! code^ name! description! parent_id:uuid taxonomy language "
     "taxonomy_id:uuid term_uri:uri", {"taxonomy_id": "taxonomy"}, {}),
    ("metadata", "metadata.csv", "id:uuid! resource_id:uuid! resource_type! last_action_date:date! "
     "last_action_type! field_name! previous_value! replacement_value! updated_by!", {}, {}),
    ("meta_table_description", "meta_table_descriptions.csv", "id:uuid! name language character_set", {}, {}),
    ("cost_option", "cost_options.csv", "id:uuid! service_id:uuid! valid_from:date valid_to:date option currency "
     "amount:number amount_description", {"service_id": "service"}, {}),
    ("organization_identifier", "organization_identifiers.csv", "id:uuid! organization_id:uuid! identifier_scheme "
     "identifier_type! identifier!", {"organization_id": "organization"}, {}),
    ("taxonomy", "taxonomies.csv", "id:uuid! name! description! uri:uri version", {}, {}),
)

# where a nested HSDS object lives: its key in the parent -> its table
NESTED = {
    "organization": "organization", "program": "program", "programs": "program", "attributes": "attribute",
    "service_at_locations": "service_at_location", "location": "location", "locations": "location",
    "phones": "phone", "contacts": "contact", "addresses": "address", "schedules": "schedule",
    "funding": "funding", "service_areas": "service_area", "required_documents": "required_document",
    "languages": "language", "accessibility": "accessibility", "taxonomy_term": "taxonomy_term",
    "metadata": "metadata", "cost_options": "cost_option", "organization_identifiers": "organization_identifier",
    "taxonomy_detail": "taxonomy",
}
_TYPES = {"uuid": ("string", "uuid"), "uri": ("string", "uri"), "email": ("string", "email"), "": ("string", None),
          "number": ("number", None), "date": ("date", None), "time": ("time", None),
          "datetime": ("datetime", None)}


def fields_of(spec: str) -> list[tuple[str, str, bool, bool]]:
    """'id:uuid! code^' -> [(name, kind, required, unique)]."""
    result = []
    for item in spec.split():
        name, _, kind = item.rstrip("!^").partition(":")
        result.append((name, kind, "!" in item, "^" in item or name == "id"))
    return result


def tables(services: Iterable[dict[str, Any]], organizations: Iterable[dict[str, Any]],
           taxonomy_terms: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows per table, each id once, in the order first met (services, then the rest)."""
    rows: dict[str, dict[str, dict[str, Any]]] = {name: {} for name, *_ in TABLES}
    for table, objects in (("service", services), ("organization", organizations), ("taxonomy_term", taxonomy_terms)):
        for obj in objects:
            _flatten(table, obj, rows)
    return {table: list(found.values()) for table, found in rows.items()}


def _flatten(table: str, obj: dict[str, Any], rows: dict[str, dict[str, dict[str, Any]]]) -> None:
    flat = {}
    for key, value in obj.items():
        if key in NESTED and isinstance(value, (dict, list)):
            for child in value if isinstance(value, list) else [value]:
                _flatten(NESTED[key], child, rows)
        else:
            flat[key] = value
    rows[table].setdefault(flat["id"], flat)


def csv_files(table_rows: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """One CSV per table (header always, so every table of HSDS is there), UTF-8, RFC 4180."""
    files = {}
    for name, path, spec, _, _ in TABLES:
        columns = fields_of(spec)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([column for column, *_ in columns])
        for row in table_rows[name]:
            writer.writerow([_cell(row.get(column), kind) for column, kind, *_ in columns])
        files[path] = out.getvalue().encode("utf-8")
    return files


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "time":  # Table Schema's time is HH:MM:SS; the atlas's 24:00 (end of day) is 23:59:59 there
        return "23:59:59" if value == "24:00" else f"{value}:00"
    return str(value)


def datapackage(name: str, title: str, license_key: str, license_name: str, license_url: str) -> bytes:
    """datapackage.json: HSDS 3.0's table schemas with this atlas's name and licence."""
    resources = []
    for resource, path, spec, foreign, enums in TABLES:
        fields = []
        for column, kind, required, unique in fields_of(spec):
            typ, fmt = _TYPES[kind]
            constraints: dict[str, Any] = {"required": required, "unique": unique}
            if column in enums:
                constraints["enum"] = list(enums[column])
            fields.append({"name": column, "type": typ, **({"format": fmt} if fmt else {}),
                           "constraints": constraints})
        schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
        if foreign:
            schema["foreignKeys"] = [{"fields": column, "reference": {"resource": target, "fields": "id"}}
                                     for column, target in foreign.items()]
        resources.append({"name": resource, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    package = {
        "name": name, "title": title, "profile": "tabular-data-package",
        "description": "Angebote, Akteure und Orte im Format HSDS 3.0 (Open Referral Human Services Data "
                       "Specification).",
        "version": hsds.VERSION,
        "licenses": [{"name": license_key, "path": license_url, "title": license_name}],
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
