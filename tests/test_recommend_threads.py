"""`advisor.recommend` called from several threads at once on a cold snapshot (as `advisor
serve` does): every answer is the one its questionnaire gets alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def test_cold_recommendations_from_threads_are_each_their_own() -> None:
    from advisor.catalog import forget_open_catalogs
    from advisor.recommend import recommend

    questions = [{"use_case": {"task": t}, "hardware": {"name": h}}
                 for t in ("chat", "code", "math", "rag") for h in ("RTX 4090", "RTX 3060 12GB")]
    forget_open_catalogs()  # a fresh catalog object: empty per-snapshot caches
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: recommend(q, with_prompts=False), questions * 2))
    alone = [recommend(q, with_prompts=False) for q in questions]
    for got, want in zip(together, alone * 2):
        assert [c.key for c in got.candidates] == [c.key for c in want.candidates]
        assert got.notes == want.notes
