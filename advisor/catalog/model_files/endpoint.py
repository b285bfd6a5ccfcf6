"""A model's facts from what the server that runs it says about it: pure functions of each
server's JSON (the requests are made by `advisor.measure.introspect`).

Field names, as documented:
- llama.cpp server (ggml-org/llama.cpp `tools/server/README.md` @ 25d5b0c53f9a146f3d7a99a18610d9d623b5041e):
  `GET /props` -> `default_generation_settings.n_ctx` (the context the server runs), `total_slots`,
  `model_path` (the `-m` file), `modalities`, `build_info`; `GET /v1/models` -> `data[0].owned_by`
  "llamacpp" and `meta` {`vocab_type`, `n_vocab`, `n_ctx_train`, `n_embd`, `n_params`, `size`} (`meta` may
  be null while the model loads; `size` is the bytes of its tensors).
- Ollama (ollama/ollama `docs/api.md` @ 01e52d24bc00defcd9bcc6d995b11df0f08bc6f1): `POST /api/show`
  {"model": NAME} -> `details` {`family`, `parameter_size` "8.0B", `quantization_level` "Q4_0"},
  `model_info` (the GGUF metadata keys: `general.parameter_count`, `llama.block_count`, ...), `parameters`
  (Modelfile lines, `num_ctx N`); `GET /api/tags` -> `models[]` {`name`, `model`, `size` (bytes), `details`}.
- vLLM (vllm-project/vllm `vllm/entrypoints/openai/protocol.py` @ 0052bed36509c7a5a2d8e48265334e40cf2f5a0e,
  `ModelCard`): `GET /v1/models` -> `data[]` {`id`, `owned_by` "vllm", `root` (the model path or Hub id),
  `parent`, `max_model_len`}.
- llama-cpp-python's server (`llama_cpp/server/app.py`, 0.3.x): `GET /v1/models` -> {`id` (the alias),
  `owned_by` "me", `permissions` []} only; no `/props`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.catalog.model_files.facts import Fact, ModelFacts
from advisor.catalog.model_files.gguf_meta import metadata_facts
from advisor.catalog.names import split_gguf_quant, strip_file_suffix

# `owned_by` of `/v1/models` -> the server kind
_OWNERS = {"llamacpp": "llama.cpp", "vllm": "vllm", "sglang": "sglang", "me": "llama-cpp-python",
           "library": "ollama", "ollama": "ollama"}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class ServerFacts:
    """What a server said about the model it serves: the server `kind` ("llama.cpp", "ollama",
    "vllm", "sglang", "llama-cpp-python", "openai-compatible"; None when nothing answered), the served name,
    the model's facts, the context window the server runs, other details (build, file, modalities,
    `hf_repo` when the server names a Hub repository) and the requests that answered."""

    kind: str | None = None
    model_id: str | None = None
    facts: ModelFacts = field(default_factory=ModelFacts)
    served_context: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    answered: tuple[str, ...] = ()

    def merged(self, over: "ServerFacts") -> "ServerFacts":
        """These with `over`'s on top (its facts, kind and figures win where it has them)."""
        return ServerFacts(
            kind=over.kind or self.kind, model_id=over.model_id or self.model_id,
            facts=self.facts.merged(over.facts), served_context=over.served_context or self.served_context,
            details={**self.details, **over.details}, answered=self.answered + over.answered)

    def with_context_note(self) -> "ServerFacts":
        """A note when the server runs less context than the model has."""
        ctx = self.facts.get("context_len")
        if not (ctx and self.served_context and self.served_context < ctx):
            return self
        note = f"the server runs {self.served_context} of the model's {ctx} tokens of context"
        return replace(self, facts=ModelFacts(self.facts.facts, self.facts.notes + (note,)))


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _facts(*items: tuple[str, Any, str]) -> ModelFacts:
    """Facts from (name, value, source) triples; None values are left out."""
    return ModelFacts({name: Fact(value, source) for name, value, source in items if value is not None})


def _file_name_facts(path: str, source: str) -> ModelFacts:
    """name and quant from a GGUF file name ("models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf")."""
    stem = strip_file_suffix(re.split(r"[\\/]", path.strip())[-1])
    name, quant = split_gguf_quant(stem)
    return _facts(("name", name.rstrip("-._") or stem, f"{source} (file name)"),
                  ("quant", quant.upper() if quant else None, f"{source} (file name)"))


def pick_model(entries: list[Any], model: str | None, keys: tuple[str, ...] = ("id",)) -> dict[str, Any] | None:
    """The entry named `model` (also without an Ollama `:latest` tag), else the only entry."""
    items = [e for e in entries if isinstance(e, dict)]
    if model:
        wanted = {model, model.removesuffix(":latest"), f"{model}:latest"}
        for e in items:
            if any(str(e.get(k, "")) in wanted for k in keys):
                return e
    return items[0] if len(items) == 1 else None


def _llamacpp_meta(meta: Mapping[str, Any]) -> ModelFacts:
    """llama.cpp's `/v1/models` `meta`: parameters, training context, width, vocabulary, tensor bytes."""
    m = "llama.cpp /v1/models meta"
    params, size = _int(meta.get("n_params")), _int(meta.get("size"))
    return _facts(
        ("params_b", params / 1e9 if params else None, f"{m}.n_params"),
        ("context_len", _int(meta.get("n_ctx_train")), f"{m}.n_ctx_train"),
        ("hidden_size", _int(meta.get("n_embd")), f"{m}.n_embd"),
        ("vocab_size", _int(meta.get("n_vocab")), f"{m}.n_vocab"),
        ("file_size_gb", size / 1e9 if size else None, f"{m}.size (tensor bytes)"),
        ("bits_per_weight", round(size * 8 / params, 4) if size and params else None,
         f"computed: {m}.size x 8 / {m}.n_params"))


def parse_openai_models(body: Any, model: str | None = None) -> ServerFacts:
    """`GET /v1/models`: the served name, the server kind from `owned_by`, llama.cpp's `meta` and
    vLLM's `max_model_len` (the served maximum, the model's own unless lowered) and `root`."""
    data = body.get("data") if isinstance(body, dict) else None
    entry = pick_model(data, model) if isinstance(data, list) else None
    if entry is None:
        return ServerFacts(answered=("GET /v1/models",))
    kind = _OWNERS.get(str(entry.get("owned_by", "")).lower(), "openai-compatible")
    model_id = str(entry.get("id") or "") or None
    facts = ModelFacts()
    if model_id and model_id.lower().endswith(".gguf"):  # llama.cpp's default id is the -m path
        facts = _file_name_facts(model_id, "/v1/models id")
    elif model_id:
        facts = _facts(("name", model_id, "/v1/models id"))
    if isinstance(entry.get("meta"), dict):
        facts = facts.merged(_llamacpp_meta(entry["meta"]))
    served = _int(entry.get("max_model_len"))
    facts = facts.merged(_facts(("context_len", served, "/v1/models max_model_len (vLLM: the served maximum)")))
    details: dict[str, Any] = {"owned_by": entry.get("owned_by")}
    root = entry.get("root")
    if isinstance(root, str) and root:
        details["root"] = root
        if _HUB_ID.match(root):
            details["hf_repo"] = root
    return ServerFacts(kind, model_id, facts, served, details, ("GET /v1/models",))


def parse_llamacpp_props(body: Any) -> ServerFacts:
    """llama.cpp `GET /props`: the context the server runs (`default_generation_settings.n_ctx`),
    the model file (`model_path`: name and quantization from its file name), slots, modalities, build."""
    if not isinstance(body, dict) or not ({"default_generation_settings", "build_info", "model_path"} & set(body)):
        return ServerFacts()
    settings = body.get("default_generation_settings")
    n_ctx = _int(settings.get("n_ctx")) if isinstance(settings, dict) else None
    n_ctx = n_ctx or _int(body.get("n_ctx"))  # older servers put n_ctx at the top level
    details = {k: body[k] for k in ("model_path", "total_slots", "modalities", "build_info") if k in body}
    path = body.get("model_path")
    facts = _file_name_facts(path, "llama.cpp /props model_path") if isinstance(path, str) and path else ModelFacts()
    return ServerFacts("llama.cpp", None, facts, n_ctx, details, ("GET /props",))


def _parameter_size(text: Any) -> float | None:
    """Ollama's `details.parameter_size` ("8.0B", "135M") in billions."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMBT])\s*", str(text or ""), flags=re.IGNORECASE)
    if m is None:
        return None
    return float(m[1]) * {"K": 1e-6, "M": 1e-3, "B": 1.0, "T": 1e3}[m[2].upper()]


def parse_ollama_show(show: Any, name: str, tag: Mapping[str, Any] | None = None) -> ServerFacts:
    """Ollama `POST /api/show` of model `name` (and its `GET /api/tags` entry `tag`, for the size):
    the GGUF keys of `model_info`, `general.parameter_count`, `details.quantization_level`,
    `details.parameter_size` and `details.family` as fallbacks, `num_ctx` of `parameters` (or a
    `PARAMETER num_ctx` line of `modelfile`) as the context the server runs."""
    if not isinstance(show, dict):
        return ServerFacts()
    info = show.get("model_info") if isinstance(show.get("model_info"), dict) else {}
    details = show.get("details") if isinstance(show.get("details"), dict) else {}
    facts = metadata_facts(info, "Ollama /api/show model_info") if info else ModelFacts()
    count = _int(info.get("general.parameter_count"))
    params_b = count / 1e9 if count else _parameter_size(details.get("parameter_size"))
    size = _int(tag.get("size")) if tag else None
    quant = details.get("quantization_level")
    extra = _facts(
        ("params_b", params_b, "Ollama /api/show model_info general.parameter_count" if count
         else "Ollama /api/show details.parameter_size"),
        ("family", str(details["family"]) if details.get("family") and "family" not in facts.facts else None,
         "Ollama /api/show details.family"),
        ("quant", str(quant).upper() if quant else None, "Ollama /api/show details.quantization_level"),
        ("file_size_gb", size / 1e9 if size else None, "Ollama /api/tags size"),
        ("bits_per_weight", round(size * 8 / (params_b * 1e9), 4) if size and params_b else None,
         "computed: Ollama /api/tags size x 8 / parameters"))
    facts = _facts(("name", name, "Ollama model name")).merged(facts).merged(extra)
    m = (re.search(r"(?m)^\s*num_ctx\s+(\d+)", str(show.get("parameters") or ""))
         or re.search(r"(?m)^PARAMETER\s+num_ctx\s+(\d+)", str(show.get("modelfile") or "")))
    keep = {k: details[k] for k in ("format", "family", "families", "parent_model") if k in details}
    if show.get("capabilities"):
        keep["capabilities"] = show["capabilities"]
    answered = ("GET /api/tags", "POST /api/show") if tag is not None else ("POST /api/show",)
    return ServerFacts("ollama", name, facts, int(m[1]) if m else None, keep, answered)


def ollama_tag(tags: Any, model: str | None) -> dict[str, Any] | None:
    """The `GET /api/tags` entry of `model` (the only one when no model is named)."""
    models = tags.get("models") if isinstance(tags, dict) else None
    return pick_model(models, model, keys=("name", "model")) if isinstance(models, list) else None
