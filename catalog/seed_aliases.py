"""Aliases step of the seed: model, hardware, quant and engine alias files from the data's
spellings, the mapping tables and automatic device short names, checked for ambiguity."""
from __future__ import annotations

import re
from collections.abc import Iterable, Set
from typing import NamedTuple

from seed_common import SharedData, canonical_model, canonical_quant, die, norm_alias
from seed_tables_engines import ENGINE_ALIASES, ENGINE_ALIASES_EXTRA, ENGINES, QUANT_ALIASES, QUANTS
from seed_tables_hardware import HW_ALIASES_MANUAL, HW_MAP
from seed_tables_models import MODEL_ALIASES_MANUAL, MODEL_MAP

Pair = tuple[str, str | None]  # alias -> canonical target (None = deliberately unmapped)


class Aliases(NamedTuple):
    """The four alias tables, each a sorted list of (alias, canonical name)."""

    models: list[tuple[str, str]]
    hardware: list[tuple[str, str]]
    quants: list[tuple[str, str]]
    engines: list[tuple[str, str]]


def build_all_aliases(data: SharedData, models: Set[str], hardware: Set[str]) -> Aliases:
    """Every alias file of the seed, from the data's spellings and the alias tables."""
    return Aliases(
        build_aliases(model_alias_pairs(data, models), models, "model"),
        build_aliases(hardware_alias_pairs(hardware), hardware, "hardware"),
        build_aliases(quant_alias_pairs(data), set(QUANTS), "quant"),
        build_aliases([(k, v[0]) for k, v in ENGINE_ALIASES.items()] + list(ENGINE_ALIASES_EXTRA.items()), set(ENGINES),
                      "engine"))


def build_aliases(pairs: Iterable[Pair], canon_names: Set[str], what: str) -> list[tuple[str, str]]:
    """Sorted (alias, target) pairs: first spelling wins, canonical names are left out, ambiguity fails."""
    out: dict[str, str] = {}
    seen: dict[str, tuple[str, str]] = {}
    canon_norm = {norm_alias(c): c for c in canon_names}
    for alias, target in pairs:
        if target is None:
            continue
        if target not in canon_names:
            die(f"{what} alias {alias!r} -> unknown {target!r}")
        n = norm_alias(alias)
        if n in canon_norm:
            if canon_norm[n] != target:
                die(f"{what} alias {alias!r} equals canonical {canon_norm[n]!r} but maps to {target!r}")
            continue  # the canonical name itself (or a case variant): not listed
        if n in seen:
            if seen[n][1] != target:
                die(f"{what} alias {alias!r} ambiguous: {seen[n][1]!r} vs {target!r}")
            continue
        seen[n] = (alias, target)
        out[alias] = target
    return sorted(out.items(), key=lambda kv: (kv[0].lower(), kv[0]))


def model_alias_pairs(data: SharedData, models: Set[str]) -> list[Pair]:
    """Every model spelling of the data files, then `MODEL_MAP` and `MODEL_ALIASES_MANUAL`."""
    pairs: list[Pair] = []
    for f_rows in (data.speed, data.tpu, data.oom, data.arch, data.scores, data.qeff):
        pairs += [(r["model"], canonical_model(r["model"], models)) for r in f_rows]
    return pairs + list(MODEL_MAP.items()) + list(MODEL_ALIASES_MANUAL.items())


def hardware_alias_pairs(hardware: Set[str]) -> list[Pair]:
    """`HW_ALIASES_MANUAL` first (manual entries win), then `HW_MAP` and automatic short names."""
    pairs: list[Pair] = list(HW_MAP.items())
    for name in sorted(hardware):
        pairs += automatic_hardware_aliases(name)
    manual_norm = {norm_alias(a) for a in HW_ALIASES_MANUAL}
    return list(HW_ALIASES_MANUAL.items()) + [(a, t) for a, t in pairs if norm_alias(a) not in manual_norm]


def automatic_hardware_aliases(name: str) -> list[Pair]:
    """Short names of a device: GeForce numbers (`4090`, `RTX 4090`, ...), Radeon/Arc without vendor."""
    pairs: list[Pair] = []
    m = re.match(r"NVIDIA GeForce (RTX|GTX) (\d{4}(?: Ti)?(?: SUPER)?)$", name)
    if m:
        num = m.group(2)
        for a in (num, f"{m.group(1)} {num}", f"GeForce {m.group(1)} {num}", f"NVIDIA {m.group(1)} {num}"):
            pairs.append((a, name))
    m = re.match(r"NVIDIA GeForce RTX (\d{4}(?: Ti)?) (\d+GB)$", name)
    if m:
        pairs.append((f"RTX {m.group(1)} {m.group(2)}", name))
        pairs.append((f"{m.group(1)} {m.group(2)}", name))
    m = re.match(r"(AMD Radeon|Intel Arc) (.+)$", name)
    if m and "(" not in name:
        pairs.append((m.group(2), name))
    return pairs


def quant_alias_pairs(data: SharedData) -> list[Pair]:
    """`QUANT_ALIASES`, then every quant spelling of the speed/tpu/oom files (empty spellings left out)."""
    pairs: list[Pair] = list(QUANT_ALIASES.items())
    for f_rows in (data.speed, data.tpu, data.oom):
        pairs += [(r["quant"], canonical_quant(r["quant"]) or None) for r in f_rows]
    return [(a, t) for a, t in pairs if a]
