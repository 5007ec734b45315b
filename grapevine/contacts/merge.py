"""Two records of one person become one; probable duplicates across sources.

``person_merge`` moves everything that points at the dropped person to the kept one,
discovering the relations from ``Person._meta`` so that later apps' models (meetings,
drafts, …) are covered without changes here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from rapidfuzz import fuzz

from grapevine.accounts.models import User
from grapevine.contacts.models import Person
from grapevine.contacts.services import person_refresh_search_text

# Text fields of the kept person that take the dropped person's value when empty.
_FILL = (
    "title_prefix", "given_name", "middle_name", "family_name", "suffix", "nickname",
    "job_title", "linkedin_url", "met_context", "met_where", "seniority",
)  # fmt: skip


def _move_rows(queryset: models.QuerySet, **changes: object) -> None:
    """Repoint rows one by one; a row that would break a unique rule (the same e-mail
    twice, the same referral pair, a self-referral) is a duplicate and is deleted."""
    for row in queryset:
        for name, value in changes.items():
            setattr(row, name, value)
        try:
            with transaction.atomic():
                row.save(update_fields=list(changes))
        except IntegrityError:
            type(row)._default_manager.filter(pk=row.pk).delete()


def person_merge(keep: Person, drop: Person) -> Person:
    """Fold ``drop`` into ``keep`` and delete ``drop``. Nothing that pointed at either is lost."""
    if keep.pk == drop.pk:
        raise ValidationError("Choose two different people to merge.")
    if keep.owner_id != drop.owner_id:
        raise ValidationError("Both people must be in your own contact book.")
    with transaction.atomic():
        for relation in Person._meta.related_objects:
            if relation.many_to_many:
                through = relation.through._meta  # type: ignore[attr-defined]
                # The column on the through table that points at Person.
                column = next(
                    f.name
                    for f in through.get_fields()
                    if isinstance(f, models.ForeignKey) and f.related_model is Person
                )
                rows = relation.through._default_manager.filter(**{column: drop})  # type: ignore[attr-defined]
                _move_rows(rows, **{column: keep})
            elif relation.one_to_many or relation.one_to_one:
                name = relation.field.name
                rows = relation.related_model._default_manager.filter(**{name: drop})
                one_only = relation.field.unique or relation.one_to_one
                if (
                    one_only
                    and relation.related_model._default_manager.filter(**{name: keep}).exists()
                ):
                    rows.delete()  # keep already has its one row of this kind
                    continue
                _move_rows(rows, **{name: keep})
        for m2m in Person._meta.many_to_many:  # Person.tags and any later one
            getattr(keep, m2m.name).add(*getattr(drop, m2m.name).all())
        for name in _FILL:
            if not getattr(keep, name) and getattr(drop, name):
                setattr(keep, name, getattr(drop, name))
        if keep.organisation_id is None and drop.organisation_id is not None:
            keep.organisation_id = drop.organisation_id
        if drop.notes and drop.notes not in keep.notes:
            keep.notes = f"{keep.notes}\n\n{drop.notes}".strip()
        keep.is_decision_maker = keep.is_decision_maker or drop.is_decision_maker
        drop.delete()
        keep.save()
        keep.refresh_from_db()
        person_refresh_search_text(keep)
    return keep


# ---------------------------------------------------------------------------
# Probable duplicates
# ---------------------------------------------------------------------------


@dataclass
class DuplicatePair:
    first: Person
    second: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _name(person: Person) -> str:
    text = f"{person.given_name} {person.family_name}".strip() or person.full_name
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text).strip()


def probable_duplicates(owner: User, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of people who are probably one person, most likely first.

    Same e-mail or LinkedIn profile with similar names, or very similar names
    (rapidfuzz) at the same organisation or with nothing telling them apart.
    Names are only compared within a block (same first letters of given and family
    name) so that 30,000 people do not mean 450 million comparisons.
    """
    people = list(
        Person.objects.filter(owner=owner).select_related("organisation").prefetch_related("emails")
    )
    names = {p.pk: _name(p) for p in people}
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    def consider(a: Person, b: Person, reason: str, bonus: int) -> None:
        key = (min(a.pk, b.pk), max(a.pk, b.pk))
        similarity = int(fuzz.token_sort_ratio(names[a.pk], names[b.pk]))
        pair = pairs.get(key)
        if pair is None:
            first, second = (a, b) if a.pk < b.pk else (b, a)
            pair = pairs[key] = DuplicatePair(first, second, similarity)
        if reason not in pair.reasons:
            pair.reasons.append(reason)
            pair.score = min(100, max(pair.score, similarity) + bonus)

    by_email: dict[str, list[Person]] = defaultdict(list)
    by_url: dict[str, list[Person]] = defaultdict(list)
    blocks: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for email in person.emails.all():
            by_email[email.address].append(person)
        if person.linkedin_url:
            by_url[person.linkedin_url].append(person)
        words = names[person.pk].split()
        if words:
            blocks[words[0][:1] + words[-1][:1]].append(person)
    for address, group in by_email.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if fuzz.token_sort_ratio(names[a.pk], names[b.pk]) >= 60:
                    consider(a, b, f"same e-mail {address}", 20)
    for group in by_url.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                consider(a, b, "same LinkedIn profile", 30)
    for group in blocks.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                similarity = fuzz.token_sort_ratio(names[a.pk], names[b.pk])
                if similarity < 90:
                    continue
                same_org = a.organisation_id is not None and a.organisation_id == b.organisation_id
                if same_org:
                    consider(a, b, f"similar names at {a.organisation}", 10)
                elif a.organisation_id is None or b.organisation_id is None or similarity == 100:
                    consider(a, b, "similar names", 0)
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.first.full_name))
    return ranked[:limit]
