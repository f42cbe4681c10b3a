"""`atlas serve`: build, serve on localhost, rebuild on every change and reload the open page.

The built pages stay untouched: the dev server adds a small reload script (and, while the
content has errors, a banner listing them) to each HTML page as it sends it.
"""

from __future__ import annotations

import html
import shutil
import signal
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from atlas.build import build
from atlas.config import CONFIG_FILE
from atlas.errors import AtlasError, ContentError

RELOAD_JS = Path(__file__).parent / "reload.js"
WATCHED = ("content", "themes", CONFIG_FILE)
POLL_SECONDS = 0.3


class LiveBuild:
    """The latest build of a project: its output folder, a generation counter, its problems."""

    def __init__(self, project: Path, output: Path) -> None:
        self.project = project
        self.output = output
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        started = time.perf_counter()
        errors: list[str] = []
        try:
            # one process: forking from a server with threads could deadlock the child
            result = build(self.project, self.output, workers=1)
            warnings = result.warnings
            click.echo(f"Built {len(result.site.offers)} offers in {time.perf_counter() - started:.2f} s")
        except ContentError as exc:
            warnings = [p for p in exc.problems if p.severity == "warning"]
            errors = [str(p) for p in exc.problems if p.severity == "error"]
        except AtlasError as exc:
            warnings, errors = [], [exc.message]
        except Exception as exc:  # noqa: BLE001 (the server must outlive any failed build)
            warnings, errors = [], [f"the build failed: {type(exc).__name__}: {exc}"]
        if errors:
            click.echo(f"Build failed ({len(errors)} errors); still serving the last good build")
        for line in [str(w) for w in warnings] + errors:
            click.echo(line, err=True)
        with self.changed:
            self.problems = errors
            self.generation += 1
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen, timeout=timeout)
            return self.generation


def snapshot(project: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        root = project / name
        for file in [root] if root.is_file() else root.rglob("*") if root.is_dir() else []:
            if file.is_file():
                stat = file.stat()
                found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(live: LiveBuild, stop: threading.Event) -> None:
    last = snapshot(live.project)
    while not stop.wait(POLL_SECONDS):
        current = snapshot(live.project)
        if current != last:
            last = current
            live.rebuild()


class Handler(SimpleHTTPRequestHandler):
    live: LiveBuild

    def __init__(self, *args: object, live: LiveBuild, **kwargs: object) -> None:
        self.live = live
        super().__init__(*args, directory=str(live.output), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass  # the terminal shows builds and errors, not every request

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        if path == "/__atlas__/reload.js":
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
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        status = 200
        if not file.is_file():
            file, status = self.live.output / "404.html", 404
        body = file.read_bytes() if file.is_file() else b"<!DOCTYPE html><title>Not built</title><body></body>"
        self._send(inject(body, self.live.problems, self.live.generation), "text/html; charset=utf-8", status)

    def _events(self) -> None:
        """Server-Sent Events: one 'reload' message after each rebuild."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.live.generation
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


def serve(project: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="atlas-serve-"))
    live = LiveBuild(project, workdir / "site")
    live.rebuild()
    if not live.output.is_dir():
        live.output.mkdir()  # nothing built yet: serve an empty site with the error banner
    try:
        server = ThreadingHTTPServer((host, port), partial(Handler, live=live))
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise AtlasError(f"cannot listen on {host}:{port} ({exc.strerror}); try another --port") from None
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` cleans up like Ctrl+C does
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(live, stop), daemon=True)
    watcher.start()
    click.echo(f"Serving {project.resolve()} at http://{host}:{port}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
