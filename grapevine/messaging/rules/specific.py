"""What makes a message specific (R11, R12, R14): it names a person, an organisation, an
idea or an action of its own — not only the words every thank-you can say.

A sentence is specific when two of its words are neither common words nor the generic
vocabulary listed in ``messaging/data/message_phrases.toml`` ("thank you for your time, it
was very helpful" has none), or when the message names someone or links to something."""

from __future__ import annotations

import functools
import re

from grapevine.messaging import phrases
from grapevine.messaging.text import Message, Sentence, is_word, stem

_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


@functools.cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    book = phrases.load("message_phrases")
    generic = frozenset(stem(w) for w in book.word_set("generic"))
    function_words = book.word_set("function_words")
    capitals = book.word_set("common_capitals")
    return generic, function_words, capitals


def content_stems(tokens: tuple[str, ...] | list[str], *, minimum: int = 4) -> set[str]:
    """Stems of the words that carry meaning: not function words, not generic ones."""
    generic, function_words, _ = _vocabulary()
    out = set()
    for token in tokens:
        if not is_word(token) or len(token) < minimum or token in function_words:
            continue
        if token.isdigit():
            continue
        root = stem(token)
        if root not in generic:
            out.add(root)
    return out


def names(message: Message, sentences: list[Sentence] | None = None) -> list[str]:
    """Words written as names (a person, an organisation), other than the recipient's and
    the writer's own: "Maria Holm", "Tessera", "SQL"."""
    _, _, capitals = _vocabulary()
    own = message.recipient_names | message.sender_names
    found = []
    for sentence in message.sentences("body") if sentences is None else sentences:
        tokens = sentence.tokens
        for i, token in enumerate(tokens):
            if not is_word(token) or not sentence.capitalised[i] or token.isdigit():
                continue
            if token in capitals or token.rstrip(".") in capitals or token in own:
                continue
            if sentence.initial[i]:
                # A sentence's first word is a name only when a second one follows ("Maria Holm runs").
                following = (
                    i + 1 < len(tokens) and sentence.capitalised[i + 1] and is_word(tokens[i + 1])
                )
                if not following or tokens[i + 1] in capitals:
                    continue
            found.append(token)
    return found


def has_link(text: str) -> bool:
    return bool(_LINK.search(text))


def specific_sentences(message: Message) -> list[Sentence]:
    return [s for s in message.sentences("body") if len(content_stems(s.tokens)) >= 2]


def is_specific(message: Message) -> bool:
    return bool(has_link(message.reading_text) or names(message) or specific_sentences(message))
