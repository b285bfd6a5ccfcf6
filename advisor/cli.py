"""The `advisor` command: a thin click layer mapping commands to library calls and errors
to exit codes. Subcommand groups live in `advisor/cli_*.py` and are imported lazily so that
`advisor --help` stays fast."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from advisor import __version__
from advisor.errors import AdvisorError

# name -> (module, attribute, short help); loaded only when the command is used.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "catalog": ("advisor.cli_catalog", "catalog", "Browse, import and export the model catalog."),
    "predict": ("advisor.cli_predict", "predict_cmd", "Predict speed, memory and scores (JSON lines)."),
    "model": ("advisor.cli_predict", "model_group", "The predictor: evaluate and refit."),
    "recommend": ("advisor.cli_recommend", "recommend_cmd", "Recommend a model for a use case."),
    "schema": ("advisor.cli_recommend", "schema_cmd", "Print JSON schemas of the API."),
    "prompts": ("advisor.cli_prompts", "prompts", "Lint, render, budget and generate prompts."),
    "measure": ("advisor.cli_measure", "measure_cmd", "Measure an endpoint and record it."),
    "tui": ("advisor.cli_tui", "tui_cmd", "Open the terminal UI (default command)."),
    "serve": ("advisor.cli_serve", "serve_cmd", "Serve the APIs over HTTP (JSON, OpenAPI)."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module_name, attr, _ = LAZY_COMMANDS[name]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    return None
                raise
            return getattr(module, attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, LAZY_COMMANDS[name][2]) for name in sorted(LAZY_COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="advisor")
@click.option("--db", "db_url", envvar="ADVISOR_DB_URL", default=None,
              help="SQLAlchemy URL of the catalog (default: SQLite file in the data folder).")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """Pick a model, quantization and engine for your use case and hardware.

    With no command, opens the terminal UI.
    """
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url
    if ctx.invoked_subcommand is None:
        tui = cli.get_command(ctx, "tui")
        if tui is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui)


def db_url_of(ctx: click.Context) -> str | None:
    """The `--db` given to the top-level command, if any."""
    root = ctx.find_root()
    return (root.obj or {}).get("db_url")


def echo_json(data: Any) -> None:
    """Print strict JSON (pydantic models, dicts, lists) with stable key order."""
    from advisor.safeio import dumps

    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json")
    click.echo(dumps(data, indent=2))  # strict: a non-finite figure is null (unknown)


def main() -> None:
    """Console entry point: user errors become a message and exit code 2, never a traceback."""
    try:
        rc = cli.main(standalone_mode=False)
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except AdvisorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
