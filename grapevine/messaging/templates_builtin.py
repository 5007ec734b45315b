"""The built-in message templates. A user's own version (MessageTemplate) replaces one.

Placeholders are filled by ``messaging.services.draft_context``. The built-in texts use the
placeholders that stand for whole clauses ({opening}, {referrer_line}, {thank_you_points} …):
Grapevine writes them from what the journal holds and leaves a clause out when a fact is
unknown, so a draft never says "your work at your organisation". In a user's own template a
fact Grapevine does not know shows as a gap in brackets, which the checks flag.
"""

from __future__ import annotations

from grapevine.messaging.models import DraftKind

_ASK = (
    "Would you have {minutes} minutes for a short conversation in the coming weeks, in "
    "person or by phone?"
)

BUILTIN: dict[str, tuple[str, str]] = {
    DraftKind.REQUEST_COLD: (
        "{request_subject}",
        "{greeting},\n\n{opening}\n\n" + _ASK + "\n\nWith thanks,\n{my_name}",
    ),
    DraftKind.REQUEST_WARM: (
        "{referrer} suggested I contact you",
        "{greeting},\n\n{referrer_line} I am exploring the next step in my career and would "
        "value your advice{on_the_work}.\n\n" + _ASK + "\n\nWith thanks,\n{my_name}",
    ),
    DraftKind.NOT_HIRING: (
        "Re: a short conversation",
        "{greeting},\n\n"
        "Thank you for letting me know, and that is quite all right: I am not asking for a job. "
        "I would like to learn how you see the field and how you got where you are; your advice "
        "would help me find my direction.\n\n"
        "Would {minutes} minutes at a time that suits you be possible?\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.CONFIRMATION: (
        "Confirming our conversation on {meeting_date}",
        "{greeting},\n\n"
        "Thank you for agreeing to meet. To confirm: {meeting_date}, {place}, for {minutes} "
        "minutes. I look forward to it.\n\n"
        "Best regards,\n{my_name}",
    ),
    DraftKind.THANK_YOU: (
        "Thank you for your time",
        "{greeting},\n\n{thank_you_points}\n{article}\n"
        "If I can ever help you in return, please tell me.\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.REPORT_BACK: (
        "I met {met_name} — thank you",
        "{greeting},\n\n"
        "Thank you again for putting me in touch with {met_name}. {report_meeting}\n\n"
        "I will keep you posted.\n\n"
        "With thanks,\n{my_name}",
    ),
    DraftKind.KEEP_IN_TOUCH: (
        "A quick update",
        "{greeting},\n\n{keep_in_touch_news}\n\nHow are things with you?\n\n"
        "Best regards,\n{my_name}",
    ),
    DraftKind.FOLLOW_UP: (
        "Following up: a short conversation",
        "{greeting},\n\n{follow_up_opening} I know how full a week can be.\n\n"
        "Would you have {minutes} minutes in the coming weeks? If not, could you suggest someone "
        "else I could ask?\n\n"
        "With thanks,\n{my_name}",
    ),
}

PLACEHOLDERS: dict[str, str] = {
    "greeting": "“Dear John” (“Hi Sara” for list A)",
    "first_name": "the recipient's first name",
    "full_name": "the recipient's full name",
    "organisation": "the recipient's organisation",
    "at_organisation": "“ at Acme” when you know their organisation, else nothing",
    "opening": "a request's first lines, written for list A, B or C",
    "request_subject": "a request's subject, written for list A, B or C",
    "referrer": "who referred you (R7)",
    "referrer_reason": "the reason the referrer gave, said to the recipient: “you know everyone in town” (R7)",
    "referrer_line": "“Sara Lind suggested I contact you, and told me you know everyone in town.” (R7)",
    "referrer_mention": "“ (Sara Lind suggested I contact you)” when referred, else nothing",
    "on_the_work": "“ and your view of the work at Acme”, else nothing",
    "minutes": "the length asked for (R4)",
    "meeting_date": "date and time of the meeting",
    "meeting_day": "“on Tuesday 24 November” (the day it was held or is planned)",
    "place": "channel and place of the meeting",
    "follow_up_opening": "“I wrote to you on Tuesday 3 March about …”, from the journal (R15)",
    "thank_you_points": "the thank-you's paragraph: a point raised, people they named, what you will act on (R11)",
    "points": "a point from your meeting notes, in a sentence (R11)",
    "act_on": "what you will act on (debrief)",
    "learned": "what you learned (debrief)",
    "article": "a line for an article link, empty by default (R11)",
    "met_name": "in a report-back: the person you met (R12)",
    "met_first": "in a report-back: their first name",
    "report_meeting": "in a report-back: when you met, what came of it, your next step (R12)",
    "keep_in_touch_news": "your news since you were last in touch, from the journal (R14)",
    "my_name": "your name",
}
