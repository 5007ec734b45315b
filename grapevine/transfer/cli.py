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
from grapevine.transfer.plan import ImportFailed, ImportPlan

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


DRY_RUN_ROWS = 50


def _summary(plan: ImportPlan) -> None:
    verb = "Would import" if plan.dry_run else "Imported"
    say(
        f"{verb} {plan.format}: {plan.created} new, {plan.updated} updated, "
        f"{plan.unchanged} unchanged, {len(plan.skipped)} skipped."
        + (" (dry run: nothing was saved)" if plan.dry_run else "")
    )
    if plan.dry_run:
        # The same plan the upload page previews, row by row.
        for row in plan.rows[:DRY_RUN_ROWS]:
            who = f" {row.label}" if row.label else ""
            say(f"  line {row.line}: {row.action} {row.what}{who} — {row.why}")
        if len(plan.rows) > DRY_RUN_ROWS:
            say(
                f"  … and {len(plan.rows) - DRY_RUN_ROWS:,} more rows (--json shows the whole plan)"
            )
    for problem in sorted(plan.skipped, key=lambda p: p.line):
        say(f"  line {problem.line}: {problem.reason}")
    for line, who, why in plan.duplicates:
        say(f"  line {line}: possible duplicate: {who}, {why}")
    for problem in sorted(plan.notices, key=lambda p: p.line):
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
        bool,
        typer.Option(
            "--dry-run",
            help="Show the import plan, row by row: what each row would do; save nothing.",
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print {"format", "created", "updated", "unchanged", "skipped": [{"line", "reason"}], '
            '"notices", "possible_duplicates"}, and with --dry-run the "plan" row by row.',
        ),
    ] = False,
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

                def progress(done: int, total: int | None) -> None:
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
        print_json(result.as_json(rows=dry_run))
    else:
        _summary(result)


export_app = typer.Typer(
    no_args_is_help=True,
    help="Export people, organisations and the journal: CSV, vCard, JSON backup.",
)
PathArgument = Annotated[Path, typer.Argument(help="Where to write.")]


def _write(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise CommandFailed(f"{path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise CommandFailed(f"There is no folder {path.parent} to write {path.name} in.")
    path.write_bytes(data)


@export_app.command("csv")
def export_csv(
    path: Annotated[
        Path,
        typer.Argument(
            help="A .csv file (one table, see --what), a .zip file or a folder (all three tables)."
        ),
    ],
    what: Annotated[
        str,
        typer.Option(
            "--what",
            metavar="people|organisations|journal",
            help="The table to write when PATH ends in .csv.",
        ),
    ] = "people",
    user: UserOption = None,
) -> None:
    """People, organisations and the journal as CSV, safe to open in a spreadsheet."""
    from grapevine.transfer.exports import csv_files, csv_zip

    owner = acting_user(user)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        _write(path, csv_zip(owner))
        say(f"Wrote people, organisations and the journal to {path}.")
        return
    if suffix == ".csv":
        table = f"{what.strip().lower()}.csv"
        files = csv_files(owner)
        if table not in files:
            raise BadOption(f"There is no table “{what}”: use people, organisations or journal.")
        # BOM so that Excel reads the file as UTF-8.
        _write(path, ("\ufeff" + files[table]).encode("utf-8"))
        say(f"Wrote {what.strip().lower()} to {path}.")
        return
    if path.exists() and not path.is_dir():
        raise CommandFailed(f"{path} is a file; give a folder, or a name ending in .csv or .zip.")
    path.mkdir(parents=True, exist_ok=True)
    for name, text in csv_files(owner).items():
        (path / name).write_text("\ufeff" + text, encoding="utf-8", newline="")
    say(f"Wrote people.csv, organisations.csv and journal.csv to {path}.")


@export_app.command("vcard")
def export_vcard(
    path: PathArgument,
    contact_list: Annotated[
        str | None, typer.Option("--list", "-l", metavar="A|B|C", help="Only this list (R2).")
    ] = None,
    user: UserOption = None,
) -> None:
    """People as vCard 3.0, for Google Contacts, Apple Contacts and phones."""
    from grapevine.transfer.exports import vcard_text

    owner = acting_user(user)
    text = vcard_text(owner, _list_letter(contact_list, None))
    _write(path, text.encode("utf-8"))
    say(f"Wrote {text.count('BEGIN:VCARD')} cards to {path}.")


@export_app.command("backup")
def export_backup(path: PathArgument, user: UserOption = None) -> None:
    """Everything in the account as one JSON file (restore it with `grapevine restore`)."""
    import json

    from grapevine.transfer.backup import backup_data

    owner = acting_user(user)
    data = backup_data(owner)
    _write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    rows = sum(len(v) for v in data["models"].values())
    say(f"Wrote a backup of {owner.email} ({rows} records) to {path}.")


def restore_command(
    path: Annotated[Path, typer.Argument(help="A file written by `grapevine export backup`.")],
    as_json: JsonOption = False,
    user: UserOption = None,
) -> None:
    """Restore a JSON backup into an empty account; public ids are kept."""
    import json

    from grapevine.transfer.backup import RestoreRefused, restore_data

    owner = acting_user(user)
    if not path.is_file():
        raise CommandFailed(f"There is no file at {path}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CommandFailed(f"{path} is not a Grapevine backup (it is not JSON).") from None
    try:
        counts = restore_data(owner, data)
    except RestoreRefused as exc:
        raise CommandFailed(str(exc)) from None
    if as_json:
        print_json(counts)
    else:
        say(f"Restored {sum(counts.values())} records into {owner.email}.")


def backup_command(
    path: Annotated[Path, typer.Argument(help="The new file to write the copy to.")],
) -> None:
    """A consistent copy of the SQLite database, safe while Grapevine runs."""
    from grapevine.transfer.backup import BackupUnsupported, sqlite_copy

    try:
        sqlite_copy(path)
    except BackupUnsupported as exc:
        raise CommandFailed(str(exc)) from None
    say(f"Copied the database to {path}.")


def register(app: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
    app.command("import", help="Import LinkedIn, Google, Outlook, vCard or job postings files.")(
        import_command
    )
    app.add_typer(export_app, name="export", help="Export CSV, vCard or a full JSON backup.")
    app.command("restore", help="Restore a JSON backup into an empty account.")(restore_command)
    app.command("backup", help="Copy the live SQLite database (SQLite's online backup).")(
        backup_command
    )
