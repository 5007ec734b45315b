"""Writes of the transfer app: imports (see ``importer``), restores, merges live in their modules.

``import_file`` is what the CLI and the upload page call.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList
from grapevine.transfer.formats import BadFile, check_size, max_bytes, read_file
from grapevine.transfer.importer import (
    ImportFailed,
    ImportResult,
    Progress,
    cyclic_gc_paused,
    import_parsed,
)
from grapevine.transfer.models import PendingImport

__all__ = [
    "BadFile",
    "ImportFailed",
    "ImportResult",
    "import_file",
    "import_path",
    "pending_import_confirm",
    "pending_import_create",
    "pending_import_delete",
    "pending_import_preview",
]


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
    with cyclic_gc_paused():
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


# ---------------------------------------------------------------------------
# Uploads waiting between preview and confirmation (web)
# ---------------------------------------------------------------------------

PENDING_MAX_AGE = dt.timedelta(days=1)


def pending_import_create(
    owner: User, *, name: str, chunks: Iterable[bytes], contact_list: str, skip_bad_rows: bool
) -> PendingImport:
    """Keep an upload under a random server-chosen name until the user confirms it."""
    pending_imports_clean(owner)
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    size = 0
    limit = max_bytes()
    path = folder / stored
    with path.open("wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                handle.close()
                path.unlink(missing_ok=True)
                check_size(name, size)  # raises BadFile
            handle.write(chunk)
    return PendingImport.objects.create(
        owner=owner,
        original_name=Path(name).name[:200] or "upload",
        stored_name=stored,
        size=size,
        contact_list=contact_list,
        skip_bad_rows=skip_bad_rows,
    )


def _pending_run(pending: PendingImport, *, dry_run: bool) -> ImportResult:
    try:
        data = pending.path.read_bytes()
    except FileNotFoundError:
        raise BadFile(
            "The uploaded file is gone (uploads are kept for a day): upload it again."
        ) from None
    return import_file(
        pending.owner,
        pending.original_name,
        data,
        contact_list=pending.contact_list,
        skip_bad_rows=pending.skip_bad_rows,
        dry_run=dry_run,
    )


def pending_import_check(pending: PendingImport) -> None:
    """``BadFile`` (and the upload deleted) when the file cannot be read at all."""
    try:
        read_file(pending.original_name, pending.path.read_bytes())
    except BadFile:
        pending_import_delete(pending)
        raise


def pending_import_preview(pending: PendingImport) -> ImportResult:
    """What confirming would do; nothing is saved."""
    return _pending_run(pending, dry_run=True)


def pending_import_confirm(pending: PendingImport) -> ImportResult:
    result = _pending_run(pending, dry_run=False)
    pending_import_delete(pending)
    return result


def pending_import_delete(pending: PendingImport) -> None:
    pending.path.unlink(missing_ok=True)
    pending.delete()


def pending_imports_clean(owner: User) -> None:
    """Forget this owner's uploads nobody confirmed within a day."""
    cutoff = timezone.now() - PENDING_MAX_AGE
    for pending in PendingImport.objects.filter(owner=owner, created_at__lt=cutoff):
        pending_import_delete(pending)
