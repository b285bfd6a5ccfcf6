#!/usr/bin/env python3
"""Generate the reviewable seed CSV files of the catalog from ../shared/data and catalog/sources/2026/.

Run from the repository root:

    python catalog/make_seed.py --shared ../shared/data [--out DIR] [--recent DIR]

Standard library and the project's own package (the 2026 step reads the raw configs with
advisor's config reader, and litellm's bundled price map).  Every manual decision (name
mappings, quantization bits, engine canonicalisation, split modes, general-knowledge facts) is a
Python dict in the seed_tables_*.py modules beside this script so that a reviewer sees it in one place;
the other seed_*.py modules hold one step each.  The script validates the output
and fails loudly (SystemExit with a message) on any inconsistency.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (REPO, HERE):  # the project package (the 2026 step's config reader) and the seed_*.py modules
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from seed_aliases import Aliases, build_all_aliases  # noqa: E402
from seed_common import CellRow, Cite, load_shared  # noqa: E402
from seed_entities import build_engines, build_hardware, build_quantizations, hardware_kinds  # noqa: E402
from seed_measurements import Measurements, build_measurements  # noqa: E402
from seed_models import ModelRow, build_models, with_weights_quant  # noqa: E402
from seed_output import SeedTables, report, validate, write_seed  # noqa: E402
from seed_recent import Base, Recent, build_recent, merged_aliases, report_recent  # noqa: E402
from seed_results import build_oom, build_quant_effects, build_scores  # noqa: E402
from seed_sources import build_sources, cites_in, keyed_rows, resolve, resolve_row  # noqa: E402


class Draft(NamedTuple):
    """Every table as the builders return it: citations not yet keyed, row tables in file order."""

    models: dict[str, ModelRow]
    hardware: dict[str, CellRow]
    quantizations: list[list[str]]
    engines: list[list[str]]
    measurements: Measurements
    scores: list[CellRow]
    quant_effects: list[CellRow]
    oom: list[CellRow]
    aliases: Aliases


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: where the shared data is, and where the seed files go (default: this folder)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--recent", type=Path, default=HERE / "sources" / "2026",
                    help="the 2026 raw folders (models/, scores/, speeds/)")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build every table from the shared data, key the sources, validate, write and report; 0 on success."""
    args = parse_args(argv)
    data = load_shared(args.shared)
    models = build_models(data)
    hardware = build_hardware(data)
    draft = Draft(models=models, hardware=hardware, quantizations=build_quantizations(), engines=build_engines(),
                  measurements=build_measurements(data, models, hardware_kinds(hardware)),
                  scores=build_scores(data.scores, models),
                  quant_effects=build_quant_effects(data.qeff, models),
                  oom=build_oom(data.oom, models, hardware),
                  aliases=build_all_aliases(data, set(models), set(hardware)))
    recent = build_recent(args.recent, Base(draft.models, draft.hardware, draft.aliases))
    tables = key_sources(draft, recent)
    validate(tables, draft.measurements, len(data.speed) + len(data.tpu), len(recent.measurements))
    write_seed(args.out, tables)
    report(tables, draft.measurements)
    report_recent(recent)
    return 0


def cites_in_order(d: Draft, r: Recent) -> Iterator[Cite]:
    """Every citation in the order that fixes the source keys: model sources, architecture sources,
    hardware, measurements, scores, quant effects, OOM (each in file order); then the 2026 step's
    (after all others, so that the shared data's keys do not change)."""
    yield from cites_in([row["source"]] for row in d.models.values())
    yield from cites_in([row["arch_source"]] for row in d.models.values())
    for table in (d.hardware.values(), d.measurements.rows, d.scores, d.quant_effects, d.oom):
        yield from cites_in(table)
    yield from cites_in([row["source"]] for row in r.models.values())
    yield from cites_in([row["arch_source"]] for row in r.models.values())
    for table in (r.hardware.values(), r.measurements, r.scores, r.hosted_speeds, r.quantizations):
        yield from cites_in(table)


def key_sources(d: Draft, r: Recent) -> SeedTables:
    """The finished tables, the 2026 step's rows joined to the others': every citation replaced by its
    source key, row tables sorted."""
    sources = build_sources(cites_in_order(d, r))
    models = with_weights_quant({**d.models, **r.models})
    hardware = {**d.hardware, **r.hardware}
    quantizations = sorted([*d.quantizations, *(resolve_row(q, sources) for q in r.quantizations)])
    engines = sorted([*d.engines, *r.engines])
    names = (set(models), set(hardware), {q[0] for q in quantizations}, {e[0] for e in engines})
    return SeedTables(
        sources=sources.rows,
        models={name: {c: resolve(v, sources) for c, v in row.items()} for name, row in models.items()},
        hardware={name: resolve_row(row, sources) for name, row in hardware.items()},
        quantizations=quantizations, engines=engines,
        measurements=keyed_rows([*d.measurements.rows, *r.measurements], sources),
        scores=keyed_rows([*d.scores, *r.scores], sources),
        quant_effects=keyed_rows(d.quant_effects, sources), oom=keyed_rows(d.oom, sources),
        aliases=merged_aliases(d.aliases, r.aliases, names), hosted_speeds=keyed_rows(r.hosted_speeds, sources))


if __name__ == "__main__":
    sys.exit(main())
