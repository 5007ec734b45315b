"""The built-in message templates. A user's own version (MessageTemplate) replaces one.

Placeholders are filled by ``messaging.services.draft_context``; an unknown one is left
as written so the user sees it.
"""

from __future__ import annotations

from grapevine.messaging.models import DraftKind

BUILTIN: dict[str, tuple[str, str]] = {
    DraftKind.REQUEST_COLD: (
        "A question about your work at {organisation}",
        "Dear {first_name},\n\n"
        "I am exploring the next step in my career, and your work at {organisation} caught my "
        "attention. I would value your advice and your view of the field.\n\n"
        "Would you have {minutes} minutes for a short conversation in the coming weeks, in "
        "person or by phone?\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.REQUEST_WARM: (
        "{referrer} suggested I contact you",
        "Dear {first_name},\n\n"
        "{referrer} suggested I contact you: {referrer_reason}. I am exploring the next step "
        "in my career and would value your advice and your view of the work at {organisation}.\n\n"
        "Would you have {minutes} minutes for a short conversation in the coming weeks, in "
        "person or by phone?\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.NOT_HIRING: (
        "Re: a short conversation",
        "Dear {first_name},\n\n"
        "Thank you for letting me know, and that is quite all right: I am not asking for a job. "
        "I would like to learn how you see the field and how you got where you are; your advice "
        "would help me find my direction.\n\n"
        "Would {minutes} minutes at a time that suits you be possible?\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.CONFIRMATION: (
        "Confirming our conversation on {meeting_date}",
        "Dear {first_name},\n\n"
        "Thank you for agreeing to meet. To confirm: {meeting_date}, {place}, for {minutes} "
        "minutes. I look forward to it.\n\n"
        "Best regards,\n{my_name}",
    ),
    DraftKind.THANK_YOU: (
        "Thank you for your time",
        "Dear {first_name},\n\n"
        "Thank you for the time you gave me {meeting_day}. I especially appreciated what you "
        "said about:\n\n{points}\n\n"
        "What I will act on: {act_on}\n{article}\n"
        "If I can ever help you in return, please tell me.\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.REPORT_BACK: (
        "I met {met_name} — thank you",
        "Dear {first_name},\n\n"
        "Thank you again for putting me in touch with {met_name}. We met {meeting_day}, and "
        "{met_first} was generous with advice: {learned}\n\n"
        "My next step: {act_on}\n\n"
        "I will keep you posted.\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.KEEP_IN_TOUCH: (
        "A quick update",
        "Dear {first_name},\n\n"
        "A quick update on my search, since you helped me along the way: [what happened since "
        "we last spoke].\n\n"
        "How are things with you?\n\n"
        "Best regards,\n{my_name}",
    ),
    DraftKind.FOLLOW_UP: (
        "Following up: a short conversation",
        "Dear {first_name},\n\n"
        "I wrote to you a week ago{referrer_mention} about a short conversation on your work at "
        "{organisation}. I know how full a week can be.\n\n"
        "Would you have {minutes} minutes in the coming weeks? If not, could you suggest someone "
        "else I could ask?\n\n"
        "With thanks,\n{my_name}",
    ),
}

PLACEHOLDERS: dict[str, str] = {
    "first_name": "the recipient's first name",
    "full_name": "the recipient's full name",
    "organisation": "the recipient's organisation",
    "referrer": "who referred you (R7)",
    "referrer_reason": "the reason the referrer gave (R7)",
    "referrer_mention": "“ (Sara Lind suggested I contact you)” when referred, else nothing",
    "minutes": "the length asked for (R4)",
    "meeting_date": "date and time of the meeting",
    "meeting_day": "“on Tuesday 24 November” (the day it was held or is planned)",
    "place": "channel and place of the meeting",
    "points": "points from your meeting notes, one per line (R11)",
    "act_on": "what you will act on (debrief)",
    "learned": "what you learned (debrief)",
    "article": "a line for an article link, empty by default (R11)",
    "met_name": "in a report-back: the person you met (R12)",
    "met_first": "in a report-back: their first name",
    "my_name": "your name",
}
