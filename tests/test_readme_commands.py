"""Every command of the CLI is documented in the README (as sqlite-utils checks its docs)."""

from __future__ import annotations

from pathlib import Path

import click

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    from advisor.cli import cli

    ctx = click.Context(cli)
    names = []
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            names += [f"{name} {sub}" for sub in cmd.list_commands(click.Context(cmd))]
        else:
            names.append(name)
    return names


def test_every_command_is_in_the_readme() -> None:
    commands = _commands()
    assert len(commands) > 15
    missing = [c for c in commands if f"advisor {c}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"
