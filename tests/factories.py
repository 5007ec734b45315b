"""factory_boy factories for every model; tests build exactly the rows they need."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList, Organisation, Person, PersonEmail, Referral
from grapevine.contacts.normalise import organisation_key
from grapevine.journal.models import Entry, Kind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    key = factory.LazyAttribute(lambda o: organisation_key(o.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    owner = factory.SubFactory(UserFactory)
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    full_name = factory.LazyAttribute(lambda p: f"{p.given_name} {p.family_name}")
    contact_list = ContactList.B
    search_text = factory.LazyAttribute(lambda p: p.full_name.lower())


class PersonEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonEmail

    person = factory.SubFactory(PersonFactory)
    address = factory.Sequence(lambda n: f"person{n}@example.com")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    owner = factory.SubFactory(UserFactory)
    referrer = factory.SubFactory(PersonFactory, owner=factory.SelfAttribute("..owner"))
    referred = factory.SubFactory(PersonFactory, owner=factory.SelfAttribute("..owner"))
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    reason = "knows everyone in town"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    owner = factory.SubFactory(UserFactory)
    kind = Kind.NOTE
    occurred_at = factory.LazyFunction(timezone.now)
    notes = ""
