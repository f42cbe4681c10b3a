"""The web editor at /admin/: Decap CMS from npm (through package-lock.json, like lunr), the
atlas's additions (admin.js), a German page that search engines skip, and the configuration
derived from the schema. Written only when atlas.yaml has an `editor:` block (or, configured
for the local files, by `atlas serve --edit`)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import urlsplit

from atlas.config import Config, Editor
from atlas.editor import decap_config, to_yaml
from atlas.errors import AtlasError
from atlas.vendor import node_modules

ADMIN = "admin"
ADMIN_JS = Path(__file__).parent / "admin.js"
DECAP = "decap-cms/dist"
DECAP_LICENSE = """decap-cms {version}: https://github.com/decaporg/decap-cms

Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The bundle's third-party notices follow (from decap-cms.js.LICENSE.txt).

"""


def index_page(config: Config, local: bool = False) -> bytes:
    """The editor's page: no inline script or style, so a strict CSP can stay strict there."""
    marker = " data-atlas-local" if local else ""
    title = html.escape(f"Redaktion – {config.title}")
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="decap-cms.js"></script>
<script src="admin.js"{marker}></script>
</body>
</html>
""".encode()


def decap_files(project: Path) -> dict[str, bytes]:
    """Decap's bundle with its lazily loaded chunks, and its licence."""
    folder = node_modules(project)
    dist = folder / DECAP if folder else None
    if dist is None or not (dist / "decap-cms.js").is_file():
        raise AtlasError("the web editor needs decap-cms from npm: run `npm ci` in the atlas checkout "
                         "(or set ATLAS_NODE_MODULES to a node_modules folder that has it)")
    version = json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))["version"]
    files = {f"{ADMIN}/{f.name}": f.read_bytes() for f in sorted(dist.glob("*decap-cms.js"))}
    files.update({f"{ADMIN}/{f.name}": f.read_bytes() for f in sorted(dist.glob("*.wasm"))})
    notices = (dist / "decap-cms.js.LICENSE.txt").read_bytes()
    files[f"{ADMIN}/LICENSE-decap-cms.txt"] = DECAP_LICENSE.format(version=version).encode() + notices
    return files


def admin_files(config: Config, project: Path) -> dict[str, bytes]:
    """Everything under /admin/ for the configured git host."""
    return {**decap_files(project), **editor_files(config)}


def editor_files(config: Config, local_api: str | None = None) -> dict[str, bytes]:
    """The page, the atlas's script and the configuration (for the local API of `serve --edit`)."""
    return {
        f"{ADMIN}/index.html": index_page(config, local=local_api is not None),
        f"{ADMIN}/admin.js": ADMIN_JS.read_bytes(),
        f"{ADMIN}/config.yml": to_yaml(decap_config(config, local_api)).encode(),
    }


def content_security_policy(editor: Editor | None) -> str:
    """The CSP /admin/ needs (measured in tests/test_editor_browser.py): Decap validates its
    configuration with code it compiles at run time ('unsafe-eval') and styles its components
    with <style> elements it writes ('unsafe-inline'); it talks to the git host's API."""
    hosts = sorted({_origin(u) for u in (editor.api_root, editor.base_url) if u} if editor else set())
    if editor is not None and editor.backend == "github":
        hosts = sorted({*hosts, "https://api.github.com", "https://avatars.githubusercontent.com"})
    extra = "".join(f" {h}" for h in hosts)
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:{extra}; connect-src 'self'{extra}; frame-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
