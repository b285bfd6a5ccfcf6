"""CPU speed profiles of random-weight llama models on this machine.

    python -m advisor.benchmarks.cpu_profiles                 # measure, print a table
    python -m advisor.benchmarks.cpu_profiles --record        # ... and import as user rows
    python -m advisor.benchmarks.cpu_profiles --sizes 100m --quants F16 --json

Writes GGUF models of ~100M, ~400M and ~1.1B parameters (llama architecture, random weights,
F16), quantizes them with llama.cpp's own quantizer (`llama_cpp.llama_model_quantize`; Q4_0 by
default, `--quants F16,Q4_0,Q4_K_M` for more), and times them in-process with `llama_cpp.Llama`
like llama-bench does: a `ppN` test (N prompt tokens in one batch -> prefill tok/s) and a `tgM`
test (M tokens one at a time from an empty context -> decode tok/s), after a warm-up; the best
of `--reps` repetitions is reported (the mean goes into the notes). Each quantization is
timed in its own process, so a native crash of llama.cpp (Q4_0 segfaulted in one build on an
AMX Xeon) leaves that row out with the reason and the run goes on.

With `--record`: the models become user model rows, this machine a user hardware row when the
catalog does not know it (its bandwidth a measured estimate, said in the notes), and every
figure a single_stream user measurement (engine llama-cpp-python, backend CPU).

When the predictor exposes `advisor.predict.predict`, its estimate is printed beside each
measured figure. Random weights do not change speed: the work per token is the same.
Needs the `measure` and `test` extras (llama-cpp-python, gguf).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from advisor.benchmarks.gguf_random import LlamaShape, write_random_llama
from advisor.safeio import whole_or_nothing

SHAPES = {
    "100m": LlamaShape("random-llama-100m", n_layers=8, hidden=768, n_heads=12, n_kv_heads=12, ffn=2048, vocab=32000),
    "400m": LlamaShape("random-llama-400m", n_layers=26, hidden=1024, n_heads=16, n_kv_heads=16, ffn=2816, vocab=32000),
    "1b": LlamaShape("random-llama-1.1b", n_layers=22, hidden=2048, n_heads=32, n_kv_heads=4, ffn=5632, vocab=32000),
}
# llama.cpp's LLAMA_FTYPE values
FTYPES = {"F16": 1, "Q4_0": 2, "Q8_0": 7, "Q4_K_M": 15, "Q4_K_S": 14, "Q5_K_M": 17, "Q6_K": 18}


def quantize(src: Path, dst: Path, quant: str, threads: int) -> float:
    """Quantize `src` to `dst` with llama.cpp's own quantizer; returns the seconds it took. The
    file appears whole or not at all (an interrupted run leaves no half file for `--dir` to reuse)."""
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = FTYPES[quant]
    params.nthread = threads
    t = time.perf_counter()
    with whole_or_nothing(dst) as partial:
        rc = llama_cpp.llama_model_quantize(str(src).encode(), str(partial).encode(), params)
        if rc != 0:
            raise RuntimeError(f"llama_model_quantize({quant}) failed with {rc}")
    return time.perf_counter() - t


def bench(path: Path, prompt: int, gen: int, threads: int, reps: int) -> dict[str, float]:
    """llama-bench-style pp/tg timings of one GGUF file (mean of `reps`)."""
    import llama_cpp

    llm = llama_cpp.Llama(model_path=str(path), n_ctx=max(256, prompt + gen + 8), n_batch=max(prompt, 8),
                          n_ubatch=max(prompt, 8), n_threads=threads, n_threads_batch=threads,
                          verbose=False, logits_all=False)
    try:
        first = 3 + 256  # filler word tokens: not control, not bytes
        toks = [first + (i * 7919) % (llm.n_vocab() - first) for i in range(prompt)]
        llm.reset()
        llm.eval(toks[:8])  # warm-up (weights paged in, threads started)
        pp, tg = [], []
        for _ in range(reps):
            llm.reset()
            t = time.perf_counter()
            llm.eval(toks)
            pp.append(prompt / (time.perf_counter() - t))
            llm.reset()
            t = time.perf_counter()
            for i in range(gen):
                llm.eval([toks[i % prompt]])
            tg.append(gen / (time.perf_counter() - t))
        # best of the repetitions (like timeit's min time): on a shared machine the slower
        # repetitions measure the neighbours, not the hardware; the mean is kept for the notes
        return {"prefill_tok_s": max(pp), "decode_tok_s": max(tg),
                "prefill_mean": sum(pp) / len(pp), "decode_mean": sum(tg) / len(tg),
                "prefill_min": min(pp), "prefill_max": max(pp), "decode_min": min(tg), "decode_max": max(tg)}
    finally:
        llm.close() if hasattr(llm, "close") else None
        del llm


def _child(conn: Any, fn: Any, args: tuple[Any, ...]) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except Exception as exc:  # noqa: BLE001 - reported by the parent in one line
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def guarded(fn: Any, *args: Any, timeout: float = 900) -> tuple[Any, str | None]:
    """`fn(*args)` in a fresh process: (its result, None), or (None, why) when it raised, crashed
    or ran past `timeout`. A native crash of llama.cpp (a segfault in one build's kernels for one
    quantization) then costs that row, not the whole run."""
    ctx = multiprocessing.get_context("spawn")  # no fork after llama.cpp's OpenMP threads started
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    got = None
    try:
        if recv.poll(timeout):
            got = recv.recv()
    except EOFError:
        got = None
    proc.join(10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if got is None:
        code = proc.exitcode
        why = (f"crashed with signal {-code}" if code is not None and code < 0
               else f"gave no result in {timeout:.0f} s" if code is None else f"exited with code {code}")
        return None, f"the timing process {why}"
    kind, value = got
    return (value, None) if kind == "ok" else (None, value)


def predictor_estimate(shape: LlamaShape, quant: str, hw: Any, prompt: int, gen: int) -> dict[str, Any] | None:
    """The predictor's figures for this configuration, when `advisor.predict.predict` exists."""
    try:
        import advisor.predict as pred

        fn = getattr(pred, "predict", None)
        if fn is None:
            return None
        from advisor.schema import ModelSpec, PredictRequest, Workload

        model = ModelSpec(name=shape.name, params_b=shape.n_params / 1e9, n_layers=shape.n_layers,
                          hidden_size=shape.hidden, n_heads=shape.n_heads, n_kv_heads=shape.n_kv_heads,
                          head_dim=shape.head_dim, vocab_size=shape.vocab, context_len=shape.context)
        out = {}
        for label, wl in (("prefill", Workload(prompt_tokens=prompt, gen_tokens=0, batch_size=1)),
                          ("decode", Workload(prompt_tokens=0, gen_tokens=gen, batch_size=1))):
            req = PredictRequest(id=f"{shape.name}/{quant}/{label}", model=model, quant=quant,
                                 engine="llama.cpp", hardware=hw, workload=wl)
            try:
                res = fn([req])
            except TypeError:
                res = fn(req)
            r = res[0] if isinstance(res, list) else res
            out[label] = r.prefill_tok_s if label == "prefill" else r.decode_tok_s
            out[f"{label}_basis"] = getattr(r, "basis", None)
        return out
    except Exception as exc:  # noqa: BLE001 - the estimate is an extra, never a failure
        return {"error": str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}


def _fmt(x: Any, nd: int = 1) -> str:
    """A table cell: '-' for None, floats with `nd` decimals."""
    return "-" if x is None else f"{x:.{nd}f}" if isinstance(x, float) else str(x)


def record(results: list[dict[str, Any]], detection: Any, prompt: int, gen: int, threads: int) -> tuple[str, int]:
    """Import models, the machine (if unknown) and the measurements as user rows."""
    import llama_cpp

    from advisor.catalog import open_catalog
    from advisor.measure.record import import_user_rows, register_detected_hardware

    cat = open_catalog()
    date = datetime.now(timezone.utc).date().isoformat()
    src = (f"advisor.benchmarks.cpu_profiles on {date}: random-weight llama GGUF models, "
           f"llama-cpp-python {llama_cpp.__version__}, {threads} threads, in-process pp/tg timing")
    shapes = {r["shape"].name: r["shape"] for r in results}
    import_user_rows(cat, "models.csv", [(i + 1, s.models_row(src)) for i, s in enumerate(shapes.values())],
                     "cpu_profiles models")
    hw = detection.catalog_name or register_detected_hardware(cat, detection)
    rows = []
    for r in results:
        base = {"model": r["shape"].name, "quant": r["quant"], "engine": "llama-cpp-python",
                "engine_version": llama_cpp.__version__, "hardware": hw, "n_devices": "1", "split": "none",
                "batch_size": "1", "concurrency": "", "measure_kind": "single_stream", "context_depth": "0",
                "ttft_ms": "", "memory_gb": "", "backend": "CPU", "threads": str(threads), "quality": "normal",
                "source": src}
        note = ("random weights (speed only); best of {n} reps (mean {mean:.2f}, min {lo:.2f}); "
                "hardware bandwidth in the catalog is " + ("a measured estimate" if detection.bandwidth_measured
                                                           else "from the catalog"))
        rows.append((len(rows) + 1, {**base, "prompt_tokens": str(prompt), "gen_tokens": "0",
                                     "prefill_tok_s": f"{r['prefill_tok_s']:.3f}", "decode_tok_s": "",
                                     "notes": f"pp{prompt}; " + note.format(n=r["reps"], lo=r["prefill_min"], mean=r["prefill_mean"])}))
        rows.append((len(rows) + 1, {**base, "prompt_tokens": "0", "gen_tokens": str(gen),
                                     "prefill_tok_s": "", "decode_tok_s": f"{r['decode_tok_s']:.3f}",
                                     "notes": f"tg{gen}; " + note.format(n=r["reps"], lo=r["decode_min"], mean=r["decode_mean"])}))
    n = import_user_rows(cat, "measurements.csv", rows, "cpu_profiles measurements")
    return hw, n


def _parser() -> argparse.ArgumentParser:
    """The command line of `python -m advisor.benchmarks.cpu_profiles`."""
    ap = argparse.ArgumentParser(prog="python -m advisor.benchmarks.cpu_profiles", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100m,400m,1b", help=f"comma list of {', '.join(SHAPES)}")
    ap.add_argument("--quants", default="F16,Q4_0",
                    help=f"comma list of {', '.join(FTYPES)} (Q4_K_M quantizes ~10x slower than Q4_0)")
    ap.add_argument("--prompt", type=int, default=64, help="prompt tokens of the pp test")
    ap.add_argument("--gen", type=int, default=16, help="tokens of the tg test")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=2, help="repetitions per test; the best is reported")
    ap.add_argument("--dir", type=Path, default=None, help="keep the GGUF files here (default: a temp folder)")
    ap.add_argument("--record", action="store_true", help="import the results as user measurements")
    ap.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    return ap


def _sizes_and_quants(args: argparse.Namespace) -> tuple[list[str], list[str], list[str]]:
    """(sizes, quants, unknown ones) from the comma lists of the command line."""
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    quants = [q.strip().upper() for q in args.quants.split(",") if q.strip()]
    bad = [s for s in sizes if s not in SHAPES] + [q for q in quants if q not in FTYPES]
    return sizes, quants, bad


def _profile_shape(shape: LlamaShape, quants: list[str], folder: Path, hw: Any,
                   args: argparse.Namespace) -> list[dict[str, Any]]:
    """Write the F16 model of `shape`, quantize it, and time every quantization (with the
    predictor's estimate beside it); progress on stderr."""
    f16 = folder / f"{shape.name}-F16.gguf"
    t = time.perf_counter()
    if not f16.exists():
        with whole_or_nothing(f16) as partial:
            write_random_llama(partial, shape, "f16")
    print(f"{shape.name}: {shape.n_params / 1e6:.0f}M params, wrote F16 in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    results = []
    for quant in quants:
        path = f16 if quant == "F16" else folder / f"{shape.name}-{quant}.gguf"
        if not path.exists():
            dt = quantize(f16, path, quant, args.threads)
            print(f"  quantized {quant} in {dt:.1f} s", file=sys.stderr)
        t = time.perf_counter()
        m, why = guarded(bench, path, args.prompt, args.gen, args.threads, args.reps)
        if m is None:
            print(f"  {quant}: left out: {why}", file=sys.stderr)
            continue
        est = predictor_estimate(shape, quant, hw, args.prompt, args.gen)
        r = {"shape": shape, "model": shape.name, "params_m": round(shape.n_params / 1e6),
             "quant": quant, "file_mb": round(path.stat().st_size / 1e6), "reps": args.reps, **m,
             "predicted": est, "seconds": round(time.perf_counter() - t, 1)}
        results.append(r)
        print(f"  {quant}: pp{args.prompt} {m['prefill_tok_s']:.1f} tok/s, tg{args.gen} "
              f"{m['decode_tok_s']:.2f} tok/s ({r['seconds']} s)", file=sys.stderr)
    return results


def _profile_all(sizes: list[str], quants: list[str], hw: Any, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Profile every size in `--dir` (kept) or a temporary folder (each size's files deleted
    once timed)."""
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="advisor-cpu-profiles-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            shape = SHAPES[size]
            results += _profile_shape(shape, quants, folder, hw, args)
            if args.dir is None:
                for p in folder.glob(f"{shape.name}-*.gguf"):
                    p.unlink()
    return results


def _print_table(results: list[dict[str, Any]], hw: Any, args: argparse.Namespace, total: float) -> None:
    """The measured figures as a table, with the predictor's beside them when it has any."""
    print(f"\nCPU profiles on {hw.name} ({args.threads} threads, pp{args.prompt} / tg{args.gen}, "
          f"best of {args.reps}); total {total:.0f} s")
    head = f"{'model':20} {'params':>7} {'quant':7} {'file MB':>8} {'prefill tok/s':>14} {'decode tok/s':>13}"
    has_pred = any(r["predicted"] and "error" not in r["predicted"] for r in results)
    if has_pred:
        head += f" {'pred. prefill':>14} {'pred. decode':>13}"
    print(head)
    for r in results:
        line = (f"{r['model']:20} {r['params_m']:>6}M {r['quant']:7} {r['file_mb']:>8} "
                f"{r['prefill_tok_s']:>14.1f} {r['decode_tok_s']:>13.2f}")
        if has_pred:
            p = r["predicted"] or {}
            line += f" {_fmt(p.get('prefill')):>14} {_fmt(p.get('decode'), 2):>13}"
        print(line)
    errors = {r["predicted"]["error"] for r in results if r["predicted"] and "error" in r["predicted"]}
    if errors:
        print(f"predictor: {'; '.join(sorted(errors))}")
    elif not has_pred:
        print("predictor: advisor.predict.predict not available; measured figures only")


def main(argv: list[str] | None = None) -> int:
    """Profile the sizes and quantizations asked for, print them, and record them with
    `--record`; exit code 2 without llama-cpp-python or for an unknown size or quant."""
    args = _parser().parse_args(argv)
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        print("llama-cpp-python is not installed (pip install 'advisor[measure]')", file=sys.stderr)
        return 2
    sizes, quants, bad = _sizes_and_quants(args)
    if bad:
        print(f"unknown size/quant: {', '.join(bad)}", file=sys.stderr)
        return 2
    from advisor.hardware_detect import detect

    detection = detect()
    hw = detection.spec
    print(f"hardware: {hw.name}; bandwidth {hw.mem_bandwidth_gbs} GB/s"
          + (" (measured estimate)" if detection.bandwidth_measured else ""), file=sys.stderr)
    t_all = time.perf_counter()
    results = _profile_all(sizes, quants, hw, args)
    if args.json:
        for r in results:
            print(json.dumps({k: v for k, v in r.items() if k != "shape"}))
    else:
        _print_table(results, hw, args, time.perf_counter() - t_all)
    if args.record:
        name, n = record(results, detection, args.prompt, args.gen, args.threads)
        print(f"recorded {n} user measurements on '{name}'", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
