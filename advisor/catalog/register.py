"""Registering a model the catalog does not know (origin `user`) from the facts its own files
or its server give (`ModelFacts`): checked for contradictions, written in one transaction with
where each fact came from, never over a seed model, and only over a user model when asked."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.catalog import orm
from advisor.catalog.model_files.facts import FILE_FACTS, MODEL_FACTS, Fact, ModelFacts
from advisor.catalog.names import norm
from advisor.catalog.rows import SPEC_BY_FILE
from advisor.errors import InputError

if TYPE_CHECKING:
    from advisor.catalog import Catalog

# facts the predictor needs for speed and memory; a model without them is registered, but its
# figures stay unknown until they are given
SPEED_FACTS = ("params_b",)
VARIANTS = ("base", "instruct", "reasoning")


@dataclass(frozen=True)
class Registration:
    """What `register_model` wrote (or would write, on a dry run)."""

    name: str
    replaced: bool
    row: dict[str, Any]
    sources: dict[str, str]
    quant: dict[str, Any] | None = None  # the quantization row a GGUF file added, if new
    aliases: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    written: bool = False

    def missing(self) -> list[str]:
        """Facts the predictor needs that are still unknown."""
        return [f for f in SPEED_FACTS if self.row.get(f) in (None, "")]


def check_facts(facts: ModelFacts) -> None:
    """InputError naming the fact (and where it came from) for values that contradict each other."""
    def where(name: str) -> str:
        fact = facts.facts[name]
        return f"{fact.source}: {name}"

    g = facts.get
    if g("params_b") is not None and g("active_params_b") is not None and g("active_params_b") > g("params_b") * 1.001:
        raise InputError(f"{where('active_params_b')} = {g('active_params_b')} B is more than params_b = {g('params_b')} B")
    for kv in ("n_kv_heads", "global_kv_heads"):  # the sliding layers', and the full layers' own
        if g("n_heads") and g(kv) and (g(kv) > g("n_heads") or g("n_heads") % g(kv)):
            raise InputError(f"{where(kv)} = {g(kv)} does not divide n_heads = {g('n_heads')}")
    if g("n_layers") and g("kv_layers") and g("kv_layers") > g("n_layers"):
        raise InputError(f"{where('kv_layers')} = {g('kv_layers')} is more than n_layers = {g('n_layers')}")
    if g("kv_layers") is not None and g("sliding_layers") is not None and g("sliding_layers") > (g("kv_layers") or g("n_layers") or 0):
        raise InputError(f"{where('sliding_layers')} = {g('sliding_layers')} is more than the layers with a KV cache")
    if g("moe_experts") and g("moe_active_experts") and g("moe_active_experts") > g("moe_experts"):
        raise InputError(f"{where('moe_active_experts')} = {g('moe_active_experts')} is more than moe_experts = {g('moe_experts')}")
    if g("variant") is not None and g("variant") not in VARIANTS:
        raise InputError(f"{where('variant')}: '{g('variant')}' is not one of {', '.join(VARIANTS)}")


def merge_file_facts(readers: list[ModelFacts]) -> ModelFacts:
    """Facts of several files about one model (a config and a GGUF): later ones fill in, and a
    shape the two files give differently is an error naming both."""
    merged = ModelFacts()
    for facts in readers:
        # llama.cpp stores an MLA model's latent cache as one KV head: its configs say more
        mla = merged.get("kv_lora_rank") or facts.get("kv_lora_rank")
        for key in ("n_layers", "hidden_size", "n_heads", "vocab_size") + (() if mla else ("n_kv_heads",)):
            a, b = merged.facts.get(key), facts.facts.get(key)
            if a is not None and b is not None and a.value != b.value:
                raise InputError(f"{b.source}: {key} = {b.value} contradicts {a.source}: {key} = {a.value}")
        a, b = merged.facts.get("params_b"), facts.facts.get("params_b")
        if a is not None and b is not None and abs(a.value - b.value) > 0.05 * max(a.value, b.value):
            raise InputError(f"{b.source}: params_b = {b.value:.3g} B contradicts {a.source}: params_b = {a.value:.3g} B")
        merged = merged.merged(facts)
    return merged


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _model_row(name: str, facts: ModelFacts, citation: str, previous: dict[str, str]) -> dict[str, str]:
    """The models.csv row; `previous` holds the fact sources of the user model it replaces
    (facts not given again keep their value and their source)."""
    columns = SPEC_BY_FILE["models.csv"].columns
    row = {k: _cell(facts.get(k)) for k in MODEL_FACTS if k in columns and k != "name"}
    sources = {**previous, **facts.sources()}
    row.update(name=name, source=citation, facts_basis="user: " + ", ".join(sorted(set(sources.values()))),
               fact_sources=json.dumps(dict(sorted(sources.items())), ensure_ascii=False))
    return {k: v for k, v in row.items() if k in columns}


def _quant_row(facts: ModelFacts, known: bool, citation: str) -> dict[str, str] | None:
    """A quantization a GGUF file is stored in that the catalog lacks (bits per weight of that
    file); None when there is none or the catalog has it."""
    quant, bits = facts.get("quant"), facts.get("bits_per_weight")
    if not quant or known or not bits:
        return None
    return {"name": quant, "family": "gguf", "bits_per_weight": f"{bits:.3f}", "source": citation,
            "notes": "bits per weight of the registered file (file bytes x 8 / parameters)"}


def _check_name(cat: "Catalog", name: str, replace: bool) -> dict[str, str] | None:
    """The fact sources of the user model `name` that `replace` allows updating (None: a new
    name); InputError for a seed model, or a user model without `replace`."""
    found = cat.find_model(name)
    if found is None:
        return None
    if found.origin != orm.USER:
        raise InputError(f"--name: '{name}' is the catalog's own model '{found.name}'; a seed model is never "
                         "replaced: give another --name")
    if not replace:
        raise InputError(f"--name: '{found.name}' is already in the catalog (a user model); --replace updates it")
    return json.loads(found.fact_sources) if found.fact_sources else {}


def register_model(cat: "Catalog", facts: ModelFacts, *, aliases: tuple[str, ...] = (), replace: bool = False,
                   dry_run: bool = False) -> Registration:
    """Write (unless `dry_run`) the user model `facts` describe, with its aliases and the
    quantization its GGUF file is stored in; one transaction, nothing written on error."""
    name = (facts.get("name") or "").strip()
    if not name:
        raise InputError("--name: the files do not name the model; give --name NAME")
    check_facts(facts)
    previous = _check_name(cat, name, replace)
    replaced = previous is not None
    if replaced:
        name = cat.find_model(name).name  # type: ignore[union-attr]  # as the catalog spells it
    citation = "user model files: " + "; ".join(sorted({f.source.split(":")[0] for f in facts.facts.values()}))
    row = _model_row(name, facts, citation, previous or {})
    stored_in = facts.get("quant")
    quant = _quant_row(facts, stored_in is None or cat.find_quant(stored_in) is not None, citation)
    others = tuple(dict.fromkeys(a for a in aliases if a and norm(a) != norm(name)))
    reg = Registration(name, replaced, row, facts.sources(), quant, others, facts.notes)
    if dry_run:
        return reg
    _write(cat, reg)
    return dataclasses.replace(reg, written=True)


def registration_tables(reg: Registration, taken_aliases: set[str]) -> list[tuple[Any, list[tuple[int, dict[str, Any]]]]]:
    """The seed-format rows a registration writes, in dependency order: the quantization its
    file is stored in (if new), the model, its aliases (those no other model has)."""
    tables: list[tuple[Any, list[tuple[int, dict[str, Any]]]]] = []
    if reg.quant is not None:
        tables.append((SPEC_BY_FILE["quantizations.csv"], [(1, reg.quant)]))
    tables.append((SPEC_BY_FILE["models.csv"], [(1, reg.row)]))
    aliases = [(1, {"alias": a, "model": reg.name}) for a in reg.aliases if norm(a) not in taken_aliases]
    if aliases:
        tables.append((SPEC_BY_FILE["model_aliases.csv"], aliases))
    return tables


def _write(cat: "Catalog", reg: Registration) -> None:
    from advisor.catalog.seed_io import import_tables

    snap = cat.snapshot()
    taken = {norm(m.name) for m in snap.models.values()} | {norm(a) for al in snap.model_aliases.values() for a in al}
    import_tables(cat.engine, registration_tables(reg, taken), f"model '{reg.name}'")


def slug(text: str) -> str:
    """A name part for file-derived names: `Qwen/Qwen3-8B` -> `Qwen3-8B`."""
    return re.sub(r"\s+", "-", text.rsplit("/", 1)[-1].strip())


def with_options(facts: ModelFacts, options: dict[str, Any]) -> ModelFacts:
    """Facts given on the command line win over facts read from files."""
    given = {k: Fact(v, f"--{k.replace('_', '-')}") for k, v in options.items() if v is not None}
    unknown = set(given) - set(MODEL_FACTS) - set(FILE_FACTS)
    if unknown:
        raise ValueError(f"not model facts: {sorted(unknown)}")
    return facts.merged(ModelFacts(given))
