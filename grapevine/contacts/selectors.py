"""Reads from the contact book, always scoped to one owner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList, Organisation, Person, Referral, Tag
from grapevine.contacts.normalise import clean_text, organisation_key


def _as_uuid(public_id: str | uuid.UUID) -> uuid.UUID:
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such record.") from None


def person_list(
    owner: User,
    *,
    contact_list: str | None = None,
    query: str | None = None,
    organisation: Organisation | None = None,
    tag: str | None = None,
) -> QuerySet[Person]:
    people = Person.objects.filter(owner=owner)
    if contact_list:
        people = people.filter(contact_list=contact_list.upper())
    if organisation is not None:
        people = people.filter(organisation=organisation)
    if tag:
        people = people.filter(tags__owner=owner, tags__name__iexact=tag)
    for word in clean_text(query or "").lower().split():
        people = people.filter(search_text__contains=word)
    return people.select_related("organisation").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")), "emails"
    )


def person_get(owner: User, public_id: str | uuid.UUID) -> Person:
    person = (
        Person.objects.filter(owner=owner, public_id=_as_uuid(public_id))
        .select_related("organisation")
        .prefetch_related("emails", "phones", "tags", "past_employment")
        .first()
    )
    if person is None:
        raise Http404("No such person in your contact book.")
    return person


def person_find_by_name(owner: User, name: str) -> list[Person]:
    """People whose full name is ``name`` (case-insensitive); the CLI uses this."""
    name = clean_text(name)
    return list(
        Person.objects.filter(owner=owner, full_name__iexact=name).select_related("organisation")
    )


def person_counts_by_list(owner: User) -> dict[str, int]:
    counts = {value: 0 for value in ContactList.values}
    rows = Person.objects.filter(owner=owner).values("contact_list").annotate(n=Count("id"))
    for row in rows:
        counts[row["contact_list"]] = row["n"]
    return counts


def person_referrer_edges(person: Person) -> QuerySet[Referral]:
    """Who referred you to this person."""
    return Referral.objects.filter(owner=person.owner, referred=person).select_related(
        "referrer", "referrer__organisation"
    )


def person_referred_edges(person: Person) -> QuerySet[Referral]:
    """Whom this person referred you to."""
    return Referral.objects.filter(owner=person.owner, referrer=person).select_related(
        "referred", "referred__organisation"
    )


def person_referral_chain(person: Person, limit: int = 50) -> list[Person]:
    """The chain of referrers back to the first contact, first contact first.

    Follows the earliest referral at each step; stops on a cycle.
    """
    chain = [person]
    seen = {person.pk}
    current = person
    for _ in range(limit):
        edge = (
            Referral.objects.filter(owner=person.owner, referred=current)
            .select_related("referrer")
            .order_by("referred_on", "id")
            .first()
        )
        if edge is None or edge.referrer.pk in seen:
            break
        current = edge.referrer
        seen.add(current.pk)
        chain.append(current)
    return list(reversed(chain))


def referral_get(owner: User, public_id: str | uuid.UUID) -> Referral:
    referral = (
        Referral.objects.filter(owner=owner, public_id=_as_uuid(public_id))
        .select_related("referrer", "referred")
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


def organisation_list(owner: User, *, query: str | None = None) -> QuerySet[Organisation]:
    orgs = Organisation.objects.filter(owner=owner)
    query = clean_text(query or "")
    if query:
        key = organisation_key(query) or query.lower()
        orgs = orgs.filter(
            Q(name__icontains=query) | Q(key__contains=key) | Q(aliases__key__contains=key)
        ).distinct()
    return orgs.annotate(people_count=Count("people", distinct=True)).prefetch_related("aliases")


def organisation_get(owner: User, public_id: str | uuid.UUID) -> Organisation:
    org = (
        Organisation.objects.filter(owner=owner, public_id=_as_uuid(public_id))
        .prefetch_related("aliases")
        .first()
    )
    if org is None:
        raise Http404("No such organisation in your contact book.")
    return org


def organisation_people(org: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(owner=org.owner, organisation=org).prefetch_related("emails")


def organisation_alumni(org: Organisation) -> QuerySet[Person]:
    """People who used to work there (kept when an employer changed)."""
    return Person.objects.filter(owner=org.owner, past_employment__organisation=org).distinct()


def tag_list(owner: User) -> QuerySet[Tag]:
    return Tag.objects.filter(owner=owner).annotate(people_count=Count("people"))


@dataclass(frozen=True)
class PersonChoice:
    public_id: str
    label: str


def person_choices(owner: User, query: str = "", limit: int = 20) -> list[PersonChoice]:
    """Small list for pickers (referrer, journal people)."""
    people = person_list(owner, query=query)[:limit]
    return [
        PersonChoice(
            str(p.public_id),
            f"{p.full_name} — {p.organisation.name}" if p.organisation else p.full_name,
        )
        for p in people
    ]


def referrers_by_person(owner: User) -> dict[int, list[Person]]:
    """Who referred you to whom, as ``{referred person's id: [referrers, earliest first]}``.

    One query for a whole list (the CLI's `contacts list --json`, exports) instead of
    one per person.
    """
    edges = (
        Referral.objects.filter(owner=owner)
        .select_related("referrer")
        .order_by("referred_on", "id")
    )
    found: dict[int, list[Person]] = {}
    for edge in edges:
        found.setdefault(edge.referred_id, []).append(edge.referrer)
    return found


def person_list_by_public_ids(owner: User, public_ids: list[str]) -> list[Person]:
    """The owner's people among ``public_ids``, in the order given; unknown ids are skipped
    (a form reports them), so another owner's id never finds anything."""
    wanted: list[uuid.UUID] = []
    for raw in public_ids:
        try:
            wanted.append(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)))
        except ValueError:
            continue
    found = {
        p.public_id: p
        for p in Person.objects.filter(owner=owner, public_id__in=wanted).select_related(
            "organisation"
        )
    }
    return [found[pid] for pid in dict.fromkeys(wanted) if pid in found]


def organisation_names(owner: User, limit: int = 500) -> list[str]:
    """Names for the organisation field's suggestions (an HTML datalist)."""
    return list(Organisation.objects.filter(owner=owner).values_list("name", flat=True)[:limit])
