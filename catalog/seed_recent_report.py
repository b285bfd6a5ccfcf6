"""Report of the 2026 step: what it added (models by release year, scores, measurements by engine and
device kind, devices, quantizations, engines, hosted speeds) and what it left out, by reason."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any


def count(values: Iterable[str]) -> dict[str, int]:
    """A count per value, largest first (ties by name)."""
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def year(release: object) -> str:
    """The release year of a YYYY[-MM] text, or 'unknown'."""
    text = str(release)
    return text[:4] if text[:4].isdigit() else "unknown"


def print_report(recent: Any, files_left_out: Mapping[str, str]) -> None:
    """Print the counts of the 2026 step (`recent` is a seed_recent.Recent)."""
    rep = recent.report
    models, speeds = rep["models"], rep["speeds"]
    print("2026 step (catalog/sources/2026):")
    print(f"  raw rows: {rep['raw_counts']}")
    opened = models.rows
    print(f"  models added: {len(opened)} open + {len(rep['hosted'])} hosted; by release year: "
          f"{count(year(r['release']) for r in opened.values())}")
    every = rep["every"].values()
    print(f"  catalog models by release year: {dict(sorted(Counter(year(r['release']) for r in every).items()))}; "
          f"released 2025-06 or later: {sum(1 for r in every if str(r['release']) >= '2025-06')}")
    print(f"  raw models the seed already has (skipped): {models.skipped}")
    print(f"  configs not read ({len(models.shape_errors)}): {[m for m, _ in models.shape_errors]}")
    print(f"  computed counts off the published ones: {len(models.params_off)}")
    print(f"  aliases added: {len(recent.aliases.models)} model, {len(recent.aliases.hardware)} hardware, "
          f"{len(recent.aliases.engines)} engine; model aliases skipped (another model has them): "
          f"{models.aliases_skipped}")
    print(f"  scores added: {len(recent.scores)} ({sum(1 for r in recent.scores if r[0] in rep['hosted_keys'].values())}"
          f" on hosted models; {sum(1 for r in recent.scores if 'CONVERTED from fraction' in str(r[9]))} converted "
          f"from fractions); left out: {dict(rep['scores_left'])}")
    kinds = rep["hw_kinds"]
    print(f"  measurements added: {len(recent.measurements)}; by engine: {count(str(r[2]) for r in recent.measurements)}")
    print(f"    by device kind: {count(kinds[str(r[4])] for r in recent.measurements)}; by measure_kind: "
          f"{count(str(r[9]) for r in recent.measurements)}; wall-rate rows (quality low): {speeds.wall_rate}")
    print(f"    left out: {count_dict(speeds.left_out)}")
    print(f"  devices added: {len(recent.hardware)}; quantizations added: {[q[0] for q in recent.quantizations]}; "
          f"engines added: {[e[0] for e in recent.engines]}")
    print(f"  hosted speeds: {len(recent.hosted_speeds)}; left out: {dict(rep['hosted_left'])}")
    for name, why in files_left_out.items():
        print(f"  not read: {name}: {why}")


def count_dict(counter: Mapping[str, int]) -> dict[str, int]:
    """A counter as a dict, largest first."""
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
