"""The one writer of people: creates and changes many people in a few set-based statements.

``people_write`` is what the contacts services call for one person (``person_create``,
``person_update``) and what an import calls for thirty thousand: the same rules either
way — past employment kept when the employer or title changes, e-mails, phones and tags
as lists in order, ``search_text`` from ``search_text_from_parts``, ``updated_at`` fresh
on every person written. Callers validate, normalise and cut values to fit first (the
services through the model's validators, an import plan through its own checks, which
report what they cut).

Reads and writes are per statement, never per person: the people, their e-mails,
phones and tags are read with one query each (in chunks), and written with one
``executemany`` per table and kind of change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import (
    Organisation,
    OrganisationAlias,
    PastEmployment,
    Person,
    PersonEmail,
    PersonPhone,
    Tag,
)
from grapevine.core.bulk import (
    NewRow,
    chunks,
    delete_ids,
    fast_insert,
    insert_values,
    update_values,
)

# Person fields a write may set (attnames); the rest keep their value or default.
WRITABLE = (
    "full_name",
    "title_prefix",
    "given_name",
    "middle_name",
    "family_name",
    "suffix",
    "nickname",
    "contact_list",
    "organisation_id",
    "job_title",
    "linkedin_url",
    "met_context",
    "met_where",
    "closeness",
    "is_decision_maker",
    "seniority",
    "notes",
)
_WRITABLE = frozenset(WRITABLE)
_FIELDS = {f.attname: f for f in Person._meta.concrete_fields}
_LIMITS: dict[str, int] = {
    name: f.max_length  # type: ignore[misc]
    for name, f in _FIELDS.items()
    if name in WRITABLE and getattr(f, "max_length", None)
}


@dataclass(slots=True, eq=False)
class PersonWrite:
    """One person to create (``pk`` None) or change.

    ``values`` holds the fields to set (names from ``WRITABLE``). ``emails`` and
    ``phones`` are the person's whole lists after the write, in order, as
    ``(value, label)``; a label of None keeps the label the value already has. None
    for a list (or for ``tags``) leaves it as it is.
    """

    values: dict[str, Any]
    pk: int | None = None
    emails: list[tuple[str, str | None]] | None = None
    phones: list[tuple[str, str | None]] | None = None
    tags: list[str] | None = None
    search_text: str = ""  # set by people_write


def people_write(
    owner: User, writes: Sequence[PersonWrite], *, changed_on: dt.date | None = None
) -> None:
    """Create and change ``owner``'s people; sets ``pk`` and ``search_text`` on each write.

    Run it inside the caller's transaction (``transaction.atomic``): it writes several
    tables and must be all or nothing.
    """
    if not writes:
        return
    for write in writes:
        assert write.values.keys() <= _WRITABLE, write.values.keys() - _WRITABLE
    creates = [w for w in writes if w.pk is None]
    changes = [w for w in writes if w.pk is not None]
    change_ids = [w.pk for w in changes if w.pk is not None]
    # Every read first, in one query per table: the state the writes start from.
    current = _current_people(owner, change_ids)
    for pk in change_ids:
        if pk not in current:
            raise Person.DoesNotExist(f"No person {pk} in this contact book.")
    emails_now = _children(PersonEmail, "address", change_ids)
    phones_now = _children(PersonPhone, "number", change_ids)
    tags_now = _tag_links(change_ids)
    tags = _tags_by_name(owner, {t for w in writes if w.tags for t in w.tags})
    _search_text(owner, creates, changes, current, emails_now, tags_now, tags)

    _past_employment(changes, current, changed_on or timezone.localdate())
    _update_people(changes, current, timezone.now())
    _create_people(owner, creates)
    _write_children(PersonEmail, "address", writes, "emails", emails_now)
    _write_children(PersonPhone, "number", writes, "phones", phones_now)
    _write_tags(writes, tags, tags_now)


# -- reads --------------------------------------------------------------------------


def _current_people(owner: User, pks: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(pks):
        for row in Person.objects.filter(owner=owner, pk__in=list(part)).values(
            "id",
            "full_name",
            "nickname",
            "job_title",
            "organisation_id",
            "search_text",
        ):
            found[row["id"]] = dict(row)
    return found


def _children(
    model: type[PersonEmail] | type[PersonPhone], column: str, pks: list[int]
) -> dict[int, list[tuple[int, str, str, int]]]:
    """person id → [(row id, value, label, position)] in their order."""
    found: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    for part in chunks(pks):
        rows = (
            model.objects.filter(person_id__in=list(part))
            .order_by("person_id", "position", "id")
            .values_list("person_id", "id", column, "label", "position")
        )
        for person_id, pk, value, label, position in rows:
            found[person_id].append((pk, value, label, position))
    return found


def _tag_links(pks: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """person id → [(link row id, tag id, tag name)]."""
    through = Person.tags.through
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for part in chunks(pks):
        rows = (
            through.objects.filter(person_id__in=list(part))
            .order_by("tag__name")
            .values_list("person_id", "id", "tag_id", "tag__name")
        )
        for person_id, pk, tag_id, name in rows:
            found[person_id].append((pk, tag_id, name))
    return found


def _tags_by_name(owner: User, names: set[str]) -> dict[str, Tag]:
    """Tags by lower-cased name, the missing ones created (the first spelling wins)."""
    if not names:
        return {}
    have = {t.name.lower(): t for t in Tag.objects.filter(owner=owner)}
    missing: dict[str, Tag] = {}
    for name in sorted(names):
        key = name.lower()
        if key not in have and key not in missing:
            missing[key] = Tag(owner=owner, name=name[:60])
    Tag.objects.bulk_create(missing.values())
    return have | missing


# -- writes -------------------------------------------------------------------------


def _past_employment(
    changes: list[PersonWrite], current: dict[int, dict[str, Any]], until: dt.date
) -> None:
    """A new employer or title keeps the old one as past employment."""
    affected = []
    for write in changes:
        assert write.pk is not None
        row = current[write.pk]
        org_id = write.values.get("organisation_id", row["organisation_id"])
        title = write.values.get("job_title", row["job_title"])
        if (org_id, title) != (row["organisation_id"], row["job_title"]) and (
            row["organisation_id"] or row["job_title"]
        ):
            affected.append(row)
    if not affected:
        return
    names = dict(
        Organisation.objects.filter(
            pk__in={r["organisation_id"] for r in affected if r["organisation_id"]}
        ).values_list("pk", "name")
    )
    PastEmployment.objects.bulk_create(
        PastEmployment(
            person_id=row["id"],
            organisation_id=row["organisation_id"],
            organisation_name=names.get(row["organisation_id"], ""),
            job_title=row["job_title"],
            until=until,
        )
        for row in affected
    )


def _update_people(
    changes: list[PersonWrite], current: dict[int, dict[str, Any]], now: dt.datetime
) -> None:
    """One executemany per set of changed columns; updated_at fresh on every person."""
    stamp = _FIELDS["updated_at"].get_db_prep_save(now, connection)
    groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for write in changes:
        values = dict(write.values)
        for name, value in values.items():
            limit = _LIMITS.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
        if write.search_text != current[write.pk]["search_text"]:  # type: ignore[index]
            values["search_text"] = write.search_text
        columns = tuple(sorted(values))
        row = [_FIELDS[c].get_db_prep_save(values[c], connection) for c in columns]
        groups[columns].append([*row, stamp, write.pk])
    for columns, rows in groups.items():
        update_values(Person, [str(_FIELDS[c].column) for c in columns] + ["updated_at"], rows)


def _create_people(owner: User, creates: list[PersonWrite]) -> None:
    if not creates:
        return
    rows = [NewRow(owner_id=owner.pk, search_text=w.search_text, **w.values) for w in creates]
    fast_insert(Person, rows)
    for write, row in zip(creates, rows, strict=True):
        write.pk = row.pk


def _write_children(
    model: type[PersonEmail] | type[PersonPhone],
    column: str,
    writes: Sequence[PersonWrite],
    attr: str,
    now: dict[int, list[tuple[int, str, str, int]]],
) -> None:
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    deletes: list[int] = []
    limit = getattr(model._meta.get_field(column), "max_length", None) or 254
    for write in writes:
        wanted = getattr(write, attr)
        if not wanted and write.pk not in now:
            continue
        if wanted is None:
            continue
        assert write.pk is not None
        if write.pk not in now:  # a new person, or one who had none: all inserted
            seen_new: set[str] = set()
            for value, label in wanted:
                value = value[:limit]
                if value and value not in seen_new:
                    inserts.append((write.pk, value, (label or "")[:40], len(seen_new)))
                    seen_new.add(value)
            continue
        have = {
            value: (pk, label, position) for pk, value, label, position in now.get(write.pk, ())
        }
        seen: set[str] = set()
        position = 0
        for value, label in wanted:
            value = value[:limit]
            if not value or value in seen:
                continue
            seen.add(value)
            old = have.get(value)
            if old is None:
                inserts.append((write.pk, value, (label or "")[:40], position))
            else:
                pk, old_label, old_position = old
                new_label = old_label if label is None else label[:40]
                if (new_label, position) != (old_label, old_position):
                    updates.append((new_label, position, pk))
            position += 1
        deletes += [pk for value, (pk, _l, _p) in have.items() if value not in seen]
    delete_ids(model, deletes)
    update_values(model, ["label", "position"], updates)
    insert_values(model, ("person_id", column, "label", "position"), inserts)


def _write_tags(
    writes: Sequence[PersonWrite],
    tags: dict[str, Tag],
    now: dict[int, list[tuple[int, int, str]]],
) -> None:
    through = Person.tags.through
    inserts: list[tuple[int, int]] = []
    deletes: list[int] = []
    for write in writes:
        if write.tags is None:
            continue
        wanted = list(dict.fromkeys(tags[name.lower()].pk for name in write.tags if name))
        have = {tag_id: pk for pk, tag_id, _name in now.get(write.pk, ())}  # type: ignore[arg-type]
        inserts += [(write.pk, tag_id) for tag_id in wanted if tag_id not in have]  # type: ignore[misc]
        deletes += [pk for tag_id, pk in have.items() if tag_id not in wanted]
    delete_ids(through, deletes)
    insert_values(through, ("person_id", "tag_id"), inserts)


def _search_text(
    owner: User,
    creates: list[PersonWrite],
    changes: list[PersonWrite],
    current: dict[int, dict[str, Any]],
    emails_now: dict[int, list[tuple[int, str, str, int]]],
    tags_now: dict[int, list[tuple[int, int, str]]],
    tags: dict[str, Tag],
) -> None:
    """``search_text`` of every person written, from the values after the write: name,
    nickname, title, organisation and its aliases, e-mails in order, tags by name."""
    from grapevine.contacts.services import search_text_from_parts  # services import this module

    finals: list[tuple[PersonWrite, dict[str, Any]]] = [
        (w, {**current[w.pk], **w.values})  # type: ignore[index]
        for w in changes
    ]
    finals += [(w, w.values) for w in creates]
    org_names = _organisation_names(
        owner, {f["organisation_id"] for _w, f in finals if f.get("organisation_id")}
    )
    # Tags in the database's order of their names, as ``person_search_text`` reads them
    # (the collation decides "alpha" against "Beta"): one query for the tags involved.
    tag_ids = {t.pk for t in tags.values()} | {
        tag_id for links in tags_now.values() for _pk, tag_id, _name in links
    }
    rank = (
        {
            pk: i
            for i, pk in enumerate(
                Tag.objects.filter(owner=owner, pk__in=tag_ids)
                .order_by("name")
                .values_list("pk", flat=True)
            )
        }
        if tag_ids
        else {}
    )
    for write, final in finals:
        parts = [final.get("full_name", ""), final.get("nickname", ""), final.get("job_title", "")]
        org_id = final.get("organisation_id")
        if org_id:
            parts += org_names.get(org_id, ())
        if write.emails is not None:
            parts += [value for value, _label in write.emails]
        elif write.pk is not None:
            parts += [value for _pk, value, _l, _p in emails_now.get(write.pk, ())]
        if write.tags is not None:
            chosen = {tags[n.lower()] for n in write.tags if n}
            parts += [t.name for t in sorted(chosen, key=lambda t: rank.get(t.pk, 0))]
        elif write.pk is not None:
            links = sorted(tags_now.get(write.pk, ()), key=lambda link: rank.get(link[1], 0))
            parts += [name for _pk, _t, name in links]
        write.search_text = search_text_from_parts(parts)


def _organisation_names(owner: User, org_ids: Iterable[int]) -> dict[int, list[str]]:
    """Organisation id → [its name, then its aliases] (the order of search_text)."""
    names: dict[int, list[str]] = {}
    ids = sorted(org_ids)
    for part in chunks(ids):
        for pk, name in Organisation.objects.filter(owner=owner, pk__in=list(part)).values_list(
            "pk", "name"
        ):
            names[pk] = [name]
    for part in chunks(ids):
        for org_id, name in (
            OrganisationAlias.objects.filter(owner=owner, organisation_id__in=list(part))
            .order_by("name")
            .values_list("organisation_id", "name")
        ):
            names.setdefault(org_id, []).append(name)
    return names


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

ORGANISATION_WRITABLE = ("name", "website", "domain", "email", "phone", "notes")


@dataclass(slots=True, eq=False)
class OrganisationWrite:
    """One organisation to create (``pk`` None, ``key`` its matching key) or fill in."""

    values: dict[str, Any]
    key: str = ""
    pk: int | None = None


def organisations_write(owner: User, writes: Sequence[OrganisationWrite]) -> None:
    """Create and change ``owner``'s organisations; sets ``pk`` on each created one.

    The caller has matched them by key (names and aliases) already: a key that exists
    is a change, never a second organisation."""
    org_fields = {f.attname: f for f in Organisation._meta.concrete_fields}
    for write in writes:
        for name, value in write.values.items():
            assert name in ORGANISATION_WRITABLE, name
            limit = getattr(org_fields[name], "max_length", None)
            if limit and isinstance(value, str) and len(value) > limit:
                write.values[name] = value[:limit]
    creates = [w for w in writes if w.pk is None]
    rows = [NewRow(owner_id=owner.pk, key=w.key[:200], **w.values) for w in creates]
    fast_insert(Organisation, rows)
    for write, row in zip(creates, rows, strict=True):
        write.pk = row.pk
    created = {id(w) for w in creates}
    stamp = org_fields["updated_at"].get_db_prep_save(timezone.now(), connection)
    groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for write in writes:
        if write.pk is None or id(write) in created or not write.values:
            continue
        columns = tuple(sorted(write.values))
        groups[columns].append([*(write.values[c] for c in columns), stamp, write.pk])
    for columns, group in groups.items():
        update_values(Organisation, [*columns, "updated_at"], group)
