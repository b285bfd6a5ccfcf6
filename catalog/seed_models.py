"""Models step of the seed: models.csv rows from model_meta.csv, the added models (`NEW_MODELS`)
and the architecture shapes (cited rows, inherited by siblings, or general knowledge)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from seed_common import Cell, Cite, Raw, SharedData, canonical_model, die, fmt
from seed_tables_models import (WEIGHTS_QUANT, ARCH_COLS, ARCH_SIBLING_NOTES, ARCH_SIBLING_OVERRIDES, ARCH_SIBLINGS, GK_ARCH_FACTS,
                                NEW_MODEL_PARAMS_FROM, NEW_MODELS, VARIANT_MAP)
from seed_tables_sources import (GK_ARCH, GK_MODEL, META_API, META_CARD, META_COMMON, META_NAME, META_OLL)

ModelRow = dict[str, Cell]  # the models.csv columns (with `basis` for facts_basis), by name


class ModelFacts(NamedTuple):
    """What the other shared files say about models: architecture rows, params, first citation."""

    arch_by_model: dict[str, Raw]  # canonical model -> its architecture row
    arch_rows_by_name: dict[str, Raw]  # architecture-file spelling -> row
    speed_params: dict[str, str]  # canonical model -> first params_b of the speed/tpu/oom files
    first_cite: dict[str, tuple[str, str]]  # canonical model -> (citation, kind) it first appears in


def build_models(data: SharedData) -> dict[str, ModelRow]:
    """Every canonical model (meta rows, then `NEW_MODELS`) with its facts and shapes, by name."""
    names = frozenset({m["model"] for m in data.meta} | set(NEW_MODELS))
    facts = model_facts(data, names)
    rows = meta_model_rows(data.meta)
    rows.update((name, new_model_row(name, f, facts)) for name, f in NEW_MODELS.items())
    return {name: with_architecture(name, row, facts) for name, row in rows.items()}


def model_facts(data: SharedData, names: frozenset[str]) -> ModelFacts:
    """Collect the per-model figures of the non-meta files (failing on any unmapped model name)."""
    arch_by_model = {canonical_model(r["model"], names): r for r in data.arch}
    speed_params: dict[str, str] = {}
    for r in data.speed + data.tpu + data.oom:
        c = canonical_model(r["model"], names)
        if r.get("params_b") and c not in speed_params:
            speed_params[c] = r["params_b"]
    first_cite: dict[str, tuple[str, str]] = {}
    for kind, rows in (("architecture", data.arch), ("speed", data.speed), ("tpu", data.tpu), ("speed", data.oom),
                       ("quant", data.qeff)):
        for r in rows:
            first_cite.setdefault(canonical_model(r["model"], names), (r["source"], kind))
    return ModelFacts(arch_by_model, {r["model"]: r for r in data.arch}, speed_params, first_cite)


def meta_model_rows(meta: list[Raw]) -> dict[str, ModelRow]:
    """One row per model_meta.csv row, its meta_source reduced to an origin key ("as above" resolved)."""
    rows: dict[str, ModelRow] = {}
    prev_ms, prev_text = META_COMMON, ""
    for m in meta:
        k = meta_source_key(m["meta_source"], prev_ms)
        ms_text = m["meta_source"]
        if ms_text.startswith("as above"):
            ms_text = f"as above (previous model_meta.csv row: {prev_text})"
        else:
            prev_text = ms_text
        prev_ms = k
        rows[m["model"]] = dict(
            name=m["model"], family=m["family"], params_b=m["params_b"], active_params_b=m["active_params_b"],
            context_len=m["context_len"], release=m["release"], license=m["license"],
            commercial_use=commercial_use(m["license"]), variant=VARIANT_MAP[m["variant"]],
            source=k, notes=f"meta_source: {ms_text}", basis="cited")
    return rows


def new_model_row(name: str, f: Mapping[str, Any], facts: ModelFacts) -> ModelRow:
    """The row of an added model: its `NEW_MODELS` facts, params from the arch/speed files where blank."""
    arch = facts.arch_by_model.get(name)
    params, pnote = f.get("params_b", ""), ""
    if not params and arch is not None and arch["params_b"]:
        params, pnote = arch["params_b"], "params_b from model_architectures.csv"
    if not params and name in facts.speed_params:
        params, pnote = facts.speed_params[name], "params_b from the speed/tpu file"
    if not params and name in NEW_MODEL_PARAMS_FROM:
        params = facts.arch_rows_by_name[NEW_MODEL_PARAMS_FROM[name]]["params_b"]
        pnote = f"params_b from the {NEW_MODEL_PARAMS_FROM[name]} architecture row"
    active = f.get("active_params_b", "")
    if not active and arch is not None:
        active = arch["active_params_b"]
    ctx = f.get("context_len", "")
    if not ctx and arch is not None:
        ctx = arch["max_context"]
    src: Cell = Cite(*facts.first_cite[name]) if name in facts.first_cite else GK_MODEL
    gk = f.get("gk", True) and bool(f.get("license") or f.get("release"))
    notes = "; ".join(x for x in ["not in model_meta.csv", pnote, "license/context/release/variant: general knowledge" if gk else "",
                                  f.get("notes", "")] if x)
    return dict(name=name, family=f["family"], params_b=params, active_params_b=active, context_len=ctx,
                release=f.get("release", ""), license=f.get("license", ""),
                commercial_use=commercial_use(f.get("license", "")), variant=f["variant"],
                source=src, notes=notes, basis="cited+general-knowledge" if gk else "cited")


def architecture_of(name: str, facts: ModelFacts) -> tuple[Raw | None, Cell, str]:
    """The architecture row a model's shapes come from (its own, or a sibling's), its source and a note."""
    if name in facts.arch_by_model:
        a = facts.arch_by_model[name]
        return a, Cite(a["source"], "architecture"), ""
    if name in ARCH_SIBLINGS:
        base = ARCH_SIBLINGS[name]
        a = facts.arch_rows_by_name[base]
        return a, Cite(a["source"], "architecture", f" (inherited from {base})"), ARCH_SIBLING_NOTES.get(name, "")
    return None, "", ""


def with_architecture(name: str, model: ModelRow, facts: ModelFacts) -> ModelRow:
    """A copy of a model row with the architecture columns and `arch_source` filled (blank where unknown)."""
    row = dict(model)
    a, asrc, anote = architecture_of(name, facts)
    if a is not None:
        for c in ARCH_COLS:
            row[c] = a[c]
        if name in ARCH_SIBLING_OVERRIDES:
            ov, why = ARCH_SIBLING_OVERRIDES[name]
            row.update(ov)
            anote = "; ".join(x for x in (anote, why) if x)
        if not row["params_b"] and a["params_b"]:
            row["params_b"] = a["params_b"]
            row["notes"] = f"{row['notes']}; params_b from model_architectures.csv"
        if not row["active_params_b"] and a["active_params_b"]:
            row["active_params_b"] = a["active_params_b"]
    elif name in GK_ARCH_FACTS:
        for c in ARCH_COLS:
            row[c] = fmt(GK_ARCH_FACTS[name].get(c, ""))
        asrc = GK_ARCH
        # meta facts cited (or model facts general knowledge), shapes general knowledge
        row["basis"] = "cited+general-knowledge"
    else:
        for c in ARCH_COLS:
            row[c] = ""
    if anote:  # only a cited (own or inherited) architecture carries a note
        row["notes"] = f"{row['notes']}; arch: {anote}"
    row["arch_source"] = asrc
    if not row["params_b"] and name in facts.speed_params:
        row["params_b"] = facts.speed_params[name]
        row["notes"] = f"{row['notes']}; params_b from the speed file"
    return row


def meta_source_key(ms: str, prev: str) -> str:
    """The synthetic source key of a model_meta.csv meta_source text ("as above" = the previous row's)."""
    if ms.startswith("as above"):
        return prev
    if ms.startswith("card:"):
        return META_CARD
    if "OLL" in ms or "Open LLM Leaderboard" in ms:
        return META_OLL
    if ms.startswith("params from name"):
        return META_NAME
    if ms.startswith("release from model version") or ms.startswith("release approximate"):
        return META_API
    if "README" in ms or "blog" in ms or "paper" in ms:
        return META_CARD
    return META_COMMON


def commercial_use(lic: str) -> str:
    """yes / no / unknown from the license text, as documented in catalog/README.md."""
    l = lic.lower()
    if not l:
        return "unknown"
    if "non-commercial" in l or "cc-by-nc" in l or "research" in l or "non-production" in l:
        return "no"
    if "proprietary (api)" in l:
        return "yes"
    if "apache" in l or l.startswith("mit") or "llama" in l or "gemma" in l or "openrail" in l:
        return "yes"
    if "deepseek" in l or "yi license" in l or "falcon 3" in l or "baichuan" in l:
        return "yes"  # permissive with use restrictions / commercial allowed
    if "internlm" in l:
        return "yes"  # free commercial use with application
    if "tongyi qianwen" in l or "qwen license" in l:
        return "yes"  # commercial allowed below a user threshold (72B: >100M MAU needs a license)
    if "glm-4" in l or "minicpm" in l:
        return "yes"  # commercial use after registration
    return "unknown"


def with_weights_quant(models: Mapping[str, ModelRow]) -> dict[str, ModelRow]:
    """The models with `weights_quant` set from `WEIGHTS_QUANT` (and said in their notes); a name
    the tables lack fails."""
    out = dict(models)
    for name, quant in WEIGHTS_QUANT.items():
        if name not in out:
            die(f"WEIGHTS_QUANT names {name!r}, which is not a catalog model")
        row = dict(out[name])
        note = f"weights_quant {quant}: the quantization_config.quant_method of the config.json arch_source cites"
        row["weights_quant"] = quant
        row["notes"] = "; ".join(x for x in (str(row.get("notes") or ""), note) if x)
        out[name] = row
    return out
