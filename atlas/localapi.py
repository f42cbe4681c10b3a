"""The local API of `atlas serve --edit`: Decap CMS's proxy protocol (the JSON one `decap-server`
speaks at /api/v1) on the files of one project, without a login.

It is a write API on the editor's own disk, so it accepts only record files: paths
`content/{offers,actors,regions}/<slug>.md` or `<slug>.<lang>.md`, never a link, another name or
a way out of those folders; it writes atomically and changes only what the editor changed
(`splice`). Media uploads and deletions are refused: the form offers neither.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atlas.documents import parse_document
from atlas.splice import write_record

KINDS = ("offers", "actors", "regions")
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]{2})?\.md\Z")
EXTENSION = re.compile(r"^([a-z]{2}\.)?md\Z")
MAX_FILE = 256 * 1024  # bytes; a record is a few kilobytes, BODY_MAX caps its text at 20,000 characters
MAX_FILES = 20  # data files in one save (a record and its translations)


class LocalApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class LocalContent:
    project: Path

    def handle(self, request: Any) -> Any:
        """One request of the protocol: {"action": …, "params": {…}} -> its JSON answer."""
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            raise LocalApiError(400, "expected {action, params}")
        params = request.get("params") or {}
        if not isinstance(params, dict):
            raise LocalApiError(400, "params must be an object")
        action: Callable[[dict[str, Any]], Any] | None = getattr(self, "_" + request["action"], None)
        if action is None or request["action"] not in ACTIONS:
            raise LocalApiError(422, f"unknown action {request['action']}")
        return action(params)

    # -- paths ------------------------------------------------------------------------------
    def folder(self, folder: Any) -> Path:
        """`content/<kind>` as a real folder inside the project (no link on the way)."""
        if not isinstance(folder, str) or folder.strip("/") not in {f"content/{k}" for k in KINDS}:
            raise LocalApiError(403, "only content/offers, content/actors and content/regions can be edited")
        path = self.project / folder.strip("/")
        for part in (self.project / "content", path):
            if part.is_symlink() or (part.exists() and not part.is_dir()):
                raise LocalApiError(403, f"{part.relative_to(self.project)} is not a plain folder")
        return path

    def file(self, rel: Any) -> Path:
        """A record file's path, confined to the record folders; it may not exist yet."""
        if not isinstance(rel, str) or "\\" in rel or "\0" in rel or rel.startswith("/"):
            raise LocalApiError(403, "not a record path")
        folder, _, name = rel.rpartition("/")
        if not FILE_NAME.match(name):
            raise LocalApiError(403, f'"{name}" is not a record file name (<slug>.md or <slug>.<lang>.md)')
        path = self.folder(folder) / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise LocalApiError(403, f"{rel} is not a plain file")
        return path

    def _entry(self, rel: str) -> dict[str, Any]:
        path = self.file(rel)
        if not path.is_file():
            return {"data": None, "file": {"path": rel, "id": None}}
        data = path.read_bytes()[:MAX_FILE]
        return {"data": data.decode("utf-8", "replace"), "file": {"path": rel, "id": _id(data)}}

    # -- the protocol's actions ---------------------------------------------------------------
    def _info(self, params: dict[str, Any]) -> Any:
        return {"repo": self.project.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entriesByFolder(self, params: dict[str, Any]) -> Any:  # noqa: N802 (the protocol's name)
        extension = params.get("extension")
        if not isinstance(extension, str) or not EXTENSION.match(extension):
            raise LocalApiError(403, "records are .md files")
        folder = self.folder(params.get("folder"))
        if not folder.is_dir():
            return []
        rel = folder.relative_to(self.project).as_posix()
        names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink())
        wanted = [n for n in names if FILE_NAME.match(n) and n.endswith("." + extension)
                  and "." not in n[: -len(extension) - 1]]  # `md` lists no translations
        return [self._entry(f"{rel}/{n}") for n in wanted]

    def _entriesByFiles(self, params: dict[str, Any]) -> Any:  # noqa: N802
        files = params.get("files")
        if not isinstance(files, list) or len(files) > 1000:
            raise LocalApiError(400, "files must be a list")
        return [self._entry(f.get("path") if isinstance(f, dict) else None) for f in files]

    def _getEntry(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return self._entry(params.get("path"))

    def _persistEntry(self, params: dict[str, Any]) -> Any:  # noqa: N802
        entry = params.get("entry")
        files = params.get("dataFiles") or [entry]
        if params.get("assets"):
            raise LocalApiError(403, "the editor does not upload files")
        if not isinstance(files, list) or not 0 < len(files) <= MAX_FILES:
            raise LocalApiError(400, "dataFiles must be a short list")
        checked = []
        for item in files:
            if not isinstance(item, dict) or not isinstance(item.get("raw"), str) or item.get("newPath"):
                raise LocalApiError(400, "each data file needs a path and its text (records are not renamed)")
            if len(item["raw"].encode()) > MAX_FILE:
                raise LocalApiError(413, "the record is too large")
            path = self.file(item.get("path"))
            _readable(item["raw"], path.relative_to(self.project).as_posix())
            checked.append((path, item["raw"]))
        for path, raw in checked:
            write_record(path, raw)
        return {"message": "entry persisted"}

    def _getMedia(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return []

    def _getDeployPreview(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return None


ACTIONS = ("info", "entriesByFolder", "entriesByFiles", "getEntry", "persistEntry", "getMedia",
           "getDeployPreview")


def _readable(raw: str, rel: str) -> None:
    """A save that atlas could not even read as a record (broken YAML, no front matter) is refused
    with the reason, so the editor sees it at once; field problems are saved and shown by the
    preview's banner, as for a record written by hand."""
    document, problems = parse_document(raw.replace("\r\n", "\n"), rel)
    if document is None:
        raise LocalApiError(422, str(problems[0]))




def _id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
