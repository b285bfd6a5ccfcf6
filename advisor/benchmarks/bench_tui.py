"""Benchmark (not a test): the TUI's two waits a person sees, in a fresh process on a built
catalog: `advisor tui` from launch to the questionnaire's first section focused (interactive; the
real command on a pseudo-terminal, timed by the app), and ctrl+r to the
answer on screen (summary and table filled) for a question the warm-up behind the first screen
did not ask (it answers a generic one: chat, no hardware), with Textual headless (`App.run_test`,
a 120x40 virtual terminal: the same widgets, layout and workers as in a terminal).

    python -m advisor.benchmarks.bench_tui [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = r'''
import asyncio, json, os, sys, time
start = float(os.environ["BENCH_LAUNCH"])
from advisor.schema import Questionnaire
from advisor.tui.app import build_app

async def main():
    q = Questionnaire.model_validate({"use_case": {"task": "code"}, "hardware": {"name": "RTX 4090"}})
    app = build_app(q, detect=False, cursor_blink=False, auto_submit=False)
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while getattr(app, "_first_screen_wall", None) is None:
            await asyncio.sleep(0.005)
        out["interactive_s"] = app._first_screen_wall - start
        await app.workers.wait_for_complete()  # a person takes longer than this to answer
        await pilot.pause()
        out["warm_s"] = time.time() - app._first_screen_wall
        t = time.time()
        await pilot.press("ctrl+r")
        while getattr(app.screen, "rec", None) is None and getattr(app.screen, "error", None) is None:
            await asyncio.sleep(0.005)
        await pilot.pause()
        out["answer_s"] = time.time() - t
        out["top"] = app.screen.rec.candidates[0].model if app.screen.rec else app.screen.error
    print(json.dumps(out))

asyncio.run(main())
'''


def real_launch(env: dict[str, str]) -> float:
    """`advisor tui` itself on a pseudo-terminal: seconds from launch to the first section
    focused, as the app reports it with ADVISOR_TUI_STARTUP set (it then quits)."""
    import os
    import pty
    import re
    import select

    master, slave = pty.openpty()
    env = {**env, "ADVISOR_TUI_STARTUP": repr(time.time()), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    p = subprocess.Popen([sys.executable, "-m", "advisor", "tui", "--no-detect"], stdin=slave, stdout=slave,
                         stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    found = re.search(rb"first screen after ([0-9.]+) s wall", out)
    if found is None:
        raise SystemExit(f"advisor tui did not report its start-up: {out[-500:]!r}")
    return float(found.group(1))


def run_once(env: dict[str, str]) -> dict[str, float]:
    env = {**env, "BENCH_LAUNCH": repr(time.time())}
    p = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=300)
    if p.returncode != 0:
        raise SystemExit(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def tui_figures(runs: int, env: dict[str, str] | None = None) -> None:
    env = env or {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "advisor", "recommend", "--task", "code", "--hardware", "RTX 4090",
                    "--json"], capture_output=True, env=env, check=False)  # the catalog built, caches warm
    results = [{**run_once(env), "launch_s": real_launch(env)} for _ in range(runs)]
    for key, what in (("launch_s", "`advisor tui` launch to the questionnaire, focused (a pseudo-terminal)"),
                      ("interactive_s", "TUI app start to the questionnaire, focused (headless)"),
                      ("warm_s", "TUI warm-up behind the first screen (generic answer)"),
                      ("answer_s", "TUI ctrl+r to the answer on screen, after the warm-up")):
        xs = [r[key] for r in results]
        print(f"{what}: median {statistics.median(xs):.2f} s (best {min(xs):.2f} s, {runs} fresh processes; "
              f"top pick {results[-1]['top']})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    tui_figures(ap.parse_args().runs)


if __name__ == "__main__":
    main()
