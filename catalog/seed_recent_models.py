"""2026 step, models: one models.csv row per model of sources/2026/models/models.csv (card facts as
the raw file states them, shapes read from its architecture rows by the project's config reader),
the hosted models of the `api:` score keys, and the model aliases these add."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from advisor.catalog.model_files.hf_config import config_facts
from advisor.errors import InputError
from seed_common import Cite, Raw, die, norm_alias
from seed_models import ModelRow
from seed_tables_models import ARCH_COLS
from seed_tables_recent import API_SAME_MODEL, COMMERCIAL_LICENSES, FAMILY_MAP, HOSTED_KEYS, PARAMS_TOLERANCE

SHAPE_COLS = [*ARCH_COLS, "kv_layers", "sliding_layers", "state_mb", "global_head_dim", "global_kv_heads"]  # what config_facts gives a row


class Architecture(NamedTuple):
    """The config keys read for one Hugging Face id, as a config dict, and where they were read."""

    config: dict[str, object]
    source: str  # the first row's citation (the rows of one id cite one document)
    n_sources: int


class RecentModels(NamedTuple):
    """The new model rows, the raw models the seed already has, and the alias pairs they bring."""

    rows: dict[str, ModelRow]
    skipped: list[tuple[str, str]]  # (raw name, existing catalog model)
    aliases: list[tuple[str, str]]  # (alias, model), none taken by another model
    aliases_skipped: list[tuple[str, str, str]]  # (alias, model, the model that has it)
    shape_errors: list[tuple[str, str]]  # (model, why its config was not read)
    params_off: list[tuple[str, str]]  # (model, note) where a computed count is off the published one


def architectures(rows: Iterable[Raw], hf_ids: set[str]) -> dict[str, Architecture]:
    """A config dict per hf_id (`text_config.` keys nested), failing on an id models.csv lacks."""
    configs: dict[str, dict[str, object]] = defaultdict(dict)
    sources: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["hf_id"] not in hf_ids:
            die(f"architectures.csv: {r['hf_id']} is not in models.csv")
        if not r["source"]:
            die(f"architectures.csv: {r['hf_id']} {r['key']}: no source")
        try:
            value = json.loads(r["value"])
        except ValueError:
            die(f"architectures.csv: {r['hf_id']} {r['key']}: value {r['value']!r} is not JSON")
        key, config = r["key"], configs[r["hf_id"]]
        if key.startswith("text_config."):
            config = config.setdefault("text_config", {})  # type: ignore[assignment]
            key = key[len("text_config."):]
        if key in config:
            die(f"architectures.csv: {r['hf_id']} {r['key']} given twice")
        config[key] = value
        if r["source"] not in sources[r["hf_id"]]:
            sources[r["hf_id"]].append(r["source"])
    for hf_id, srcs in sources.items():
        if len({s.split(" [")[0] for s in srcs}) > 1:
            die(f"architectures.csv: {hf_id} cites several documents: {srcs}")
    return {h: Architecture(c, sources[h][0], len(sources[h])) for h, c in configs.items()}


def build_recent_models(raw: list[Raw], arch: Mapping[str, Architecture], taken: Mapping[str, str]) -> RecentModels:
    """Model rows for the raw models whose names the seed lacks; `taken` = normalised seed name or alias -> model."""
    rows: dict[str, ModelRow] = {}
    skipped: list[tuple[str, str]] = []
    errors: list[tuple[str, str]] = []
    off: list[tuple[str, str]] = []
    for r in raw:
        if not r["source"]:
            die(f"models.csv: {r['name']}: no source")
        existing = taken.get(norm_alias(r["name"]))
        if existing is not None:
            skipped.append((r["name"], existing))
            continue
        if r["name"] in rows:
            die(f"models.csv: {r['name']} given twice")
        row, error, params_notes = model_row(r, *arch_of(r["hf_id"], arch))
        rows[r["name"]] = row
        errors += [(r["name"], error)] if error else []
        off += [(r["name"], n) for n in params_notes]
    aliases, aliases_skipped = model_aliases(raw, rows, skipped, taken)
    return RecentModels(rows, skipped, aliases, aliases_skipped, errors, off)


# an instruction-tuned checkpoint has its base model's shapes: `-it` (Gemma), `-Instruct`
TUNED_SUFFIXES = ("-it", "-Instruct")


def arch_of(hf_id: str, arch: Mapping[str, Architecture]) -> tuple[Architecture | None, str]:
    """The model's own config, else its base model's (a tuned checkpoint keeps the shapes)."""
    if hf_id in arch:
        return arch[hf_id], ""
    for suffix in TUNED_SUFFIXES:
        if hf_id.endswith(suffix) and hf_id[: -len(suffix)] in arch:
            return arch[hf_id[: -len(suffix)]], f"architecture inherited from {hf_id[: -len(suffix)]}"
    return None, ""


def model_row(r: Raw, a: Architecture | None, inherited: str = "") -> tuple[ModelRow, str, list[str]]:
    """(the row of one raw model, why its config was not read or '', notes on computed counts off the card's)."""
    shapes, notes, computed, error = read_shapes(a)
    params, pnote = published_or_computed(r["params_b"], computed.get("params_b"), "params_b")
    active, anote = computed_active(r["active_params_b"], computed.get("active_params_b"))
    notes = ([inherited] if inherited else []) + notes
    off = [n for n, card in ((pnote, r["params_b"]), (anote, r["active_params_b"])) if n and card]
    lic = r["license"]
    parts = [f"card ({r['hf_id']}): {r['notes']}" if r["notes"] else f"card: {r['hf_id']}", pnote, anote,
             f"family {r['family']!r} written {FAMILY_MAP[r['family']]!r} as in the seed" if r["family"] in FAMILY_MAP else "",
             f"arch: {a.n_sources} rows, the first one's source cited (all cite one document)" if a and a.n_sources > 1 else "",
             "no architecture rows (no config.json read)" if a is None else "", *notes]
    row: ModelRow = dict(
        name=r["name"], family=FAMILY_MAP.get(r["family"], r["family"]), params_b=params, active_params_b=active,
        context_len=r["context_len"], release=r["release"], license=lic, commercial_use=commercial_use(lic),
        variant=r["variant"], **shapes, source=Cite(r["source"], "meta"),
        arch_source=Cite(a.source, "architecture") if a is not None and not error else "",
        notes="; ".join(p for p in parts if p), basis="cited")
    if row["variant"] not in ("base", "instruct", "reasoning"):
        die(f"models.csv: {r['name']}: variant {row['variant']!r}")
    return row, error, off


def read_shapes(a: Architecture | None) -> tuple[dict[str, str], list[str], dict[str, float], str]:
    """(shape columns, notes, computed params, error) of a config read by `config_facts` (empty where unreadable)."""
    empty = dict.fromkeys(SHAPE_COLS, "")
    if a is None:
        return empty, [], {}, ""
    try:
        facts = config_facts(a.config)
    except InputError as exc:
        return empty, [f"shapes left empty: the config reader cannot read this config ({exc})"], {}, str(exc)
    shapes = {c: "" if facts.get(c) is None else str(facts.get(c)) for c in SHAPE_COLS}
    computed = {k: float(facts.get(k)) for k in ("params_b", "active_params_b") if facts.get(k) is not None}
    return shapes, [f"config: {n}" for n in facts.notes], computed, ""


def computed_active(card: str, computed: float | None) -> tuple[str, str]:
    """An MoE's active parameters as computed from its shapes where they are known (what decoding
    a token reads: every weight it is multiplied by, the output projection included, not the
    input embedding; makers count it differently), else as published."""
    if computed is None:
        return published_or_computed(card, None, "active_params_b")
    note = f"active_params_b computed from the config shapes (weights each token is multiplied by)"
    return str(round(computed, 3)), note + (f"; published: {card}" if card else "")


def published_or_computed(card: str, computed: float | None, what: str) -> tuple[str, str]:
    """The published count (noting a computed one off by more than the tolerance), else the computed one."""
    if card:
        published = float(card)
        if computed is not None and published > 0 and abs(computed - published) / published > PARAMS_TOLERANCE:
            return card, (f"{what} {card} as published; computed from the config shapes: {round(computed, 3)} "
                          f"({(computed - published) / published:+.0%})")
        return card, ""
    if computed is not None:
        return str(round(computed, 3)), f"{what} computed from the config shapes (the card states none)"
    return "", ""


def commercial_use(license_text: str) -> str:
    """yes for Apache/MIT/BSD, no where the license is stated non-commercial, empty otherwise."""
    lic = license_text.strip().lower()
    if lic in COMMERCIAL_LICENSES or lic.startswith("bsd"):
        return "yes"
    if re.search(r"non-?commercial", lic):
        return "no"
    return ""


def model_aliases(raw: list[Raw], rows: Mapping[str, ModelRow], skipped: list[tuple[str, str]],
                  taken: Mapping[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The hf_id (and its repo part where it differs from the name) of every raw model, to its catalog model;
    an alias the seed (or an earlier raw model) gives another model is skipped."""
    target = {name: name for name in rows} | dict(skipped)
    have = dict(taken) | {norm_alias(n): n for n in rows}
    pairs: list[tuple[str, str]] = []
    left: list[tuple[str, str, str]] = []
    for r in raw:
        model = target[r["name"]]
        repo = r["hf_id"].split("/", 1)[-1]
        for alias in (r["hf_id"], repo):
            n = norm_alias(alias)
            owner = have.get(n)
            if n == norm_alias(model) or owner == model:
                continue
            if owner is not None:
                left.append((alias, model, owner))
                continue
            have[n] = model
            pairs.append((alias, model))
    return pairs, left


def release_of_key(key: str) -> str:
    """The YYYY-MM of the version date a price-map key carries (`...-20250514-v1:0`, `...-2025-08-07`), else ''."""
    m = re.search(r"(20\d\d)-?([01]\d)-?([0-3]\d)(?!\d)", key)
    return f"{m.group(1)}-{m.group(2)}" if m else ""


def hosted_models(first_cite: Mapping[str, str], api_keys: Mapping[str, str], taken: Mapping[str, str],
                  price_map: Mapping[str, object]) -> tuple[dict[str, ModelRow], dict[str, str]]:
    """(new hosted model rows, every score key -> its catalog model): a key the seed maps (api_models.py or
    `API_SAME_MODEL`) goes to that model; the others become models named by the key (`HOSTED_KEYS`)."""
    for key in first_cite:
        if key not in HOSTED_KEYS:
            die(f"scores.csv: api:{key} is not listed in HOSTED_KEYS")
    rows: dict[str, ModelRow] = {}
    to_model: dict[str, str] = {}
    for key, family in HOSTED_KEYS.items():
        if key not in first_cite:
            die(f"HOSTED_KEYS lists {key}, which no score row uses")
        if key not in price_map:
            die(f"api:{key} is not a key of litellm's bundled price map")
        mapped = API_SAME_MODEL.get(key) or api_keys.get(key)
        if family is None:
            if mapped is None or norm_alias(mapped) not in taken:
                die(f"HOSTED_KEYS: {key} is marked as an existing model, but no seed model is mapped to it")
            to_model[key] = taken[norm_alias(mapped)]
            continue
        if (mapped is not None and mapped != key) or norm_alias(key) in taken:
            die(f"HOSTED_KEYS: {key} would be a new model, but the seed already has {mapped or taken[norm_alias(key)]}")
        release = release_of_key(key)
        rows[key] = dict(
            name=key, family=family, params_b="", active_params_b="", context_len="", release=release, license="",
            commercial_use="", variant="api", **dict.fromkeys(SHAPE_COLS, ""), source=Cite(first_cite[key], "scores"),
            arch_source="", basis="cited",
            notes="; ".join(x for x in ("hosted model named by its litellm price-map key (the source of its first score "
                                        "row cited); context, license and parameters not stated by a cited source",
                                        "release month from the version date in the key" if release else "") if x))
        to_model[key] = key
    return rows, to_model
