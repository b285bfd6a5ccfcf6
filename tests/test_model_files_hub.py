"""`fetch_hf_config` against a fixture Hub on 127.0.0.1 (`tests/_hub_server.py`, serving
`tests/fixtures/hub/`), with HF_ENDPOINT pointing at it and the Hub cache in tmp_path; a missing
repository, revision or file and an unreachable Hub each give one line, the last within seconds."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _hub_server import COMMIT, FIXTURES, HubServer, fixture_repos
from _measure_helpers import cat, catalog_template, free_port  # noqa: F401
from advisor.catalog.model_files.hub import fetch_hf_config
from advisor.errors import InputError

pytest.importorskip("huggingface_hub")
REPO = "tiny-org/tiny-llama"


@pytest.fixture
def hub_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private Hub cache, no token, no telemetry, short timeouts; returns the cache folder."""
    import huggingface_hub.constants as constants

    cache = tmp_path / "hf" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_HUB_ETAG_TIMEOUT", "2")
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", "2")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    # read once, when huggingface_hub was imported (telemetry on: it asks the Hub for an agent registry)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)
    monkeypatch.setattr(constants, "HF_HUB_DOWNLOAD_TIMEOUT", 2)
    return cache


@pytest.fixture
def hub(hub_env: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with HubServer(fixture_repos(), lfs=frozenset({"tokenizer_config.json"})) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def one_line(repo_id: str, revision: str | None = None) -> str:
    with pytest.raises(InputError) as info:
        fetch_hf_config(repo_id, revision)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"--hf-id {repo_id}: ")
    return message


def test_downloads_the_config_files_into_the_cache(hub: HubServer, hub_env: Path) -> None:
    folder = fetch_hf_config(REPO)
    assert folder == hub_env / "models--tiny-org--tiny-llama" / "snapshots" / COMMIT
    names = {"config.json", "generation_config.json", "tokenizer_config.json"}
    assert {p.name for p in folder.iterdir()} == names
    for name in names:
        assert (folder / name).read_bytes() == (FIXTURES / REPO / name).read_bytes()
    assert json.loads((folder / "config.json").read_text())["num_hidden_layers"] == 2
    assert ("HEAD", f"/{REPO}/resolve/main/config.json") in hub.requests
    assert all("/resolve/" in p or p.startswith("/storage/") for _, p in hub.requests)  # nothing else asked
    assert any(m == "GET" and p.startswith("/storage/") for m, p in hub.requests)  # the LFS-style redirect
    again = fetch_hf_config(REPO)  # cached: the same folder, nothing downloaded again
    assert again == folder and sum(m == "GET" for m, _ in hub.requests) == 3


def test_optional_files_may_be_absent(hub: HubServer) -> None:
    folder = fetch_hf_config("tiny-org/config-only")
    assert [p.name for p in folder.iterdir()] == ["config.json"]


def test_a_revision(hub: HubServer) -> None:
    assert fetch_hf_config(REPO, COMMIT).name == COMMIT
    assert one_line(REPO, "v9") == f"--hf-id {REPO}: revision v9 not found in {REPO} ({hub.url})"


def test_missing_repository_or_config(hub: HubServer) -> None:
    assert one_line("tiny-org/nope") == (f"--hf-id tiny-org/nope: repository tiny-org/nope not found on the"
                                         f" Hugging Face Hub ({hub.url}) (a private one needs HF_TOKEN)")
    hub.repos["tiny-org/no-config"] = {"README.md": b"# nothing here\n"}
    assert one_line("tiny-org/no-config") == (f"--hf-id tiny-org/no-config: tiny-org/no-config has no config.json"
                                              f" (revision main, {hub.url})")
    assert "not a Hub repository id" in one_line("not a/valid/id")


def test_unreachable_hub_fails_in_one_line_within_seconds(hub_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    t0 = time.monotonic()
    message = one_line("Qwen/Qwen3-8B")
    assert time.monotonic() - t0 < 5
    assert message.startswith(f"--hf-id Qwen/Qwen3-8B: cannot reach the Hugging Face Hub ({endpoint}): ")
    assert message.endswith("; give --hf-config PATH instead")
    assert "Connection refused" in message


def test_unreachable_or_offline_hub_uses_the_cache(hub_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with HubServer(fixture_repos()) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        folder = fetch_hf_config(REPO)
    assert fetch_hf_config(REPO) == folder  # the server is gone: the cached files serve
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert fetch_hf_config(REPO) == folder
    assert "HF_HUB_OFFLINE is set" in one_line("tiny-org/config-only")


def test_unwritable_cache(hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "a-file" / "hub"))
    assert one_line(REPO).startswith(f"--hf-id {REPO}: cannot write config.json into the Hub cache: ")


def test_module_does_not_import_huggingface_hub() -> None:
    code = "import sys, advisor.catalog.model_files.hub; print('huggingface_hub' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_add_model_from_the_hub_then_offline_in_one_line(hub_env: Path, cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`advisor catalog add-model --hf-id` against the fixture Hub registers the model (found by
    its Hub id afterwards); the same command with the Hub unreachable fails in one line, exit 2,
    nothing written."""
    from _cli_helpers import run_main

    with HubServer(fixture_repos()) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        rc, out, err = run_main(["catalog", "add-model", "--hf-id", REPO, "--variant", "instruct", "--json"],
                                capsys, monkeypatch)
    assert rc == 0, err
    data = json.loads(out)
    assert data["written"] and data["name"] == "tiny-llama"
    assert data["facts"]["n_layers"]["value"] == 2 and data["facts"]["n_layers"]["source"].startswith("config.json")
    assert cat.find_model(REPO).name == "tiny-llama"
    before = cat.stats()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    rc, out, err = run_main(["catalog", "add-model", "--hf-id", "tiny-org/config-only"], capsys, monkeypatch)
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot reach the Hugging Face Hub" in err
    assert cat.stats() == before
