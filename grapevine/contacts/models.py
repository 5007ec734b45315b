"""People, organisations and who referred whom: the contact book (R2, R7, R10, R12, R14, R20)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from grapevine.core.models import OwnedModel


class ContactList(models.TextChoices):
    """R2: every person is on exactly one of three lists."""

    A = "A", "A — personal"
    B = "B", "B — professional"
    C = "C", "C — target"


LIST_HELP = {
    ContactList.A: "Family, friends, neighbours: people you know well. Practise here first (R3).",
    ContactList.B: "Former colleagues, bosses, teachers, mentors: people from your career.",
    ContactList.C: "People at organisations you target whom you do not know yet.",
}


class Closeness(models.TextChoices):
    """R14: how often to keep in touch depends on how close you are."""

    CLOSE = "close", "Close"
    REGULAR = "regular", "Regular"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    DISTANT = "distant", "Distant"


class Seniority(models.TextChoices):
    UNKNOWN = "", "Unknown"
    ENTRY = "entry", "Entry level"
    MID = "mid", "Mid level"
    SENIOR = "senior", "Senior"
    MANAGER = "manager", "Manager"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


class MetContext(models.TextChoices):
    """R20: everyday places count."""

    UNKNOWN = "", "—"
    FAMILY = "family", "Family or friends"
    WORK = "work", "Work"
    STUDIES = "studies", "Studies"
    EVENT = "event", "Event or conference"
    ASSOCIATION = "association", "Association or club"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood, café, everyday life"
    ONLINE = "online", "Online"
    REFERRAL = "referral", "Referred by someone"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    UNKNOWN = "", "Not said"
    EMAIL = "email", "E-mail"
    CALL = "call", "Call"
    EITHER = "either", "Either"


class Tag(OwnedModel):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(OwnedModel):
    name = models.CharField(max_length=200)
    # Legal suffixes, case and punctuation removed (cleanco): "ACME Corp." -> "acme".
    key = models.CharField(max_length=200, db_index=True, editable=False)
    website = models.URLField(max_length=300, blank=True)
    domain = models.CharField(max_length=200, blank=True, db_index=True)
    # The organisation's own address and number (a company card in an address book).
    email = models.EmailField("e-mail address", max_length=254, blank=True)
    phone = models.CharField(
        max_length=40, blank=True, help_text="E.164 when it could be read, else as written."
    )
    notes = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"], name="organisation_key_unique_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(OwnedModel):
    """Another name the same organisation goes by ("IBM", "International Business Machines")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="alias_key_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(OwnedModel):
    full_name = models.CharField(max_length=200)
    # Parts parsed with nameparser; credentials ("CPA", "PhD") go to suffix, not family name.
    title_prefix = models.CharField("prefix", max_length=40, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField("credentials / suffix", max_length=60, blank=True)
    nickname = models.CharField(max_length=100, blank=True)

    contact_list = models.CharField(
        "list", max_length=1, choices=ContactList.choices, default=ContactList.B, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    job_title = models.CharField("title", max_length=200, blank=True)
    linkedin_url = models.CharField("LinkedIn profile", max_length=300, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")

    met_context = models.CharField(
        "how you met", max_length=20, choices=MetContext.choices, blank=True, default=""
    )
    met_where = models.CharField(
        "where you met",
        max_length=200,
        blank=True,
        help_text="The event, club, café or place (R20).",
    )
    closeness = models.CharField(
        max_length=20,
        choices=Closeness.choices,
        default=Closeness.REGULAR,
        help_text="Sets how often Grapevine reminds you to keep in touch (R14).",
    )
    is_decision_maker = models.BooleanField("decision maker", default=False)
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True, default="")
    notes = models.TextField(blank=True, help_text="Markdown.")

    # Lower-cased name, organisation, title, e-mails and tags, kept by the services so a
    # search over 30,000 people is one indexed-free column scan instead of five joins.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "full_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["owner", "contact_list", "family_name"]),
            models.Index(fields=["owner", "family_name", "given_name"]),
            # R14: the people of a closeness tier in the order they were added (coach).
            models.Index(fields=["owner", "closeness", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def display_name(self) -> str:
        return self.full_name

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        return emails[0].address if emails else ""


class PersonEmail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254, db_index=True)
    label = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "address"], name="email_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.address


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    # E.164 when phonenumbers could parse it, else the number as written.
    number = models.CharField(max_length=40)
    label = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="phone_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.number


class PastEmployment(models.Model):
    """Where a person worked before: kept when an import or edit changes employer or title."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="past_employment")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="alumni"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-until", "-id"]

    def __str__(self) -> str:
        return f"{self.job_title} at {self.organisation_name}".strip()


class Referral(OwnedModel):
    """R7/R10/R12: "referrer introduced me to referred", with what they allowed."""

    referrer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals_given")
    referred = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="referrals_received"
    )
    referred_on = models.DateField()
    reason = models.TextField(
        blank=True, help_text="Why the referrer thinks you should meet (R7): say it first."
    )
    may_contact = models.BooleanField(default=True, help_text="R10: may I contact them?")
    may_use_name = models.BooleanField(default=False, help_text="R10: may I use your name?")
    will_introduce = models.BooleanField(default=False, help_text="R10/R7: will you write ahead?")
    preferred_channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        blank=True,
        default="",
        help_text="R10: call or e-mail?",
    )
    reported_back_at = models.DateTimeField(
        null=True, blank=True, help_text="When you told the referrer how it went (R12)."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        # The coach reads recent referrals per owner every day (R12 leads).
        indexes = [models.Index(fields=["owner", "referred_on"])]
        constraints = [
            models.UniqueConstraint(fields=["referrer", "referred"], name="referral_unique_pair"),
            models.CheckConstraint(
                condition=~Q(referrer=models.F("referred")), name="referral_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referrer} → {self.referred}"
