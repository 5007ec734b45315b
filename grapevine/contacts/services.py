"""Writes to the contact book. Every function takes the owner explicitly or works on
a row that already belongs to one; nothing here reads across owners."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.bulk import WRITABLE, PersonWrite, people_write
from grapevine.contacts.models import (
    Closeness,
    ContactList,
    Organisation,
    OrganisationAlias,
    Person,
    PersonEmail,
    Referral,
    Seniority,
)
from grapevine.contacts.normalise import (
    canonical_linkedin_url,
    clean_text,
    domain_from_website,
    normalise_email,
    normalise_phone,
    organisation_key,
    parse_name,
)
from grapevine.core.text import is_web_url

# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


def organisation_find(owner: User, name: str) -> Organisation | None:
    """The organisation called ``name`` or known by it as an alias, compared by key."""
    key = organisation_key(name)
    if not key:
        return None
    org = Organisation.objects.filter(owner=owner, key=key).first()
    if org is None:
        alias = (
            OrganisationAlias.objects.filter(owner=owner, key=key)
            .select_related("organisation")
            .first()
        )
        org = alias.organisation if alias else None
    return org


def organisation_get_or_create(owner: User, name: str) -> Organisation | None:
    name = clean_text(name)
    if not name:
        return None
    found = organisation_find(owner, name)
    if found is not None:
        return found
    return Organisation.objects.create(owner=owner, name=name[:200], key=organisation_key(name))


def organisations_get_or_create_many(
    owner: User, names: Iterable[str], *, key_of: Callable[[str], str] = organisation_key
) -> dict[str, Organisation]:
    """Organisations for many names at once, by key (name or alias), creating the missing ones.

    The bulk form of ``organisation_get_or_create`` for imports: two reads and one insert
    whatever the number of names. Returns ``{organisation_key: Organisation}``.
    ``key_of`` lets a caller pass a cached ``organisation_key``.
    """
    wanted: dict[str, str] = {}
    for raw in dict.fromkeys(names):  # organisation_key is slow: once per distinct name
        name = clean_text(raw)
        key = key_of(name)
        if key:
            wanted.setdefault(key, name[:200])
    if not wanted:
        return {}
    found: dict[str, Organisation] = {
        org.key: org for org in Organisation.objects.filter(owner=owner, key__in=list(wanted))
    }
    for alias in OrganisationAlias.objects.filter(owner=owner, key__in=list(wanted)).select_related(
        "organisation"
    ):
        found.setdefault(alias.key, alias.organisation)
    missing = [
        Organisation(owner=owner, name=name, key=key)
        for key, name in wanted.items()
        if key not in found
    ]
    if missing:
        Organisation.objects.bulk_create(missing)
        found.update({org.key: org for org in missing})
    return found


def organisations_by_key(owner: User, keys: Iterable[str]) -> dict[str, Organisation]:
    """The owner's organisations whose key, or one of whose aliases' keys, is in ``keys``.

    The read half of ``organisations_get_or_create_many``, for a bulk import that
    creates the missing ones itself. Returns ``{key: Organisation}``.
    """
    keys = list(keys)
    found: dict[str, Organisation] = {
        org.key: org for org in Organisation.objects.filter(owner=owner, key__in=keys)
    }
    for alias in OrganisationAlias.objects.filter(owner=owner, key__in=keys).select_related(
        "organisation"
    ):
        found.setdefault(alias.key, alias.organisation)
    return found


def organisation_create(
    owner: User,
    *,
    name: str,
    website: str = "",
    notes: str = "",
    aliases: Iterable[str] = (),
    email: str = "",
    phone: str = "",
) -> Organisation:
    name = clean_text(name)
    if website and not is_web_url(website):
        raise ValidationError({"website": "Only a web address (http or https) can be a website."})
    key = organisation_key(name)
    if not key:
        raise ValidationError({"name": "Give the organisation a name."})
    existing = organisation_find(owner, name)
    if existing is not None:
        raise ValidationError(
            {"name": f"“{existing.name}” is already in your contact book under this name."}
        )
    with transaction.atomic():
        org = Organisation.objects.create(
            owner=owner,
            name=name,
            key=key,
            website=website,
            domain=domain_from_website(website),
            email=normalise_email(email),
            phone=normalise_phone(phone, owner.country)[:40] if phone else "",
            notes=notes,
        )
        organisation_set_aliases(org, aliases)
    return org


def organisation_update(
    org: Organisation, *, aliases: Iterable[str] | None = None, **fields: Any
) -> Organisation:
    with transaction.atomic():
        if "name" in fields:
            name = clean_text(fields["name"])
            key = organisation_key(name)
            if not key:
                raise ValidationError({"name": "Give the organisation a name."})
            clash = organisation_find(org.owner, name)
            if clash is not None and clash.pk != org.pk:
                raise ValidationError({"name": f"“{clash.name}” already goes by this name."})
            org.name, org.key = name, key
        if fields.get("website") and not is_web_url(fields["website"]):
            raise ValidationError(
                {"website": "Only a web address (http or https) can be a website."}
            )
        for attr in ("website", "notes"):
            if attr in fields:
                setattr(org, attr, fields[attr])
        if "email" in fields:
            org.email = normalise_email(fields["email"])
        if "phone" in fields:
            org.phone = (
                normalise_phone(fields["phone"], org.owner.country)[:40] if fields["phone"] else ""
            )
        org.domain = domain_from_website(org.website)
        org.save()
        if aliases is not None:
            organisation_set_aliases(org, aliases)
        people_refresh_search_text(org.people.all())
    return org


def organisation_set_aliases(org: Organisation, aliases: Iterable[str]) -> None:
    wanted: dict[str, str] = {}
    for alias in aliases:
        name = clean_text(alias)
        key = organisation_key(name)
        if key and key != org.key:
            wanted.setdefault(key, name)
    for key, name in wanted.items():
        clash = Organisation.objects.filter(owner=org.owner, key=key).exclude(pk=org.pk).first()
        if clash is not None:
            raise ValidationError(
                {"aliases": f"“{name}” is the name of another organisation, {clash.name}."}
            )
        other = (
            OrganisationAlias.objects.filter(owner=org.owner, key=key)
            .exclude(organisation=org)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {"aliases": f"“{name}” is already an alias of {other.organisation.name}."}
            )
    org.aliases.exclude(key__in=wanted).delete()
    have = set(org.aliases.values_list("key", flat=True))
    OrganisationAlias.objects.bulk_create(
        OrganisationAlias(owner=org.owner, organisation=org, name=name, key=key)
        for key, name in wanted.items()
        if key not in have
    )


def organisation_delete(org: Organisation) -> None:
    """People keep their record; they simply no longer have an organisation."""
    with transaction.atomic():
        people = list(org.people.all())
        org.delete()
        people_refresh_search_text(Person.objects.filter(pk__in=[p.pk for p in people]))


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


@dataclass
class PersonData:
    """What a form, the CLI or an import knows about a person."""

    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    contact_list: str = ContactList.B
    organisation_name: str | None = None
    job_title: str | None = None
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    linkedin_url: str = ""
    tags: Sequence[str] | None = None
    met_context: str = ""
    met_where: str = ""
    closeness: str = Closeness.REGULAR
    is_decision_maker: bool = False
    seniority: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _apply_name(person: Person, data: PersonData) -> None:
    parts = parse_name(
        data.full_name, given=data.given_name, family=data.family_name, middle=data.middle_name
    )
    if not parts.full_name:
        raise ValidationError({"full_name": "Give the person a name."})
    person.full_name = parts.full_name[:200]
    person.title_prefix = parts.title_prefix[:40]
    person.given_name = parts.given_name[:100]
    person.middle_name = parts.middle_name[:100]
    person.family_name = parts.family_name[:100]
    person.suffix = parts.suffix[:60]
    person.nickname = parts.nickname[:100]


def _validate_list(value: str) -> str:
    value = (value or "").strip().upper()
    if value not in ContactList.values:
        raise ValidationError(
            {"contact_list": "The list must be A (personal), B (professional) or C (target) — R2."}
        )
    return value


def person_create(owner: User, data: PersonData) -> Person:
    person = Person(owner=owner)
    _apply_name(person, data)
    person.contact_list = _validate_list(data.contact_list)
    person.job_title = clean_text(data.job_title or "")[:200]
    person.linkedin_url = canonical_linkedin_url(data.linkedin_url)
    if data.linkedin_url and not person.linkedin_url:
        raise ValidationError(
            {"linkedin_url": "That is not a LinkedIn profile address (linkedin.com/in/…)."}
        )
    person.met_context = data.met_context or ""
    person.met_where = clean_text(data.met_where)[:200]
    person.closeness = data.closeness or Closeness.REGULAR
    person.is_decision_maker = bool(data.is_decision_maker)
    person.seniority = data.seniority or ""
    person.notes = data.notes or ""
    emails = checked_emails(data.emails)
    phones = normalised_phones(owner, data.phones)
    with transaction.atomic():
        person.organisation = organisation_get_or_create(owner, data.organisation_name or "")
        person.full_clean(exclude=["owner", "organisation", "search_text"])
        write = PersonWrite(
            values=_written_values(person),
            emails=[(address, None) for address in emails],
            phones=[(number, None) for number in phones],
            tags=_tag_names(data.tags) if data.tags else None,
        )
        people_write(owner, [write])
    assert write.pk is not None
    return Person.objects.select_related("organisation").get(pk=write.pk)


_UPDATABLE = (
    "job_title",
    "met_context",
    "met_where",
    "closeness",
    "is_decision_maker",
    "seniority",
    "notes",
)


def person_update(person: Person, data: PersonData, *, changed_on: dt.date | None = None) -> Person:
    """Apply ``data`` to ``person``. A new employer or title keeps the old one as past employment."""
    emails = checked_emails(data.emails)
    phones = normalised_phones(person.owner, data.phones)
    with transaction.atomic():
        if data.full_name or data.given_name or data.family_name:
            _apply_name(person, data)
        person.contact_list = _validate_list(data.contact_list)
        if data.organisation_name is not None:
            person.organisation = organisation_get_or_create(person.owner, data.organisation_name)
        if data.job_title is not None:
            person.job_title = clean_text(data.job_title)[:200]
        for attr in _UPDATABLE:
            if attr == "job_title":
                continue
            setattr(person, attr, getattr(data, attr))
        if data.linkedin_url is not None:
            url = canonical_linkedin_url(data.linkedin_url)
            if data.linkedin_url and not url:
                raise ValidationError(
                    {"linkedin_url": "That is not a LinkedIn profile address (linkedin.com/in/…)."}
                )
            person.linkedin_url = url
        person.full_clean(exclude=["owner", "organisation", "search_text"])
        write = PersonWrite(
            pk=person.pk,
            values=_written_values(person),
            emails=[(address, None) for address in emails],
            phones=[(number, None) for number in phones],
            tags=_tag_names(data.tags) if data.tags is not None else None,
        )
        people_write(person.owner, [write], changed_on=changed_on)
    person.refresh_from_db(fields=["search_text", "updated_at"])
    return person


def _written_values(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in WRITABLE}


def person_set_list(person: Person, contact_list: str) -> Person:
    person.contact_list = _validate_list(contact_list)
    person.save(update_fields=["contact_list", "updated_at"])
    return person


def person_delete(person: Person) -> None:
    """Deletes the person with their e-mails, phones and referral edges; journal entries
    stay (they may involve other people) but no longer list this person."""
    person.delete()


def checked_emails(emails: Iterable[str]) -> list[str]:
    """Normalised, distinct addresses in order; ``ValidationError`` naming the first bad one."""
    wanted: list[str] = []
    for raw in emails:
        address = normalise_email(raw)
        if not address:
            continue
        try:
            PersonEmail(address=address).clean_fields(exclude=["person"])
        except ValidationError:
            raise ValidationError({"emails": f"“{raw}” is not an e-mail address."}) from None
        if address not in wanted:
            wanted.append(address)
    return wanted


def normalised_phones(owner: User, phones: Iterable[str]) -> list[str]:
    """E.164 where the number is valid in the owner's country (or has its own code), else
    kept exactly as written; distinct, in order."""
    region = getattr(owner, "country", "") or "US"
    wanted: list[str] = []
    for raw in phones:
        number = normalise_phone(raw, region)[:40]
        if number and number not in wanted:
            wanted.append(number)
    return wanted


def _tag_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = clean_text(name)[:60]
        if name and name.lower() not in {n.lower() for n in out}:
            out.append(name)
    return out


def person_set_emails(person: Person, emails: Iterable[str]) -> None:
    people_write(
        person.owner,
        [PersonWrite(pk=person.pk, values={}, emails=[(a, None) for a in checked_emails(emails)])],
    )


def person_set_phones(person: Person, phones: Iterable[str]) -> None:
    numbers = normalised_phones(person.owner, phones)
    people_write(
        person.owner, [PersonWrite(pk=person.pk, values={}, phones=[(n, None) for n in numbers])]
    )


def tag_names_parse(text: str) -> list[str]:
    names: list[str] = []
    for raw in text.replace(";", ",").split(","):
        name = clean_text(raw).lstrip("#")[:60]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def person_set_tags(person: Person, names: Iterable[str]) -> None:
    people_write(person.owner, [PersonWrite(pk=person.pk, values={}, tags=_tag_names(names))])


def search_text_from_values(
    *,
    full_name: str,
    nickname: str = "",
    job_title: str = "",
    organisation_names: Iterable[str] = (),
    emails: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> str:
    """The one definition of ``Person.search_text``, from plain values.

    Bulk imports build it without a saved row; ``person_search_text`` uses it too.
    ``organisation_names`` is the organisation's name followed by its aliases.
    """
    parts = [full_name, nickname, job_title, *organisation_names, *emails, *tags]
    return search_text_from_parts(parts)


def search_text_from_parts(parts: Sequence[str]) -> str:
    """``search_text`` from its parts in ``search_text_from_values``'s order.

    Each non-empty part cleaned, lower-cased, joined by spaces. When the parts are
    already clean text (what imports have), that is one join and one lower(): the
    check is done once on the whole.
    """
    parts = [p for p in parts if p]
    joined = " ".join(parts)
    if (
        joined.isprintable()
        and "  " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and (joined.isascii() or unicodedata.is_normalized("NFC", joined))
    ):
        # No part has a space at either end or two in a row (either would show as
        # two spaces in a row or one at the ends), and each is printable NFC text:
        # clean_text leaves every part as it is.
        return joined.lower()
    return " ".join(_clean_lower(p) for p in parts)


def _clean_lower(value: str) -> str:
    # Same result as clean_text(value).lower(); skips the per-character scan when the
    # text has no control characters (bulk imports call this 100,000 times).
    if value.isprintable():
        return " ".join(unicodedata.normalize("NFC", value).split()).lower()
    return clean_text(value).lower()


def person_search_text(person: Person) -> str:
    org_names: list[str] = []
    if person.organisation_id and person.organisation is not None:
        org_names.append(person.organisation.name)
        org_names.extend(person.organisation.aliases.values_list("name", flat=True))
    return search_text_from_values(
        full_name=person.full_name,
        nickname=person.nickname,
        job_title=person.job_title,
        organisation_names=org_names,
        emails=person.emails.values_list("address", flat=True),
        tags=person.tags.values_list("name", flat=True),
    )


def person_refresh_search_text(person: Person) -> None:
    text = person_search_text(person)
    if text != person.search_text:
        person.search_text = text
        Person.objects.filter(pk=person.pk).update(search_text=text)


def people_refresh_search_text(people: Iterable[Person]) -> None:
    for person in people:
        person_refresh_search_text(person)


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


def referral_create(
    owner: User,
    *,
    referrer: Person,
    referred: Person,
    referred_on: dt.date | None = None,
    reason: str = "",
    may_contact: bool = True,
    may_use_name: bool = False,
    will_introduce: bool = False,
    preferred_channel: str = "",
) -> Referral:
    if referrer.owner_id != owner.pk or referred.owner_id != owner.pk:
        raise ValidationError("Both people must be in your own contact book.")
    if referrer.pk == referred.pk:
        raise ValidationError("Someone cannot refer you to themselves.")
    if Referral.objects.filter(referrer=referrer, referred=referred).exists():
        raise ValidationError(f"{referrer} already referred you to {referred}.")
    return Referral.objects.create(
        owner=owner,
        referrer=referrer,
        referred=referred,
        referred_on=referred_on or timezone.localdate(),
        reason=clean_text(reason),
        may_contact=may_contact,
        may_use_name=may_use_name,
        will_introduce=will_introduce,
        preferred_channel=preferred_channel,
    )


def referral_update(referral: Referral, **fields: Any) -> Referral:
    for attr in (
        "referred_on",
        "reason",
        "may_contact",
        "may_use_name",
        "will_introduce",
        "preferred_channel",
        "notes",
    ):
        if attr in fields:
            setattr(referral, attr, fields[attr])
    referral.full_clean(exclude=["owner", "referrer", "referred"])
    referral.save()
    return referral


def referral_mark_reported_back(referral: Referral, when: dt.datetime | None = None) -> Referral:
    """R12: you told the referrer how it went."""
    referral.reported_back_at = when or timezone.now()
    referral.save(update_fields=["reported_back_at", "updated_at"])
    return referral


def referral_delete(referral: Referral) -> None:
    referral.delete()


def person_set_closeness(person: Person, closeness: str) -> Person:
    """R14: the keep-in-touch cadence follows closeness."""
    if closeness not in Closeness.values:
        raise ValidationError(
            {"closeness": "Closeness must be close, regular, acquaintance or distant (R14)."}
        )
    person.closeness = closeness
    person.save(update_fields=["closeness", "updated_at"])
    return person


def person_set_standing(
    person: Person,
    *,
    seniority: str | None = None,
    closeness: str | None = None,
    is_decision_maker: bool | None = None,
) -> Person:
    """Set how senior a person is (R3: do not start with the most senior), how close you
    are (R14: the keep-in-touch cadence) and whether they decide on hiring (R18). Only what
    is given changes; a bad value changes nothing."""
    fields = []
    if seniority is not None:
        if seniority not in Seniority.values:
            choices = ", ".join(v for v in Seniority.values if v)
            raise ValidationError(
                {"seniority": f"Seniority must be one of {choices}, or empty for unknown (R3)."}
            )
        person.seniority = seniority
        fields.append("seniority")
    if closeness is not None:
        if closeness not in Closeness.values:
            raise ValidationError(
                {"closeness": "Closeness must be close, regular, acquaintance or distant (R14)."}
            )
        person.closeness = closeness
        fields.append("closeness")
    if is_decision_maker is not None:
        person.is_decision_maker = is_decision_maker
        fields.append("is_decision_maker")
    if fields:
        person.save(update_fields=[*fields, "updated_at"])
    return person
