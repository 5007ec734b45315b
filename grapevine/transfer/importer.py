"""Importing a parsed file into one owner's contact book, journal and postings.

One file is one transaction. Rows are matched against the owner's people by LinkedIn
URL, then e-mail (when the names agree), then name plus organisation; a match is
updated through ``contacts.services.person_update`` (which keeps the previous employer
as past employment), new people are written in bulk, because a 30,000-row LinkedIn
export must import in seconds. ``search_text`` comes from the same function the
contacts services use.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import os
import re
import threading
import unicodedata
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from rapidfuzz import fuzz

from grapevine.accounts.models import User
from grapevine.contacts.models import (
    ContactList,
    Organisation,
    OrganisationAlias,
    Person,
    PersonEmail,
    PersonPhone,
    Tag,
)
from grapevine.contacts.normalise import (
    WITHOUT_COMBINING_MARKS,
    NameParts,
    clean_text,
    normalise_phone,
    organisation_key,
    parse_name,
)
from grapevine.contacts.services import (
    PersonData,
    organisations_by_key,
    organisations_get_or_create_many,
    person_update,
    search_text_from_parts,
)
from grapevine.journal.models import Entry, Kind
from grapevine.targets.models import JobPosting
from grapevine.transfer.formats import BadFile, ParsedFile
from grapevine.transfer.formats.base import EntryRow, PersonRow, RowProblem
from grapevine.transfer.formats.postings import SOURCE as POSTINGS_SOURCE

Progress = Callable[[int, int], None]


class NewRow(SimpleNamespace):
    """An unsaved row as plain attributes (``attname=value``); ``fast_insert`` writes it.

    Building a Django model instance costs about forty times more, which matters
    60,000 times in a LinkedIn import."""

    pk: int | None = None


# An organisation an import found (a model instance) or created (a NewRow, saved by
# fast_insert): the importer reads only its ``id`` and ``name``.
OrgRef = Organisation | NewRow


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

    Why not ``bulk_create``: it prepares every value of every field through the ORM,
    about ten times the cost of the insert itself for 30,000 people (see
    bench/import_linkedin.py). Values here are plain Python values already validated
    by the importer; only dates, times and UUIDs need the backend's adaptation.
    Fields a row does not set take the model's defaults. Primary keys are read back
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
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


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


# SQLite page cache for the connection while an import writes (KiB; SQLite's default
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


class ImportFailed(Exception):
    """Bad rows and no permission to skip them: nothing was imported."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"Line {first.line}: {first.reason}{more} Nothing was imported: fix the file, "
            "or skip bad rows to import the rest."
        )


@dataclass
class Sample:
    action: str  # "new", "updated", "unchanged"
    label: str
    detail: str = ""


@dataclass
class ImportResult:
    format: str
    contact_list: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [p.as_dict() for p in sorted(self.skipped, key=lambda p: p.line)],
        }

    def count(self, action: str, label: str, detail: str = "") -> None:
        if action == "new":
            self.created += 1
        elif action == "updated":
            self.updated += 1
        else:
            self.unchanged += 1
        if len(self.samples) < 10:
            self.samples.append(Sample(action, label, detail))


_NON_WORD = re.compile(r"[\W_]+")


def name_key(given: str, family: str, full: str = "") -> str:
    """Comparable form of a name: case, accents and punctuation removed."""
    text = f"{given} {family}" if (given or family) else full
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text.casefold()).translate(WITHOUT_COMBINING_MARKS)
    return _NON_WORD.sub(" ", text).strip()


def quick_name(row: PersonRow) -> NameParts | None:
    """What ``parse_name`` returns for clean given/family parts without a nickname or
    credentials, without its per-character work; None when parse_name must decide."""
    given, middle, family = row.given_name, row.middle_name, row.family_name
    if row.full_name or "," in family or any(c in given for c in '"“('):
        return None
    if not (given.isprintable() and family.isprintable() and middle.isprintable()):
        return None
    shown = " ".join(p for p in (given, middle, family) if p)
    return NameParts(shown, "", given, middle, family, "", "")


def names_compatible(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if ta[0] == tb[0] and ta[-1] == tb[-1]:
        return True
    return fuzz.token_sort_ratio(a, b) >= 85


@dataclass(eq=False)
class Snap:
    """What the importer knows about one person, saved or about to be created."""

    pk: int | None
    nkey: str
    url: str
    org_id: int | None
    title: str
    notes: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    new: NewRow | None = None  # the unsaved row when created by this import

    def tag_keys(self) -> set[str]:
        return {t.lower() for t in self.tags}


class Importer:
    def __init__(
        self,
        owner: User,
        parsed: ParsedFile,
        *,
        contact_list: str,
        skip_bad_rows: bool,
        progress: Progress | None = None,
    ) -> None:
        self.owner = owner
        self.owner_id = owner.pk
        self.parsed = parsed
        self.contact_list = contact_list
        self.skip_bad_rows = skip_bad_rows
        self.progress = progress
        self.result = ImportResult(format=parsed.format, contact_list=contact_list)
        self.result.skipped.extend(parsed.skipped)
        self.result.skipped.extend(parsed.errors)
        self.region = getattr(owner, "country", "") or "US"
        try:
            self.tz: dt.tzinfo = zoneinfo.ZoneInfo(owner.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.tz = dt.UTC
        self.today = timezone.localdate()
        self.done = 0
        self.total = parsed.row_count
        self.connected: list[tuple[Snap, dt.datetime]] = []
        self.entry_keys: set[tuple[str, str]] = set()
        self.org_keys: dict[str, str] = {}
        self.aware_seen: dict[dt.datetime, dt.datetime] = {}

    # -- helpers ----------------------------------------------------------------

    def _tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % 500 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def _aware(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is not None:
            return self._make_aware(when)
        aware = self.aware_seen.get(when)  # an export repeats the same few thousand dates
        if aware is None:
            aware = self.aware_seen[when] = self._make_aware(when)
        return aware

    def _make_aware(self, when: dt.datetime) -> dt.datetime:
        if timezone.is_aware(when):
            return when
        if when.time() == dt.time(0, 0):
            when = when.replace(hour=12)  # a date alone: midday, so no time zone moves the day
        return when.replace(tzinfo=self.tz)

    def _org_key(self, name: str) -> str:
        # organisation_key runs cleanco, slow enough to matter 30,000 times; names repeat.
        key = self.org_keys.get(name)
        if key is None:
            key = self.org_keys[name] = organisation_key(name)
        return key

    def _row_failed(self, line: int, reason: str) -> None:
        problem = RowProblem(line, reason)
        if not self.skip_bad_rows:
            raise ImportFailed([problem])
        self.result.skipped.append(problem)

    # -- the run ------------------------------------------------------------------

    def run(self) -> ImportResult:
        if self.parsed.people or self.parsed.entries:
            self._load_people()
        if self.parsed.people:
            self._import_people()
        if self.parsed.entries or self.connected:
            self._import_entries()
        if self.parsed.postings:
            self._import_postings()
        return self.result

    def _load_people(self) -> None:
        owner = self.owner
        self.snaps: dict[int, Snap] = {}
        self.by_url: dict[str, Snap] = {}
        self.by_email: dict[str, list[Snap]] = {}
        self.by_name_org: dict[tuple[str, int], Snap] = {}
        self.by_name: dict[str, list[Snap]] = {}
        rows = Person.objects.filter(owner=owner).values_list(
            "id",
            "given_name",
            "family_name",
            "full_name",
            "linkedin_url",
            "organisation_id",
            "job_title",
            "notes",
        )
        for pk, given, family, full, url, org_id, title, notes in rows.iterator(chunk_size=5000):
            snap = Snap(pk, name_key(given, family, full), url, org_id, title, notes)
            self.snaps[pk] = snap
        for pk, address in PersonEmail.objects.filter(person__owner=owner).values_list(
            "person_id", "address"
        ):
            self.snaps[pk].emails.append(address)
        for pk, number in PersonPhone.objects.filter(person__owner=owner).values_list(
            "person_id", "number"
        ):
            self.snaps[pk].phones.append(number)
        through = Person.tags.through
        for pk, name in through.objects.filter(person__owner=owner).values_list(
            "person_id", "tag__name"
        ):
            self.snaps[pk].tags.append(name)
        for snap in self.snaps.values():
            self._index(snap, first_time=True)
        self.entry_keys = set(
            Entry.objects.filter(owner=owner)
            .exclude(external_key="")
            .values_list("source", "external_key")
        )

    def _index(self, snap: Snap, *, first_time: bool = False) -> None:
        """Make ``snap`` findable; ``first_time``: it is in no bucket yet and its
        e-mails are distinct, so the membership checks (long lists for a common
        name) are skipped."""
        if snap.url:
            self.by_url.setdefault(snap.url, snap)
        for address in snap.emails:
            bucket = self.by_email.setdefault(address, [])
            if first_time or snap not in bucket:
                bucket.append(snap)
        self.by_name_org.setdefault((snap.nkey, snap.org_id or 0), snap)
        bucket = self.by_name.setdefault(snap.nkey, [])
        if first_time or snap not in bucket:
            bucket.append(snap)

    def _match(self, nkey: str, url: str, emails: list[str], org_id: int) -> Snap | None:
        if url and url in self.by_url:
            return self.by_url[url]
        for address in emails:
            for snap in self.by_email.get(address, ()):
                if url and snap.url and snap.url != url:
                    continue
                if names_compatible(nkey, snap.nkey):
                    return snap
        found = self.by_name_org.get((nkey, org_id))
        if found is not None and url and found.url and found.url != url:
            return None
        return found

    # -- people -------------------------------------------------------------------

    def _organisations(self, names: Iterable[str]) -> dict[str, OrgRef]:
        """``organisations_get_or_create_many`` for an import: the same reads, the
        missing organisations written with ``fast_insert`` (3,000 of them through the
        ORM cost more than the people's names, URLs and e-mails together)."""
        wanted: dict[str, str] = {}
        for raw in dict.fromkeys(names):  # organisation_key once per distinct name
            name = clean_text(raw)
            key = self._org_key(name)
            if key:
                wanted.setdefault(key, name[:200])
        if not wanted:
            return {}
        found: dict[str, OrgRef] = dict(organisations_by_key(self.owner, wanted))
        missing = [
            NewRow(owner_id=self.owner_id, name=name, key=key)
            for key, name in wanted.items()
            if key not in found
        ]
        fast_insert(Organisation, missing)
        found.update((row.key, row) for row in missing)
        return found

    def _import_people(self) -> None:
        rows = self.parsed.people
        self.orgs = self._organisations(r.organisation for r in rows if r.organisation)
        new_snaps: list[Snap] = []
        for row in rows:
            self._tick()
            parts = quick_name(row) or parse_name(
                row.full_name, given=row.given_name, family=row.family_name, middle=row.middle_name
            )
            if not parts.full_name:
                self._row_failed(row.line, "The row has no name.")
                continue
            org = self.orgs.get(self._org_key(row.organisation)) if row.organisation else None
            org_id = org.id if org else 0
            nkey = name_key(parts.given_name, parts.family_name, parts.full_name)
            phones = []
            for raw in row.phones:
                number = normalise_phone(raw, self.region)[:40]
                if number and number not in phones:
                    phones.append(number)
            snap = self._match(nkey, row.linkedin_url, row.emails, org_id)
            detail = (  # shown for the first few rows only
                " · ".join(p for p in (row.job_title, org.name if org else "") if p)
                if len(self.result.samples) < 10
                else ""
            )
            if snap is None:
                snap = self._new_person(row, parts, org, nkey, phones)
                new_snaps.append(snap)
                self.result.count("new", parts.full_name, detail)
            elif snap.new is not None:
                changed = self._merge_into_new(snap, row, org, phones)
                self.result.count("updated" if changed else "unchanged", parts.full_name, detail)
            else:
                action = self._update_existing(snap, row, org, phones)
                if action is None:
                    continue
                self.result.count(action, parts.full_name, detail)
            if row.connected_on is not None:
                self.connected.append((snap, self._aware(row.connected_on)))
        self._create_people(new_snaps)

    def _new_person(
        self,
        row: PersonRow,
        parts: NameParts,
        org: OrgRef | None,
        nkey: str,
        phones: list[str],
    ) -> Snap:
        full_name, suffix = parts.full_name, parts.suffix
        if row.suffix:
            suffix = ", ".join(s for s in (suffix, row.suffix) if s)
            full_name = f"{full_name}, {row.suffix}"
        org_id = org.id if org else None
        person = NewRow(
            owner_id=self.owner_id,
            full_name=full_name[:200],
            title_prefix=parts.title_prefix[:40],
            given_name=parts.given_name[:100],
            middle_name=parts.middle_name[:100],
            family_name=parts.family_name[:100],
            suffix=suffix[:60],
            nickname=(row.nickname or parts.nickname)[:100],
            contact_list=self.contact_list,
            organisation=org,
            organisation_id=org_id,
            job_title=row.job_title[:200],
            linkedin_url=row.linkedin_url,
            notes=row.notes,
        )
        snap = Snap(None, nkey, row.linkedin_url, org_id, person.job_title, row.notes)
        snap.emails = list(dict.fromkeys(row.emails))
        snap.phones = phones
        snap.tags = list(dict.fromkeys(t[:60] for t in row.tags))
        snap.new = person
        self._index(snap, first_time=True)
        return snap

    def _merge_into_new(
        self, snap: Snap, row: PersonRow, org: OrgRef | None, phones: list[str]
    ) -> bool:
        """The same person twice in one file: the second row adds what the first lacked."""
        person = snap.new
        assert person is not None
        before = (
            len(snap.emails),
            len(snap.phones),
            len(snap.tags),
            person.organisation_id,
            person.job_title,
            snap.url,
            person.notes,
        )
        snap.emails += [e for e in row.emails if e not in snap.emails]
        snap.phones += [p for p in phones if p not in snap.phones]
        snap.tags += [t for t in row.tags if t.lower() not in snap.tag_keys()]
        if org is not None and person.organisation is None:
            person.organisation, person.organisation_id = org, org.id
        if row.job_title and not person.job_title:
            person.job_title = row.job_title[:200]
        if row.linkedin_url and not snap.url:
            snap.url = person.linkedin_url = row.linkedin_url
        if row.notes and row.notes not in person.notes:
            person.notes = f"{person.notes}\n\n{row.notes}".strip()
        self._index(snap)
        after = (
            len(snap.emails),
            len(snap.phones),
            len(snap.tags),
            person.organisation_id,
            person.job_title,
            snap.url,
            person.notes,
        )
        return before != after

    def _update_existing(
        self, snap: Snap, row: PersonRow, org: OrgRef | None, phones: list[str]
    ) -> str | None:
        title = clean_text(row.job_title)[:200]
        org_changed = org is not None and org.id != snap.org_id
        title_changed = bool(title) and title != snap.title
        add_emails = [e for e in row.emails if e not in snap.emails]
        add_phones = [p for p in phones if p not in snap.phones]
        add_tags = [t for t in row.tags if t.lower() not in snap.tag_keys()]
        set_url = bool(row.linkedin_url) and not snap.url and row.linkedin_url not in self.by_url
        notes = row.notes.strip()
        add_notes = bool(notes) and notes not in snap.notes
        if not (
            org_changed
            or title_changed
            or add_emails
            or add_phones
            or add_tags
            or set_url
            or add_notes
        ):
            return "unchanged"
        assert snap.pk is not None
        person = Person.objects.select_related("organisation").get(pk=snap.pk)
        data = PersonData(
            contact_list=person.contact_list,
            organisation_name=org.name if org_changed and org is not None else None,
            job_title=title if title_changed else None,
            emails=[*snap.emails, *add_emails],
            phones=[*snap.phones, *add_phones],
            linkedin_url=row.linkedin_url if set_url else person.linkedin_url,
            tags=[*snap.tags, *add_tags] if add_tags else None,
            met_context=person.met_context,
            met_where=person.met_where,
            closeness=person.closeness,
            is_decision_maker=person.is_decision_maker,
            seniority=person.seniority,
            notes=f"{person.notes}\n\n{notes}".strip() if add_notes else person.notes,
        )
        try:
            with transaction.atomic():
                person_update(person, data, changed_on=self.today)
        except ValidationError as exc:
            self._row_failed(row.line, " ".join(exc.messages))
            return None
        snap.emails, snap.phones = list(data.emails), list(data.phones)
        if data.tags is not None:
            snap.tags = list(data.tags)
        snap.org_id, snap.title, snap.url, snap.notes = (
            person.organisation_id,
            person.job_title,
            person.linkedin_url,
            person.notes,
        )
        self._index(snap)
        return "updated"

    def _create_people(self, snaps: list[Snap]) -> None:
        if not snaps:
            return
        tags = self._tags({t for s in snaps for t in s.tags})
        org_ids = {
            s.new.organisation_id for s in snaps if s.new is not None and s.new.organisation_id
        }
        aliases: dict[int, list[str]] = {}
        for org_id, name in OrganisationAlias.objects.filter(
            organisation_id__in=org_ids
        ).values_list("organisation_id", "name"):
            aliases.setdefault(org_id, []).append(name)
        people = []
        for snap in snaps:
            person = snap.new
            assert person is not None
            org = person.organisation
            # The order of search_text_from_values: name, nickname, title,
            # organisation and its aliases, e-mails, tags.
            parts = [person.full_name, person.nickname, person.job_title]
            if org:
                parts.append(org.name)
                parts += aliases.get(org.id, ())
            person.search_text = search_text_from_parts(parts + snap.emails + snap.tags)
            people.append(person)
        fast_insert(Person, people)
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        tag_links: list[tuple[Any, ...]] = []
        for snap in snaps:
            person = snap.new
            assert person is not None
            snap.pk = person.pk
            if snap.emails:
                emails += [(person.pk, a, "", i) for i, a in enumerate(snap.emails)]
            if snap.phones:
                phones += [(person.pk, n, "", i) for i, n in enumerate(snap.phones)]
            if snap.tags:
                for tag_pk in dict.fromkeys(tags[name.lower()].pk for name in snap.tags):
                    tag_links.append((person.pk, tag_pk))
        insert_values(PersonEmail, ("person_id", "address", "label", "position"), emails)
        insert_values(PersonPhone, ("person_id", "number", "label", "position"), phones)
        insert_values(Person.tags.through, ("person_id", "tag_id"), tag_links)

    def _tags(self, names: set[str]) -> dict[str, Tag]:
        if not names:
            return {}
        have = {t.name.lower(): t for t in Tag.objects.filter(owner=self.owner)}
        missing: dict[str, Tag] = {}
        for name in names:
            if name.lower() not in have and name.lower() not in missing:
                missing[name.lower()] = Tag(owner=self.owner, name=name[:60])
        Tag.objects.bulk_create(missing.values())
        return have | missing

    # -- journal --------------------------------------------------------------------

    def _find(self, name: str, url: str) -> Snap | None:
        if url and url in self.by_url:
            return self.by_url[url]
        if name:
            parts = parse_name(name)
            candidates = self.by_name.get(
                name_key(parts.given_name, parts.family_name, parts.full_name), []
            )
            if len(candidates) == 1:
                return candidates[0]
        return None

    def _import_entries(self) -> None:
        entries: list[tuple[NewRow, list[Snap]]] = []
        for snap, when in self.connected:
            key = f"connected:{snap.url or snap.nkey}"
            if ("linkedin:connections", key) in self.entry_keys:
                continue
            self.entry_keys.add(("linkedin:connections", key))
            person = snap.new
            org_id = person.organisation_id if person is not None else snap.org_id
            entries.append(
                (
                    NewRow(
                        owner_id=self.owner_id,
                        kind=Kind.CONNECTED,
                        occurred_at=when,
                        organisation_id=org_id,
                        subject="Connected on LinkedIn",
                        source="linkedin:connections",
                        external_key=key[:200],
                    ),
                    [snap],
                )
            )
        for row in self.parsed.entries:
            self._tick()
            entry = self._entry(row)
            if entry is not None:
                entries.append(entry)
        if entries:
            fast_insert(Entry, [e for e, _ in entries])
            insert_values(
                Entry.people.through,
                ("entry_id", "person_id"),
                [
                    (entry.pk, snap.pk)
                    for entry, snaps in entries
                    for snap in dict.fromkeys(snaps)
                    if snap.pk
                ],
            )

    def _entry(self, row: EntryRow) -> tuple[NewRow, list[Snap]] | None:
        key = (row.source, row.external_key[:200])
        if key in self.entry_keys:
            self.result.count("unchanged", row.subject)
            return None
        self.entry_keys.add(key)
        snaps = [
            s for ref in row.people if (s := self._find(ref.name, ref.linkedin_url)) is not None
        ]
        org_id = snaps[0].org_id if len(snaps) == 1 else None
        self.result.count("new", row.subject, f"{row.occurred_at:%Y-%m-%d}")
        entry = NewRow(
            owner_id=self.owner.pk,
            kind=row.kind,
            occurred_at=self._aware(row.occurred_at),
            organisation_id=org_id,
            subject=row.subject[:300],
            notes=row.notes,
            source=row.source,
            external_key=row.external_key[:200],
        )
        return entry, snaps

    # -- postings -------------------------------------------------------------------

    _POSTING_FIELDS = (
        "title",
        "company_name",
        "description",
        "location",
        "url",
        "posted_at",
        "remote",
        "work_type",
    )

    def _import_postings(self) -> None:
        rows = self.parsed.postings
        orgs = organisations_get_or_create_many(
            self.owner, (r.company_name for r in rows if r.company_name), key_of=self._org_key
        )
        existing = {
            p.external_id: p
            for p in JobPosting.objects.filter(owner=self.owner, source=POSTINGS_SOURCE)
        }
        new: list[JobPosting] = []
        changed: list[JobPosting] = []
        for row in rows:
            self._tick()
            org = orgs.get(self._org_key(row.company_name)) if row.company_name else None
            values = {name: getattr(row, name) for name in self._POSTING_FIELDS}
            posting = existing.get(row.external_id)
            if posting is None:
                posting = JobPosting(
                    owner=self.owner,
                    source=POSTINGS_SOURCE,
                    external_id=row.external_id,
                    organisation=org,
                    **values,
                )
                existing[row.external_id] = posting
                new.append(posting)
                self.result.count("new", row.label, row.location)
                continue
            differs = [name for name, value in values.items() if getattr(posting, name) != value]
            if org is not None and posting.organisation_id != org.pk:
                differs.append("organisation")
                posting.organisation = org
            if not differs:
                self.result.count("unchanged", row.label, row.location)
                continue
            for name in differs:
                if name != "organisation":
                    setattr(posting, name, values[name])
            if posting.pk and posting not in changed:
                changed.append(posting)
            self.result.count("updated", row.label, row.location)
        JobPosting.objects.bulk_create(new, batch_size=1000)
        if changed:
            JobPosting.objects.bulk_update(
                changed, [*self._POSTING_FIELDS, "organisation", "updated_at"], batch_size=500
            )


def import_parsed(
    owner: User,
    parsed: ParsedFile,
    *,
    contact_list: str = ContactList.B,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``parsed`` for ``owner`` in one transaction; a dry run rolls it back."""
    contact_list = (contact_list or ContactList.B).upper()
    if contact_list not in ContactList.values:
        raise BadFile("The list must be A (personal), B (professional) or C (target) — R2.")
    if parsed.errors and not skip_bad_rows:
        raise ImportFailed(parsed.errors)
    if not parsed.row_count and not parsed.skipped and not parsed.errors:
        raise BadFile("The file has a header but no rows: there is nothing to import.")
    with cyclic_gc_paused(), sqlite_cache_enlarged(), transaction.atomic():
        importer = Importer(
            owner, parsed, contact_list=contact_list, skip_bad_rows=skip_bad_rows, progress=progress
        )
        result = importer.run()
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result
