"""Set-based writes for the apps' bulk writers: plain value rows, one ``executemany`` each.

Why not ``bulk_create``/``bulk_update``: they prepare every value of every field through
the ORM, about ten times the cost of the insert itself for 30,000 people (see
bench/import_linkedin.py). The writers that use this module (``contacts.bulk``, the
journal's and the targets' services) pass values they have already validated; only
dates, times and UUIDs need the backend's adaptation.
"""

from __future__ import annotations

import gc
import operator
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.utils import timezone

# SQLite's default limit on the variables of one statement is 32,766 (3.32+); reads
# by ``pk__in`` and the like go in chunks well below it.
CHUNK = 5000


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class NewRow(SimpleNamespace):
    """An unsaved row as plain attributes (``attname=value``); ``fast_insert`` writes it.

    Building a Django model instance costs about forty times more, which matters
    60,000 times in a LinkedIn import."""

    pk: int | None = None


def _memoised(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # Timestamps and dates repeat across rows; adapting one is the slow part of an insert.
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if value not in seen:
            seen[value] = adapt(value)
        return seen[value]

    return cached


def random_uuid_hexes(count: int) -> list[str]:
    """``uuid.uuid4().hex`` ``count`` times, from one read of the system's randomness.

    What a non-native UUID column stores (SQLite), without a UUID object per row."""
    data = os.urandom(16 * count)
    hexes = []
    for start in range(0, 16 * count, 16):
        value = int.from_bytes(data[start : start + 16], "big")
        # uuid.UUID(bytes=..., version=4): the RFC 4122 variant, version 4.
        value = (value & _UUID4_CLEAR) | _UUID4_SET
        hexes.append(f"{value:032x}")
    return hexes


_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


def fast_insert(model: type[models.Model], objs: list[NewRow]) -> None:
    """Insert unsaved rows with one ``executemany`` and set their primary keys.

    Fields a row does not set take the model's defaults. Values must fit their columns
    already (the callers cut what is too long, and say so). Primary keys are read back
    by ``public_id`` for models that have one.
    """
    if not objs:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    native_uuid = connection.features.has_native_uuid_field
    adapt_at: list[tuple[int, Callable[[Any], Any]]] = []
    static: dict[str, Any] = {}
    per_row: list[tuple[str, Callable[[], Any]]] = []
    random_ids: list[int] = []  # uuid4 defaults, filled in bulk where stored as text
    auto: list[str] = []
    for position, f in enumerate(fields):
        prepare = partial(f.get_db_prep_save, connection=connection)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            static[f.attname] = prepare(now)  # the same for every row: adapted once
            auto.append(f.attname)
            continue
        if isinstance(f, models.UUIDField):
            if not native_uuid:
                adapt_at.append((position, lambda value: value.hex))
        elif isinstance(f, models.DateTimeField | models.DateField | models.DecimalField):
            adapt_at.append((position, _memoised(prepare)))
        if f.default is uuid.uuid4 and not native_uuid:
            random_ids.append(position)
            static[f.attname] = None
        elif f.has_default() and callable(f.default):
            per_row.append((f.attname, f.default))
        else:
            static[f.attname] = f.get_default()
    # Defaults as class attributes: a row's own values win, the rest fall through.
    with_defaults = type("WithDefaults", (NewRow,), static)
    getter = operator.attrgetter(*(f.attname for f in fields))
    hexes = [random_uuid_hexes(len(objs)) for _ in random_ids]
    rows = []
    for number, obj in enumerate(objs):
        obj.__class__ = with_defaults
        own = obj.__dict__
        for attname in auto:
            own.pop(attname, None)
        for attname, factory in per_row:
            if attname not in own:
                own[attname] = factory()
        values = list(getter(obj))
        for position, adapt in adapt_at:
            if values[position] is not None:
                values[position] = adapt(values[position])
        for position, fresh in zip(random_ids, hexes, strict=True):
            if values[position] is None:
                values[position] = fresh[number]
        rows.append(values)
    insert_values(model, [str(f.column) for f in fields], rows)
    if _consecutive_ids(model, objs):
        return
    names = [f.attname for f in fields]
    if "public_id" in names and "created_at" in names:
        position = names.index("public_id")
        by_public_id = {row[position]: obj for row, obj in zip(rows, objs, strict=True)}
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT public_id, id FROM {table} WHERE owner_id = %s AND created_at = %s",  # noqa: S608 (names from _meta)
                [objs[0].owner_id, static["created_at"]],
            )
            for public_id, pk in cursor.fetchall():
                inserted = by_public_id.get(public_id)
                if inserted is not None:
                    inserted.pk = inserted.id = pk
        assert all(obj.pk for obj in objs), "every inserted row has its id back"


def _consecutive_ids(model: type[models.Model], objs: list[NewRow]) -> bool:
    """SQLite, inside a transaction: the rows just inserted have the last ``len(objs)``
    ids, in order (AUTOINCREMENT counts up one row at a time, and the transaction holds
    the write lock, so no one else inserted between them). Checked, not assumed: if the
    ids there are not exactly these rows, the caller reads them back by public id."""
    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        return False
    table = connection.ops.quote_name(model._meta.db_table)
    count = len(objs)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608 (names from _meta)
        (last,) = cursor.fetchone()
        if last is None:
            return False
        cursor.execute(
            f"SELECT min(id), count(*) FROM {table} WHERE id > %s",  # noqa: S608
            [last - count],
        )
        first, found = cursor.fetchone()
    if found != count or first != last - count + 1:
        return False
    for pk, obj in enumerate(objs, start=first):
        obj.pk = obj.id = pk
    return True


def insert_values(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """``INSERT`` plain value tuples (already in database form) with ``executemany``."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from _meta)
    with connection.cursor() as cursor:
        for part in chunks(rows):
            cursor.executemany(sql, part)


def update_values(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """``UPDATE … SET columns WHERE id = last value`` for each row, with ``executemany``."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE id = %s"  # noqa: S608 (names from _meta)
    with connection.cursor() as cursor:
        for part in chunks(rows):
            cursor.executemany(sql, part)


def delete_ids(model: type[models.Model], ids: Sequence[int]) -> None:
    if not ids:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for part in chunks(ids):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", list(part))  # noqa: S608


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is parsed and imported.

    An import allocates hundreds of thousands of small objects that live until it
    ends; the collector would walk them again and again for nothing (a fifth of a
    30,000-row import, see bench/import_linkedin.py). Reference counting still frees
    everything; collection resumes when the last import running in the process ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


# SQLite page cache for the connection while a bulk write runs (KiB; SQLite's default
# is 2 MiB, settings may already set as much). Indexes on random public ids touch
# pages all over; with a small cache, pages leave and come back within one
# transaction (a fifth of the inserts' time). The benchmark's floor uses it too.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def sqlite_cache_enlarged() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
