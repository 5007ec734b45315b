"""The question bank (R5): built-in questions from data/questions.json plus the user's own.

Built-in questions have stable keys ("tiara-…" style: ``trends-1``); the user's own
questions are keyed ``own:<public_id>``. Stars and a meeting's chosen questions refer
to these keys.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grapevine.accounts.models import User
from grapevine.meetings.models import OwnQuestion, QuestionGroup, QuestionStar

DATA = Path(__file__).with_name("data") / "questions.json"


@dataclass(frozen=True)
class Question:
    key: str
    group: str
    text: str
    own: bool = False
    starred: bool = False


@cache
def builtin_questions() -> tuple[Question, ...]:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(Question(key=r["key"], group=r["group"], text=r["text"]) for r in rows)


def _own_key(question: OwnQuestion) -> str:
    return f"own:{question.public_id}"


def question_text(owner: User, key: str) -> str | None:
    """The text of the question ``key`` in ``owner``'s bank, or None."""
    if key.startswith("own:"):
        try:
            public_id = uuid.UUID(key[4:])
        except ValueError:
            return None
        own = OwnQuestion.objects.filter(owner=owner, public_id=public_id).first()
        return own.text if own else None
    for question in builtin_questions():
        if question.key == key:
            return question.text
    return None


def question_bank(
    owner: User, *, starred_first: bool = False
) -> list[tuple[str, str, list[Question]]]:
    """(group value, group label, questions) in bank order; starred questions marked, and
    listed first in their group when ``starred_first`` (the picker of a meeting)."""
    stars = set(QuestionStar.objects.filter(owner=owner).values_list("key", flat=True))
    by_group: dict[str, list[Question]] = {value: [] for value in QuestionGroup.values}
    for q in builtin_questions():
        by_group[q.group].append(Question(q.key, q.group, q.text, False, q.key in stars))
    for own in OwnQuestion.objects.filter(owner=owner).order_by("created_at", "id"):
        key = _own_key(own)
        by_group[own.group].append(Question(key, own.group, own.text, True, key in stars))
    if starred_first:
        for questions in by_group.values():
            questions.sort(key=lambda q: not q.starred)  # stable: bank order otherwise
    labels = dict(QuestionGroup.choices)
    return [(group, labels[group], by_group[group]) for group in QuestionGroup.values]
