"""`import advisor`, the catalog, the predictor's API and the recommender stay light: no
Textual, no litellm (2-3 s to import), no scikit-learn (fitting only). Checked in fresh
interpreters, since this test process has imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("textual", "litellm", "sklearn")

SCRIPT = """
import json, sys
{body}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def heavy_after(body: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", SCRIPT.format(body=body, heavy=HEAVY)], capture_output=True,
                       text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_import_advisor_and_its_libraries_is_light() -> None:
    assert heavy_after(
        "import advisor\n"
        "import advisor.schema, advisor.catalog, advisor.catalog.tools, advisor.predict.api\n"
        "import advisor.recommend, advisor.recommend.pipeline, advisor.recommend.candidates, advisor.cli\n"
        "assert advisor.__version__"
    ) == []


def test_predict_and_recommend_with_a_saved_predictor_do_not_load_heavy_modules() -> None:
    from advisor.catalog import open_catalog
    from advisor.predict.predictor import get_predictor

    get_predictor(open_catalog().snapshot())     # fitted (once per session) and saved in the shared home
    assert heavy_after(
        "from advisor.predict.api import predict\n"
        "from advisor.schema import PredictRequest\n"
        "r = predict(PredictRequest(id='a', model={'name': 'llama3:8b'}, quant='Q4_K_M', hardware={'name': '4090'}))\n"
        "assert r[0].error is None and r[0].decode_tok_s > 0\n"
        "from advisor.recommend import recommend\n"
        "rec = recommend({'use_case': {'task': 'chat'}, 'hardware': {'name': 'RTX 4090'}}, with_prompts=False)\n"
        "assert rec.candidates"
    ) == []


MODULE_SCRIPT = """
import importlib, json, pkgutil, sys
import advisor
names = sorted(m.name for m in pkgutil.walk_packages(advisor.__path__, "advisor.") if m.name != "advisor.__main__")
names = [n for n in names if n.startswith("advisor.tui") == {tui!r}]
for name in names:
    importlib.import_module(name)
    heavy = sorted(m for m in {heavy!r} if m in sys.modules)
    if heavy:
        print(json.dumps([name, heavy, len(names)]))
        break
else:
    print(json.dumps([None, [], len(names)]))
"""


def _first_heavy_module(tui: bool, heavy: tuple[str, ...]) -> tuple[str | None, list[str], int]:
    r = subprocess.run([sys.executable, "-c", MODULE_SCRIPT.format(tui=tui, heavy=heavy)], capture_output=True,
                       text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 0, r.stderr
    first, loaded, n = json.loads(r.stdout.strip().splitlines()[-1])
    return first, loaded, n


def test_every_module_outside_the_tui_imports_light() -> None:
    """Each module of the package, imported one after the other: the first that pulls in
    Textual, litellm or scikit-learn is named (they are imported inside the functions that
    need them)."""
    first, loaded, n = _first_heavy_module(False, HEAVY)
    assert n > 50
    assert first is None, f"{first} imports {loaded}"


def test_tui_modules_load_neither_litellm_nor_sklearn() -> None:
    first, loaded, n = _first_heavy_module(True, ("litellm", "sklearn"))
    assert n > 5
    assert first is None, f"{first} imports {loaded}"


def test_cold_recommend_and_predict_on_a_built_catalog_read_it_without_sqlalchemy_or_a_bpe_table() -> None:
    """A built SQLite catalog is read with sqlite3 (`advisor.catalog.read`), and the prompt
    set's token counts, once taken by the real tokenizer, are read back from the data folder."""
    from advisor.recommend import recommend

    q = {"use_case": {"task": "code"}, "hardware": {"name": "RTX 4090"}}
    first = recommend(q)  # builds the catalog if needed and counts the prompt set's texts
    from advisor import token_cache

    token_cache.flush()  # what this process counted, on disk as a process exit would leave it
    script = SCRIPT.format(heavy=("sqlalchemy", "tiktoken", "textual", "litellm", "sklearn"), body=(
        "from advisor.recommend import recommend\n"
        f"rec = recommend({q!r})\n"
        f"assert rec.candidates[0].model == {first.candidates[0].model!r}\n"
        f"assert [p.tokens for p in rec.prompt_set.prompts] == {[p.tokens for p in first.prompt_set.prompts]!r}\n"
        "from advisor.predict.api import predict\n"
        "from advisor.schema import PredictRequest\n"
        "r = predict(PredictRequest(id='a', model={'name': 'llama3:8b'}, quant='EXL2-4.65bpw', hardware={'name': '4090'}))\n"
        "assert r[0].error is None and r[0].decode_tok_s > 0, r[0]\n"))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []
