"""The web editor without a browser: its configuration against the schema, the editor: block,
/admin/ in the build, the local API's confinement and checks, and the splice writer."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from atlas.config import load_config
from atlas.editor import decap_config
from atlas.localapi import LocalApiError, LocalContent
from atlas.schema import SCHEMAS, TRANSLATION, Field
from atlas.serve import Handler, LiveBuild, Server, allowed_hosts
from atlas.splice import splice
from tests.conftest import CONFIG

EDITOR = "editor:\n  backend: gitea\n  repo: kreis/integrationsatlas\n  base_url: https://git.example.org\n" \
         "  app_id: 0b5f-client\n"


# -- the configuration, derived from the schema ------------------------------------------------

def _check_field(spec: Field, widget: dict[str, Any]) -> None:
    assert widget["name"] == spec.name and widget["label"] == spec.label[0]
    assert widget["required"] is spec.required, spec.name
    if spec.help[0]:
        assert widget["hint"] == spec.help[0]
    if spec.pattern is not None:
        check = widget["field"]["pattern"] if spec.kind == "strings" else widget["pattern"]
        assert check[0] == spec.pattern.pattern.replace(r"\Z", "$")
    if spec.ref:
        assert (widget["widget"], widget["collection"], widget["value_field"]) == ("relation", spec.ref, "{{slug}}")
        assert widget.get("multiple", False) is (spec.kind == "refs")
    if spec.choices and spec.kind == "choice":
        assert [o["value"] for o in widget["options"]] == list(spec.choices)
    subs = widget.get("parts") or widget.get("fields") or []
    assert [s["name"] for s in subs] == [f.name for f in spec.fields]
    for sub, sub_widget in zip(spec.fields, subs, strict=True):
        _check_field(sub, sub_widget)


def test_every_field_of_the_schema_is_in_the_form_as_check_wants_it(atlas) -> None:  # type: ignore[no-untyped-def]
    config, _ = load_config(atlas(config=CONFIG + EDITOR))
    assert config is not None
    collections = {c["name"]: c for c in decap_config(config)["collections"]}
    for kind, schema in SCHEMAS.items():
        fields = collections[kind]["fields"]
        assert [f["name"] for f in fields] == [f.name for f in schema] + ["body"]
        for spec, widget in zip(schema, fields, strict=False):
            _check_field(spec, widget)
        assert collections[kind]["folder"] == f"content/{kind}"
    english = collections["offers_en"]
    assert (english["folder"], english["extension"], english["slug"]) == ("content/offers", "en.md", "{{fields.offer}}")
    assert [f["name"] for f in english["fields"]] == ["offer"] + [f.name for f in TRANSLATION] + ["body"]
    topics = next(f for f in collections["offers"]["fields"] if f["name"] == "topics")
    assert topics["options"] == [{"label": "Sprachförderung", "value": "sprachfoerderung"},
                                 {"label": "Beratung", "value": "beratung"}]


def test_backend_and_workflow_per_host(atlas) -> None:  # type: ignore[no-untyped-def]
    config, _ = load_config(atlas(config=CONFIG + EDITOR))
    assert config is not None
    result = decap_config(config)
    assert result["backend"] == {"name": "gitea", "repo": "kreis/integrationsatlas", "branch": "main",
                                 "base_url": "https://git.example.org", "api_root": "https://git.example.org/api/v1",
                                 "app_id": "0b5f-client"}
    assert "publish_mode" not in result
    gitlab, _ = load_config(atlas(config=CONFIG + "editor: {backend: gitlab, repo: kreis/sub/atlas, app_id: x, "
                                                  "base_url: 'https://gitlab.opencode.de'}\n"))
    assert gitlab is not None
    result = decap_config(gitlab)
    assert result["backend"]["api_root"] == "https://gitlab.opencode.de/api/v4"
    assert result["backend"]["auth_type"] == "pkce" and result["publish_mode"] == "editorial_workflow"
    assert decap_config(gitlab, "http://127.0.0.1:8000/api/v1")["backend"] == {
        "name": "proxy", "proxy_url": "http://127.0.0.1:8000/api/v1"}


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("editor: {backend: gitee, repo: a/b}", 'editor.backend: "gitee" is not one of: gitea, gitlab, github '
                                                '(did you mean "gitea"?)'),
        ("editor: {backend: github, repo: atlas, base_url: 'https://auth.example.org'}",
         'editor.repo: "atlas" must name the repository as owner/name'),
        ("editor: {backend: gitlab, repo: a/b, app_id: x, base_url: 'http://gitlab.example.org'}",
         'editor.base_url: "http://gitlab.example.org" must be an https:// address'),
        ("editor: {backend: gitlab, repo: a/b}", "editor: app_id: missing"),
        ("editor: {backend: gitea, repo: a/b, app_id: x, token: y}", "editor.token: unknown field"),
    ],
)
def test_editor_block_problems(atlas, cli, block: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", atlas(config=CONFIG + block + "\n"))
    assert result.exit_code == 1
    line = CONFIG.count("\n") + 1
    assert f"atlas.yaml:{line}: {expected}" in result.stderr


def test_admin_only_with_the_block_and_never_indexed(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = atlas()
    assert cli("build", plain, "-o", tmp_path / "plain").exit_code == 0
    assert not (tmp_path / "plain/admin").exists()
    assert "admin" not in (tmp_path / "plain/robots.txt").read_text()
    assert cli("build", atlas(config=CONFIG + EDITOR), "-o", tmp_path / "site").exit_code == 0
    site = tmp_path / "site"
    page = (site / "admin/index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page and '<html lang="de">' in page
    assert "<script>" not in page and "style=" not in page  # no inline script or style
    assert (site / "admin/decap-cms.js").stat().st_size > 1_000_000 and (site / "admin/config.yml").is_file()
    assert "MIT License" in (site / "admin/LICENSE-decap-cms.txt").read_text()
    assert "Disallow: /admin/" in (site / "robots.txt").read_text()
    public = [p for p in site.rglob("*.html") if "admin" not in p.parts]
    assert public and not any("admin/" in p.read_text(encoding="utf-8") for p in public)


# -- the local API -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "content/offers/../../atlas.yaml", "/etc/passwd", "content/offers/x.yaml", "content/themes/x.md",
    "atlas.yaml", "content/offers/Sprachcafe.md", "content/offers/a..md", "content\\offers\\x.md",
    "content/offers/sub/x.md", "content/offers/x.md\0", "content//offers/x.md", 7,
])
def test_local_api_confines_paths(atlas, path: object) -> None:  # type: ignore[no-untyped-def]
    api = LocalContent(atlas())
    with pytest.raises(LocalApiError) as found:
        api.handle({"action": "persistEntry", "params": {"entry": {"path": path, "raw": "---\ntitle: x\n---\n"}}})
    assert found.value.status == 403


def test_local_api_refuses_links_and_media(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: x\n---\n")
    (project / "content/offers/link.md").symlink_to(outside)
    api = LocalContent(project)
    for request in ({"action": "getEntry", "params": {"path": "content/offers/link.md"}},
                    {"action": "persistEntry", "params": {"entry": {"path": "content/offers/link.md", "raw": "x"}}},
                    {"action": "persistEntry", "params": {"entry": {"path": "content/offers/a.md", "raw": "x"},
                                                          "assets": [{"path": "content/offers/a.md"}]}},
                    {"action": "deleteFile", "params": {"path": "content/offers/sprachcafe.md"}}):
        with pytest.raises(LocalApiError):
            api.handle(request)
    assert outside.read_text() == "---\ntitle: x\n---\n"
    assert (project / "content/offers/sprachcafe.md").is_file()


def test_local_api_refuses_what_atlas_cannot_read(atlas) -> None:  # type: ignore[no-untyped-def]
    """Broken YAML is refused with atlas's own message (the editor sees it at once); a record with
    a missing field is saved, as one written by hand would be, and the preview names the field."""
    project = atlas()
    api = LocalContent(project)
    with pytest.raises(LocalApiError) as found:
        api.handle({"action": "persistEntry",
                    "params": {"entry": {"path": "content/offers/neu.md", "raw": "---\ntitle: [unclosed\n---\n"}}})
    assert found.value.status == 422 and str(found.value).startswith("content/offers/neu.md:")
    assert not (project / "content/offers/neu.md").exists()
    api.handle({"action": "persistEntry", "params": {"entry": {"path": "content/offers/neu.md",
                                                               "raw": "---\ntitle: Neu\n---\n"}}})
    assert (project / "content/offers/neu.md").read_text(encoding="utf-8") == "---\ntitle: Neu\n---\n"


def test_local_api_lists_german_records_apart_from_translations(atlas) -> None:  # type: ignore[no-untyped-def]
    project = atlas({"content/offers/sprachcafe.en.md": "---\ntitle: Language café\nsummary: Practise.\n---\n"})
    api = LocalContent(project)
    listed = api.handle({"action": "entriesByFolder", "params": {"folder": "content/offers", "extension": "md"}})
    assert [e["file"]["path"] for e in listed] == ["content/offers/migrationsberatung.md",
                                                   "content/offers/sprachcafe.md"]
    english = api.handle({"action": "entriesByFolder", "params": {"folder": "content/offers", "extension": "en.md"}})
    assert [e["file"]["path"] for e in english] == ["content/offers/sprachcafe.en.md"]


# -- Host and Origin ---------------------------------------------------------------------------

@pytest.fixture
def server(atlas, tmp_path: Path) -> Iterator[tuple[Path, int]]:  # type: ignore[no-untyped-def]
    project = atlas()
    (tmp_path / "site").mkdir()
    live = LiveBuild(project, tmp_path / "site")
    httpd = Server(("127.0.0.1", 0), partial(Handler, live=live, hosts=frozenset(), decap={}))
    port = httpd.server_address[1]
    httpd.RequestHandlerClass = partial(Handler, live=live, hosts=allowed_hosts("127.0.0.1", port), decap={})
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield project, port
    finally:
        httpd.shutdown()
        httpd.server_close()


def _post(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/v1", body=body, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, json.loads(body) if response.getheader("Content-Type", "").startswith(
        "application/json") else body


def _declare_too_large(port: int, headers: dict[str, str]) -> int:
    # The server refuses by Content-Length before reading the body; sending the body too would
    # race its close of the connection (BrokenPipeError), so only the headers are sent.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("POST", "/api/v1", skip_host=True)
    for name, value in {**headers, "Content-Length": str(2 * 1024 * 1024)}.items():
        connection.putheader(name, value)
    connection.endheaders()
    return connection.getresponse().status


def test_host_and_origin_are_checked(server) -> None:  # type: ignore[no-untyped-def]
    project, port = server
    own = f"127.0.0.1:{port}"
    info = json.dumps({"action": "info"}).encode()
    good = {"Host": own, "Origin": f"http://{own}", "Content-Type": "application/json"}
    assert _post(port, info, good) == (200, {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"})
    assert _post(port, info, {**good, "Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"})[0] == 200
    assert _post(port, info, {**good, "Host": f"attacker.example:{port}"})[0] == 421  # DNS rebinding
    assert _post(port, info, {**good, "Origin": "http://attacker.example"})[0] == 403
    assert _post(port, info, {k: v for k, v in good.items() if k != "Origin"})[0] == 403
    assert _post(port, info, {**good, "Content-Type": "text/plain"})[0] == 415  # no CORS-simple requests
    assert _declare_too_large(port, good) == 413
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Host": "rebound.example"})
    assert connection.getresponse().status == 421


def test_save_through_the_api_writes_atomically_and_splices(server) -> None:  # type: ignore[no-untyped-def]
    project, port = server
    own = f"127.0.0.1:{port}"
    headers = {"Host": own, "Origin": f"http://{own}", "Content-Type": "application/json"}
    file = project / "content/offers/migrationsberatung.md"
    before = file.read_text()
    raw = before.replace("cost: {amount: \"5 €\", note: pro Termin}", "cost:\n  amount: 5 €\n  note: pro Termin")
    raw = raw.replace("summary: Beratung für Zugewanderte im ganzen Kreis.", "summary: Beratung im Kreis.")
    entry = {"path": "content/offers/migrationsberatung.md", "raw": raw, "slug": "migrationsberatung"}
    status, _ = _post(port, json.dumps({"action": "persistEntry", "params": {"entry": entry, "assets": []}}).encode(),
                      headers)
    assert status == 200
    assert file.read_text() == before.replace("Beratung für Zugewanderte im ganzen Kreis.", "Beratung im Kreis.")
    assert sorted(p.name for p in file.parent.iterdir()) == ["migrationsberatung.md", "sprachcafe.md"]


# -- splice ------------------------------------------------------------------------------------

OLD = """---
# Sprachcafé, seit 2019
title: Sprachcafé
summary: Deutsch üben.   # kurz
topics: [sprachfoerderung]
hours:
  - days: [di, do]
    opens: "15:00"
    closes: "17:00"

# geprüft von Frau A.
reviewed: 2026-03-01
---
Wir sprechen **Deutsch**.
"""

# what Decap writes back: its own order, quoting and list style, no comments
NEW = """---
title: Sprachcafé
summary: Deutsch üben.
topics:
  - sprachfoerderung
hours:
  - days:
      - di
      - do
    opens: 15:00
    closes: 17:00
reviewed: {reviewed}
hours_note: {note}
---
{body}
"""


def test_splice_keeps_every_unchanged_line() -> None:
    assert splice(OLD, NEW.format(reviewed="2026-03-01", note="''", body="Wir sprechen **Deutsch**.")) == OLD


def test_splice_replaces_only_the_changed_field() -> None:
    new = NEW.format(reviewed="2026-12-01", note="Nicht in den Ferien.", body="Wir sprechen **Deutsch**.")
    assert splice(OLD, new) == OLD.replace("reviewed: 2026-03-01", "reviewed: 2026-12-01").replace(
        "---\nWir", "hours_note: Nicht in den Ferien.\n---\nWir")


def test_splice_takes_a_changed_body_and_drops_an_emptied_field() -> None:
    new = NEW.format(reviewed="2026-03-01", note="''", body="Neuer Text.").replace("topics:\n  - sprachfoerderung\n",
                                                                                  "topics: []\n")
    assert splice(OLD, new) == OLD.replace("topics: [sprachfoerderung]\n", "").replace(
        "Wir sprechen **Deutsch**.", "Neuer Text.")


def test_serve_edit_listens_on_loopback_only(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("serve", "--edit", "--host", "0.0.0.0", atlas())
    assert result.exit_code == 1
    assert "listens on 127.0.0.1 only" in result.stderr


def test_a_browser_that_hangs_up_early_is_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    server = Server(("127.0.0.1", 0), partial(Handler, live=None, hosts=frozenset()))
    try:
        for error in (BrokenPipeError(), ConnectionResetError()):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a real bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a real bug" in capsys.readouterr().err  # real errors still show
    finally:
        server.server_close()


def test_without_edit_there_is_no_write_api(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site").mkdir()
    live = LiveBuild(atlas(), tmp_path / "site")
    httpd = Server(("127.0.0.1", 0), partial(Handler, live=live, hosts=frozenset()))
    port = httpd.server_address[1]
    httpd.RequestHandlerClass = partial(Handler, live=live, hosts=allowed_hosts("127.0.0.1", port))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        own = f"127.0.0.1:{port}"
        headers = {"Host": own, "Origin": f"http://{own}", "Content-Type": "application/json"}
        assert _post(port, json.dumps({"action": "info"}).encode(), headers)[0] == 404
    finally:
        httpd.shutdown()
        httpd.server_close()
