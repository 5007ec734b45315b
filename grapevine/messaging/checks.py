"""Checks on a message against the method's rules. Each finding cites its rule.

Pure functions over text, so the web page, the CLI (`grapevine check-message`) and the
tests run the very same checks. A finding of level "error" makes the message not ok;
a "hint" is advice (Dalton's 75 words, the referrer's name in the first sentence).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

#: Which checks apply: "request" (cold/warm request, follow-up), "thank-you",
#: "report-back", "not-hiring", "confirmation", "keep-in-touch".
CHECK_KINDS = ("request", "thank-you", "report-back", "not-hiring", "confirmation", "keep-in-touch")

REQUEST_MAX_WORDS = 100
REQUEST_HINT_WORDS = 75
MAX_MINUTES = 30

# R1: words that turn a request for advice into a request for a job.
_JOB_WORDS = re.compile(
    r"(?<![\w-])(jobs?|positions?|openings?|hiring|hire|vacanc(?:y|ies)|r[ée]sum[ée]s?|cvs?|"
    r"refer me for|recruit(?:ing|er|ment)?|apply(?:ing)? for|employment)(?![\w-])",
    re.IGNORECASE,
)
_HOURS = re.compile(r"\b(an?|one|two|1|2|1\.5|couple of)\s+hours?\b", re.IGNORECASE)
_HALF_HOUR = re.compile(r"\bhalf an hour\b", re.IGNORECASE)

_STOP = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "just",
        "more",
        "most",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "would",
        "your",
        "yours",
        "you",
        "thank",
        "thanks",
        "really",
        "great",
        "time",
        "meeting",
        "today",
        "yesterday",
        "talking",
        "speaking",
        "learned",
        "learn",
        "will",
        "shall",
        "very",
        "much",
        "many",
        "lots",
        "told",
        "said",
        "mentioned",
        "about",
        "also",
    ]
)


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    level: str = "error"  # "error" or "hint"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def hints(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "hint"]

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


def words(text: str) -> list[str]:
    return re.findall(r"[\w'\u2019-]+", text)


def word_count(text: str) -> int:
    return len(words(text))


def check_no_job_ask(text: str) -> list[Finding]:
    """R1: a request asks for information and advice, never for a job."""
    hits = sorted({m.group(0).lower() for m in _JOB_WORDS.finditer(text)})
    if not hits:
        return []
    quoted = ", ".join(f"“{h}”" for h in hits)
    return [
        Finding(
            "R1",
            f"The message talks about a job ({quoted}). Ask for information and advice, never for a "
            "job — even “I'm not asking for a job” puts the job on the table.",
        )
    ]


def check_length(text: str) -> list[Finding]:
    """A request is short (at most 100 words; Dalton's 6-point e-mail aims at 75)."""
    n = word_count(text)
    if n > REQUEST_MAX_WORDS:
        return [
            Finding(
                "R4",
                f"The request is {n} words long; keep it to {REQUEST_MAX_WORDS} at most — a short "
                f"message, like the short meeting it asks for, gets answered (R4).",
            )
        ]
    if n > REQUEST_HINT_WORDS:
        return [
            Finding(
                "R4",
                f"{n} words: fine, but {REQUEST_HINT_WORDS} or fewer is better (Dalton's 6-point e-mail).",
                "hint",
            )
        ]
    return []


def check_asks_question(text: str) -> list[Finding]:
    """A request asks: it ends the ask with a question the person can say yes to."""
    if "?" in text:
        return []
    return [
        Finding(
            "R1",
            "The request asks no question. End with one they can answer, such as "
            "“Would you have 20 minutes to share your advice?”",
        )
    ]


def _name_forms(name: str) -> list[str]:
    parts = name.split()
    forms = [name]
    if parts:
        forms.append(parts[0])
    return [f for f in forms if len(f) >= 2]


def check_names_referrer(text: str, referrer: str) -> list[Finding]:
    """R7: a referred contact hears the referrer's name first."""
    if not referrer.strip():
        return []
    lowered = text.lower()
    forms = _name_forms(referrer.strip())
    positions = [lowered.find(f.lower()) for f in forms if f.lower() in lowered]
    if not positions:
        return [
            Finding(
                "R7",
                f"The message does not name {referrer}, who referred you. Say their name first, "
                "with the reason they gave — a warm request gets a yes far more often.",
            )
        ]
    sentence_end = re.search(r"[.!?](?:\s|$)", text)
    end = sentence_end.end() if sentence_end else len(text)
    if min(positions) >= end:
        return [Finding("R7", f"Name {referrer} in the first sentence, not further down.", "hint")]
    return []


def asked_minutes(text: str) -> list[int]:
    """Every length the text asks for, in minutes ("20 minutes", "15-20 min", "an hour")."""
    found: list[int] = []
    for match in re.finditer(
        r"(\d{1,3})(?:\s*(?:-|\u2013|to)\s*(\d{1,3}))?\s*(?:-\s*)?(?:minutes?|mins?)\b",
        text,
        re.IGNORECASE,
    ):
        found.append(int(match.group(2) or match.group(1)))
    halves = len(_HALF_HOUR.findall(text))
    for match in _HOURS.finditer(_HALF_HOUR.sub(" ", text)):
        amount = match.group(1).lower()
        found.append(
            {
                "a": 60,
                "an": 60,
                "one": 60,
                "1": 60,
                "two": 120,
                "2": 120,
                "1.5": 90,
                "couple of": 120,
            }[amount]
        )
    found.extend([30] * halves)
    return found


def check_minutes(text: str, *, require: bool = False) -> list[Finding]:
    """R4: ask for 15-20 minutes, never more than 30."""
    asked = asked_minutes(text)
    too_long = [m for m in asked if m > MAX_MINUTES]
    if too_long:
        return [
            Finding(
                "R4",
                f"The message asks for {max(too_long)} minutes; ask for 15-20, never more than "
                f"{MAX_MINUTES}. They may choose to go on.",
            )
        ]
    if require and not asked:
        return [Finding("R4", "Say how long you ask for — 15 or 20 minutes (R4).", "hint")]
    return []


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in words(text) if len(w) >= 4 and w.lower() not in _STOP}


def note_points(notes: str) -> list[str]:
    """The points of some notes: one per line or bullet, mentions cleaned of @ and #."""
    points = []
    for line in notes.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
        line = line.replace("@", "").replace("#", "").replace("_", " ")
        if len(_content_words(line)) >= 1:
            points.append(line)
    return points


def check_specific_point(text: str, notes: str) -> list[Finding]:
    """R11: a thank-you names at least one specific point from the meeting notes."""
    if not notes.strip():
        return [
            Finding(
                "R11",
                "No notes to compare with: make sure the thank-you names a specific point you "
                "discussed and what you will act on.",
                "hint",
            )
        ]
    body = _content_words(text)
    for point in note_points(notes):
        point_words = _content_words(point)
        shared = point_words & body
        if len(shared) >= 2 or (shared and len(point_words) <= 2):
            return []
    return [
        Finding(
            "R11",
            "The thank-you names no specific point from your notes. Say what you discussed and "
            "what you will act on — that is what makes it memorable.",
        )
    ]


def check_names_person(text: str, person: str, rule: str, why: str) -> list[Finding]:
    if not person.strip():
        return []
    lowered = text.lower()
    if any(form.lower() in lowered for form in _name_forms(person)):
        return []
    return [Finding(rule, f"The message does not name {person}: {why}")]


def check_not_hiring_answer(text: str) -> list[Finding]:
    """R8: answer "we're not hiring" with "I'd like to learn"."""
    if re.search(r"\b(learn|advice|understand|information|insight)", text, re.IGNORECASE):
        return []
    return [
        Finding(
            "R8",
            "Say you would like to learn from them — advice and information, not a job.",
        )
    ]


#: The rule each kind of message serves, cited when it still has gaps to fill.
MAIN_RULE = {
    "request": "R1",
    "thank-you": "R11",
    "report-back": "R12",
    "not-hiring": "R8",
    "confirmation": "R4",
    "keep-in-touch": "R14",
}
_GAP = re.compile(r"\[[^\]\n]{2,60}\]|\{[a-z_]+\}")


def check_gaps(text: str, kind: str) -> list[Finding]:
    """A draft's "[what you will do next]" or "{first_name}" still waits to be written."""
    gaps = list(dict.fromkeys(m.group(0) for m in _GAP.finditer(text)))
    if not gaps:
        return []
    shown = ", ".join(f"“{g}”" for g in gaps[:3])
    return [
        Finding(
            MAIN_RULE[kind], f"Fill in {shown} before sending: a specific message gets answered."
        )
    ]


def check_message(
    text: str,
    kind: str,
    *,
    referrer: str = "",
    notes: str = "",
    met: str = "",
) -> Report:
    """Run every check that applies to a message of ``kind`` (see CHECK_KINDS).

    ``referrer``: who referred you (R7); ``notes``: the meeting notes a thank-you should
    draw on (R11); ``met``: the person a report-back is about (R12)."""
    if kind not in CHECK_KINDS:
        raise ValueError(f"Unknown kind “{kind}”: choose one of {', '.join(CHECK_KINDS)}.")
    findings: list[Finding] = check_gaps(text, kind)
    if kind == "request":
        findings += check_no_job_ask(text)
        findings += check_length(text)
        findings += check_asks_question(text)
        findings += check_names_referrer(text, referrer)
        findings += check_minutes(text, require=True)
    elif kind == "thank-you":
        findings += check_specific_point(text, notes)
    elif kind == "report-back":
        findings += check_names_person(
            text, met, "R12", "tell the referrer whom you met and how it went."
        )
    elif kind == "not-hiring":
        findings += check_not_hiring_answer(text)
        findings += check_minutes(text)
    elif kind == "confirmation":
        findings += check_minutes(text)
    return Report(findings)
