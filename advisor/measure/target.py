"""What a measurement is of, resolved against the catalog before any request is sent: the
catalog model, the hardware (named, or this machine detected), the quantization, the engine,
and the API key (read from the environment variable the user names, never written anywhere)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from advisor.errors import InputError
from advisor.measure.endpoint import guess_engine, served_name
from advisor.measure.record import Target
from advisor.measure.request import MeasureConfig

if TYPE_CHECKING:
    from advisor.catalog import Catalog
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


def api_key_from_env(var: str | None) -> str | None:
    """The value of environment variable `var` (None without a name); InputError when unset."""
    if not var:
        return None
    value = os.environ.get(var)
    if value is None:
        raise InputError(f"--api-key-env: environment variable {var} is not set")
    return value


def resolve_catalog_model(cat: "Catalog", served: str, catalog_model: str | None, dry_run: bool) -> str | None:
    """The catalog model measured: `catalog_model`, else the served name (or its last path
    part). Unknown: NotFoundError with close names, unless a dry run (then None)."""
    lookup = catalog_model or served
    found = cat.find_model(lookup)
    if found is None and "/" in lookup:
        found = cat.find_model(lookup.rsplit("/", 1)[-1])
    if found is None and not dry_run:
        try:
            cat.resolve_model(lookup)
        except Exception as exc:  # NotFoundError with the closest names
            hint = "" if catalog_model else "; name it with --catalog-model NAME"
            raise type(exc)(f"{exc}{hint} (or register it with `advisor catalog import models.csv`)") from None
    return found.name if found is not None else None


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


def resolve_quant(cat: "Catalog", quant: str | None, served: str) -> str | None:
    """The catalog quantization: `quant` (NotFoundError when unknown), else the one the
    served name ends with (e.g. -Q4_K_M), else None."""
    from advisor.catalog.names import split_gguf_quant, strip_file_suffix

    if quant:
        return cat.resolve_quant(quant).name
    q = split_gguf_quant(strip_file_suffix(served.split(":")[-1]))[1]
    if q:
        obj = cat.find_quant(q)
        return obj.name if obj is not None else None
    return None


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
    model = resolve_catalog_model(cat, served, options.catalog_model, options.dry_run)
    hw = resolve_hardware(cat, options.hardware, announce)
    target = Target(model=model, hardware=hw.name, n_devices=hw.n_devices,
                    quant=resolve_quant(cat, options.quant, served),
                    engine=resolve_engine(cat, options.engine, cfg.api_base, api_key), hardware_note=hw.note)
    return MeasurePlan(cfg, target, served, hw.detection, options.dry_run)
