"""The coach stores almost nothing: the agenda is derived from the rest of the data.

Only what the user decides is kept: their rule settings, what they snoozed or
dismissed, the to-dos they wrote by hand, and the state the digest worker and
the calendar feed need.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from grapevine.contacts.models import Closeness, Person
from grapevine.core.models import OwnedModel


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CoachSettings(models.Model):
    """One row per user: the numbers behind each rule (DESIGN.md: "numbers are defaults a user can change")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_settings"
    )

    # R11 — thank within 24 hours.
    thank_you_hours = models.PositiveSmallIntegerField(
        "thank-you within (hours)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text="R11: after a meeting is held, the thank-you is due the same day and overdue after this many hours.",
    )
    # R10 — never leave without two or three referrals.
    referrals_per_meeting = models.PositiveSmallIntegerField(
        "referrals to ask for",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="R10: a held meeting with fewer referrals than this reminds you to ask again.",
    )
    # R12 — follow every lead.
    lead_follow_up_days = models.PositiveSmallIntegerField(
        "follow a new lead within (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="R12: a referral you have not contacted after this many days becomes an action.",
    )
    # R15 — 3B7.
    second_person_business_days = models.PositiveSmallIntegerField(
        "second person after (business days)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="R15 (3B7): no answer after this many business days → write to a second person there.",
    )
    follow_up_business_days = models.PositiveSmallIntegerField(
        "follow up after (business days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="R15 (3B7): no answer after this many business days → one follow-up to the first person, then let it go.",
    )
    # R14 — keep in touch by closeness.
    cadence_close_days = models.PositiveSmallIntegerField(
        "close: every (days)",
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="R14: keep in touch with close people this often (default 3 weeks).",
    )
    cadence_regular_days = models.PositiveSmallIntegerField(
        "regular: every (days)",
        default=61,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="R14: default about 2 months.",
    )
    cadence_acquaintance_days = models.PositiveSmallIntegerField(
        "acquaintance: every (days)",
        default=182,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="R14: default about 6 months.",
    )
    cadence_distant_days = models.PositiveSmallIntegerField(
        "distant: every (days)",
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="R14: default once a year.",
    )
    keep_in_touch_per_day = models.PositiveSmallIntegerField(
        "keep-in-touch suggestions per day",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="R14: the most overdue people first; the others wait for another day.",
    )
    # R3 — start modest.
    practice_meetings = models.PositiveSmallIntegerField(
        "practice meetings",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text="R3: until this many meetings are held, suggest lists A and B first.",
    )
    # R13 — give back.
    give_back_days = models.PositiveSmallIntegerField(
        "give back within (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="R13: after someone helped you, remind you to give something back within this many days.",
    )
    # R17 — weekly goals.
    weekly_requests_goal = models.PositiveSmallIntegerField(
        "meeting requests per week",
        default=5,
        validators=[MaxValueValidator(200)],
        help_text="R17: networking is a full-time job; 0 turns this goal off.",
    )
    weekly_meetings_goal = models.PositiveSmallIntegerField(
        "meetings held per week",
        default=2,
        validators=[MaxValueValidator(100)],
        help_text="R17: 0 turns this goal off.",
    )
    # R19 — after the job is found.
    landed_on = models.DateField(
        "landed on",
        null=True,
        blank=True,
        help_text="R19: the day you accepted a job. The agenda then keeps you in touch and reminds you to thank everyone who helped.",
    )

    # The daily digest e-mail.
    digest_enabled = models.BooleanField(
        "daily digest e-mail",
        default=False,
        help_text="One e-mail each morning with the actions due; nothing is sent when nothing is due.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "send the digest from (hour)",
        default=7,
        validators=[MaxValueValidator(23)],
        help_text="Local hour in your time zone after which the day's digest may be sent.",
    )
    # Claimed by the worker with a conditional UPDATE: at most one digest per user per day.
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    # The private calendar feed: anyone with the URL can read it, so it can be revoked.
    calendar_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = "coach settings"
        verbose_name_plural = "coach settings"

    def __str__(self) -> str:
        return f"Coach settings of {self.user}"

    def cadence_days(self, closeness: str) -> int:
        days: dict[str, int] = {
            Closeness.CLOSE: self.cadence_close_days,
            Closeness.REGULAR: self.cadence_regular_days,
            Closeness.ACQUAINTANCE: self.cadence_acquaintance_days,
            Closeness.DISTANT: self.cadence_distant_days,
        }
        return days.get(closeness, self.cadence_regular_days)


class Snooze(OwnedModel):
    """An action hidden until a day: ``action_key`` is the derived action's id."""

    action_key = models.CharField(max_length=200)
    until = models.DateField(help_text="The action comes back on this day.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "action_key"], name="snooze_unique_per_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_key} until {self.until}"


class Dismissal(OwnedModel):
    """An action the user does not want to see again."""

    action_key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "action_key"], name="dismissal_unique_per_action"
            ),
        ]

    def __str__(self) -> str:
        return self.action_key


class Todo(OwnedModel):
    """A to-do the user wrote by hand (a promise, a call to make)."""

    title = models.CharField(
        max_length=300, help_text="What to do, in a few words: “Send Ana the article on pricing”."
    )
    due_on = models.DateField("due", help_text="The day it appears on your agenda.")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who it is about, if anyone.",
    )
    notes = models.TextField(blank=True, help_text="Markdown.")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_due(self, today: dt.date) -> bool:
        return self.done_at is None and self.due_on <= today
