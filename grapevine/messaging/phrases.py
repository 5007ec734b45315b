"""Phrases with their context, read from the data files in ``messaging/data/``.

A phrase is written the way a reader would say it, with a few signs:

- ``a|an|the``: one of these words; ``{JOB}``: one of the slot's words or phrases (slots are
  declared in the file); ``{NAME}``: a word written with a capital (Acme, Tessera);
- ``word?``: the word may be left out; ``...``: up to four more words may come before the
  next one; ``_``: any one word; ``^``: the next word starts a clause;
- ``?``, ``.``, ``!`` alone: that punctuation.

Contractions are spelled out on both sides ("I'd" is "i would", "don't" is "do not"), so a
phrase written "I'd love to join your {TEAM}" matches "I would love to join your team".

A pattern can be *negated*: "I'm not asking for a job" matches "asking for a {JOB}", but
"not" comes just before it, so it is the reassurance of seed 002 (R8), not a job ask — unless
a word like "suppose" or "sure" stands between ("I don't suppose you have any openings?").
A pattern can be kept to some message kinds, and can be cancelled by what follows it
("an opportunity *to volunteer*") or by a clause that speaks of the field, not of the
recipient or the writer ("are there many openings *in this field*?").

Every pattern carries the examples that motivated it and innocent uses it must not take;
``tests/test_message_phrases.py`` checks both, so the file is its own specification.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from grapevine.messaging.text import Sentence, is_word, tokenise

GAP = 4
_PUNCTUATION_TOKENS = frozenset("?.!")


@dataclass(frozen=True)
class Step:
    #: Each option is a sequence of tokens; "_" matches any word; "{NAME}" a capitalised word.
    options: tuple[tuple[str, ...], ...]
    optional: bool = False
    gap: int = 0
    anchored: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Pattern:
    id: str
    family: str
    phrases: tuple[Phrase, ...]
    kinds: frozenset[str]
    negatable: bool
    not_followed_by: tuple[tuple[str, ...], ...]
    not_preceded_by: tuple[tuple[str, ...], ...]
    field_question_ok: bool
    examples: tuple[str, ...]
    innocent: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    id: str
    rule: str
    says: str
    advice: str


@dataclass(frozen=True)
class Match:
    pattern: Pattern
    sentence: Sentence
    start: int
    end: int
    negated: bool

    @property
    def words(self) -> str:
        return " ".join(self.sentence.tokens[self.start : self.end])


@dataclass(frozen=True)
class PhraseBook:
    name: str
    families: dict[str, Family]
    patterns: tuple[Pattern, ...]
    negation_cues: frozenset[str]
    negation_window: int
    not_negating: frozenset[str]
    field_markers: tuple[tuple[str, ...], ...]
    personal_words: frozenset[str]
    lists: dict[str, tuple[str, ...]]

    def find(
        self,
        sentences: Iterable[Sentence],
        *,
        kind: str = "",
        families: Sequence[str] | None = None,
    ) -> list[Match]:
        """Every match in ``sentences``, negated ones included (see ``Match.negated``)."""
        found: list[Match] = []
        for sentence in sentences:
            for pattern in self.patterns:
                if families is not None and pattern.family not in families:
                    continue
                if pattern.kinds and kind and kind not in pattern.kinds:
                    continue
                for start, end in _matches(pattern, sentence):
                    if _cancelled(self, pattern, sentence, start, end):
                        continue
                    negated = pattern.negatable and (
                        _negated(self, sentence, start)
                        or any(t in self.negation_cues for t in sentence.tokens[start:end])
                    )
                    found.append(Match(pattern, sentence, start, end, negated))
        return found

    def asks(
        self,
        sentences: Iterable[Sentence],
        *,
        kind: str = "",
        families: Sequence[str] | None = None,
    ) -> list[Match]:
        """The matches that are not negated."""
        return [m for m in self.find(sentences, kind=kind, families=families) if not m.negated]

    def word_set(self, name: str) -> frozenset[str]:
        return frozenset(w.lower() for w in self.lists.get(name, ()))


# ---------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------


def _options(
    piece: str, slots: dict[str, tuple[tuple[str, ...], ...]]
) -> tuple[tuple[str, ...], ...]:
    if piece.startswith("{") and piece.endswith("}") and "|" not in piece:
        name = piece[1:-1]
        if name == "NAME":
            return (("{NAME}",),)
        if name not in slots:
            raise ValueError(f"Unknown slot {piece}.")
        return slots[name]
    if piece in _PUNCTUATION_TOKENS or piece == "_":
        return ((piece,),)
    options: list[tuple[str, ...]] = []
    for word in piece.split("|"):
        if word in _PUNCTUATION_TOKENS or word == "_":
            options.append((word,))
            continue
        if word.startswith("{") and word.endswith("}"):
            options.extend(_options(word, slots))
            continue
        tokens = tokenise(word.replace("_", " "))
        if not tokens:
            raise ValueError(f"Empty word in “{piece}”.")
        options.append(tokens)
    return tuple(options)


def compile_phrase(text: str, slots: dict[str, tuple[tuple[str, ...], ...]]) -> Phrase:
    steps: list[Step] = []
    gap = 0
    anchored = False
    for piece in text.split():
        if piece == "...":
            gap = GAP
            continue
        if piece == "^":
            anchored = True
            continue
        optional = len(piece) > 1 and piece.endswith("?")
        if optional:
            piece = piece[:-1]
        steps.append(Step(_options(piece, slots), optional=optional, gap=gap, anchored=anchored))
        gap = 0
        anchored = False
    if not steps:
        raise ValueError(f"The phrase “{text}” has no words.")
    return Phrase(text, tuple(steps))


@functools.cache
def load(name: str) -> PhraseBook:
    """The phrase book ``messaging/data/<name>.toml``, compiled once per process."""
    source = resources.files("grapevine.messaging").joinpath("data", f"{name}.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    slots = {
        key: tuple(tokenise(value) for value in values)
        for key, values in data.get("slots", {}).items()
    }
    families = {
        f["id"]: Family(f["id"], f.get("rule", ""), f.get("says", ""), f.get("advice", ""))
        for f in data.get("family", [])
    }
    patterns = []
    for p in data.get("pattern", []):
        if p["family"] not in families:
            raise ValueError(f"Pattern {p['id']} names an unknown family {p['family']}.")
        patterns.append(
            Pattern(
                id=p["id"],
                family=p["family"],
                phrases=tuple(compile_phrase(t, slots) for t in p["phrases"]),
                kinds=frozenset(p.get("kinds", ())),
                negatable=p.get("negatable", True),
                not_followed_by=tuple(tokenise(t) for t in p.get("not_followed_by", ())),
                not_preceded_by=tuple(tokenise(t) for t in p.get("not_preceded_by", ())),
                field_question_ok=p.get("field_question_ok", False),
                examples=tuple(p.get("examples", ())),
                innocent=tuple(p.get("innocent", ())),
            )
        )
    negation = data.get("negation", {})
    context = data.get("field", {})
    return PhraseBook(
        name=name,
        families=families,
        patterns=tuple(patterns),
        negation_cues=frozenset(negation.get("cues", ())),
        negation_window=int(negation.get("window", 6)),
        not_negating=frozenset(negation.get("not_negating", ())),
        field_markers=tuple(tokenise(t) for t in context.get("markers", ())),
        personal_words=frozenset(context.get("personal", ())),
        lists={k: tuple(v) for k, v in data.get("lists", {}).items()},
    )


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def _clause_start(sentence: Sentence, pos: int) -> bool:
    return pos == 0 or not is_word(sentence.tokens[pos - 1]) or sentence.tokens[pos - 1] == "but"


def _option_at(sentence: Sentence, pos: int, option: tuple[str, ...]) -> int | None:
    tokens = sentence.tokens
    if pos + len(option) > len(tokens):
        return None
    for offset, want in enumerate(option):
        have = tokens[pos + offset]
        if want == "_":
            if not is_word(have):
                return None
        elif want == "{NAME}":
            if not (is_word(have) and sentence.capitalised[pos + offset]):
                return None
            if sentence.initial[pos + offset] or have == "i":
                return None
        elif have != want:
            return None
    return pos + len(option)


def _match_steps(steps: tuple[Step, ...], index: int, sentence: Sentence, pos: int) -> int | None:
    if index == len(steps):
        return pos
    step = steps[index]
    tokens = sentence.tokens
    for skip in range(step.gap + 1):
        at = pos + skip
        if at > len(tokens):
            break
        if skip and not is_word(tokens[at - 1]):
            break  # a gap never crosses punctuation
        if step.anchored and not _clause_start(sentence, at):
            continue
        for option in step.options:
            end = _option_at(sentence, at, option)
            if end is not None:
                result = _match_steps(steps, index + 1, sentence, end)
                if result is not None:
                    return result
    if step.optional:
        return _match_steps(steps, index + 1, sentence, pos)
    return None


def _matches(pattern: Pattern, sentence: Sentence) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    covered = -1
    for start in range(len(sentence.tokens)):
        if start < covered:
            continue
        for phrase in pattern.phrases:
            first = phrase.steps[0]
            if not first.optional and not any(
                sentence.tokens[start] == option[0] or option[0] in ("_", "{NAME}")
                for option in first.options
            ):
                continue
            end = _match_steps(
                (Step(first.options, first.optional, 0, first.anchored), *phrase.steps[1:]),
                0,
                sentence,
                start,
            )
            if end is not None and end > start:
                spans.append((start, end))
                covered = end
                break
    return spans


def _negated(book: PhraseBook, sentence: Sentence, start: int) -> bool:
    tokens = sentence.tokens
    for back in range(1, book.negation_window + 1):
        at = start - back
        if at < 0:
            return False
        word = tokens[at]
        if not is_word(word) or word == "but":
            return False
        if word in book.not_negating:
            return False
        if word in book.negation_cues:
            return True
    return False


def _clause_bounds(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    tokens = sentence.tokens
    left = start
    while left > 0 and is_word(tokens[left - 1]) and tokens[left - 1] != "but":
        left -= 1
    right = end
    while (
        right < len(tokens)
        and (is_word(tokens[right]) or tokens[right] == "?")
        and tokens[right] != "but"
    ):
        right += 1
    return left, right


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def _cancelled(
    book: PhraseBook, pattern: Pattern, sentence: Sentence, start: int, end: int
) -> bool:
    tokens = sentence.tokens
    for follow in pattern.not_followed_by:
        if tuple(tokens[end : end + len(follow)]) == follow:
            return True
    for before in pattern.not_preceded_by:
        if start >= len(before) and tuple(tokens[start - len(before) : start]) == before:
            return True
    if pattern.field_question_ok:
        left, right = _clause_bounds(sentence, start, end)
        clause = tokens[left:right]
        if any(_contains(clause, marker) for marker in book.field_markers) and not any(
            t in book.personal_words for t in clause
        ):
            return True
    return False
