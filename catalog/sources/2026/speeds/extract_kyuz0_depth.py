#!/usr/bin/env python3
"""Append to speeds.csv the long-context llama-bench rows (pp2048 / tg32 at a 16k or 32k KV
cache) of the two discrete AMD GPUs whose short-context rows speeds.csv already has:

- R9700: kyuz0/amd-r9700-ai-toolboxes `benchmark/results/<stem>__rocm7.1.1__fa1__longctx{16384,32768}__single.log`,
  the same toolbox, model files and single-GPU setting as the kept `__rocm7.1.1__fa1__single.log`
  rows (run_benchmarks.sh: `-p 2048 -n 32 -d <depth> -ub 2048 -r 1` on ROCm).
- MI50: kyuz0/mi50-gfx906-toolboxes README, 'Llama.cpp (MI50 vs R9700)' tables, the MI50
  PP(32k) / TG(32k) columns of the ROCm 7.2.1 rows ("32k = PP2048 @ d32768, TG32 @ d32768").

Why: held out by hardware, the only deep-context ROCm/Vulkan rows were one device's (the Strix
Halo iGPU), so the fit had no second AMD device to learn how attention at depth runs there.

Run by hand on `fetch`ed snapshots (git directories), then regenerate the seed:
    python extract_kyuz0_depth.py R9700_GIT_DIR MI50_GIT_DIR
Rows already in speeds.csv (same source and metric) are not added twice."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from advisor.catalog.tools.llama_bench_text import markdown_records  # noqa: E402

HERE = Path(__file__).resolve().parent
SPEEDS = HERE / "speeds.csv"
R9700_REPO, R9700_COMMIT = "kyuz0/amd-r9700-ai-toolboxes", "8ad62bcda86dc2ce2f2f75e39f292c480bb36122"
MI50_REPO, MI50_COMMIT = "kyuz0/mi50-gfx906-toolboxes", "2ee996a6b8371a60cf25014618cf7d06a502a07c"
DEPTHS = (16384, 32768)


def _show(git_dir: str, commit: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def _row(base: dict[str, str], test: str, depth: int, value: float, source: str, notes: str,
         version: str | None = None) -> dict[str, str]:
    """A row of `base`'s model, quantization, device and backend for one long-context test."""
    row = dict(base, source=source, notes=notes, context_depth=str(depth), prefill_tok_s="", decode_tok_s="")
    if version is not None:
        row["engine_version"] = version
    if test == "pp":
        row.update(prompt_tokens="2048", gen_tokens="0", prefill_tok_s=f"{value:g}")
    else:
        row.update(prompt_tokens="0", gen_tokens="32", decode_tok_s=f"{value:g}")
    return row


def _tail(notes: str) -> str:
    """What a short-context row's notes say of the model file and device (after the ± figure)."""
    return notes.split("; ± ", 1)[1].split("; ", 1)[1] if "; ± " in notes else ""


def r9700_rows(rows: list[dict[str, str]], git_dir: str) -> list[dict[str, str]]:
    out = []
    for base in rows:
        src = base["source"]
        if R9700_REPO not in src or "__rocm7.1.1__fa1__single.log" not in src or base["prompt_tokens"] != "512":
            continue
        path = src.split(":", 2)[2]
        for depth in DEPTHS:
            log = path.replace("__fa1__single.log", f"__fa1__longctx{depth}__single.log")
            text = _show(git_dir, R9700_COMMIT, log)
            table = "\n".join(line for line in text.splitlines() if line.startswith(("|", "build:")))
            for _, rec in markdown_records(table, log):
                if rec["n_depth"] != depth:
                    raise SystemExit(f"{log}: a test at depth {rec['n_depth']}, not {depth}")
                version = f"b{rec['build_number']} ({rec['build_commit']})" if "build_number" in rec else None
                test = "pp" if rec.get("n_prompt") else "tg"
                metric = f"pp2048@d{depth}" if test == "pp" else f"tg32@d{depth}"
                notes = (f"metric=llama-bench {metric}; toolbox=rocm7.1.1 (hipBLASLt default, ROCBLAS_USE_HIPBLASLT=1); "
                         "single GPU via HIP_VISIBLE_DEVICES=0; fa=1; ngl=99; n_ubatch=2048; -r 1 "
                         "(benchmark/run_benchmarks.sh: long-context runs repeat once); llama-bench model column "
                         f"'{rec['model_type']}'; ± {rec.get('stddev_ts', 0):.2f}; " + _tail(base["notes"]))
                out.append(_row(base, test, depth, float(rec["avg_ts"]),
                                f"github:{R9700_REPO}@{R9700_COMMIT}:{log}", notes, version))
    return out


_MI50_ROW = re.compile(r"^\| (\S+) \| [^|]+ \| 7\.2\.1 \| [^|]+ \| [^|]+ \| [^|]+ \| ([0-9.]+) ± ([0-9.]+) \|")


def mi50_rows(rows: list[dict[str, str]], git_dir: str) -> list[dict[str, str]]:
    readme = _show(git_dir, MI50_COMMIT, "README.md")
    section = readme.split("### Llama.cpp (MI50 vs R9700)", 1)[1]
    pp_part, tg_part = section.split("#### Text Generation (TG) Throughput", 1)
    tg_part = tg_part.split("\n#", 1)[0]
    base_of = {}
    for r in rows:
        m = re.search(r"GGUF file stem ([^\s;]+)", r["notes"]) or re.search(r"file (\S+)\.gguf", r["notes"])
        if MI50_REPO in r["source"] and r["prompt_tokens"] == "512" and m:
            base_of[m.group(1)] = r
    out = []
    for test, part in (("pp", pp_part), ("tg", tg_part)):
        for line in part.splitlines():
            m = _MI50_ROW.match(line)
            if not m or m.group(1) not in base_of:
                continue
            base = base_of[m.group(1)]
            metric = "pp2048@d32768" if test == "pp" else "tg32@d32768"
            column = "PP(32k)" if test == "pp" else "TG(32k)"
            notes = (f"metric=llama-bench {metric}; README 'Llama.cpp (MI50 vs R9700)' table, MI50 {column} column "
                     "('32k = PP2048 @ d32768, TG32 @ d32768'), ROCm 7.2.1 row; 'All tests run with NGL=99 and FA=1'; "
                     f"± {m.group(3)}; " + _tail(base["notes"]))
            out.append(_row(base, test, 32768, float(m.group(2)), base["source"], notes))
    return out


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.rsplit("\n\n", 1)[0], file=sys.stderr)
        return 2
    with SPEEDS.open(newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    def key(r: dict[str, str]) -> tuple[str, ...]:
        return r["source"], r["notes"].split(";", 1)[0], r["model"], r["quant"]

    have = {key(r) for r in rows}
    new = [r for r in r9700_rows(rows, sys.argv[1]) + mi50_rows(rows, sys.argv[2]) if key(r) not in have]
    with SPEEDS.open("a", newline="") as f:
        csv.DictWriter(f, fieldnames=fields, lineterminator="\n").writerows(new)
    print(f"{len(new)} rows added to {SPEEDS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
