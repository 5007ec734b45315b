"""Writes of the transfer app: imports (see ``importer``), restores, merges live in their modules.

``import_file`` is what the CLI and the upload page call.
"""

from __future__ import annotations

from pathlib import Path

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList
from grapevine.transfer.formats import BadFile, check_size, read_file
from grapevine.transfer.importer import ImportFailed, ImportResult, Progress, import_parsed

__all__ = ["BadFile", "ImportFailed", "ImportResult", "import_file", "import_path"]


def import_file(
    owner: User,
    name: str,
    data: bytes,
    *,
    contact_list: str = ContactList.B,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Recognise, parse and import one file. ``BadFile``/``ImportFailed`` leave the database unchanged."""
    parsed = read_file(name, data)
    return import_parsed(
        owner,
        parsed,
        contact_list=contact_list,
        skip_bad_rows=skip_bad_rows,
        dry_run=dry_run,
        progress=progress,
    )


def import_path(owner: User, path: Path, **options: object) -> ImportResult:
    if not path.exists():
        raise BadFile(f"There is no file at {path}.")
    if path.is_dir():
        raise BadFile(f"{path} is a folder; give the path of one file.")
    check_size(path.name, path.stat().st_size)
    return import_file(owner, path.name, path.read_bytes(), **options)  # type: ignore[arg-type]
