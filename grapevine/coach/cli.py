"""Commands of the coach app, mounted on `grapevine` by grapevine/cli.py."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
