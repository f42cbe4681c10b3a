"""What editors see when a record or atlas.yaml is wrong (contract §2).

Every test runs `atlas check` (or `atlas build`) on the scratch atlas from conftest with ONE
kind of bad input and asserts the exact stderr lines `<path>:<line>: <message>`, the exit code,
and that no Python traceback ever reaches the user.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import CONFIG, RECORDS

Atlas = Callable[..., Path]
Cli = Callable[..., Result]

# A new, valid offer; most tests change one thing in it. Line numbers are noted on the right.
NEW = "content/offers/neu.md"
NEW_OFFER = """\
    ---
    title: Elterncafé Maintal
    summary: Austausch für Eltern bei Kaffee und Kuchen.
    actor: caritas
    regions: [maintal]
    topics: [beratung]
    reviewed: 2026-04-01
    ---
    Wir treffen uns jeden Monat.
    """
# lines: 1 '---', 2 title, 3 summary, 4 actor, 5 regions, 6 topics, 7 reviewed, 8 '---'

# Output of a clean check of the scratch atlas plus NEW_OFFER.
CLEAN_CHECK = "Checked 3 regions, 2 actors, 3 published offers: no errors.\n"


# -- helpers ---------------------------------------------------------------------------------------

def changed(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; fails loudly when `old` is not there (a stale test)."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def offer(old: str = "", new: str = "") -> str:
    """NEW_OFFER, dedented, with one change."""
    text = textwrap.dedent(NEW_OFFER)
    return changed(text, old, new) if old else text


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def run(cli: Cli, *args: str | Path) -> Result:
    """Run the CLI and check the one rule that holds for every run: no traceback."""
    result = cli(*args)
    no_traceback(result)
    return result


def check_lines(cli: Cli, project: Path, *options: str) -> tuple[int, list[str]]:
    """`atlas check [options] PROJECT`: (exit code, stderr lines)."""
    result = run(cli, "check", *options, project)
    return result.exit_code, result.stderr.splitlines()


def assert_errors(cli: Cli, project: Path, *expected: str) -> None:
    """`atlas check` fails with exactly these stderr lines, in this order."""
    code, lines = check_lines(cli, project)
    assert lines == list(expected)
    assert code == 1


def write_bytes(project: Path, rel: str, data: bytes) -> None:
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_bytes(data)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the baseline ----------------------------------------------------------------------------------

def test_scratch_atlas_with_new_offer_is_clean(atlas: Atlas, cli: Cli) -> None:
    """Every other test changes one thing in this atlas; unchanged, it has no problems."""
    result = run(cli, "check", atlas({NEW: NEW_OFFER}))
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", CLEAN_CHECK)


# -- the shape of a record file --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "1: the file is empty; a record starts with fields between two lines '---'", id="empty"),
        pytest.param(" \n\n\t\n  ", "1: the file is empty; a record starts with fields between two lines '---'",
                     id="whitespace-only"),
        pytest.param("title: Elterncafé\nsummary: Kurz.\n",
                     "1: no front matter: the first line must be '---', then the fields, then another '---'",
                     id="no-front-matter"),
        pytest.param("---\ntitle: Elterncafé\nsummary: Kurz.\n\nText.\n",
                     "1: the front matter is not closed: add a line '---' after the last field", id="not-closed"),
        pytest.param("---\n- title\n- summary\n---\n",
                     "2: the front matter must be fields written as 'name: value', one per line", id="a-list"),
        pytest.param("---\n---\nText.\n",
                     "2: the front matter is empty; write the fields between the '---' lines", id="empty-fm"),
        pytest.param("---\n\n# nur ein Kommentar\n---\nText.\n",
                     "2: the front matter is empty; write the fields between the '---' lines",
                     id="comment-only-fm"),
    ],
)
def test_file_shape(atlas: Atlas, cli: Cli, text: str, expected: str) -> None:
    assert_errors(cli, atlas({NEW: text}), f"{NEW}:{expected}")


# -- encodings and line ends -----------------------------------------------------------------------

@pytest.mark.parametrize("rel", [NEW, "atlas.yaml"])
def test_utf8_bom_is_accepted(atlas: Atlas, cli: Cli, rel: str) -> None:
    """Windows editors write a BOM; the file still reads (the offer is counted, no problem reported)."""
    project = atlas({NEW: NEW_OFFER})
    write_bytes(project, rel, b"\xef\xbb\xbf" + (project / rel).read_bytes())
    result = run(cli, "check", project)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", CLEAN_CHECK)


@pytest.mark.parametrize("rel", [NEW, "atlas.yaml"])
def test_crlf_line_ends_are_accepted(atlas: Atlas, cli: Cli, rel: str) -> None:
    project = atlas({NEW: NEW_OFFER})
    write_bytes(project, rel, (project / rel).read_bytes().replace(b"\n", b"\r\n"))
    result = run(cli, "check", project)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", CLEAN_CHECK)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("actor: caritas", "actor: caritass",
                     f'{NEW}:4: actor: unknown actor "caritass" (did you mean "caritas"?)', id="field-error"),
        pytest.param("reviewed: 2026-04-01", "reviewed: 2026-04-01\ntitle: Noch einmal",
                     f"{NEW}:8: duplicate field 'title' (first given on line 2)", id="duplicate"),
        pytest.param("summary: Austausch", "summary: Achtung: Austausch",
                     f"{NEW}:3: YAML syntax error: mapping values are not allowed in this context "
                     "(a value that contains ': ' must be put in quotes)", id="yaml-error"),
    ],
)
def test_crlf_file_reports_the_right_line(atlas: Atlas, cli: Cli, old: str, new: str, expected: str) -> None:
    project = atlas()
    write_bytes(project, NEW, offer(old, new).replace("\n", "\r\n").encode("utf-8"))
    assert_errors(cli, project, expected)


def test_bom_file_reports_the_right_line(atlas: Atlas, cli: Cli) -> None:
    project = atlas()
    write_bytes(project, NEW, b"\xef\xbb\xbf" + offer("actor: caritas", "actor: caritass").encode("utf-8"))
    assert_errors(cli, project, f'{NEW}:4: actor: unknown actor "caritass" (did you mean "caritas"?)')


def test_latin1_bytes_name_their_line(atlas: Atlas, cli: Cli) -> None:
    """A file saved as Latin-1: "Grüße" on line 4 is the bytes 47 72 fc df 65."""
    project = atlas()
    text = "---\ntitle: Elterntreff\nsummary: Austausch.\nhours_note: Grüße vom Team\nactor: caritas\n---\n"
    write_bytes(project, NEW, text.encode("latin-1"))  # lines 1-3 are plain ASCII
    assert_errors(cli, project, f"{NEW}:4: the file is not UTF-8 (byte 0xfc); save it with the encoding UTF-8")


# -- YAML syntax -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("summary: Austausch", "summary: Achtung: Austausch",
                     "3: YAML syntax error: mapping values are not allowed in this context "
                     "(a value that contains ': ' must be put in quotes)", id="colon-in-value"),
        pytest.param("regions: [maintal]", "regions:\n\t- maintal",
                     "6: YAML syntax error: found character that cannot start any token "
                     "(indent with spaces, not tabs)", id="tab-indent"),
        pytest.param("reviewed:", "contact:\n  name: Team\n\tphone: \"06181 1234\"\nreviewed:",
                     "9: YAML syntax error: found a tab character that violates indentation "
                     "(indent with spaces, not tabs)", id="tab-indent-nested"),
    ],
)
def test_yaml_syntax_error(atlas: Atlas, cli: Cli, old: str, new: str, expected: str) -> None:
    assert_errors(cli, atlas({NEW: offer(old, new)}), f"{NEW}:{expected}")


def test_unclosed_quote_points_at_the_opening_quote(atlas: Atlas, cli: Cli) -> None:
    """The editor forgot the closing quote on line 2; the error must point there, not at the end."""
    code, lines = check_lines(cli, atlas({NEW: offer("title: Elterncafé", 'title: "Elterncafé')}))
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{NEW}:2: YAML syntax error: ")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("reviewed: 2026-04-01", "reviewed: 2026-04-01\ntitle: Noch einmal",
                     "8: duplicate field 'title' (first given on line 2)", id="top-level"),
        pytest.param("reviewed:", "contact:\n  name: Team A\n  phone: \"06181 1\"\n  name: Team B\nreviewed:",
                     "10: duplicate field 'name' (first given on line 8)", id="nested"),
    ],
)
def test_duplicate_field(atlas: Atlas, cli: Cli, old: str, new: str, expected: str) -> None:
    assert_errors(cli, atlas({NEW: offer(old, new)}), f"{NEW}:{expected}")


# -- values YAML misreads: times and postcodes -----------------------------------------------------

HOURS = "hours:\n  - days: [mo]\n    opens: {opens}\n    closes: \"12:00\"\nreviewed:"  # opens on line 9


@pytest.mark.parametrize("opens", ["10:00", "9:00"])
def test_unquoted_time_is_read_as_written(atlas: Atlas, cli: Cli, opens: str) -> None:
    """`opens: 10:00` is the number 600 to YAML 1.1 (base 60), but the text as written is a time, and
    YAML 1.2 tools such as the web editor write it so: it is read as written."""
    project = atlas({NEW: offer("reviewed:", HOURS.format(opens=opens))})
    result = run(cli, "check", project)
    assert (result.exit_code, result.stderr) == (0, "")


def test_unquoted_number_that_is_no_time_gets_a_quoting_hint(atlas: Atlas, cli: Cli) -> None:
    """`10:00:00` (YAML: 36000) is no time either way: the hint names it as written."""
    project = atlas({NEW: offer("reviewed:", HOURS.format(opens="10:00:00"))})
    assert_errors(cli, project,
                  f'{NEW}:9: hours[1].opens: YAML reads 10:00:00 as a number; put it in quotes: "10:00:00"')


def test_second_hours_entry_is_named(atlas: Atlas, cli: Cli) -> None:
    hours = 'hours:\n  - days: [mo]\n    opens: "09:00"\n    closes: "12:00"\n' + HOURS.removeprefix("hours:\n")
    project = atlas({NEW: offer("reviewed:", hours.format(opens="14:00:00"))})
    assert_errors(cli, project,
                  f'{NEW}:12: hours[2].opens: YAML reads 14:00:00 as a number; put it in quotes: "14:00:00"')


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        pytest.param(NEW, offer("reviewed:", "locations:\n  - name: Haus\n    postcode: 01067\n    city: Dresden\n"
                                             "reviewed:"), id="offer-location"),
        pytest.param("content/regions/dresden.md",
                     "---\nname: Dresden\nkind: stadt\npostcodes: [01067, \"01069\"]\n---\n", id="region-flow"),
        pytest.param("content/actors/verein.md", "---\nname: Verein\nkind: verein\nregions: [hanau]\n"
                                                 "address: {street: Weg 1, postcode: 01067, city: Dresden}\n---\n",
                     id="actor-address"),
    ],
)
def test_unquoted_postcode_is_read_as_written(atlas: Atlas, cli: Cli, rel: str, text: str) -> None:
    """01067 is an octal number to YAML 1.1; written so, it is still the postcode 01067."""
    result = run(cli, "check", atlas({rel: text}))
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(NEW, offer("reviewed:", "locations:\n  - name: Haus\n    postcode: 0106\n    city: Dresden\n"
                                             "reviewed:"),
                     '9: locations[1].postcode: YAML reads 0106 as a number; put it in quotes: "0106"',
                     id="offer-location"),
        pytest.param("content/regions/dresden.md", "---\nname: Dresden\nkind: stadt\npostcodes:\n  - \"01069\"\n"
                                                   "  - 0106\n---\n",
                     '6: postcodes[2]: YAML reads 0106 as a number; put it in quotes: "0106"', id="region-block"),
    ],
)
def test_unquoted_wrong_postcode_keeps_its_leading_zero_in_the_hint(
    atlas: Atlas, cli: Cli, rel: str, text: str, expected: str
) -> None:
    assert_errors(cli, atlas({rel: text}), f"{rel}:{expected}")


# -- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2026-02-30", "reviewed: 2026-02-30 is not a real date", id="no-such-day"),
        pytest.param("gestern", 'reviewed: "gestern" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31',
                     id="word"),
        pytest.param("01.03.2026", 'reviewed: "01.03.2026" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31',
                     id="german-format"),
    ],
)
def test_invalid_date(atlas: Atlas, cli: Cli, value: str, expected: str) -> None:
    assert_errors(cli, atlas({NEW: offer("2026-04-01", value)}), f"{NEW}:7: {expected}")


def test_missing_reviewed(atlas: Atlas, cli: Cli) -> None:
    """A missing field has no line of its own: the error points at the start of the record."""
    assert_errors(cli, atlas({NEW: offer("reviewed: 2026-04-01\n", "")}), f"{NEW}:1: reviewed: is required")


def test_empty_reviewed(atlas: Atlas, cli: Cli) -> None:
    project = atlas({NEW: offer("reviewed: 2026-04-01", "reviewed:")})
    assert_errors(cli, project, f"{NEW}:7: reviewed: is required but empty")


# -- references ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(NEW, offer("actor: caritas", "actor: vhs-hanau"),
                     '4: actor: unknown actor "vhs-hanau" (did you mean "vhs"?)', id="actor-longer"),
        pytest.param(NEW, offer("actor: caritas", "actor: caritass"),
                     '4: actor: unknown actor "caritass" (did you mean "caritas"?)', id="actor-typo"),
        pytest.param(NEW, offer("reviewed:", "partners: [vhs, caritass]\nreviewed:"),
                     '7: partners[2]: unknown actor "caritass" (did you mean "caritas"?)', id="partners"),
        pytest.param(NEW, offer("regions: [maintal]", "regions: [maintall]"),
                     '5: regions[1]: unknown region "maintall" (did you mean "maintal"?)', id="offer-regions"),
        pytest.param("content/actors/verein.md", "---\nname: Verein\nkind: verein\nregions: [hanua]\n---\n",
                     '4: regions[1]: unknown region "hanua" (did you mean "hanau"?)', id="actor-regions"),
        pytest.param("content/regions/lamboy.md", "---\nname: Lamboy\nkind: ortsteil\nparent: hanua\n---\n",
                     '4: parent: unknown region "hanua" (did you mean "hanau"?)', id="region-parent"),
        pytest.param(NEW, offer("topics: [beratung]", "topics: [beratung, sprachförderung]"),
                     '6: topics[2]: unknown topic "sprachförderung" (did you mean "sprachfoerderung"?)', id="topics"),
        pytest.param(NEW, offer("reviewed:", "audiences: [frau]\nreviewed:"),
                     '7: audiences[1]: unknown audience "frau" (did you mean "frauen"?)', id="audiences"),
    ],
)
def test_unresolved_reference_suggests_a_slug(atlas: Atlas, cli: Cli, rel: str, text: str, expected: str) -> None:
    assert_errors(cli, atlas({rel: text}), f"{rel}:{expected}")


def test_region_parent_cycle(atlas: Atlas, cli: Cli) -> None:
    project = atlas({
        "content/regions/nord.md": "---\nname: Nord\nkind: ortsteil\nparent: sued\n---\n",
        "content/regions/sued.md": "---\nname: Süd\nkind: ortsteil\nparent: nord\n---\n",
    })
    assert_errors(
        cli, project,
        "content/regions/nord.md:4: parent: the regions form a cycle: nord → sued → nord",
        "content/regions/sued.md:4: parent: the regions form a cycle: sued → nord → sued",
    )


def test_region_is_its_own_parent(atlas: Atlas, cli: Cli) -> None:
    project = atlas({"content/regions/nord.md": "---\nname: Nord\nkind: ortsteil\nparent: nord\n---\n"})
    assert_errors(cli, project, "content/regions/nord.md:4: parent: a region cannot be its own parent")


# -- slugs (file names) ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        pytest.param("Sprach Cafe", "sprach-cafe", id="space-and-capitals"),
        pytest.param("sprachCafe", "sprachcafe", id="camel-case"),
        pytest.param("Übersetzung_Hilfe", "uebersetzung-hilfe", id="umlaut-underscore"),
        pytest.param("Sprachcafé", "sprachcafe", id="accent"),
    ],
)
def test_file_name_is_not_a_slug(atlas: Atlas, cli: Cli, name: str, suggestion: str) -> None:
    rel = f"content/offers/{name}.md"
    assert_errors(cli, atlas({rel: NEW_OFFER}),
                  f'{rel}:1: the file name "{name}" is not a valid slug: use a-z, 0-9 and single hyphens, '
                  f'e.g. "{suggestion}.md"')


# -- lengths and choices ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("summary", "length"),
    [
        pytest.param("x" * 301, 301, id="one-line"),
        pytest.param(">\n  " + " ".join(["Wort"] * 61), 304, id="folded"),
    ],
)
def test_summary_too_long(atlas: Atlas, cli: Cli, summary: str, length: int) -> None:
    project = atlas({NEW: offer("summary: Austausch für Eltern bei Kaffee und Kuchen.", f"summary: {summary}")})
    assert_errors(cli, project, f"{NEW}:3: summary: is {length} characters long; at most 300 are allowed")


def test_summary_of_300_characters_is_fine(atlas: Atlas, cli: Cli) -> None:
    """300 umlauts are 300 characters (600 bytes): the limit counts characters."""
    project = atlas({NEW: offer("summary: Austausch für Eltern bei Kaffee und Kuchen.", "summary: " + "ä" * 300)})
    result = run(cli, "check", project)
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param("content/regions/dorf.md", "---\nname: Dorf\nkind: dorf\n---\n",
                     '3: kind: "dorf" is not one of: kreis, stadt, sonderstatusstadt, gemeinde, ortsteil',
                     id="region-kind"),
        pytest.param(NEW, offer("reviewed:", "appointment: maybe\nreviewed:"),
                     '7: appointment: "maybe" is not one of: required, possible, none', id="appointment"),
        pytest.param(NEW, offer("reviewed:", "locations:\n  - name: Haus\n    accessible: ja\nreviewed:"),
                     '9: locations[1].accessible: "ja" is not one of: yes, partly, no, unknown', id="accessible"),
    ],
)
def test_bad_choice(atlas: Atlas, cli: Cli, rel: str, text: str, expected: str) -> None:
    assert_errors(cli, atlas({rel: text}), f"{rel}:{expected}")


# -- unknown fields: warnings, errors only with --strict -------------------------------------------

UNKNOWN_FIELD = f'{NEW}:7: warning: titel: unknown field (did you mean "title"?); it is ignored'
UNKNOWN_FIELD_STRICT = UNKNOWN_FIELD.replace("warning: ", "")  # --strict: every warning is an error


def test_unknown_field_is_a_warning(atlas: Atlas, cli: Cli) -> None:
    result = run(cli, "check", atlas({NEW: offer("reviewed:", "titel: Elterncafé\nreviewed:")}))
    assert result.stderr.splitlines() == [UNKNOWN_FIELD]
    assert result.stdout == "Checked 3 regions, 2 actors, 3 published offers: no errors, 1 warning.\n"
    assert result.exit_code == 0


def test_unknown_field_fails_check_strict(atlas: Atlas, cli: Cli) -> None:
    result = run(cli, "check", "--strict", atlas({NEW: offer("reviewed:", "titel: Elterncafé\nreviewed:")}))
    assert (result.exit_code, result.stderr.splitlines()) == (1, [UNKNOWN_FIELD_STRICT])
    assert result.stdout == "1 error.\n"  # check writes nothing anyway


def test_unknown_field_fails_build_strict(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(cli, "build", "--strict", atlas({NEW: offer("reviewed:", "titel: Elterncafé\nreviewed:")}), "-o", out)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [UNKNOWN_FIELD_STRICT])
    assert not out.exists()


# -- translations ----------------------------------------------------------------------------------

def test_translation_with_a_field_it_may_not_hold(atlas: Atlas, cli: Cli) -> None:
    rel = "content/offers/sprachcafe.en.md"
    project = atlas({rel: "---\ntitle: Language café\nsummary: Practise German.\nactor: vhs\n---\n"})
    assert_errors(cli, project,
                  f"{rel}:4: actor: a translation holds only title, summary, hours_note; "
                  "actor comes from the German record")


def test_translation_without_german_record(atlas: Atlas, cli: Cli) -> None:
    rel = "content/offers/nachhilfe.en.md"
    project = atlas({rel: "---\ntitle: Tutoring\nsummary: Help with homework.\n---\n"})
    assert_errors(cli, project, f"{rel}:1: there is no offer nachhilfe.md for this translation")


# -- expired offers --------------------------------------------------------------------------------

EXPIRED = offer("reviewed:", "valid_until: 2025-01-01\nreviewed:")  # the cli fixture's today is 2026-09-21
EXPIRED_WARNING = f"{NEW}:7: warning: valid_until: 2025-01-01 has passed; the offer is not published"


def test_expired_offer_is_a_warning(atlas: Atlas, cli: Cli) -> None:
    result = run(cli, "check", atlas({NEW: EXPIRED}))
    assert result.stderr.splitlines() == [EXPIRED_WARNING]
    assert result.stdout == "Checked 3 regions, 2 actors, 2 published offers: no errors, 1 warning.\n"
    assert result.exit_code == 0


def test_expired_offer_is_not_built(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(cli, "build", atlas({NEW: EXPIRED}), "-o", out)
    assert (result.exit_code, result.stderr.splitlines()) == (0, [EXPIRED_WARNING])
    a_to_z = (out / "angebote" / "index.html").read_text(encoding="utf-8")
    # a published offer is there (so the checks below can fail) ...
    assert (out / "angebote" / "sprachcafe" / "index.html").is_file()
    assert "Sprachcafé Hanau" in a_to_z
    # ... the expired one is on no page, in no language, and not in the search data
    assert not (out / "angebote" / "neu").exists()
    assert not (out / "en" / "angebote" / "neu").exists()
    assert "Elterncafé Maintal" not in a_to_z
    mentions = [rel for rel, data in snapshot(out).items() if b"Elterncaf" in data or b"angebote/neu/" in data]
    assert mentions == []


# -- atlas.yaml ------------------------------------------------------------------------------------

def test_missing_atlas_yaml(atlas: Atlas, cli: Cli) -> None:
    project = atlas()
    (project / "atlas.yaml").unlink()
    assert_errors(cli, project, f"atlas.yaml:1: not found in {project}; an atlas project needs an atlas.yaml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("title: Testatlas\n", "", "atlas.yaml:1: title: is required", id="missing-title"),
        pytest.param("title: Testatlas", "title:", "atlas.yaml:1: title: is required but empty", id="empty-title"),
        pytest.param("https://atlas.example.org/hanau/", "atlas.example.org/hanau/",
                     'atlas.yaml:2: base_url: "atlas.example.org/hanau/" must be an absolute address like '
                     "https://atlas.example.org/ (no query or fragment)", id="base-url-no-scheme"),
        pytest.param("https://atlas.example.org/hanau/", "/hanau/",
                     'atlas.yaml:2: base_url: "/hanau/" must be an absolute address like https://atlas.example.org/ '
                     "(no query or fragment)", id="base-url-path"),
        pytest.param("https://atlas.example.org/hanau/", 'https://atlas.example.org/?x="<y>"',
                     'atlas.yaml:2: base_url: "https://atlas.example.org/?x="<y>"" must be an absolute address like '
                     "https://atlas.example.org/ (no query or fragment)", id="base-url-query"),
        pytest.param("[de, en]", "[de, en, en]", 'atlas.yaml:3: languages[3]: "en" is listed twice',
                     id="language-twice"),
        pytest.param("{de: Frauen, en: Women}", "{de: Frauen, en: Women, english: Women}",
                     "atlas.yaml:11: audiences[1].label.english: is not an ISO 639-1 language code like de, en, ar",
                     id="label-language"),
        pytest.param("languages: [de, en]", "languages: [de, en]\ntheme: /etc",
                     'atlas.yaml:4: theme: "/etc" is not a theme name: use a-z, 0-9 and hyphens (a folder in themes/)',
                     id="theme-path"),
        pytest.param("[de, en]", "[de, eng]",
                     'atlas.yaml:3: languages[2]: "eng" is not an ISO 639-1 language code like de, tr, ar',
                     id="language-code"),
        pytest.param("title: Testatlas", "title: Testatlas: Hanau",
                     "atlas.yaml:1: YAML syntax error: mapping values are not allowed in this context "
                     "(a value that contains ': ' must be put in quotes)", id="yaml-syntax"),
    ],
)
def test_atlas_yaml_error(atlas: Atlas, cli: Cli, old: str, new: str, expected: str) -> None:
    assert_errors(cli, atlas(config=changed(CONFIG, old, new)), expected)


CONFIG_UNKNOWN_KEY = changed(CONFIG, "title: Testatlas\n", "title: Testatlas\nlogo: logo.svg\n")
UNKNOWN_KEY = "atlas.yaml:2: warning: logo: unknown field; it is ignored"


def test_atlas_yaml_unknown_key_is_a_warning(atlas: Atlas, cli: Cli) -> None:
    """Contract §1: unknown keys are reported; like unknown record fields they do not stop a check."""
    result = run(cli, "check", atlas(config=CONFIG_UNKNOWN_KEY))
    assert result.stderr.splitlines() == [UNKNOWN_KEY]
    assert result.exit_code == 0


def test_atlas_yaml_unknown_key_fails_strict(atlas: Atlas, cli: Cli) -> None:
    code, lines = check_lines(cli, atlas(config=CONFIG_UNKNOWN_KEY), "--strict")
    assert (code, lines) == (1, [UNKNOWN_KEY.replace("warning: ", "")])


# -- every error in one run ------------------------------------------------------------------------

def test_all_errors_in_one_run_sorted_by_path_then_line(atlas: Atlas, cli: Cli) -> None:
    """Errors in three files (read regions first, offers last) come out sorted by path, then line
    as a number (4 before 26)."""
    sprachcafe = changed(RECORDS["content/offers/sprachcafe.md"], "actor: vhs", "actor: vhss")  # line 4
    sprachcafe = changed(sprachcafe, "reviewed: 2026-03-01", "reviewed: 2026-02-30")  # line 26
    project = atlas({
        "content/regions/maintal.md": changed(RECORDS["content/regions/maintal.md"], "kind: stadt", "kind: statd"),
        "content/actors/vhs.md": changed(RECORDS["content/actors/vhs.md"], "[hanau]", "[hanau, hanua]"),
        "content/offers/sprachcafe.md": sprachcafe,
    })
    assert_errors(
        cli, project,
        'content/actors/vhs.md:4: regions[2]: unknown region "hanua" (did you mean "hanau"?)',
        'content/offers/sprachcafe.md:4: actor: unknown actor "vhss" (did you mean "vhs"?)',
        "content/offers/sprachcafe.md:26: reviewed: 2026-02-30 is not a real date",
        'content/regions/maintal.md:3: kind: "statd" is not one of: kreis, stadt, sonderstatusstadt, gemeinde, '
        'ortsteil (did you mean "stadt"?)',
    )


# -- a failed build keeps the earlier site ---------------------------------------------------------

def test_failed_build_leaves_earlier_output_untouched(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project, out = atlas(), tmp_path / "out"
    first = run(cli, "build", project, "-o", out)
    assert (first.exit_code, first.stderr) == (0, "")
    before = snapshot(out)
    assert "index.html" in before and "angebote/sprachcafe/index.html" in before

    (project / "content/offers/sprachcafe.md").write_text("---\ntitle: Sprachcafé\n", encoding="utf-8")
    second = run(cli, "build", project, "-o", out)
    assert second.stderr.splitlines() == [
        "content/offers/sprachcafe.md:1: the front matter is not closed: add a line '---' after the last field"
    ]
    assert second.exit_code == 1
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]  # no half-written staging folder


# -- odd input: no traceback, one clear line each ---------------------------------------------------

@pytest.mark.parametrize(
    "records, expected",
    [
        pytest.param({NEW: offer("reviewed: 2026-04-01", "reviewed: 2026-04-01 10:00:00")},
                     [f"{NEW}:7: reviewed: write only the date, YYYY-MM-DD, without a time: 2026-04-01"],
                     id="date-with-time"),
        pytest.param({NEW: offer("reviewed:", "<<: 5\nreviewed:")},
                     [f"{NEW}:7: YAML merge keys (<<) are not supported; write the fields out"], id="merge-key"),
        pytest.param({NEW: offer("reviewed:", "a: &a [x, y]\nb: [*a, *a]\nreviewed:")},
                     [f"{NEW}:8: b[1]: YAML aliases (*name) are not supported; write the value out",
                      f"{NEW}:8: b[2]: YAML aliases (*name) are not supported; write the value out"],
                     id="alias"),
        pytest.param({NEW: offer("summary: Austausch", "summary: Aus\x07tausch")},
                     [f"{NEW}:3: contains the control character U+0007, which YAML does not allow; delete it"],
                     id="control-character"),
        pytest.param({NEW: offer("title: Elterncafé Maintal", 'title: "   "')},
                     [f"{NEW}:2: title: is required but empty"], id="blank-title"),
        pytest.param({NEW: offer("reviewed:", 'hours:\n  - days: [Mo, Dienstag, montag, no]\n    opens: "9:00"\n'
                                              '    closes: "12:00"\nreviewed:')},
                     [f'{NEW}:8: hours[1].days[3]: "montag" is listed twice',
                      f'{NEW}:8: hours[1].days[4]: "no" is not a day; use mo, di, mi, do, fr, sa, so'], id="days"),
        pytest.param({NEW: offer("reviewed:", 'locations:\n  - name: Haus\n    lat: "50,13"\n    lon: 8.9\nreviewed:')},
                     [f"{NEW}:9: locations[1].lat: must be a number"], id="decimal-comma"),
        pytest.param({NEW: offer("reviewed:", "locations:\n  - {}\nreviewed:")},
                     [f"{NEW}:8: locations[1]: a location needs at least a name, a street or a city"],
                     id="empty-location"),
        pytest.param({"content/actors/leer.md": "---\nname: Leer\nkind: verein\nregions: [hanau]\naddress: {}\n---\n"},
                     ["content/actors/leer.md:5: address: an address needs a street, a postcode or a city"],
                     id="empty-address"),
        pytest.param({"content/offers/gross.MD": "---\ntitle: x\n---\n"},
                     ["content/offers/gross.MD:1: a record's file name ends in .md (lowercase)"], id="upper-case-md"),
        pytest.param({NEW: offer() + "x" * 20_001},
                     [f"{NEW}:9: the text below the fields is 20,030 characters long; at most 20,000 are allowed"],
                     id="huge-body"),
    ],
)
def test_odd_input_gets_one_clear_line(atlas: Atlas, cli: Cli, records: dict[str, str], expected: list[str]) -> None:
    assert_errors(cli, atlas(records), *expected)


@pytest.mark.parametrize(
    "records, expected",
    [
        pytest.param({NEW: offer("reviewed: 2026-04-01", "reviewed: 2027-04-01")},
                     f"{NEW}:7: warning: reviewed: 2027-04-01 is in the future", id="reviewed-in-future"),
        pytest.param({"content/regions/maintal.md": "---\nname: Maintal\nkind: kreis\nparent: hanau\n---\n"},
                     'content/regions/maintal.md:4: warning: parent: "hanau" is a sonderstatusstadt; a kreis cannot '
                     "lie inside it (check kind and parent)", id="region-level"),
        pytest.param({"content/regions/nord.md": "---\nname: Nord\nkind: ortsteil\n---\n"},
                     "content/regions/nord.md:3: warning: kind: an ortsteil needs a parent (its Stadt or Gemeinde)",
                     id="ortsteil-without-parent"),
    ],
)
def test_likely_slips_are_warnings(atlas: Atlas, cli: Cli, records: dict[str, str], expected: str) -> None:
    code, lines = check_lines(cli, atlas(records))
    assert (code, lines) == (0, [expected])


def test_a_wrong_kind_gets_no_second_message_about_its_level(atlas: Atlas, cli: Cli) -> None:
    # the record stands in "gemeinde" for the wrong kind: no warning may be made from that guess
    assert_errors(cli, atlas({"content/regions/dorf.md": "---\nname: Dorf\nkind: dorf\nparent: hanau\n---\n"}),
                  'content/regions/dorf.md:3: kind: "dorf" is not one of: kreis, stadt, sonderstatusstadt, gemeinde, '
                  "ortsteil")


def test_yes_and_numbers_as_text_are_read_as_written(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas({NEW: offer("title: Elterncafé Maintal", "title: yes")})
    assert run(cli, "build", project, "-o", tmp_path / "out").exit_code == 0
    assert "<h1>yes</h1>" in (tmp_path / "out/angebote/neu/index.html").read_text(encoding="utf-8")


def test_unreadable_record_is_named(atlas: Atlas, cli: Cli) -> None:
    project = atlas()
    (project / "content/offers/kaputt.md").symlink_to(project / "nowhere.md")
    assert_errors(cli, project, "content/offers/kaputt.md:1: is a symbolic link; atlas reads only plain files (a link "
                                "could publish a file from outside the project); put the file itself here")


def test_alias_bomb_is_refused_quickly(atlas: Atlas, cli: Cli) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]  # 10^9 values if expanded
    project = atlas({NEW: offer("reviewed:", "\n".join(levels) + "\nreviewed:")})
    code, lines = check_lines(cli, project)
    assert code == 1 and lines[0] == f"{NEW}:8: a1[10]: YAML aliases (*name) are not supported; write the value out"


def test_theme_file_at_a_generated_path_is_left_out_with_a_warning(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas(config=CONFIG + "theme: t\n")
    (project / "themes/t/static").mkdir(parents=True)
    (project / "themes/t/static/index.html").write_text("not the start page")
    code, lines = check_lines(cli, project)
    assert (code, lines) == (0, ["themes/t/static/index.html:1: warning: index.html is a path of the generated "
                                 "site; this file would be replaced, so it is left out"])
    assert run(cli, "build", project, "-o", tmp_path / "out").exit_code == 0
    assert "Testatlas" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["-5", "1.7e9", "99999999999999999", "morgen"])
def test_bad_source_date_epoch_is_named(atlas: Atlas, cli: Cli, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run(cli, "check", atlas())
    if value == "-5":  # 1969-12-31 is a real, if odd, build date
        assert result.exit_code == 0
    else:
        assert (result.exit_code, result.stderr) == (
            1, f'Error: SOURCE_DATE_EPOCH must be whole seconds since 1970, not "{value}"\n')


def test_failure_in_a_theme_template_names_its_line(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas(config=CONFIG + "theme: t\n")
    (project / "themes/t/templates").mkdir(parents=True)
    (project / "themes/t/templates/404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ 1/0 }}\n'
                                                         "{% endblock %}\n")
    result = run(cli, "build", project, "-o", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (
        1, "themes/t/templates/404.html:3: template error: ZeroDivisionError: division by zero\n")
    assert not (tmp_path / "out").exists()
