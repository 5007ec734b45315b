"""The phrase books in grapevine/messaging/data/ are their own specification: every pattern's
examples match it, and no innocent sentence draws a finding (R1, R4, R7, R8, R14, R15)."""

from __future__ import annotations

import pytest

from grapevine.messaging import phrases
from grapevine.messaging.text import split_sentences

BOOKS = ("r1_patterns", "message_phrases")


def _cases(kind: str) -> list[tuple[str, str, str]]:
    out = []
    for name in BOOKS:
        for pattern in phrases.load(name).patterns:
            for text in getattr(pattern, kind):
                out.append((name, pattern.id, text))
    return out


@pytest.mark.parametrize(("book", "pattern_id", "text"), _cases("examples"))
def test_every_example_matches_its_pattern(book: str, pattern_id: str, text: str) -> None:
    loaded = phrases.load(book)
    pattern = next(p for p in loaded.patterns if p.id == pattern_id)
    kind = next(iter(pattern.kinds), "")
    hits = [m for m in loaded.asks(split_sentences(text), kind=kind) if m.pattern.id == pattern_id]
    assert hits, f"{pattern_id} does not match its example “{text}”"


@pytest.mark.parametrize(("book", "pattern_id", "text"), _cases("innocent"))
def test_no_innocent_sentence_draws_a_match(book: str, pattern_id: str, text: str) -> None:
    loaded = phrases.load(book)
    pattern = next(p for p in loaded.patterns if p.id == pattern_id)
    kind = next(iter(pattern.kinds), "")
    hits = loaded.asks(split_sentences(text), kind=kind)
    if book != "r1_patterns":  # the other book's families mean different things
        hits = [m for m in hits if m.pattern.family == pattern.family]
    assert not hits, f"“{text}” matched {[(m.pattern.id, m.words) for m in hits]}"


def test_every_r1_family_is_used_and_says_what_to_do() -> None:
    book = phrases.load("r1_patterns")
    used = {p.family for p in book.patterns}
    assert used == set(book.families)
    for family in book.families.values():
        assert family.rule == "R1" and family.says and family.advice


def test_negation_is_the_r8_reassurance_unless_a_doubt_stands_between() -> None:
    book = phrases.load("r1_patterns")
    [match] = book.find(split_sentences("I'm not asking for a job."))
    assert match.negated
    [match] = book.find(split_sentences("I don't suppose you have any openings?"))
    assert not match.negated


def test_phrase_syntax_errors_are_named() -> None:
    with pytest.raises(ValueError, match=r"Unknown slot \{NOPE\}"):
        phrases.compile_phrase("any {NOPE}", {})


def test_the_slot_name_matches_capitalised_words_only() -> None:
    book = phrases.load("r1_patterns")
    assert book.asks(split_sentences("Is Tessera hiring?"))
    assert not book.asks(split_sentences("Is anything hiring?"))
