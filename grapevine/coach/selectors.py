"""Reads of the coach's own rows, always scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from grapevine.accounts.models import User
from grapevine.coach.models import CoachSettings, Dismissal, Snooze, Todo


def settings_for(user: User) -> CoachSettings:
    """The user's coach settings; an unsaved row with the defaults when they never changed any."""
    found = CoachSettings.objects.filter(user=user).first()
    return found if found is not None else CoachSettings(user=user)


def settings_for_calendar_token(token: str) -> CoachSettings:
    """The settings (and so the user) a calendar feed token belongs to; 404 when revoked."""
    if not token or len(token) > 64:
        raise Http404("No such calendar.")
    found = CoachSettings.objects.filter(calendar_token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    return found


def hidden_action_keys(owner: User, today: dt.date) -> tuple[set[str], dict[str, dt.date]]:
    """Keys the user dismissed, and keys snoozed until a later day (with that day)."""
    dismissed = set(Dismissal.objects.filter(owner=owner).values_list("action_key", flat=True))
    snoozed = dict(
        Snooze.objects.filter(owner=owner, until__gt=today).values_list("action_key", "until")
    )
    return dismissed, snoozed


def todo_list(owner: User, *, open_only: bool = True) -> QuerySet[Todo]:
    todos = Todo.objects.filter(owner=owner).select_related("person")
    if open_only:
        todos = todos.filter(done_at__isnull=True)
    return todos


def todo_get(owner: User, public_id: str | uuid.UUID) -> Todo:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such to-do.") from None
    todo = Todo.objects.filter(owner=owner, public_id=pid).select_related("person").first()
    if todo is None:
        raise Http404("No such to-do.")
    return todo


def dismissal_list(owner: User) -> QuerySet[Dismissal]:
    return Dismissal.objects.filter(owner=owner).order_by("-created_at")


def digest_candidates() -> QuerySet[CoachSettings]:
    """Users who opted in to the digest and were not sent one in the last day (the worker
    still claims each before sending: "today" depends on each user's time zone)."""
    utc_yesterday = timezone.now().date() - dt.timedelta(days=1)
    return (
        CoachSettings.objects.filter(digest_enabled=True, user__is_active=True)
        .filter(
            Q(last_digest_on__isnull=True)
            | Q(last_digest_on__lte=utc_yesterday + dt.timedelta(days=1))
        )
        .select_related("user")
        .order_by("id")
    )


def _aware(value: Any) -> dt.datetime:
    """A timestamp from a raw query: SQLite gives text or a naive UTC datetime."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None, value
        value = parsed
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


KeepInTouchRow = tuple[uuid.UUID, str, str, dt.datetime, bool]


def journal_tables() -> tuple[str, str, str]:
    """The quoted names of the journal entry, entry-people link and person tables,
    for the raw SQL the agenda needs (names come from ``_meta``, never from input)."""
    from grapevine.contacts.models import Person
    from grapevine.journal.models import Entry

    quote = connection.ops.quote_name
    return (
        quote(Entry._meta.db_table),
        quote(Entry.people.through._meta.db_table),
        quote(Person._meta.db_table),
    )


def _busy_table(busy: set[uuid.UUID]) -> tuple[str, str, list[Any]]:
    """People who already have an action today, as a constant table the parts share:
    (WITH clause, condition on ``p``, parameters)."""
    # What UUIDField.get_db_prep_value gives, without its per-value checks (hundreds).
    native = connection.features.has_native_uuid_field
    params: list[Any] = [u if native else u.hex for u in busy]
    if not params:
        return "", "", []
    head = f"WITH busy (public_id) AS (VALUES {', '.join(['(%s)'] * len(params))})\n"
    return head, " AND p.public_id NOT IN (SELECT public_id FROM busy)", params


def _keep_in_touch_rows(rows: list[Any]) -> list[KeepInTouchRow]:
    return [
        (
            pid if isinstance(pid, uuid.UUID) else uuid.UUID(str(pid)),
            name,
            closeness,
            _aware(moment),
            bool(never),
        )
        for pid, name, closeness, moment, never in rows
    ]


def keep_in_touch_candidates(
    owner: User,
    now: dt.datetime,
    cutoffs: dict[str, dt.datetime],
    busy: set[uuid.UUID],
    *,
    per_tier: int,
) -> list[KeepInTouchRow]:
    """R14's candidates who have been in touch, exactly, in one query: for each closeness
    tier (``cutoffs``: tier → moment), the ``per_tier`` people of the owner whose last
    journal entry up to ``now`` is before the tier's moment, longest silence first.
    People in ``busy`` (public ids) are left out.
    Rows: (public id, full name, closeness, last entry, False).

    Nobody's last contact is aggregated over the 30,000 people: each tier walks the
    owner's journal from its oldest entry (the owner-time index) and keeps an entry only
    when no later entry names the same person (read by the person-entry index), so it
    stops at the ``per_tier``-th person whose last entry it is. That is exact — the people
    come out in the order of their last contact — and cheap while many people are overdue;
    it reads further when few are. The people never in touch are
    ``never_in_touch_candidates``. Raw SQL because the ORM cannot put a LIMIT on each part
    of a UNION on SQLite, nor compare a later entry's (time, id) pair with the outer one.
    """

    if not cutoffs:
        return []
    ops = connection.ops
    entry, link, person = journal_tables()
    head, not_busy, busy_params = _busy_table(busy)
    at_now = ops.adapt_datetimefield_value(now)
    parts: list[str] = []
    params: list[Any] = list(busy_params)
    for n, (closeness, cutoff) in enumerate(cutoffs.items()):
        parts.append(
            f"""SELECT * FROM (
  SELECT p.public_id AS public_id, p.full_name AS full_name, p.closeness AS closeness,
         e.occurred_at AS moment, 0 AS never
  -- The people of the owner's entries are the owner's: no owner condition on p, so that
  -- p is only ever read by primary key (with one, SQLite may scan all the owner's people
  -- for each entry).
  FROM {entry} e
  JOIN {link} ep ON ep.entry_id = e.id
  JOIN {person} p ON p.id = ep.person_id
  WHERE e.owner_id = %s AND e.occurred_at < %s AND p.closeness = %s{not_busy}
    AND NOT EXISTS (
      SELECT 1 FROM {link} later_link JOIN {entry} later ON later.id = later_link.entry_id
      WHERE later_link.person_id = p.id AND later.occurred_at <= %s
        AND (later.occurred_at > e.occurred_at
             OR (later.occurred_at = e.occurred_at AND later.id > e.id)))
  ORDER BY e.occurred_at
  LIMIT %s
) AS walk{n}"""  # noqa: S608 (names from _meta, values are parameters)
        )
        params += [
            owner.pk,
            ops.adapt_datetimefield_value(cutoff),
            closeness,
            at_now,
            per_tier,
        ]
    steer = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if steer:
            # PostgreSQL misjudges how far the walk goes before it finds 6 people and may
            # hash-join the whole link table and sort it (25 ms instead of 1-5 ms per tier
            # for a small owner): walk the index, for this statement only (the agenda runs
            # in a transaction on PostgreSQL; elsewhere SET LOCAL does nothing).
            cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_sort = off")
        cursor.execute(head + "\nUNION ALL\n".join(parts), params)
        rows = cursor.fetchall()
        if steer:
            cursor.execute("SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_sort TO DEFAULT")
    return _keep_in_touch_rows(rows)


def never_in_touch_candidates(
    owner: User,
    now: dt.datetime,
    added_before: dict[str, dt.datetime],
    busy: set[uuid.UUID],
    *,
    per_tier: int,
) -> list[KeepInTouchRow]:
    """R14's candidates never in touch, exactly, in one query: for each closeness tier
    (``added_before``: tier → moment), the ``per_tier`` people of the owner added before
    that moment with no journal entry up to ``now``, earliest added first. People in
    ``busy`` (public ids) are left out. Rows: (public id, full name, closeness, added at, True).

    Each tier reads the owner's people of that tier in the order they were added (the
    owner-closeness-added index), only those added before its moment, and probes the
    person-entry index for each; so it costs nothing when nobody was added that long ago,
    and the caller narrows the moments to what could still make the day's list.
    """

    if not added_before:
        return []
    ops = connection.ops
    entry, link, person = journal_tables()
    head, not_busy, busy_params = _busy_table(busy)
    at_now = ops.adapt_datetimefield_value(now)
    parts: list[str] = []
    params: list[Any] = list(busy_params)
    for n, (closeness, moment) in enumerate(added_before.items()):
        # Never in touch by now: no link to an entry up to now (a replayed day may see
        # links to later entries).
        parts.append(
            f"""SELECT * FROM (
  SELECT p.public_id AS public_id, p.full_name AS full_name, p.closeness AS closeness,
         p.created_at AS moment, 1 AS never
  FROM {person} p
  WHERE p.owner_id = %s AND p.closeness = %s AND p.created_at < %s{not_busy}
    AND NOT EXISTS (
      SELECT 1 FROM {link} bl JOIN {entry} be ON be.id = bl.entry_id
      WHERE bl.person_id = p.id AND be.occurred_at <= %s)
  ORDER BY p.created_at, p.id
  LIMIT %s
) AS never{n}"""  # noqa: S608 (names from _meta, values are parameters)
        )
        params += [owner.pk, closeness, ops.adapt_datetimefield_value(moment), at_now, per_tier]
    with connection.cursor() as cursor:
        cursor.execute(head + "\nUNION ALL\n".join(parts), params)
        rows = cursor.fetchall()
    return _keep_in_touch_rows(rows)
