"""`grapevine import`, `grapevine export …`, `grapevine restore` and `grapevine backup`.

Mounted on the root command by grapevine/cli.py; errors are one sentence on stderr
(``CommandFailed`` via grapevine/core/cli.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from grapevine.core.cli import (
    BadOption,
    CommandFailed,
    JsonOption,
    UserOption,
    acting_user,
    print_json,
    say,
)
from grapevine.transfer.formats import BadFile
from grapevine.transfer.importer import ImportFailed, ImportResult

ListOption = Annotated[
    str | None,
    typer.Option(
        "--list",
        "-l",
        metavar="A|B|C",
        help="The list new people go on (R2); default B.",
        show_default=False,
    ),
]


def _list_letter(value: str | None, default: str | None = "B") -> str | None:
    if value is None:
        return default
    letter = value.strip().upper()
    if letter not in {"A", "B", "C"}:
        raise BadOption(
            f"There is no list “{value}”: use A (personal), B (professional) or C (target) — R2."
        )
    return letter


def _summary(result: ImportResult) -> None:
    verb = "Would import" if result.dry_run else "Imported"
    say(
        f"{verb} {result.format}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.skipped)} skipped."
        + (" (dry run: nothing was saved)" if result.dry_run else "")
    )
    for problem in sorted(result.skipped, key=lambda p: p.line):
        say(f"  line {problem.line}: {problem.reason}")


def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="LinkedIn, Google, Outlook, vCard or postings file, or a LinkedIn .zip."
        ),
    ],
    contact_list: ListOption = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows and report each bad one.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; save nothing.")
    ] = False,
    as_json: JsonOption = False,
    user: UserOption = None,
) -> None:
    """Import a file; importing it again updates, never duplicates."""
    from grapevine.transfer.services import import_path

    owner = acting_user(user)
    letter = _list_letter(contact_list)
    try:
        if as_json:
            result = import_path(
                owner, path, contact_list=letter, skip_bad_rows=skip_bad_rows, dry_run=dry_run
            )
        else:
            with Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            ) as bar:
                task = bar.add_task("import", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                result = import_path(
                    owner,
                    path,
                    contact_list=letter,
                    skip_bad_rows=skip_bad_rows,
                    dry_run=dry_run,
                    progress=progress,
                )
    except (BadFile, ImportFailed) as exc:
        raise CommandFailed(str(exc)) from None
    if as_json:
        print_json(result.as_json())
    else:
        _summary(result)


def register(app: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
    app.command("import", help="Import LinkedIn, Google, Outlook, vCard or job postings files.")(
        import_command
    )
