"""`atlas serve`: build, serve on localhost, rebuild on every change and reload the open page.

The built pages stay untouched: the dev server adds a small reload script (and, while the
content has errors, a banner listing them) to each HTML page as it sends it.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import click

from atlas import urls
from atlas.admin import decap_files, editor_files
from atlas.config import load_config
from atlas.errors import AtlasError, ContentError
from atlas.incremental import Incremental
from atlas.localapi import LocalApiError, LocalContent
from atlas.pagegate import PageGate
from atlas.watcher import collect_at_rest, watch, watching

RELOAD_JS = Path(__file__).parent / "reload.js"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
MAX_REQUEST = 1024 * 1024  # bytes of a local API request: one record and its translations


class LiveBuild:
    """The latest build of a project: its output folder, a generation counter, its problems.

    A change is built in two steps (atlas/incremental.py): `rebuild` writes the pages it touches
    and the open page reloads; `complete`, once the files have been quiet for a poll, writes the
    search data, downloads and the pages' new links to them. Before step 1, `preview` writes an
    edited offer's own pages when the watcher knows which files changed. Page requests wait at
    `gate` while a change is built (atlas/pagegate.py)."""

    def __init__(self, project: Path, output: Path) -> None:
        self.project = project
        self.output = output
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.incremental = Incremental(project, output)
        self.pending = False  # step 2 is still to do
        self._step_one_wrote = False  # the open page has reloaded for the last change
        self._previewed = 0  # pages `preview` wrote for the change that step 1 builds next
        self.gate = PageGate()
        self.incremental.on_written = self.gate.written  # a held request goes once its own page is written …
        self.incremental.wanted = self.gate.wanted  # … which step 1 writes first
        self._warned: set[str] = set()  # the warnings step 1 printed last
        self._published = False  # a step 2 ended: the folder is a whole site
        self.stop = threading.Event()  # the server stops: the watcher ends, step 2 gives way
        self.waiting: Callable[[], bool] = lambda: self.gate.pending()  # a save step 2 gives way to (see watch)

    def preview(self, changed: set[str]) -> None:
        """The edited offers' own pages, each let through the gate as it is written; the first
        reloads the open page. Not while the last build failed: step 1 says whether it is mended."""
        started, self._previewed = time.perf_counter(), 0
        if self.problems:
            return

        def page_written(file: str) -> None:
            if not self._previewed:
                self._reload(True)
            self._previewed += 1
            self.gate.written(file)

        try:
            self.incremental.preview(changed, page_written)
        except Exception:  # noqa: BLE001 (step 1 follows at once, builds the same and reports the error)
            return
        if self._previewed:
            click.echo(f"Rebuilt {self._previewed} pages of the edited offers in {time.perf_counter() - started:.2f} s")

    def rebuild(self) -> None:
        started = time.perf_counter()
        first: list[int] = []

        def edited_pages_written(count: int) -> None:  # an edited offer's own pages: reload now
            first.append(count)
            self.gate.settled()  # a request for a page the preview wrote goes now, if no save came since
            self.problems = []  # the content passed its checks: no page shows the last errors now
            if count:
                click.echo(f"Rebuilt {count} pages of the edited offers in {time.perf_counter() - started:.2f} s")
                self._reload(True)

        written = self._run(partial(self.incremental.pages, edited_pages_written))
        self.gate.open()  # also when the build failed before the edited pages
        self.pending = written is not None
        if written:
            click.echo(f"Rebuilt {written} pages in {time.perf_counter() - started:.2f} s")
        if written is None or written > sum(first):  # an error to show, or lists that changed
            self._reload(True)
        else:
            self._step_one_wrote = bool(sum(first) or self._previewed)
        self._previewed = 0

    def complete(self) -> None:
        """Step 2; a reload only if step 1 changed no page (a stylesheet, the search data …)."""
        if not self.pending:
            return
        self.pending = False
        started = time.perf_counter()
        written = self._run(lambda: self.incremental.files(self._give_way))  # not a partial: see _run
        if written is None and not self.problems:  # a save came: its step 1 first, then this again
            self.pending = True
            return
        if written is not None:
            self._published = True
            site = self.incremental.loaded.site  # type: ignore[union-attr]
            click.echo(f"Built {len(site.offers)} offers: {written} files written in "
                       f"{time.perf_counter() - started:.2f} s")
        if written is None or written and not self._step_one_wrote:
            self._reload(True)

    def _give_way(self) -> bool:
        """Whether step 2 stops for a waiting save: not while nothing is published (the first
        build), or every page would answer 'Not built' until the saves pause."""
        return self.stop.is_set() or self._published and self.waiting()

    def _run(self, step: Callable[[], int | None]) -> int | None:
        """Run a step; its number of files written, or None when it failed (the problems are kept)."""
        errors: list[str] = []
        written: int | None = None
        try:
            written = step()
            warnings = self.incremental.loaded.valid.problems if self.incremental.loaded else []
        except ContentError as exc:
            warnings = [p for p in exc.problems if p.severity == "warning"]
            errors = [str(p) for p in exc.problems if p.severity == "error"]
        except AtlasError as exc:
            warnings, errors = [], [exc.message]
        except Exception as exc:  # noqa: BLE001 (the server must outlive any failed build)
            warnings, errors = [], [f"the build failed: {type(exc).__name__}: {exc}"]
        if errors:
            click.echo(f"Build failed ({len(errors)} errors); still serving the last good build")
        if isinstance(step, partial) or errors:  # a warning once, until it goes away and comes back
            shown = [str(w) for w in warnings]
            for line in [line for line in shown if line not in self._warned] + errors:
                click.echo(line, err=True)
            if isinstance(step, partial):
                self._warned = set(shown)
        self.problems = errors
        return written

    def _reload(self, changed: bool) -> None:
        self._step_one_wrote = changed
        if changed:
            with self.changed:
                self.generation += 1
                self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen, timeout=timeout)
            return self.generation


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the requests that come during the first build wait here

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early is no error worth a traceback."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(SimpleHTTPRequestHandler):
    live: LiveBuild

    def __init__(self, *args: object, live: LiveBuild, hosts: frozenset[str],
                 decap: Mapping[str, bytes] | None = None, **kwargs: object) -> None:
        self.live = live
        self.hosts = hosts
        self.decap = decap or {}  # Decap's files under /admin/, read once: `serve --edit`
        self.edit = decap is not None
        super().__init__(*args, directory=str(live.output), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass  # the terminal shows builds and errors, not every request

    def _host_ok(self) -> bool:
        """Only requests addressed to this server by name: a page on another site that points a
        name of its own at 127.0.0.1 (DNS rebinding) gets a 421, not the content or the write API."""
        if (self.headers.get("Host") or "").lower() in self.hosts:
            return True
        self._send(b"Misdirected request\n", "text/plain; charset=utf-8", 421)
        return False

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        if self._host_ok():
            super().do_HEAD()

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        if not self._host_ok():
            return
        if not self.edit or self.path != "/api/v1":
            self._json({"error": "not found"}, 404)
            return
        try:
            answer = LocalContent(self.live.project).handle(self._request_json())
        except LocalApiError as exc:
            self._json({"error": exc.message}, exc.status)
            return
        self._json(answer)

    def _request_json(self) -> object:
        """The request's JSON, from this server's own pages only (same Origin), and not too large."""
        origin = self.headers.get("Origin")
        if origin != f"http://{self.headers.get('Host', '').lower()}":
            raise LocalApiError(403, "requests to the local API must come from its own /admin/ page")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            raise LocalApiError(415, "send JSON (Content-Type: application/json)")
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            raise LocalApiError(411, "Content-Length is required") from None
        if not 0 < length <= MAX_REQUEST:
            raise LocalApiError(413, f"a request may have at most {MAX_REQUEST} bytes")
        try:
            return json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError):
            raise LocalApiError(400, "the request is not JSON") from None

    def _json(self, value: object, status: int = 200) -> None:
        self._send(json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8", status)

    def _admin(self, path: str) -> None:
        """/admin/ of `serve --edit`: Decap configured for the local API (no login, no git host)."""
        name = path.removeprefix("/admin/") or "index.html"
        if name in ("index.html", "config.yml", "admin.js"):
            config, _ = load_config(self.live.project)
            if config is None:
                self._send(b"atlas.yaml has errors; see the terminal\n", "text/plain; charset=utf-8", 500)
                return
            api = f"http://{self.headers.get('Host', '').lower()}/api/v1"
            body = editor_files(config, api)[f"admin/{name}"]
        else:
            body = self.decap.get(f"admin/{name}", b"")
            if not body:
                self._send(b"Not found\n", "text/plain; charset=utf-8", 404)
                return
        types = {".html": "text/html; charset=utf-8", ".yml": "text/yaml; charset=utf-8",
                 ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8"}
        self._send(body, types.get(Path(name).suffix, "text/javascript; charset=utf-8"))

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if not self._host_ok():
            return
        path = self.path.split("?", 1)[0]
        if self.edit and (path == "/admin" or path.startswith("/admin/")):
            if path == "/admin":
                self.send_response(301)
                self.send_header("Location", "/admin/")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._admin(path)
        elif path == "/__atlas__/reload.js":
            self._send(RELOAD_JS.read_bytes(), "text/javascript; charset=utf-8")
        elif path == "/__atlas__/events":
            self._events()
        elif path.endswith("/") or path.endswith(".html"):
            self._page(path)
        else:
            super().do_GET()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, path: str) -> None:
        self.live.gate.wait(urls.output_file(unquote(path).lstrip("/")))  # a saved change first
        file = Path(self.translate_path(path))
        if os.path.isdir(file):  # os.path's: False, not OSError, for a name too long for the system
            file = file / "index.html"
        status = 200
        if not os.path.isfile(file):
            file, status = self.live.output / "404.html", 404
        body = file.read_bytes() if file.is_file() else b"<!DOCTYPE html><title>Not built</title><body></body>"
        self._send(inject(body, self.live.problems, self.live.generation), "text/html; charset=utf-8", status)

    def _events(self) -> None:
        """Server-Sent Events: one 'reload' message after each rebuild."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = _since(self.path, self.live.generation)
        try:
            self.wfile.write(f"event: hello\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while True:
                current = self.live.wait_for_change(seen, timeout=15)
                message = "data: reload\n\n" if current != seen else ": keep-alive\n\n"
                seen = current
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _since(path: str, current: int) -> int:
    """The generation the page was served with (`?since=`), else the current one."""
    value = parse_qs(urlsplit(path).query).get("since", [""])[0]
    return int(value) if value.isdigit() and len(value) < 16 else current


def inject(page: bytes, problems: list[str], generation: int) -> bytes:
    """Add the reload script and, while the build fails, a banner with its errors."""
    extra = f'<script src="/__atlas__/reload.js" data-generation="{generation}"></script>'
    if problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
        extra += (
            '<div id="atlas-build-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:50vh;'
            'overflow:auto;background:#7a0000;color:#fff;padding:1rem;font:14px/1.4 monospace;z-index:99">'
            f"<strong>Build failed; this is the last good build.</strong><ul>{items}</ul></div>"
        )
    marker = b"</body>"
    index = page.rfind(marker)
    extra_bytes = extra.encode("utf-8")
    return page[:index] + extra_bytes + page[index:] if index >= 0 else page + extra_bytes


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers this server answers: its loopback names (and the address it listens on)."""
    names = {*LOOPBACK, host if ":" not in host else f"[{host}]"}
    return frozenset(f"{name}:{port}".lower() for name in names)


def serve(project: Path, host: str = "127.0.0.1", port: int = 8000, edit: bool = False) -> None:
    if edit and host not in ("127.0.0.1", "localhost", "::1"):
        raise AtlasError("serve --edit writes to your files without a login: it listens on 127.0.0.1 only")
    decap = decap_files(project) if edit else None  # before the build: a missing `npm ci` is said at once
    workdir = Path(tempfile.mkdtemp(prefix="atlas-serve-"))
    live = LiveBuild(project, workdir / "site")
    try:  # before the first build (seconds to a minute): a port in use is said at once
        server = Server((host, port), partial(Handler, live=live, hosts=allowed_hosts(host, port), decap=decap))
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise AtlasError(f"cannot listen on {host}:{port} ({exc.strerror}); try another --port") from None
    start = watching(project)
    live.gate.pending = start[0].pending  # a save before the watcher runs is waited for too
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` cleans up like Ctrl+C does
    watcher = threading.Thread(target=watch, args=(live, live.stop, start), daemon=True)
    try:
        live.rebuild()  # requests meanwhile wait in the listen queue
        live.complete()
        collect_at_rest()
        if not live.output.is_dir():
            live.output.mkdir()  # nothing built yet: serve an empty site with the error banner
        watcher.start()
        click.echo(f"Serving {project.resolve()} at http://{host}:{port}/ (Ctrl+C stops)")
        if edit:
            click.echo(f"Web editor (saves into {project.resolve() / 'content'}): http://{host}:{port}/admin/")
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
        if watcher.ident is None:  # stopped during the first build: watch() did not run to close it
            start[0].close()
        shut_down(live, watcher, workdir)


def shut_down(live: LiveBuild, watcher: threading.Thread, workdir: Path) -> None:
    """Stop the watcher and wait for it, then remove the served build: a build still running
    would write into the folder as it goes, or fail on it."""
    live.stop.set()
    try:
        if watcher.ident is not None:
            watcher.join(timeout=60)  # step 1 at most, which does not stop halfway
    finally:  # a second Ctrl+C while waiting still cleans up
        shutil.rmtree(workdir, ignore_errors=True)
