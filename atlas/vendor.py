"""The search page's JavaScript libraries: installed from the npm registry through
package-lock.json (`npm ci`) and copied into every built site, never kept in this repository."""

from __future__ import annotations

import os
from pathlib import Path

from atlas.errors import AtlasError

# path in the site -> path under node_modules
FILES = {
    "js/vendor/lunr.min.js": "lunr/lunr.min.js",
    "js/vendor/lunr.stemmer.support.min.js": "lunr-languages/min/lunr.stemmer.support.min.js",
    "js/vendor/lunr.de.min.js": "lunr-languages/min/lunr.de.min.js",
    "js/vendor/LICENSE-lunr.txt": "lunr/LICENSE",
    "js/vendor/LICENSE-lunr-languages.txt": "lunr-languages/LICENSE",
}


def node_modules(project: Path) -> Path | None:
    """The first node_modules with lunr: $ATLAS_NODE_MODULES, the project's, or atlas's own checkout's."""
    candidates = [Path(os.environ["ATLAS_NODE_MODULES"])] if os.environ.get("ATLAS_NODE_MODULES") else []
    candidates += [project / "node_modules", Path(__file__).resolve().parent.parent / "node_modules"]
    return next((c for c in candidates if (c / "lunr" / "lunr.min.js").is_file()), None)


def vendor_files(project: Path) -> dict[str, bytes]:
    folder = node_modules(project)
    missing = [source for source in FILES.values() if folder is None or not (folder / source).is_file()]
    if folder is None or missing:
        raise AtlasError("the search needs lunr.js and lunr-languages from npm: run `npm ci` in the atlas "
                         "checkout (or set ATLAS_NODE_MODULES to a node_modules folder that has them)"
                         + (f"; missing: {', '.join(missing)}" if folder else ""))
    return {target: (folder / source).read_bytes() for target, source in FILES.items()}
