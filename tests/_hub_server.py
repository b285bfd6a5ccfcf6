"""A fixture Hugging Face Hub on 127.0.0.1: serves files the way the Hub answers
`huggingface_hub.hf_hub_download` (2.x, `file_download.py`), which sends `HEAD` then `GET` to
`{endpoint}/{repo_id}/resolve/{revision}/{filename}` and needs:

- on a found file: `X-Repo-Commit` (the commit; without it: "does not seem to be served by a Hugging
  Face Hub endpoint"), `ETag` (the git blob sha1 of a regular file) and `Content-Length`;
- for a large (LFS) file: a 302 to the storage host with `Location`, `X-Linked-Etag` (its sha256)
  and `X-Linked-Size`; the client keeps the 302's metadata when the target is another host (here
  `localhost` instead of `127.0.0.1`) and GETs the `Location` itself;
- on a miss: 404 with `X-Error-Code` `RepoNotFound` (-> `RepositoryNotFoundError`),
  `RevisionNotFound` or `EntryNotFound` (-> `RemoteEntryNotFoundError`; with `X-Repo-Commit`, the
  client remembers the file's absence in the cache's `.no_exist`), as `utils/_http.py`
  `hf_raise_for_status` reads them.

Every request is recorded in `requests` (method, path)."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

COMMIT = "0123456789abcdef0123456789abcdef01234567"
FIXTURES = Path(__file__).parent / "fixtures" / "hub"


def git_blob_sha1(data: bytes) -> str:
    """The git object id of a file's content (the Hub's ETag of a regular file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def fixture_repos() -> dict[str, dict[str, bytes]]:
    """{repo_id: {filename: content}} of the folders tests/fixtures/hub/OWNER/NAME/."""
    repos: dict[str, dict[str, bytes]] = {}
    for folder in sorted(p for p in FIXTURES.glob("*/*") if p.is_dir()):
        repos[f"{folder.parent.name}/{folder.name}"] = {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}
    return repos


class HubServer:
    """`repos` served at `url` (HF_ENDPOINT); files named in `lfs` are redirected to storage."""

    def __init__(self, repos: dict[str, dict[str, bytes]], lfs: frozenset[str] = frozenset(),
                 revisions: frozenset[str] = frozenset({"main", COMMIT})) -> None:
        self.repos, self.lfs, self.revisions = repos, lfs, revisions
        self.requests: list[tuple[str, str]] = []
        self.blobs: dict[str, bytes] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "HubServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one request."""
        self.requests.append((method, path))
        if path.startswith("/storage/"):
            blob = self.blobs.get(path.rsplit("/", 1)[-1])
            return (200, {"Content-Length": str(len(blob))}, blob) if blob is not None else (404, {}, b"")
        repo_id, sep, rest = path.lstrip("/").partition("/resolve/")
        revision, _, filename = rest.partition("/")
        revision, filename = unquote(revision), unquote(filename)
        if not sep or repo_id not in self.repos:
            return 404, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"}, b""
        if revision not in self.revisions:
            return 404, {"X-Error-Code": "RevisionNotFound", "X-Error-Message": "Invalid rev id"}, b""
        data = self.repos[repo_id].get(filename)
        if data is None:
            return 404, {"X-Error-Code": "EntryNotFound", "X-Error-Message": "Entry not found",
                         "X-Repo-Commit": COMMIT}, b""
        if filename in self.lfs:
            sha256 = hashlib.sha256(data).hexdigest()
            self.blobs[sha256] = data
            return 302, {"Location": f"http://localhost:{self.port}/storage/{sha256}", "X-Repo-Commit": COMMIT,
                         "X-Linked-Etag": f'"{sha256}"', "X-Linked-Size": str(len(data)),
                         "ETag": f'"{git_blob_sha1(data)}"'}, b""
        return 200, {"X-Repo-Commit": COMMIT, "ETag": f'"{git_blob_sha1(data)}"', "Content-Length": str(len(data)),
                     "Content-Type": "application/json"}, data

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def reply(self, method: str) -> None:
                status, headers, body = hub.answer(method, self.path.split("?", 1)[0])
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if method == "GET":
                    self.wfile.write(body)

            def do_HEAD(self) -> None:
                self.reply("HEAD")

            def do_GET(self) -> None:
                self.reply("GET")

        return Handler
