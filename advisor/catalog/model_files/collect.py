"""The facts of one model from every description the user names (a config file or folder, a
Hub repository, a GGUF file) and the command line, merged: files in that order, the command
line on top. Also the names the model should be found by afterwards (aliases)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.catalog.model_files.facts import ModelFacts
from advisor.errors import InputError


@dataclass(frozen=True)
class Described:
    """A model's merged facts and the names it should be found by."""

    facts: ModelFacts
    aliases: tuple[str, ...]


def _gguf_stem(path: Path) -> str:
    from advisor.catalog.names import split_gguf_quant

    return split_gguf_quant(path.name.removesuffix(".gguf"))[0]


def describe(hf_config: Path | None = None, hf_id: str | None = None, gguf: Path | None = None,
             options: dict[str, Any] | None = None) -> Described:
    """Read every description given; InputError when there is none (and no --name), or when
    two files contradict each other."""
    from advisor.catalog.register import merge_file_facts, slug, with_options

    options = {k: v for k, v in (options or {}).items() if v is not None}
    readers: list[ModelFacts] = []
    aliases: list[str] = []
    default_name = None
    if hf_id:
        from advisor.catalog.model_files.hf_config import read_hf_config
        from advisor.catalog.model_files.hub import fetch_hf_config

        readers.append(read_hf_config(fetch_hf_config(hf_id)))
        aliases.append(hf_id)
        default_name = slug(hf_id)
    if hf_config:
        from advisor.catalog.model_files.hf_config import read_hf_config

        readers.append(read_hf_config(hf_config))
        folder = hf_config if hf_config.is_dir() else hf_config.parent
        default_name = default_name or folder.resolve().name
    if gguf:
        from advisor.catalog.model_files.gguf_file import read_gguf

        readers.append(read_gguf(gguf))
        aliases.append(gguf.name)
        default_name = default_name or _gguf_stem(gguf)
    if not readers and "name" not in options:
        raise InputError("add-model: give --hf-config PATH, --hf-id ORG/NAME or --gguf PATH (or at least --name)")
    facts = merge_file_facts(readers)
    if facts.get("name") is None and default_name:
        facts = facts.merged(ModelFacts.of({"name": default_name}, "file name"))
    return Described(with_options(facts, options), tuple(aliases))
