"""A whole account as versioned JSON, its restore into an empty account, and a copy
of the live SQLite database.

Which models are in a backup is discovered, not listed: every model of a
``grapevine.*`` app that has an ``owner`` (an ``OwnedModel``), and every model that
belongs to one of those through a foreign key (``PersonEmail`` → ``Person``), parents
first. A later app's models are therefore backed up and restored without any change
here; a model that must stay out (a cache, a pending upload) says ``backup_exclude = True``.
Rows are referred to by ``public_id`` when they have one (restore keeps it), else by
their position in the file; many-to-many fields are lists of those references.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from grapevine.accounts.models import User

FORMAT = "grapevine-backup"
VERSION = 1


class RestoreRefused(Exception):
    """The backup cannot be restored here; the message is one sentence for the user."""


class BackupUnsupported(Exception):
    """The database cannot be copied this way; the message says what to use instead."""


def _owner_field(model: type[models.Model]) -> models.Field | None:
    try:
        field = model._meta.get_field("owner")
    except Exception:
        return None
    related = getattr(field, "related_model", None)
    return field if related is not None and issubclass(related, User) else None  # type: ignore[return-value]


def backup_models() -> list[type[models.Model]]:
    """Owned models and their children, each after the models it points to."""
    candidates = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("grapevine.")
        and not issubclass(m, User)
        and not getattr(m, "backup_exclude", False)
    ]
    included = {m for m in candidates if _owner_field(m) is not None}
    grew = True
    while grew:  # children of children too
        grew = False
        for m in candidates:
            if m in included:
                continue
            if any(
                isinstance(f, models.ForeignKey) and f.related_model in included and not f.null
                for f in m._meta.concrete_fields
            ):
                included.add(m)
                grew = True
    ordered: list[type[models.Model]] = []

    def visit(model: type[models.Model], trail: tuple[type[models.Model], ...] = ()) -> None:
        if model in ordered or model in trail:
            return
        for f in model._meta.concrete_fields:
            target = f.related_model if isinstance(f, models.ForeignKey) else None
            if target in included and target is not model:
                visit(target, (*trail, model))
        ordered.append(model)

    for model in sorted(included, key=lambda m: m._meta.label):
        visit(model)
    return ordered


def _owner_path(model: type[models.Model], seen: tuple[type[models.Model], ...] = ()) -> str | None:
    """The lookup from ``model`` to its owner: "owner", "person__owner", …"""
    if _owner_field(model) is not None:
        return "owner"
    for f in model._meta.concrete_fields:
        target = f.related_model if isinstance(f, models.ForeignKey) and not f.null else None
        if isinstance(target, type) and target not in seen and target is not model:
            rest = _owner_path(target, (*seen, model))
            if rest is not None:
                return f"{f.name}__{rest}"
    return None


def _rows(model: type[models.Model], owner: User) -> Any:
    path = _owner_path(model)
    if path is None:
        return model._default_manager.none()
    return model._default_manager.filter(**{path: owner}).order_by("pk")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def _has_public_id(model: type[models.Model]) -> bool:
    return any(f.name == "public_id" for f in model._meta.concrete_fields)


def backup_data(owner: User) -> dict[str, Any]:
    """Everything ``owner`` has, as JSON-ready data."""
    refs: dict[tuple[str, int], str] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    ordered = backup_models()
    for model in ordered:
        label = model._meta.label_lower
        rows = list(_rows(model, owner))
        for position, row in enumerate(rows):
            refs[(label, row.pk)] = str(row.public_id) if _has_public_id(model) else str(position)
        out[label] = []
        for row in rows:
            item: dict[str, Any] = {"ref": refs[(label, row.pk)]}
            for f in model._meta.concrete_fields:
                if f.primary_key or f.name == "owner":
                    continue
                if isinstance(f, models.ForeignKey):
                    target = f.related_model
                    raw = getattr(row, f.attname)
                    if raw is None:
                        item[f.name] = None
                    elif isinstance(target, type) and issubclass(target, User):
                        item[f.name] = "@owner" if raw == owner.pk else None
                    else:
                        item[f.name] = refs.get((target._meta.label_lower, raw))
                else:
                    item[f.name] = _plain(f.value_from_object(row))
            for m2m in model._meta.many_to_many:
                target_label = m2m.related_model._meta.label_lower
                item[m2m.name] = sorted(
                    refs[(target_label, pk)]
                    for pk in getattr(row, m2m.name).values_list("pk", flat=True)
                    if (target_label, pk) in refs
                )
            out[label].append(item)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {"email": owner.email, "country": owner.country, "time_zone": owner.time_zone},
        "models": out,
    }


def account_is_empty(owner: User) -> bool:
    return not any(
        model._default_manager.filter(owner=owner).exists()
        for model in backup_models()
        if _owner_field(model) is not None
    )


@contextlib.contextmanager
def _timestamps_kept(model_list: list[type[models.Model]]) -> Iterator[None]:
    """Restore created_at/updated_at as they were instead of "now"."""
    changed: list[tuple[models.Field, bool, bool]] = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in changed:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


def restore_data(owner: User, data: Any) -> dict[str, int]:
    """Recreate a backup in ``owner``'s empty account; returns rows per model."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RestoreRefused('This is not a Grapevine backup (no "format": "grapevine-backup").')
    if data.get("version") != VERSION:
        raise RestoreRefused(
            f"This backup has version {data.get('version')}; this Grapevine reads version {VERSION}."
        )
    if not account_is_empty(owner):
        raise RestoreRefused(
            f"The account {owner.email} already has contacts or journal entries: restore only into an "
            "empty account (create a new one with `grapevine user create`)."
        )
    ordered = backup_models()
    known = {m._meta.label_lower for m in ordered}
    unknown = sorted(set(data.get("models", {})) - known)
    if unknown:
        raise RestoreRefused(
            f"This backup has data this Grapevine does not know ({', '.join(unknown)}): update Grapevine first."
        )
    for model in ordered:
        refs = [r.get("ref") for r in data.get("models", {}).get(model._meta.label_lower, [])]
        if _has_public_id(model) and refs:
            taken = model._default_manager.filter(public_id__in=refs[:50000]).exists()
            if taken:
                raise RestoreRefused(
                    "This backup's records already exist in this database under another account: "
                    "restore it into a fresh data folder (or delete that account first)."
                )
    counts: dict[str, int] = {}
    pks: dict[tuple[str, str], int] = {}
    with transaction.atomic(), _timestamps_kept(ordered):
        pending_m2m: list[tuple[models.Model, str, str, list[str]]] = []
        for model in ordered:
            label = model._meta.label_lower
            rows = data.get("models", {}).get(label, [])
            objs = []
            for item in rows:
                obj = model()
                for f in model._meta.concrete_fields:
                    if f.primary_key:
                        continue
                    if f.name == "owner":
                        obj.owner = owner  # type: ignore[attr-defined]
                        continue
                    if f.name not in item:
                        continue  # a field added after the backup: its default stays
                    value = item[f.name]
                    if isinstance(f, models.ForeignKey):
                        target = f.related_model
                        if value is None:
                            setattr(obj, f.attname, None)
                        elif isinstance(target, type) and issubclass(target, User):
                            setattr(obj, f.attname, owner.pk if value == "@owner" else None)
                        else:
                            key = (target._meta.label_lower, str(value))
                            if key not in pks:
                                raise RestoreRefused(
                                    f"The backup is damaged: {label} points to a missing {key[0]} {value}."
                                )
                            setattr(obj, f.attname, pks[key])
                    else:
                        setattr(obj, f.attname, f.to_python(value))
                objs.append(obj)
            model._default_manager.bulk_create(objs, batch_size=1000)
            for item, obj in zip(rows, objs, strict=True):
                pks[(label, str(item["ref"]))] = obj.pk
                for m2m in model._meta.many_to_many:
                    if item.get(m2m.name):
                        pending_m2m.append(
                            (obj, m2m.name, m2m.related_model._meta.label_lower, item[m2m.name])
                        )
            counts[label] = len(objs)
        for obj, name, target_label, target_refs in pending_m2m:
            getattr(obj, name).set([pks[(target_label, str(r))] for r in target_refs])
    return counts


def sqlite_copy(destination: Path, source_path: Path | None = None) -> Path:
    """A consistent copy of the live SQLite database (SQLite's online backup API)."""
    db = settings.DATABASES["default"]
    if source_path is None and "sqlite" not in db["ENGINE"]:
        raise BackupUnsupported(
            "This instance uses PostgreSQL: back it up with pg_dump "
            "(for example `pg_dump --format=custom --file=grapevine.dump DATABASE`), "
            "or export one account with `grapevine export backup PATH`."
        )
    if destination.exists():
        raise BackupUnsupported(f"{destination} already exists: choose a new file name.")
    if not destination.parent.is_dir():
        raise BackupUnsupported(f"There is no folder {destination.parent} to write the copy in.")
    target = sqlite3.connect(str(destination))
    try:
        if source_path is not None:
            source = sqlite3.connect(str(source_path))
            try:
                source.backup(target)
            finally:
                source.close()
        else:
            # Django's own connection: the database as this process sees it, whatever its
            # journal mode or whether it is a file at all.
            connection.ensure_connection()
            connection.connection.backup(target)
    finally:
        target.close()
    return destination
