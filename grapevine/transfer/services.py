"""Writes of the transfer app: imports through an import plan (``plan``); restores and
merges live in their own modules.

``import_path``/``import_file`` are what the CLI calls (and ``--dry-run`` stops at the
plan); the upload page stores the upload and its plan (``pending_import_create``),
shows the plan without writing, and applies exactly that plan on confirmation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList
from grapevine.core.bulk import cyclic_gc_paused
from grapevine.transfer.formats import (
    BadFile,
    Source,
    check_size,
    max_bytes,
    read_source,
    source_from_bytes,
    source_from_path,
)
from grapevine.transfer.models import PendingImport
from grapevine.transfer.plan import (
    ImportFailed,
    ImportPlan,
    ImportResult,
    PlanStale,
    Progress,
    plan_apply,
    plan_build,
    plan_dump,
    plan_load,
)

__all__ = [
    "BadFile",
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "PlanStale",
    "import_file",
    "import_path",
    "import_source",
    "pending_import_confirm",
    "pending_import_create",
    "pending_import_delete",
]


def import_source(
    owner: User,
    source: Source,
    *,
    contact_list: str = ContactList.B,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Plan the import of ``source`` and, unless ``dry_run``, apply the plan.

    ``BadFile``/``ImportFailed`` leave the database unchanged; a dry run never writes.
    The plan is read outside the write transaction (SQLite's write lock is held only
    while writing); should the contact book change meanwhile, it is read again inside.
    """
    with cyclic_gc_paused():
        return _import_source(owner, source, contact_list, skip_bad_rows, dry_run, progress)


def _import_source(
    owner: User,
    source: Source,
    contact_list: str,
    skip_bad_rows: bool,
    dry_run: bool,
    progress: Progress | None,
) -> ImportPlan:
    options = {"contact_list": contact_list, "skip_bad_rows": skip_bad_rows, "progress": progress}
    if dry_run:
        plan = plan_build(owner, read_source(source, country=owner.country), **options)  # type: ignore[arg-type]
        plan.dry_run = True
        return plan
    plan = plan_build(
        owner,
        read_source(source, country=owner.country),
        with_basis=True,
        **options,  # type: ignore[arg-type]
    )
    try:
        return plan_apply(owner, plan)
    except PlanStale:
        with transaction.atomic():
            plan = plan_build(owner, read_source(source, country=owner.country), **options)  # type: ignore[arg-type]
            return plan_apply(owner, plan)


def import_file(owner: User, name: str, data: bytes, **options: object) -> ImportPlan:
    return import_source(owner, source_from_bytes(name, data), **options)  # type: ignore[arg-type]


def import_path(owner: User, path: Path, **options: object) -> ImportPlan:
    """A local file: only a regular file is read (a device or a pipe is refused)."""
    return import_source(owner, source_from_path(path), **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Uploads waiting between preview and confirmation (web)
# ---------------------------------------------------------------------------

PENDING_MAX_AGE = dt.timedelta(days=1)


def _imports_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pending_import_create(
    owner: User,
    *,
    name: str,
    chunks: Iterable[bytes],
    size: int | None = None,
    contact_list: str,
    skip_bad_rows: bool,
) -> PendingImport:
    """Keep an upload under a random server-chosen name, with its import plan.

    ``BadFile`` (and nothing kept) when the file cannot be read at all; a file with
    bad rows is kept, its plan saying which lines are wrong."""
    pending_imports_clean(owner)
    shown = Path(name).name[:200] or "upload"
    if size is not None:
        check_size(shown, size)  # the real size, before a byte is stored
    stored = secrets.token_hex(16)
    folder = _imports_folder()
    path = folder / stored
    written = 0
    limit = max_bytes()
    try:
        with path.open("wb") as handle:
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    check_size(shown, size if size is not None and size > written else written)
                handle.write(chunk)
        pending = PendingImport(
            owner=owner,
            original_name=shown,
            stored_name=stored,
            size=written,
            contact_list=contact_list,
            skip_bad_rows=skip_bad_rows,
        )
        _plan_pending(pending)
    except BaseException:
        path.unlink(missing_ok=True)
        (folder / f"{stored}.plan").unlink(missing_ok=True)
        raise
    pending.save()
    return pending


def _plan_pending(pending: PendingImport) -> None:
    """Parse the stored upload once into its plan (``pending.plan_path``) and summary."""
    source = source_from_path(pending.path, pending.original_name)
    try:
        plan = plan_build(
            pending.owner,
            read_source(source, country=pending.owner.country),
            contact_list=pending.contact_list,
            skip_bad_rows=pending.skip_bad_rows,
            with_basis=True,
        )
    except ImportFailed as exc:
        pending.summary = {
            "failed": str(exc),
            "problems": [[p.line, p.reason] for p in exc.problems[:200]],
            "more": max(0, len(exc.problems) - 200),
        }
        pending.plan_path.unlink(missing_ok=True)
        return
    temporary = pending.plan_path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as out:
        plan_dump(plan, out)
    temporary.replace(pending.plan_path)
    pending.summary = {
        "format": plan.format,
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "skipped": len(plan.skipped),
    }


def pending_import_plan(pending: PendingImport) -> ImportPlan:
    try:
        with pending.plan_path.open(encoding="utf-8") as lines:
            return plan_load(lines)
    except FileNotFoundError:
        raise BadFile(
            "The uploaded file is gone (uploads are kept for a day): upload it again."
        ) from None
    except (ValueError, KeyError, TypeError, IndexError, StopIteration):
        raise BadFile("The stored preview cannot be read: upload the file again.") from None


def pending_import_confirm(pending: PendingImport) -> ImportPlan:
    """Apply exactly the stored plan. ``PlanStale`` when the contact book changed since
    the preview: the plan is made again (and nothing written) for a new preview."""
    plan = pending_import_plan(pending)
    try:
        plan_apply(pending.owner, plan)
    except PlanStale:
        _plan_pending(pending)
        pending.save(update_fields=["summary", "updated_at"])
        raise
    pending_import_delete(pending)
    return plan


def pending_import_delete(pending: PendingImport) -> None:
    pending.path.unlink(missing_ok=True)
    pending.plan_path.unlink(missing_ok=True)
    pending.delete()


def pending_imports_clean(owner: User) -> None:
    """Forget this owner's uploads nobody confirmed within a day."""
    cutoff = timezone.now() - PENDING_MAX_AGE
    for pending in PendingImport.objects.filter(owner=owner, created_at__lt=cutoff):
        pending_import_delete(pending)
