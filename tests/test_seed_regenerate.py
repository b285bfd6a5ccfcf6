"""The committed seed is exactly what `catalog/make_seed.py` generates from ../shared/data.

Guards two things: that nobody edited a catalog/*.csv file by hand (or changed a mapping table
without regenerating), and that a change to the generator keeps its output byte for byte.
Skipped where the shared data folder is not beside the repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "catalog"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import catalog/make_seed.py by path, its seed_*.py modules importable only for this test."""
    monkeypatch.syspath_prepend(str(CATALOG))
    spec = importlib.util.spec_from_file_location("make_seed", CATALOG / "make_seed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def first_difference(expected: bytes, actual: bytes) -> str:
    """`line N: committed ... / generated ...` for the first differing line of two files."""
    old, new = expected.splitlines(keepends=True), actual.splitlines(keepends=True)
    for n, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            return f"line {n}:\n  committed: {a!r}\n  generated: {b!r}"
    n = min(len(old), len(new)) + 1
    return f"line {n}: committed has {len(old)} lines, generated has {len(new)}"


@pytest.mark.skipif(not (SHARED / "model_meta.csv").exists(), reason=f"shared data folder {SHARED} is absent")
def test_generator_reproduces_committed_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Regenerating into a temporary folder gives the same CSV files, with the same bytes."""
    make_seed = load_generator(monkeypatch)
    assert make_seed.main(["--shared", str(SHARED), "--out", str(tmp_path)]) == 0
    assert "models: " in capsys.readouterr().out

    committed = sorted(p.name for p in CATALOG.glob("*.csv"))
    generated = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert generated == committed, (f"CSV files differ: only committed {sorted(set(committed) - set(generated))}, "
                                    f"only generated {sorted(set(generated) - set(committed))}")
    for name in committed:
        expected, actual = (CATALOG / name).read_bytes(), (tmp_path / name).read_bytes()
        assert actual == expected, (f"catalog/{name} differs from what make_seed.py generates, "
                                    f"{first_difference(expected, actual)}\n"
                                    "regenerate with: python catalog/make_seed.py --shared ../shared/data")
