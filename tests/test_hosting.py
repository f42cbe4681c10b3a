"""deploy/nginx.conf and deploy/apache.conf, served for real by Debian's nginx and Apache.

Exactly what an outside check (and a municipality's admin) does: copy the file, replace
/srv/atlas and /integrationsatlas with a folder and a prefix, include it in the server's
configuration, build into the folder and open the site. Each server runs as a child process on
a free loopback port with its configuration, pid and logs in a temporary folder; as root, its
workers run as www-data, so a file the build left unreadable would show as 403. No system
service is touched. `scripts/test` installs the servers (like chromium) where they are missing.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from playwright.sync_api import Browser, Page

from atlas.build import build
from tests.conftest import CONFIG, write_atlas
from tests.test_search_browser import answered, shown, wait_until

DEPLOY = Path(__file__).parent.parent / "deploy"
PREFIX = "/stadt/atlas"  # two levels, so that a prefix is replaced everywhere, not only its first part
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
SERVERS = ("nginx", "apache", "apache-htaccess")  # the last: deploy/htaccess as the folder's .htaccess
HASHED = re.compile(r"\.[0-9a-f]{10}\.(css|js|json)$")


def deploy_file(name: str, folder: Path) -> str:
    """The shipped configuration with the folder and the prefix replaced, as outside checks do."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    return text.replace("/srv/atlas", str(folder)).replace("/integrationsatlas", PREFIX)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_root() -> bool:
    return os.geteuid() == 0


# -- the site, built once into a folder the servers' users can read -----------------------------

@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The scratch atlas built into <world-readable temp folder>/atlas under umask 027, as a
    cautious admin's shell has it: every file must still be readable by the web server."""
    project = write_atlas(tmp_path_factory.mktemp("hosting") / "project",
                          config=CONFIG.replace("https://atlas.example.org/hanau/", f"https://www.hanau.de{PREFIX}/"))
    top = Path(tempfile.mkdtemp(prefix="atlas-hosting-"))  # pytest's own folders are private (0700)
    top.chmod(0o755)
    before = os.umask(0o027)
    try:
        build(project, top / "atlas")
    finally:
        os.umask(before)
    # what an admin on shared hosting adds; the other two servers must not serve it
    (top / "atlas/.htaccess").write_text(deploy_file("htaccess", top / "atlas"), encoding="utf-8")
    (top / "atlas/.well-known").mkdir(mode=0o755)
    (top / "atlas/.well-known/probe.txt").write_text("verified\n", encoding="utf-8")
    yield top / "atlas"
    shutil.rmtree(top, ignore_errors=True)


# -- the servers -------------------------------------------------------------------------------

def nginx_config(site: Path, run: Path, port: int) -> str:
    """What Debian's nginx.conf sets around a server { } (mime.types, gzip on), and the deploy file."""
    (run / "atlas.conf").write_text(deploy_file("nginx.conf", site), encoding="utf-8")
    user = "user www-data www-data;" if as_root() else ""
    temp = "\n".join(f"    {kind}_temp_path {run / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}
daemon off;
worker_processes 1;
pid {run / "nginx.pid"};
error_log {run / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {run / "access.log"};
{temp}
    gzip on;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {run / "atlas.conf"};
    }}
}}
"""


# deploy/htaccess's note: what the server's configuration must say for the .htaccess
HTACCESS_HOST = """Alias {prefix} {site}
<Directory {site}>
    Require all granted
    Options FollowSymLinks
    AllowOverride FileInfo Indexes
</Directory>
"""


def apache_config(site: Path, run: Path, port: int, htaccess: bool = False) -> str:
    """Debian's apache2.conf in short (its enabled modules and their settings, / denied to all),
    `a2enmod rewrite headers`, and the deploy file (or the .htaccess's host lines) in a <VirtualHost>."""
    lines = HTACCESS_HOST.format(prefix=PREFIX, site=site) if htaccess else deploy_file("apache.conf", site)
    (run / "atlas.conf").write_text(lines, encoding="utf-8")
    user = "User www-data\nGroup www-data" if as_root() else ""
    return f"""ServerRoot /etc/apache2
ServerName localhost
{user}
PidFile {run / "apache.pid"}
DefaultRuntimeDir {run}
Mutex file:{run} default
ErrorLog {run / "error.log"}
LogLevel warn
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
<IfModule !rewrite_module>
    Include mods-available/rewrite.load
</IfModule>
<IfModule !headers_module>
    Include mods-available/headers.load
</IfModule>
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
AccessFileName .htaccess
<FilesMatch "^\\.ht">
    Require all denied
</FilesMatch>
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    Include {run / "atlas.conf"}
</VirtualHost>
"""


def start(kind: str, site: Path, run: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a free port; one another process took meanwhile is retried with another."""
    for _ in range(4):
        started = _start(kind, site, run, free_port())
        if started is not None:
            return started
    pytest.fail(f"{kind} found no free port in 4 tries")


def _start(kind: str, site: Path, run: Path, port: int) -> tuple[subprocess.Popen[bytes], str] | None:
    run.mkdir(parents=True, exist_ok=True)
    if kind == "nginx":
        (run / "nginx.conf").write_text(nginx_config(site, run, port), encoding="utf-8")
        command = [NGINX, "-c", str(run / "nginx.conf"), "-p", str(run)]
    else:
        (run / "httpd.conf").write_text(apache_config(site, run, port, kind == "apache-htaccess"), encoding="utf-8")
        command = [APACHE, "-f", str(run / "httpd.conf"), "-DFOREGROUND"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (run / "error.log").read_text() if (run / "error.log").exists() else ""
            log = f"{server.stdout.read().decode() if server.stdout else ''}{log}"
            if "in use" in log:  # the port was taken after free_port() let it go
                (run / "error.log").unlink(missing_ok=True)
                return None
            pytest.fail(f"{kind} did not start: {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(0.2)  # whoever answered: ours only if it is still running (a refused bind ends it)
            if server.poll() is None:
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    server.kill()
    pytest.fail(f"{kind} did not answer on port {port}")


@pytest.fixture(scope="session", params=SERVERS)
def server(request: pytest.FixtureRequest, served: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The origin (http://127.0.0.1:PORT) of nginx or Apache serving the build under PREFIX."""
    kind = request.param
    binary = NGINX if kind == "nginx" else APACHE
    if not Path(binary).is_file():
        pytest.skip(f"Debian's {'nginx' if kind == 'nginx' else 'apache2'} is not installed; scripts/test "
                    "installs it (apt-get install nginx apache2)")
    process, origin = start(kind, served, tmp_path_factory.mktemp(kind))
    yield origin
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(origin: str, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, redirects not followed; headers as given (no Accept-Encoding unless asked)."""
    host, port = origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers={key.replace("_", "-"): value for key, value in headers.items()})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def asset(served: Path, origin: str, page: str, attribute: str) -> str:
    """A content-hashed file's URL path as the page names it (data-index="index.<hash>.json" …)."""
    html = (served / page / "index.html").read_text(encoding="utf-8")
    value = re.search(f'{attribute}="([^"]+)"', html)
    assert value, attribute
    return os.path.normpath(f"{PREFIX}/{page}{value.group(1)}")


# -- over HTTP ---------------------------------------------------------------------------------

SECURITY = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
}


@pytest.mark.parametrize("path", ["/", "/en/angebote/sprachcafe/", "/suche/?q=Sprachcaf%C3%A9"])
def test_pages_are_served_under_the_prefix_with_the_security_headers(server: str, path: str) -> None:
    status, headers, body = get(server, PREFIX + path)
    assert status == 200
    assert headers["Content-Type"].lower() in ("text/html; charset=utf-8", "text/html")
    assert b"<!DOCTYPE html>" in body
    assert {name: headers[name] for name in SECURITY} == SECURITY
    assert headers["Strict-Transport-Security"] is None  # never from a sub-path: it binds the whole host
    assert headers["Cache-Control"] == "no-cache"  # pages name this build's files: always revalidated


@pytest.mark.parametrize("path, target", [("", "/"), ("/angebote", "/angebote/"), ("/en", "/en/")])
def test_a_folder_without_its_slash_is_redirected(server: str, path: str, target: str) -> None:
    status, headers, _ = get(server, PREFIX + path)
    assert status == 301
    assert headers["Location"].removeprefix(server) == PREFIX + target


@pytest.mark.parametrize("path", ["/nix", "/angebote/gibt-es-nicht/", "/en/a/b/c/d/e.html", "/suche/index.json"])
def test_the_404_page_answers_at_any_depth(server: str, path: str) -> None:
    status, headers, body = get(server, PREFIX + path)
    assert status == 404
    assert "Seite nicht gefunden" in body.decode("utf-8")
    assert f'href="{PREFIX}/css/atlas.'.encode() in body  # its links start at the prefix, at any depth
    assert {name: headers[name] for name in SECURITY} == SECURITY


@pytest.mark.parametrize("page, attribute", [("suche/", "data-index"), ("en/suche/", "data-index")])
def test_search_data_is_sent_precompressed_with_vary(served: Path, server: str, page: str, attribute: str) -> None:
    path = asset(served, server, page, attribute)
    plain = (served / path.removeprefix(PREFIX + "/")).read_bytes()
    offered = {"gzip": "gzip", "gzip, deflate, br": "br"}
    if "nginx" in get(server, PREFIX + "/")[1].get("Server", ""):
        offered["gzip, deflate, br"] = "gzip"  # Debian's nginx has no brotli_static without its module
    for accept, encoding in offered.items():
        status, headers, body = get(server, path, Accept_Encoding=accept)
        assert status == 200
        assert headers["Content-Encoding"] == encoding, accept
        assert headers["Content-Type"].split(";")[0] == "application/json"
        assert "Accept-Encoding" in headers.get_all("Vary", [])[0].replace(" ", "").split(",")
        assert (gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body)) == plain
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, headers, body = get(server, path)  # a client that takes no compression
    assert (status, headers["Content-Encoding"], body) == (200, None, plain)
    assert "Accept-Encoding" in headers["Vary"]


def test_a_shard_without_a_brotli_copy_is_sent_as_gzip(served: Path, server: str) -> None:
    # the index shards have no .br copy (brotli made them no smaller than gzip): a browser that takes both gets
    # the .gz, not the plain file
    shard = min((served / "suche").glob("index-*.json"))
    assert not shard.with_name(shard.name + ".br").exists()
    status, headers, body = get(server, f"{PREFIX}/suche/{shard.name}", Accept_Encoding="gzip, deflate, br")
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == shard.read_bytes()
    assert "Accept-Encoding" in headers.get_all("Vary", [])[0].replace(" ", "").split(",")


@pytest.mark.parametrize("plain, types", [
    ("css/atlas.css", ("text/css",)),
    ("js/search.js", ("application/javascript", "text/javascript")),
    ("js/vendor/lunr.min.js", ("application/javascript", "text/javascript")),
])
def test_hashed_files_are_immutable_with_their_type_and_compressed(served: Path, server: str, plain: str,
                                                                  types: tuple[str, ...]) -> None:
    folder, _, name = plain.rpartition("/")
    stem, _, extension = name.rpartition(".")
    [file] = [f for f in (served / folder).iterdir() if f.name.startswith(stem + ".") and HASHED.search(f.name)
              and f.name.count(".") == name.count(".") + 1]
    status, headers, body = get(server, f"{PREFIX}/{folder}/{file.name}", Accept_Encoding="gzip")
    assert status == 200
    assert headers["Content-Type"].split(";")[0] in types
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == file.read_bytes()
    assert "Accept-Encoding" in headers["Vary"]


def test_dot_files_are_not_served_but_well_known_is(server: str) -> None:
    status, _, body = get(server, PREFIX + "/.htaccess")
    assert status in (403, 404) and b"RewriteEngine" not in body
    assert get(server, PREFIX + "/.well-known/probe.txt")[::2] == (200, b"verified\n")


def test_other_files_are_revalidated_and_typed(server: str) -> None:
    status, headers, _ = get(server, PREFIX + "/img/logo.svg")
    assert status == 200 and headers["Content-Type"].split(";")[0] == "image/svg+xml"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, body = get(server, PREFIX + "/robots.txt")
    assert status == 200 and headers["Content-Type"].split(";")[0] == "text/plain" and b"Sitemap:" in body


# -- in Chromium -------------------------------------------------------------------------------

@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that collects console errors and CSP violations; the test decides what it expects."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.set_default_timeout(120_000)  # only a bound for a failing wait: CI machines are shared
    page = context.new_page()
    problems: list[str] = []
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    yield page, problems
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_search_finds_offers_in_chromium(server: str, page: tuple[Page, list[str]], lang: str) -> None:
    tab, problems = page
    tab.goto(f"{server}{PREFIX}/{lang}suche/?q=Sprachcaf%C3%A9")
    answered(tab, "Sprachcafé")
    assert shown(tab)[0] == "sprachcafe"
    tab.fill("#q", "Migrationsberatung")
    answered(tab, "Migrationsberatung")
    assert shown(tab) == ["migrationsberatung"]
    tab.click("[data-atlas-result]")
    tab.wait_for_url(f"{server}{PREFIX}/{lang}angebote/migrationsberatung/")
    assert problems == []


def test_the_start_page_search_box_leads_to_results(server: str, page: tuple[Page, list[str]]) -> None:
    tab, problems = page
    tab.goto(f"{server}{PREFIX}/")
    tab.fill("#q", "Beratung")
    tab.press("#q", "Enter")
    tab.wait_for_url(f"{server}{PREFIX}/suche/?q=Beratung")
    answered(tab, "Beratung")
    assert "migrationsberatung" in shown(tab)
    assert problems == []


def test_without_javascript_the_search_box_leads_to_the_browse_pages(server: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}{PREFIX}/en/angebote/")
    tab.fill("#header-q", "Beratung")
    tab.press("#header-q", "Enter")
    tab.wait_for_url(f"{server}{PREFIX}/en/suche/?q=Beratung")
    assert tab.locator("[data-no-js] a").first.is_visible()
    tab.locator("[data-no-js] a").first.click()
    tab.wait_for_url(f"{server}{PREFIX}/en/regionen/")
    context.close()


def test_the_404_page_is_styled_at_depth_without_violations(server: str, page: tuple[Page, list[str]]) -> None:
    tab, problems = page
    response = tab.goto(f"{server}{PREFIX}/en/a/b/c/")
    assert response is not None and response.status == 404
    wait_until(tab, "getComputedStyle(document.querySelector('.skip-link')).position === 'absolute'")
    assert tab.evaluate("document.styleSheets.length") >= 2
    # the only failure is the page's own status
    assert [p for p in problems if "404" not in p] == []
    assert len([p for p in problems if p.startswith("404 ")]) == 1


# -- what the README and the build promise hosts (no server needed) ----------------------------

@pytest.mark.parametrize("name, language", [("nginx.conf", "nginx"), ("apache.conf", "apache"),
                                            ("htaccess", "apache")])
def test_readme_shows_each_deploy_file_as_it_is(name: str, language: str) -> None:
    readme = (DEPLOY.parent / "README.md").read_text(encoding="utf-8")
    shown_there = re.search(f"<!-- deploy/{re.escape(name)} -->\n```{language}\n(.*?)```\n", readme, re.S)
    assert shown_there, f"the README does not show deploy/{name}"
    assert shown_there.group(1) == (DEPLOY / name).read_text(encoding="utf-8"), f"README's deploy/{name} drifted"


def test_build_is_readable_by_others_whatever_the_umask(served: Path) -> None:
    modes = {path.stat().st_mode & 0o777 for path in served.rglob("*")
             if path.name not in (".htaccess", ".well-known", "probe.txt")}  # those the test added
    assert modes == {0o644, 0o755}
    assert served.stat().st_mode & 0o777 == 0o755


def test_hashed_names_follow_the_content_only(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    build(project, tmp_path / "one")
    build(project, tmp_path / "two")
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path / "two").as_posix() for p in (tmp_path / "two").rglob("*")
                           if p.is_file())
    hashed = [n for n in names if HASHED.search(n)]
    assert {n.split("/")[0] for n in hashed} == {"css", "js", "suche", "en"} and len(hashed) >= 11
    assert not [n for n in names if re.search(r"(^|/)(atlas\.css|search(-worker)?\.js|index\.json)$", n)]
    # a changed stylesheet gets a new name, and the pages name it
    (project / "themes/default/static/css").mkdir(parents=True)
    (project / "themes/default/static/css/brand.css").write_text(":root { --brand: #004c97; }")
    build(project, tmp_path / "three")
    [old] = (tmp_path / "one/css").glob("brand.*.css")
    [new] = (tmp_path / "three/css").glob("brand.*.css")
    assert old.name != new.name and f'href="../css/{new.name}"' in (tmp_path / "three/angebote/index.html").read_text()


def test_search_forms_send_to_their_page_without_an_empty_action(served: Path) -> None:
    for page in ("suche/index.html", "en/suche/index.html", "index.html", "angebote/index.html"):
        html = (served / page).read_text(encoding="utf-8")
        assert 'action=""' not in html and html.count("<form") == html.count('role="search"') >= 1


@pytest.mark.parametrize("base_url, warned", [
    ("https://integrationsatlas.example.org/", True),  # the demo's
    ("https://example.org/atlas/", True),
    ("https://www.example.com/", True),
    ("https://www.hanau.de/integrationsatlas/", False),
])
def test_check_warns_while_base_url_is_the_demos(atlas, cli, base_url: str, warned: bool) -> None:  # type: ignore[no-untyped-def]
    project = atlas(config=CONFIG.replace("https://atlas.example.org/hanau/", base_url))
    result = cli("check", project)
    assert result.exit_code == 0
    assert ("atlas.yaml:2: warning: base_url: " in result.stderr) is warned
    assert cli("check", "--strict", project).exit_code == (1 if warned else 0)


@pytest.mark.parametrize("path, types", [("/sw.js", ("application/javascript", "text/javascript")),
                                         ("/en/manifest.json", ("application/json",))])
def test_the_service_worker_and_manifests_are_revalidated(server: str, path: str, types: tuple[str, ...]) -> None:
    """sw.js keeps its name from build to build: only "no-cache" lets a browser find a new build's
    worker (and with it the new cache) on the next visit."""
    status, headers, _ = get(server, PREFIX + path)
    assert status == 200 and headers["Content-Type"].split(";")[0] in types
    assert headers["Cache-Control"] == "no-cache"
