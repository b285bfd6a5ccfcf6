"""What a measurement is of, resolved against the catalog before any request is sent: the
catalog model, the hardware (named, or this machine detected), the quantization, the engine,
and the API key (read from the environment variable the user names, never written anywhere)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.errors import InputError
from advisor.measure.endpoint import guess_engine, redact_url, served_name
from advisor.measure.record import Target
from advisor.measure.request import MeasureConfig

if TYPE_CHECKING:
    from advisor.catalog import Catalog
    from advisor.catalog.model_files.facts import ModelFacts
    from advisor.catalog.register import Registration
    from advisor.hardware_detect import Detection

DETECTED_NOTE = "hardware detected on the measuring machine (assumes the server runs here)"


@dataclass(frozen=True)
class MeasureOptions:
    """What `advisor measure` was asked: the endpoint and workload (`config`, its key still
    unread: `api_key_env` names where it is), and what the server runs (None = from the model
    name, detected or guessed)."""

    config: MeasureConfig
    api_key_env: str | None = None
    hardware: str | None = None
    detect_hardware: bool = False
    quant: str | None = None
    engine: str | None = None
    catalog_model: str | None = None
    dry_run: bool = False
    gguf: Path | None = None       # the served model's file: its facts (and quantization)
    hf_config: Path | None = None  # its Hugging Face config.json (or a folder holding one)

    def check(self) -> None:
        """InputError for options that exclude each other."""
        if self.hardware and self.detect_hardware:
            raise InputError("--hardware and --detect-hardware exclude each other")


@dataclass
class MeasurePlan:
    """Everything a measurement needs, resolved before the endpoint is asked anything."""

    config: MeasureConfig
    target: Target
    served_model: str
    detection: "Detection | None" = None  # this machine, when the hardware was detected
    dry_run: bool = False
    new_model: "Registration | None" = None  # registered with the measurement (one transaction)
    notes: tuple[str, ...] = ()


def api_key_from_env(var: str | None) -> str | None:
    """The value of environment variable `var` (None without a name); InputError when unset."""
    if not var:
        return None
    value = os.environ.get(var)
    if value is None:
        raise InputError(f"--api-key-env: environment variable {var} is not set")
    return value


@dataclass(frozen=True)
class ModelChoice:
    """The catalog model measured, the model to register first when the catalog lacks it,
    the quantization its file is stored in, and what to tell the user."""

    name: str
    new: "Registration | None" = None
    file_quant: str | None = None
    notes: tuple[str, ...] = ()


def _described(options: MeasureOptions) -> "ModelFacts":
    """The facts of --gguf / --hf-config (none when neither is given)."""
    from advisor.catalog.model_files.collect import describe
    from advisor.catalog.model_files.facts import ModelFacts

    if options.gguf is None and options.hf_config is None:
        return ModelFacts()
    return describe(options.hf_config, None, options.gguf).facts


def resolve_model(cat: "Catalog", options: MeasureOptions, cfg: MeasureConfig) -> ModelChoice:
    """The catalog model measured: `catalog_model`, else the served name (or its last path
    part). A model the catalog lacks is registered with the measurement, from what its files
    (--gguf, --hf-config) and the server itself say; with nothing known, under its name alone."""
    served = served_name(cfg.model)
    files = _described(options)
    lookup = options.catalog_model or served
    found = cat.find_model(lookup) or (cat.find_model(lookup.rsplit("/", 1)[-1]) if "/" in lookup else None)
    if found is not None and found.origin == "user" and files.facts:
        return _completed(cat, options, files, found.name)
    if found is not None:
        return ModelChoice(found.name, file_quant=files.get("quant"))
    return _new_model(cat, options, cfg, files, options.catalog_model or served)


def _completed(cat: "Catalog", options: MeasureOptions, files: "ModelFacts", name: str) -> ModelChoice:
    """A user model whose facts the given files complete (written with the measurement)."""
    from advisor.catalog.model_files.facts import Fact, ModelFacts
    from advisor.catalog.register import register_model

    facts = files.merged(ModelFacts({"name": Fact(name, "catalog")}))
    aliases = (options.gguf.name,) if options.gguf else ()
    reg = register_model(cat, facts, aliases=aliases, replace=True, dry_run=True)
    where = ", ".join(str(p) for p in (options.gguf, options.hf_config) if p)
    return ModelChoice(name, reg, files.get("quant"), (f"facts of '{name}' completed from {where}",) + files.notes)


def _new_model(cat: "Catalog", options: MeasureOptions, cfg: MeasureConfig, files: "ModelFacts",
               name: str) -> ModelChoice:
    from advisor.catalog.model_files.facts import Fact, ModelFacts
    from advisor.catalog.register import register_model
    from advisor.measure.introspect import introspect_endpoint

    server = introspect_endpoint(cfg.api_base, cfg.model, cfg.api_key, timeout=min(cfg.timeout, 5.0))
    from_server = ModelFacts({k: f for k, f in server.facts.facts.items() if k != "name"}, server.facts.notes)
    how = "--catalog-model" if options.catalog_model else f"served name at {redact_url(cfg.api_base)}"
    facts = from_server.merged(files).merged(ModelFacts({"name": Fact(name, how)}))
    aliases = tuple(a for a in (served_name(cfg.model), options.gguf.name if options.gguf else None) if a)
    reg = register_model(cat, facts, aliases=aliases, dry_run=True)
    said = f"{server.kind} server" if server.kind else "the server (it said nothing about the model)"
    notes = [f"model '{name}' is new to the catalog: registered (origin user) from "
             + ", ".join(x for x in (said, options.gguf and options.gguf.name, options.hf_config and str(options.hf_config)) if x)]
    if reg.missing():
        notes.append(f"its {', '.join(reg.missing())} unknown: complete it with `advisor catalog add-model --name "
                     f"'{name}' --replace --gguf FILE` (or --hf-config PATH) to predict its speed and memory")
    return ModelChoice(name, reg, facts.get("quant"), tuple(notes) + facts.notes)


@dataclass
class HardwareChoice:
    """The device a measurement is recorded on, and this machine's detection when detected."""

    name: str
    n_devices: int
    note: str | None = None
    detection: "Detection | None" = None


def resolve_hardware(cat: "Catalog", hardware: str | None,
                     announce: Callable[[str], None] | None = None) -> HardwareChoice:
    """The catalog device named by `hardware` ('2x NAME' counts devices), else this machine
    detected (its name announced through `announce`)."""
    from advisor.catalog.names import split_count

    if hardware:
        hw_name, count = split_count(hardware)
        return HardwareChoice(cat.resolve_hardware(hw_name).name, count or 1)
    from advisor.hardware_detect import detect

    detection = detect()
    name = detection.catalog_name or (detection.spec.name or "detected machine")
    if announce is not None:
        announce(f"hardware: {name}" + ("" if "(detected)" in name else " (detected)"))
    return HardwareChoice(name, detection.spec.n_devices, DETECTED_NOTE, detection)


def resolve_quant(cat: "Catalog", quant: str | None, served: str, file_quant: str | None = None) -> str | None:
    """The catalog quantization: `quant` (NotFoundError when unknown), else the one the
    served name ends with (e.g. -Q4_K_M), else the one the model's file is stored in, else None."""
    from advisor.catalog.names import split_gguf_quant, strip_file_suffix

    if quant:
        return cat.resolve_quant(quant).name
    q = split_gguf_quant(strip_file_suffix(served.split(":")[-1]))[1] or file_quant
    if q:
        obj = cat.find_quant(q)
        return obj.name if obj is not None else None
    return None


def _added_quant(model: ModelChoice) -> str | None:
    """The quantization a new model's file is stored in when the catalog lacks it (it is added
    with the model)."""
    return model.new.quant["name"] if model.new is not None and model.new.quant is not None else None


def resolve_engine(cat: "Catalog", engine: str | None, api_base: str, api_key: str | None) -> str:
    """The catalog engine: `engine` (InputError when unknown), else guessed from the server's
    `/models`, else "unknown"."""
    if engine:
        eng = cat.find_engine(engine)
        if eng is None:
            raise InputError(f"--engine: unknown engine '{engine}'")
        return str(eng.name)
    return guess_engine(api_base, api_key) or "unknown"


def resolve_plan(cat: "Catalog", options: MeasureOptions, api_key: str | None,
                 announce: Callable[[str], None] | None = None) -> MeasurePlan:
    """Resolve every name of `options` (in this order, so that the first problem is the one
    reported); nothing is sent to the model yet."""
    cfg = replace(options.config, api_key=api_key)
    served = served_name(cfg.model)
    model = resolve_model(cat, options, cfg)
    hw = resolve_hardware(cat, options.hardware, announce)
    target = Target(model=model.name, hardware=hw.name, n_devices=hw.n_devices,
                    quant=resolve_quant(cat, options.quant, served, model.file_quant) or _added_quant(model),
                    engine=resolve_engine(cat, options.engine, cfg.api_base, api_key), hardware_note=hw.note)
    return MeasurePlan(cfg, target, served, hw.detection, options.dry_run, model.new, model.notes)
