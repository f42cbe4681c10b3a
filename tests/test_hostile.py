"""Hostile input, as an attacker or a careless contributor would write it (issue 10).

Every case asserts the exact behaviour: the `path:line: message` lines and the exit code, no
traceback, output bounded by the input's size, and nothing outside the project read or
written. Times are bounded only by generous ceilings, for inputs that used to take minutes.
"""

from __future__ import annotations

import os
import socket
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import text
from atlas.config import load_config
from atlas.documents import parse_document
from atlas.errors import MAX_PER_FILE, Problem
from atlas.markdown import MarkdownRenderer
from atlas.records import parse_records
from atlas.search import IndexWords
from atlas.sources import Source
from atlas.writer import MARKER, MARKER_TEXT
from tests.conftest import CONFIG, write_atlas

Atlas = Callable[..., Path]
Cli = Callable[..., Result]

NEW = "content/offers/neu.md"
SECRET = "GEHEIM-ausserhalb-des-Projekts"


def offer(title: str = "Elterncafé Maintal", body: str = "Wir treffen uns.", more: str = "") -> str:
    """A valid offer; `title` is written as given (quote it yourself). Lines: 2 title, 3 summary …"""
    return (f"---\ntitle: {title}\nsummary: Austausch für Eltern.\nactor: caritas\nregions: [maintal]\n"
            f"topics: [beratung]\nreviewed: 2026-04-01\n{more}---\n{body}\n")


def check(cli: Cli, project: Path, *options: str) -> tuple[int, list[str]]:
    result = cli("check", *options, project)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stderr.splitlines()


def assert_errors(cli: Cli, project: Path, *expected: str) -> None:
    assert check(cli, project) == (1, list(expected))


# -- 1. YAML tags: never a traceback, in records, translations and atlas.yaml ------------------------

TAGS = [
    ("!!timestamp x", 'title: "x" cannot be read as !!timestamp; write the value without the tag'),
    ("!!bool maybe", 'title: "maybe" cannot be read as !!bool; write the value without the tag'),
    ("!!int abc", 'title: "abc" cannot be read as !!int; write the value without the tag'),
    ("!!float 1.2.3", 'title: "1.2.3" cannot be read as !!float; write the value without the tag'),
    ("!!null x", 'title: "x" cannot be read as !!null; write the value without the tag'),
    ("!!binary aGFsbG8=", "title: the YAML tag !!binary is not supported; write plain values"),
    ("!!python/object/apply:os.system [echo]", "title: the YAML tag !!python/object/apply:os.system is not "
                                                "supported; write plain values"),
    ("!!python/name:os.system ''", "title: the YAML tag !!python/name:os.system is not supported; write plain values"),
    ("!meins Wert", "title: the YAML tag !meins is not supported; write plain values"),
    ("!!set {a, b}", "title: the YAML tag !!set is not supported; write plain values"),
    ("!!omap [a: 1]", "title: the YAML tag !!omap is not supported; write plain values"),
]


@pytest.mark.parametrize(("value", "message"), TAGS)
def test_a_yaml_tag_in_a_record_is_one_clear_problem(atlas: Atlas, cli: Cli, value: str, message: str) -> None:
    assert_errors(cli, atlas({NEW: offer(title=value)}), f"{NEW}:2: {message}")


@pytest.mark.parametrize(("value", "message"), TAGS[:3])
def test_a_yaml_tag_in_a_translation_is_one_clear_problem(atlas: Atlas, cli: Cli, value: str, message: str) -> None:
    project = atlas({NEW: offer(), "content/offers/neu.en.md": f"---\ntitle: {value}\nsummary: For parents.\n---\n"})
    assert_errors(cli, project, f"content/offers/neu.en.md:2: {message}")


@pytest.mark.parametrize(("value", "message"), TAGS)
def test_a_yaml_tag_in_atlas_yaml_is_one_clear_problem(atlas: Atlas, cli: Cli, value: str, message: str) -> None:
    project = atlas(config=CONFIG.replace("title: Testatlas", f"title: {value}"))
    assert_errors(cli, project, f"atlas.yaml:1: {message}")


def test_tags_that_yaml_resolves_alike_are_plain_values(atlas: Atlas, cli: Cli) -> None:
    project = atlas({NEW: offer(title="!!str 2026", more="valid_until: !!timestamp 2099-12-31\n")})
    assert check(cli, project) == (0, [])


# -- 2. amplification: aliases, merge keys, sizes, lengths, problems per file -------------------------

def test_aliases_and_merge_keys_are_refused(atlas: Atlas, cli: Cli) -> None:
    record = offer(title="&t Elterncafé", more="hours_note: *t\nlocations:\n  - &l {name: Haus, city: Hanau}\n"
                                               "  - *l\ncontact:\n  <<: {name: Team}\n")
    assert_errors(cli, atlas({NEW: record}),
                  f"{NEW}:8: hours_note: YAML aliases (*name) are not supported; write the value out",
                  f"{NEW}:9: locations[2]: YAML aliases (*name) are not supported; write the value out",
                  f"{NEW}:13: YAML merge keys (<<) are not supported; write the fields out")


def test_a_billion_laughs_costs_one_line_per_alias_written(atlas: Atlas, cli: Cli) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    project = atlas({NEW: offer(more="\n".join(lines) + "\n")})
    started = time.perf_counter()
    code, errors = check(cli, project)
    assert time.perf_counter() - started < 5
    assert code == 1
    # one problem per alias as written (81), of which the first hundred per file are shown
    assert len(errors) == 81
    assert errors[0] == f"{NEW}:9: a1[1]: YAML aliases (*name) are not supported; write the value out"


def test_a_record_over_one_megabyte_is_not_read(atlas: Atlas, cli: Cli) -> None:
    project = atlas({NEW: offer(body="x" * 1_000_001)})
    assert_errors(cli, project, f"{NEW}:1: is larger than 1,000,000 bytes; a file here is far smaller")


def test_text_fields_and_lists_have_limits_no_real_record_reaches(atlas: Atlas, cli: Cli) -> None:
    many = ", ".join(["maintal"] * 501)
    record = offer(title="T" * 301, more=f"partners: [{many}]\nhours_note: {'n' * 1001}\n")
    assert_errors(cli, atlas({NEW: record}),
                  f"{NEW}:2: title: is 301 characters long; at most 300 are allowed",
                  f"{NEW}:8: partners: lists 501 items; at most 500 are allowed",
                  f"{NEW}:9: hours_note: is 1,001 characters long; at most 1,000 are allowed")


def test_problems_per_file_are_capped(atlas: Atlas, cli: Cli) -> None:
    fields = "".join(f"unbekannt{i}: x\n" for i in range(250))
    code, lines = check(cli, atlas({NEW: offer(more=fields)}), "--strict")
    ours = [line for line in lines if line.startswith(NEW)]
    assert code == 1
    assert len(ours) == MAX_PER_FILE + 1
    assert ours[-1] == f"{NEW}:108: … and 150 more problems in this file"


def test_brackets_in_a_body_cost_linear_time() -> None:
    renderer = MarkdownRenderer()
    started = time.perf_counter()
    html = renderer.render("[" * 20_000)  # took minutes before
    assert time.perf_counter() - started < 5
    assert html == "<p>" + "[" * 20_000 + "</p>"
    assert str(renderer.render("[Beratung](https://example.org/) und [x")) == (
        '<p><a href="https://example.org/" rel="noopener noreferrer">Beratung</a> und [x</p>')


def test_a_paragraph_of_endless_markup_costs_linear_time() -> None:
    started = time.perf_counter()
    html = MarkdownRenderer().render("*a*" * 6_666 + "\n\nEin *kurzer* Absatz.")  # minutes before
    assert time.perf_counter() - started < 5
    assert html == "<p>" + "*a*" * 6_666 + "</p>\n<p>Ein <em>kurzer</em> Absatz.</p>"


def test_deeply_nested_lists_are_refused(atlas: Atlas, cli: Cli) -> None:
    assert_errors(cli, atlas({NEW: offer(body="x\n\n" + "- " * 21 + "tief")}),
                  f"{NEW}:11: the text below the fields nests lists or quotes 21 levels deep; at most 20 are allowed")


def test_the_compound_splitter_skips_absurd_words() -> None:
    words = IndexWords({"sprach", "kurs"}, {})
    started = time.perf_counter()
    assert words.parts("sprach" * 33_334) == []  # a 200,000-letter word: 78 s before
    assert time.perf_counter() - started < 5
    assert words.parts("sprachkurs") == ["kurs", "sprach"]


# Markdown from an alphabet of its own syntax: never an exception, output bounded by the input
MARKDOWN = st.lists(st.sampled_from([*"[]()<>!*_`#-+>|&\\:\"' \n1.aZ/", "](", "<a ", "    ", "```"]),
                    max_size=200).map("".join)


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_markdown_renders_to_bounded_html(body: str) -> None:
    html = MarkdownRenderer().render(body)
    assert len(html) <= 10 * len(body) + 200
    assert not any(chr(c) in html for c in range(0xFDD0, 0xFDD7))  # every stand-in is put back


# YAML front matter from an alphabet of YAML's syntax: a Document or problems, each one line
YAML = st.lists(st.sampled_from([*"&*!<:-[]{}|>'\"#%@`,? \n\tax1", "!!int ", "!!binary ", "<<: ", "title: ", "\x1b",
                                 "\u202e", "\u200b"]), max_size=120).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(YAML)
def test_any_front_matter_gives_values_or_one_line_problems(fields: str) -> None:
    document, problems = parse_document(f"---\n{fields}\n---\n", "content/offers/x.md")
    for problem in problems:
        assert "\n" not in str(problem) and str(problem).startswith("content/offers/x.md:")
    assert (document is None) == bool(problems)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    found, problems = load_config(write_atlas(tmp_path_factory.mktemp("config")))
    assert found is not None, problems
    return found


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_title_and_name_are_taken_or_refused_in_one_line(config, title: str, name: str) -> None:  # type: ignore[no-untyped-def]
    record = f'---\ntitle: "{_quoted(title)}"\nsummary: s\nactor: a\nregions: [r]\ntopics: [beratung]\n' \
             f'locations: [{{name: "{_quoted(name)}"}}]\nreviewed: 2026-01-01\n---\n'
    document, problems = parse_document(record, "content/offers/x.md")
    if document is not None:
        _, problems = parse_records([Source("offers", "x", None, "content/offers/x.md", document)], config)
    for problem in problems:
        assert "\n" not in str(problem) and "\x1b" not in str(problem) and "\u202e" not in str(problem)


def _quoted(value: str) -> str:
    return "".join(f"\\U{ord(c):08x}" for c in value)  # YAML's escapes carry any character, controls too


# -- 3. control characters never reach the terminal ----------------------------------------------

def test_escape_sequences_in_a_value_are_refused_and_never_printed_raw(atlas: Atlas, cli: Cli) -> None:
    assert_errors(cli, atlas({NEW: offer(title='"Kurs\\e[2J\\e]0;pwned\\a"')}),
                  f"{NEW}:2: title: contains the control character U+001B; delete it (this field is one line "
                  "of text)")


def test_a_newline_cannot_forge_a_ci_annotation(atlas: Atlas, cli: Cli) -> None:
    project = atlas({NEW: offer(more='appointment: "x\\n::error file=atlas.yaml::forged"\n"y\\n::warning::z": 1\n')})
    code, lines = check(cli, project)
    assert code == 1
    assert lines == [
        f'{NEW}:8: appointment: "x\\n::error file=atlas.yaml::forged" is not one of: required, possible, none',
        f"{NEW}:9: warning: y\\n::warning::z: unknown field; it is ignored"]


def test_a_file_name_with_a_newline_is_one_line(atlas: Atlas, cli: Cli) -> None:
    assert_errors(cli, atlas({"content/offers/kurs\n.md": offer(), "content/offers/x\x1b[31m.md": offer()}),
                  'content/offers/kurs\\n.md:1: the file name "kurs\\n" is not a valid slug: use a-z, 0-9 and '
                  'single hyphens, e.g. "kurs.md"',
                  'content/offers/x\\x1b[31m.md:1: the file name "x\\x1b[31m" is not a valid slug: use a-z, 0-9 '
                  'and single hyphens, e.g. "x-31m.md"')


def test_printable_escapes_every_control() -> None:
    assert text.printable("a\nb\rc\x1b[0m\x85\u2028\u202ed") == "a\\nb\\rc\\x1b[0m\\x85\\u2028\\u202ed"
    assert str(Problem("a\nb.md", 3, "x\ny")) == "a\\nb.md:3: x\\ny"


# -- 4. symbolic links and special files --------------------------------------------------------------

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(offer(title=SECRET))
    return secret


def test_a_record_that_is_a_link_is_refused(atlas: Atlas, cli: Cli, outside: Path, tmp_path: Path) -> None:
    project = atlas()
    (project / NEW).symlink_to(outside)
    result = cli("build", project, "-o", tmp_path / "out")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        f"{NEW}:1: is a symbolic link; atlas reads only plain files (a link could publish a file from outside "
        "the project); put the file itself here"])
    assert not (tmp_path / "out").exists()


def test_a_linked_content_folder_is_refused(atlas: Atlas, cli: Cli, outside: Path) -> None:
    project = atlas()
    (project / "content/offers").rename(project / "offers-old")
    (project / "content/offers").symlink_to(outside.parent)
    code, lines = check(cli, project)
    assert code == 1
    assert "content/offers:1: is a symbolic link; atlas reads only plain folders and files here; put the folder " \
           "itself here" in lines


def test_a_fifo_is_not_read(atlas: Atlas, cli: Cli) -> None:
    project = atlas()
    os.mkfifo(project / NEW)
    assert_errors(cli, project, f"{NEW}:1: is a FIFO (named pipe), not a plain file; remove it")


def test_theme_files_that_are_links_are_not_published(atlas: Atlas, cli: Cli, outside: Path, tmp_path: Path) -> None:
    project = atlas(config=CONFIG + "theme: t\n")
    (project / "themes/t/static").mkdir(parents=True)
    (project / "themes/t/templates").mkdir()
    (project / "themes/t/static/geheim.txt").symlink_to(outside)
    (project / "themes/t/templates/404.html").symlink_to(outside)
    result = cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"themes/t/{where}:1: is a symbolic link or a special file; a theme holds only plain folders and files "
        "(a link could publish a file from outside the project)" for where in ("static/geheim.txt",
                                                                               "templates/404.html")]
    assert not (tmp_path / "out").exists()


def test_atlas_new_never_writes_through_a_link(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas()
    target = tmp_path / "outside" / "written.md"
    target.parent.mkdir()
    (project / "content/offers/kurs.md").symlink_to(target)  # dangling: exists() says no
    result = cli("new", "offer", "kurs", "-p", project)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {project}/content/offers/kurs.md exists already; edit it, or choose another slug\n")
    assert not target.exists()


# -- 5. the output folder ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "socket", "file", "device"])
def test_an_output_that_is_no_folder_is_never_replaced(atlas: Atlas, cli: Cli, tmp_path: Path, kind: str) -> None:
    project = atlas()
    out = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(out))
    elif kind == "file":
        out.write_text("keep")
    else:
        out = Path("/dev/null")
    words = {"fifo": "a FIFO (named pipe)", "socket": "a socket", "file": "a file", "device": "a device"}
    result = cli("build", project, "-o", out)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: the output {out} is {words[kind]}, not a folder; atlas replaces only a folder it built itself; "
           "choose another one\n")
    assert out.exists() and not out.is_dir()


def test_only_a_folder_atlas_made_is_replaced(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas()
    webroot = tmp_path / "www"
    webroot.mkdir()
    (webroot / "index.html").write_text("the town's own home page")
    (webroot / "sitemap.xml").write_text("<urlset/>")
    result = cli("build", project, "-o", webroot)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: the output folder {webroot} is not an atlas build (it holds no .atlas-build written by atlas); "
           "refusing to replace it; remove it or choose another folder\n")
    assert (webroot / "index.html").read_text() == "the town's own home page"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("build", project, "-o", empty).exit_code == 0
    assert (empty / MARKER).read_text() == MARKER_TEXT
    assert cli("build", project, "-o", empty).exit_code == 0  # its own build it replaces


def test_files_a_host_adds_survive_a_rebuild(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project, out = atlas(), tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    (out / ".htaccess").write_text("DirectoryIndex index.html\n")
    (out / ".well-known").mkdir()
    (out / ".well-known/security.txt").write_text("Contact: mailto:it@example.org\n")
    (out / "notiz.txt").write_text("lost")
    assert cli("build", project, "-o", out).exit_code == 0
    assert (out / ".htaccess").read_text() == "DirectoryIndex index.html\n"
    assert (out / ".well-known/security.txt").read_text() == "Contact: mailto:it@example.org\n"
    assert not (out / "notiz.txt").exists()


def test_staging_folders_of_killed_builds_are_removed(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project, out = atlas(), tmp_path / "out"
    dead = tmp_path / ".out.new-999999999-abc"  # no process has this id
    dead.mkdir()
    (dead / MARKER).write_text(MARKER_TEXT)
    foreign = tmp_path / ".out.new-999999999-xyz"  # not ours: no marker
    foreign.mkdir()
    assert cli("build", project, "-o", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new-999999999-xyz", "out", "project"]


# -- 6. slugs ----------------------------------------------------------------------------------------

def test_a_topic_slug_with_a_newline(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    project = atlas(config=CONFIG.replace("- slug: beratung", '- slug: "bera\\ntung"'))
    assert check(cli, project)[1][0] == ('atlas.yaml:7: topics[2].slug: "bera\\ntung" is not a slug: use a-z, 0-9 '
                                         "and single hyphens")
    # a trailing newline is white space around the value, as in every field: the slug is "beratung"
    project = atlas(config=CONFIG.replace("- slug: beratung", '- slug: "beratung\\n"'))
    assert cli("build", project, "-o", tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out/themen").iterdir()) == ["beratung", "index.html", "sprachfoerderung"]


def test_atlas_new_refuses_a_slug_with_a_newline(atlas: Atlas, cli: Cli) -> None:
    project = atlas()
    result = cli("new", "offer", "kurs\n", "-p", project)
    assert (result.exit_code, result.stderr) == (
        1, 'Error: "kurs\\n" is not a valid slug: use a-z, 0-9 and single hyphens, e.g. sprachcafe-hanau\n')
    assert sorted(p.name for p in (project / "content/offers").iterdir()) == ["migrationsberatung.md",
                                                                               "sprachcafe.md"]


# -- 7. errors blamed on the right thing -------------------------------------------------------------

def test_a_full_disk_names_the_file(atlas: Atlas, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from atlas import writer

    def full(target: Path, content: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(writer, "_write", full)
    result = cli("build", atlas(), "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: could not write {tmp_path}/.out.new-")
    assert result.stderr.endswith(": No space left on device\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # no staging folder left behind


def test_a_bug_keeps_its_traceback(atlas: Atlas, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas import render

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(render.PageRenderer, "render_all", broken)
    with pytest.raises(KeyError):
        cli("build", atlas(), "-o", tmp_path / "out")


# -- 8. spoofing ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ('"Caritas\\u202e"', "title: contains the invisible direction override U+202E (right-to-left override), which "
                         "can reverse the text around it; delete it (right-to-left text shows correctly without it)"),
    ('"Cari\\u200btas"', "title: contains the invisible character U+200B (zero width space); delete it"),
    ('"\\u200b\\u200b"', "title: shows nothing: it holds only invisible characters; it is required"),
    ('"\\u2067عربي"', "title: opens a direction isolate (U+2066–U+2068) that is never closed with U+2069; close "
                      "or delete it"),
    ('"Cari\\u200dtas"', "title: contains the invisible U+200D (zero width joiner) outside a word of a non-Latin "
                         "script; delete it"),
    ('"Kurs\\ufeff"', "title: contains the invisible character U+FEFF (zero width no-break space); delete it"),
])
def test_invisible_characters_that_spoof_are_refused(atlas: Atlas, cli: Cli, value: str, message: str) -> None:
    assert_errors(cli, atlas({NEW: offer(title=value)}), f"{NEW}:2: {message}")


def test_spoofing_in_names_contacts_and_bodies_is_refused(atlas: Atlas, cli: Cli) -> None:
    project = atlas({
        "content/actors/caritas2.md": '---\nname: "Caritas\\u200b"\nkind: verein\nregions: [hanau]\n'
                                      'email: "info\\u202e@example.org"\n---\n',
        NEW: offer(body="Erste Zeile\n\nZweite \u202e Zeile"),
    })
    assert_errors(cli, project,
                  "content/actors/caritas2.md:2: name: contains the invisible character U+200B (zero width space); "
                  "delete it",
                  "content/actors/caritas2.md:5: email: contains the invisible direction override U+202E "
                  "(right-to-left override), which can reverse the text around it; delete it (right-to-left text "
                  "shows correctly without it)",
                  f"{NEW}:11: the text below the fields contains the invisible direction override U+202E "
                  "(right-to-left override), which can reverse the text around it; delete it (right-to-left text "
                  "shows correctly without it)")


def test_persian_joiners_and_closed_isolates_are_fine(atlas: Atlas, cli: Cli, tmp_path: Path) -> None:
    config = CONFIG.replace("languages: [de, en]", "languages: [de, en, fa]")
    project = atlas({NEW: offer(title='"Elterncafé \\u2067مادران\\u2069"'),
                     "content/offers/neu.fa.md": "---\ntitle: کافه\u200cی والدین\nsummary: می\u200cخواهم\n---\n"},
                    config=config)
    assert check(cli, project)[0] == 0
    assert cli("build", project, "-o", tmp_path / "out").exit_code == 0
    page = (tmp_path / "out/angebote/neu/index.html").read_text()
    assert "<title>Elterncafé مادران – Testatlas</title>" in page  # <title> cannot hold <bdi>
    assert "Elterncafé \u2067مادران\u2069" in page  # the page keeps the isolate


# -- 9. 320 px -----------------------------------------------------------------------------------------

def test_a_long_compound_does_not_widen_a_phone_page(atlas: Atlas, cli: Cli, new_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.browser import serve

    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenberatung"  # 57 letters
    body = textwrap.dedent(f"""\
        | {word} | {word} | {word} |
        |---|---|---|
        | a | b | c |

            {word}{word}
        """)
    record = offer(title=f"{word} {word}", body=body,
                   more=f"locations:\n  - name: {word}\n    city: {word}\n")
    project, out = atlas({NEW: record}), tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    with serve(out) as base:
        page = new_page(viewport={"width": 320, "height": 800})
        for path in ("angebote/neu/", "en/angebote/neu/", "themen/beratung/", "akteure/caritas/"):
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
