"""lm-evaluation-harness `results_*.json` -> scores (acc / acc_norm / exact_match x 100), one per
task and metric; the subtasks of a group are left to the group's own score."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from advisor.catalog.names import Names
from advisor.catalog.tools.common import ImportTool, Overrides, Rows, Sniff, num, override_or
from advisor.catalog.tools.jsonpos import JRecord, json_records, key_where, line_of
from advisor.errors import InputError

SCORE_METRICS = ("acc", "acc_norm", "exact_match")

# lm-eval task -> the benchmark name the catalog's scores use
LM_EVAL_BENCHMARKS = {
    "arc_challenge": "ARC-C",
    "arc_easy": "ARC-E",
    "gsm8k": "GSM8K",
    "gsm8k_cot": "GSM8K",
    "hellaswag": "HellaSwag",
    "mmlu": "MMLU",
    "mmlu_pro": "MMLU-Pro",
    "winogrande": "WinoGrande",
    "truthfulqa_mc1": "TruthfulQA",
    "truthfulqa_mc2": "TruthfulQA",
    "piqa": "PIQA",
    "boolq": "BoolQ",
    "openbookqa": "OpenBookQA",
    "social_iqa": "SIQA",
    "siqa": "SIQA",
    "triviaqa": "TriviaQA",
    "commonsense_qa": "CommonsenseQA",
    "bbh": "BBH",
    "ifeval": "IFEval",
    "gpqa_main_zeroshot": "GPQA",
    "gpqa_diamond_zeroshot": "GPQA-Diamond",
    "minerva_math": "MATH",
    "hendrycks_math": "MATH",
    "humaneval": "HumanEval",
    "mbpp": "MBPP",
    "cmmlu": "CMMLU",
    "ceval-valid": "C-Eval",
}


@dataclass
class _Run:
    """What every score of the results file shares."""

    model: str
    quant: str
    evaluator: str
    source: str
    cfg: dict[str, Any]
    subtasks: set[str]
    nshot: dict[str, Any]
    configs: dict[str, Any]
    nsamples: dict[str, Any]


def _model_args(cfg: dict[str, Any]) -> dict[str, str]:
    args = cfg.get("model_args")
    if isinstance(args, dict):
        return {str(k): str(v) for k, v in args.items()}
    out: dict[str, str] = {}
    if isinstance(args, str):
        for part in args.split(","):
            k, sep, v = part.partition("=")
            if sep:
                out[k.strip()] = v.strip()
    return out


def _date_of(d: dict[str, Any]) -> str:
    """The run's date; 'date unknown' without one (never today: a re-import must cite the same
    source, `advisor.catalog.dedupe`)."""
    v = d.get("date")
    if isinstance(v, (int, float)) and v > 0:
        try:
            return datetime.fromtimestamp(float(v), timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return "date unknown"


def _dict(d: dict[str, Any], key: str) -> dict[str, Any]:
    v = d.get(key)
    return v if isinstance(v, dict) else {}


def _the_record(text: str, filename: str) -> JRecord:
    records = json_records(text, filename)
    if len(records) != 1 or not isinstance(records[0].obj, dict):
        raise InputError(f"{filename}:1: expected one JSON object (lm-evaluation-harness results)")
    rec = records[0]
    if not isinstance(rec.obj.get("results"), dict):
        raise InputError(f"{filename}:{rec.line}: missing key 'results' (not lm-evaluation-harness output?)")
    return rec


def _model(d: dict[str, Any], margs: dict[str, str], names: Names, ov: Overrides, where: str,
           kl: Callable[[str], str]) -> str:
    """From --model, `model_name` or the model arguments (`pretrained=` ...), first found wins;
    a repository id also by its last part."""
    found = override_or(names, "model", ov.model, where)
    if found:
        return found
    candidates = [(str(d["model_name"]), "model_name")] if d.get("model_name") else []
    for key in ("pretrained", "model", "path", "peft"):
        if margs.get(key):
            candidates.append((margs[key], f"model_args {key}="))
    if not candidates:
        raise InputError(f"{where}: the results name no model (model_name, "
                         f"config.model_args pretrained=); give --model NAME")
    for name, _ in candidates:
        found = names.find("model", name)
        if found is None and "/" in name:
            found = names.find("model", name.rsplit("/", 1)[-1])
        if found is not None:
            return found
    name, what = candidates[0]
    # not found above, so this raises, naming the closest models
    return names.require("model", name, kl("model_name" if what == "model_name" else "model_args"), f"from {what}")


def _subtasks(d: dict[str, Any]) -> set[str]:
    """Tasks reported as part of a group (`group_subtasks`): the group's score stands for them."""
    subtasks: set[str] = set()
    for group, subs in _dict(d, "group_subtasks").items():
        if isinstance(subs, list):
            subtasks.update(str(s) for s in subs if s != group)
    return subtasks


def _run(text: str, filename: str, rec: JRecord, names: Names, ov: Overrides) -> _Run:
    d = rec.obj
    where = f"{filename}:{rec.line}"
    cfg = _dict(d, "config")
    margs = _model_args(cfg)
    model = _model(d, margs, names, ov, where, key_where(text, filename, rec))
    quant = override_or(names, "quant", ov.quant, where) or ""
    version = d.get("lm_eval_version") or ""
    source = ov.source or (f"lm-evaluation-harness results {Path(filename).name} "
                           f"(model {d.get('model_name') or margs.get('pretrained') or model}, "
                           f"{cfg.get('model') or 'backend ?'}, {_date_of(d)})")
    return _Run(model=model, quant=quant, evaluator=f"lm-evaluation-harness {version}".strip(),
                source=source, cfg=cfg, subtasks=_subtasks(d), nshot=_dict(d, "n-shot"),
                configs=_dict(d, "configs"), nsamples=_dict(d, "n-samples"))


def _shot_text(run: _Run, task: str) -> str:
    shots = run.nshot.get(task)
    if shots is None and isinstance(run.configs.get(task), dict):
        shots = run.configs[task].get("num_fewshot")
    return f"{shots}-shot" if shots not in (None, "") else "n-shot unknown"


def _score_notes(run: _Run, task: str, key: str, stderr: Any) -> str:
    cfg = run.cfg
    notes = [f"lm-eval task '{task}', metric '{key}'"]
    if stderr not in (None, ""):
        notes.append(f"stderr {stderr if isinstance(stderr, str) else round(float(stderr) * 100, 2)}")
    ns = run.nsamples.get(task)
    if isinstance(ns, dict) and ns.get("effective") is not None:
        notes.append(f"{ns.get('effective')} of {ns.get('original')} docs")
    if cfg.get("limit") not in (None, ""):
        notes.append(f"limit={cfg.get('limit')}")
    if cfg.get("model"):
        notes.append(f"lm-eval model backend {cfg.get('model')}")
    return "; ".join(notes)


def _task_scores(run: _Run, task: str, metrics: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """A score row per acc / acc_norm / exact_match metric of the task (with its filter)."""
    shot_text = _shot_text(run, task)
    out = []
    for key, value in metrics.items():
        metric, _, filt = key.rpartition(",") if "," in key else (key, "", "none")
        if metric not in SCORE_METRICS:
            continue
        x = num(value, where, f"{task} {key}")
        if not 0 <= x <= 1:
            raise InputError(f"{where}: '{task}' {key} = {value} is not a fraction between 0 and 1")
        setting = f"{shot_text}, {metric}" + (f" ({filt})" if filt and filt != "none" else "")
        stderr = metrics.get(f"{metric}_stderr,{filt}" if "," in key else f"{metric}_stderr")
        out.append({
            "model": run.model, "benchmark": LM_EVAL_BENCHMARKS.get(task, task), "setting": setting,
            "score": repr(round(x * 100, 4)), "scale": "percent", "quant": run.quant, "variant": "",
            "evaluator": run.evaluator, "source": run.source, "notes": _score_notes(run, task, key, stderr),
        })
    return out


def parse_lm_eval(text: str, filename: str, names: Names, ov: Overrides) -> tuple[Rows, list[str]]:
    rec = _the_record(text, filename)
    run = _run(text, filename, rec, names, ov)
    rows: Rows = []
    skipped: list[str] = []
    results_start = text.find('"results"', rec.start, rec.end)
    for task, metrics in rec.obj["results"].items():
        tpos = text.find(json.dumps(task), max(results_start, 0), rec.end)
        tline = line_of(text, tpos) if tpos >= 0 else rec.line
        where = f"{filename}:{tline}"
        if not isinstance(metrics, dict):
            raise InputError(f"{where}: results of '{task}' must be an object")
        if task in run.subtasks:
            continue
        scores = _task_scores(run, task, metrics, where)
        rows += [(tline, row) for row in scores]
        if not scores:
            skipped.append(f"{where}: task '{task}' has no {'/'.join(SCORE_METRICS)} metric")
    return rows, skipped


def detect(s: Sniff) -> bool:
    if s.guess_from_text:
        return '"results"' in s.text and ('"n-shot"' in s.text or '"configs"' in s.text)
    return "results" in s.keys and bool(s.keys & {"n-shot", "configs", "versions", "config"})


TOOL = ImportTool(
    name="lm-eval", label="lm-eval", table="scores.csv", detect=detect,
    parse=parse_lm_eval, detect_order=20,
    help="lm-evaluation-harness results JSON: one score per task and acc / acc_norm / "
         "exact_match metric, in percent",
)
