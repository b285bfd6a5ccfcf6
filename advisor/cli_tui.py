"""`advisor tui` (also `advisor` with no command): the terminal UI."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import db_url_of


@click.command("tui")
@click.option("--answers", "answers", type=click.Path(path_type=Path),
              default=None, help="Questionnaire JSON: open with it filled in and show the answer at once.")
@click.option("--no-detect", is_flag=True, help="Do not detect this machine's hardware.")
@click.pass_context
def tui_cmd(ctx: click.Context, answers: Path | None, no_detect: bool) -> None:
    """Open the terminal UI: questionnaire, answer, prompt set, catalog browser."""
    from advisor.tui.app import build_app

    # Start-up errors (an answers file that cannot be read or is not valid, unknown hardware, a
    # catalog that cannot be opened) are the CLI's one line and exit 2, before the screen opens.
    app = build_app(answers_path=answers, db_url=db_url_of(ctx), detect=not no_detect)
    app.backend.check_start(app.initial_questionnaire)
    app.run()
    if app.return_code:
        ctx.exit(app.return_code)
