"""`advisor serve`: the HTTP API (needs the `serve` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import db_url_of


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free port).")
@click.option("--write-token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File whose first line is the write token (else ADVISOR_WRITE_TOKEN); without one, read-only.")
@click.option("--max-body-bytes", type=click.IntRange(1024), default=4 * 1024 * 1024, show_default=True,
              help="Largest request body (413 above).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a request may take (503 above).")
@click.option("--workers", type=click.IntRange(1, 256), default=4, show_default=True,
              help="Library calls answered at once (threads).")
@click.option("--max-queue", type=click.IntRange(0, 100_000), default=64, show_default=True,
              help="Calls that may wait beyond those (503 when full).")
@click.option("--prompts-dir", "prompt_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Prompt library folder (repeatable; default: ADVISOR_PROMPTS_PATH, else the bundled one).")
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, write_token_file: Path | None, max_body_bytes: int,
              timeout_s: float, workers: int, max_queue: int, prompt_dirs: tuple[Path, ...]) -> None:
    """Serve the recommend, predict, catalog and prompts APIs over HTTP (OpenAPI at /docs and
    /openapi.json). Read-only unless started with a write token; writes then need
    `Authorization: Bearer TOKEN`. The catalog is the global --db / ADVISOR_DB_URL."""
    try:
        from advisor.serve.server import serve
    except ModuleNotFoundError as exc:
        raise click.ClickException(f"advisor serve needs the serve extra (pip install 'advisor[serve]'): {exc}") from None
    from advisor.serve.settings import ServeSettings, token_from

    serve(ServeSettings(host=host, port=port, db_url=db_url_of(ctx), write_token=token_from(token_file=write_token_file),
                        max_body_bytes=max_body_bytes, timeout_s=timeout_s, workers=workers, max_queue=max_queue,
                        prompt_dirs=prompt_dirs))
