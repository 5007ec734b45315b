"""Information meetings: request, preparation, notes, debrief (R3-R6, R9, R10, R13).

A meeting moves requested → scheduled → held, or ends declined / no answer /
cancelled. Each change is made by a service in ``meetings.services`` that dates
the change here *and* writes a journal entry; the pair is kept as a
``MeetingEvent`` so the meeting page can link each step to its journal line.

Whether a thank-you was sent (R11) is *derived*, never stored — one rule:
a meeting is thanked when a journal entry of kind ``thank_you`` names the
person met and occurred at or after ``held_at``. Marking a thank-you draft sent
(messaging) writes exactly such an entry, and so does logging one by hand in
the journal. See ``meetings.selectors.meeting_thank_you_entry``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from grapevine.contacts.models import Organisation, Person, Referral
from grapevine.core.models import OwnedModel
from grapevine.journal.models import Entry

#: R4: ask for 15-20 minutes, never more than 30.
DEFAULT_MINUTES = 20
MAX_MINUTES = 30


class Status(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    DECLINED = "declined", "Declined"
    NO_ANSWER = "no_answer", "No answer"
    CANCELLED = "cancelled", "Cancelled"


#: Statuses from which nothing more happens to the meeting.
CLOSED_STATUSES = frozenset({Status.HELD, Status.DECLINED, Status.NO_ANSWER, Status.CANCELLED})


class MeetingChannel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


class Purpose(models.TextChoices):
    """R1: information and advice, never a job."""

    VALIDATE_IDEA = "validate_idea", "Validate a career idea"
    INDUSTRY_INFO = "industry_info", "Gather industry information"
    ADVICE = "advice", "Ask advice"
    REFERRALS = "referrals", "Get referrals"


class Meeting(OwnedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meetings")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="The person's organisation when you asked; kept if they move on.",
    )
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="Who referred you to this person, with the reason they gave (R7).",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        default=DEFAULT_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_MINUTES)],
        help_text="Ask for 15-20 minutes, never more than 30 (R4). End on time.",
    )
    channel = models.CharField(
        max_length=20, choices=MeetingChannel.choices, default=MeetingChannel.IN_PERSON
    )
    place = models.CharField(
        "place or link",
        max_length=300,
        blank=True,
        help_text="An address, a café, a phone number or a video link.",
    )
    purpose = models.CharField(
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.ADVICE,
        help_text="Information and advice — never a job (R1).",
    )

    # Status-change timestamps: each is set by the service that makes the change.
    requested_at = models.DateTimeField(db_index=True)
    scheduled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the date was agreed."
    )
    scheduled_for = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When the meeting takes place."
    )
    held_at = models.DateTimeField(null=True, blank=True, db_index=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    no_answer_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    # Preparation (R5).
    research_person = models.TextField(
        "about the person", blank=True, help_text="Their path, posts, talks. Markdown."
    )
    research_organisation = models.TextField(
        "about the organisation", blank=True, help_text="News, products, culture. Markdown."
    )
    jargon = models.TextField(
        "jargon and keywords",
        blank=True,
        help_text="Words they use that you should understand and use (R5).",
    )

    # During the meeting (R9).
    notes = models.TextField(
        blank=True,
        help_text="Write @Name for people and #Organisation for companies mentioned (R9).",
    )

    # Debrief (R10, R11, R13).
    debriefed_at = models.DateTimeField(null=True, blank=True)
    how_it_went = models.TextField(blank=True)
    learned = models.TextField("what I learned", blank=True)
    will_act_on = models.TextField(
        "what I will act on", blank=True, help_text="Say it in the thank-you (R11)."
    )
    help_offered = models.TextField(
        blank=True, help_text="What you offered or gave them (R13). Recorded in the journal."
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["owner", "status", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__lte=MAX_MINUTES), name="meeting_minutes_at_most_30"
            )
        ]

    def __str__(self) -> str:
        return f"Meeting with {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.REQUESTED, Status.SCHEDULED)


class MeetingEvent(models.Model):
    """One dated step of a meeting and the journal entry it wrote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)  # a Status value, or "debriefed" / "help_offered"
    occurred_at = models.DateTimeField()
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.occurred_at:%Y-%m-%d}"


class MeetingReferral(models.Model):
    """A referral edge (contacts.Referral, referrer = the person met) this meeting produced (R10)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="produced")
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="from_meeting")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.referral)


class MeetingQuestion(models.Model):
    """A question chosen for one meeting (R5: about ten). ``text`` is a copy, so editing
    the bank later does not rewrite a past prep sheet."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(
        max_length=40, blank=True, help_text="Built-in key ('tiara-t-1') or 'own:<public_id>'."
    )
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class QuestionGroup(models.TextChoices):
    OPENING = "opening", "Opening"
    PATH = "path", "The person's path"
    TRENDS = "trends", "TIARA — Trends"
    INSIGHTS = "insights", "TIARA — Insights"
    ADVICE = "advice", "TIARA — Advice"
    RESOURCES = "resources", "TIARA — Resources"
    ASSIGNMENTS = "assignments", "TIARA — Assignments"
    CHANGERS = "changers", "For career changers"
    ROADBLOCKS = "roadblocks", "Roadblocks"
    ORGANISATION = "organisation", "The organisation"
    CLOSING = "closing", "Closing and referral asks"


class OwnQuestion(OwnedModel):
    """A question the user added to their bank (the built-in ones live in questions.json)."""

    group = models.CharField(max_length=20, choices=QuestionGroup.choices)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["group", "text"]

    def __str__(self) -> str:
        return self.text


class QuestionStar(OwnedModel):
    """A favourite question: a built-in key or 'own:<public_id>'."""

    key = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="question_star_unique")
        ]

    def __str__(self) -> str:
        return self.key


class DrillVersion(OwnedModel):
    """R6: one saved version of the two-minute drill; the newest is the current one."""

    text = models.TextField()
    word_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Drill of {self.created_at:%Y-%m-%d %H:%M}"


class DrillPractice(OwnedModel):
    """R3/R6: who you practised the drill with (list A first)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="drill_practices")
    version = models.ForeignKey(
        DrillVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    practised_on = models.DateField()
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["-practised_on", "-id"]

    def __str__(self) -> str:
        return f"Practised with {self.person} on {self.practised_on}"


class Promise(OwnedModel):
    """Something promised in a meeting (send an article, the CV later): a dated to-do (R17)."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="promises"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="promises"
    )
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
