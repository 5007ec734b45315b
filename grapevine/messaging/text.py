"""Reading a message as its reader does: subject, greeting, body, signature and P.S.

The rules look at different parts: the length counts the body only (R4), the referrer's name
belongs in the body's first sentence and not in a P.S. (R7), a signature's name is not a
"specific point" of a thank-you (R11). Sentences and words come from syntok, which knows
that "Dr." and "Ms. J. Holm" do not end a sentence; word stems from the Snowball stemmer.
Both are imported when a message is first read, so the CLI starts as fast as before.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

_SUBJECT = re.compile(r"^\s*subject\s*:\s*(.*)$", re.IGNORECASE)
_POSTSCRIPT = re.compile(r"^\s*(?:P\.?\s?P\.?\s?S|P\.?\s?S)(?:\.|:|\s|$)", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening)|kia ora|"
    r"to whom it may concern|bonjour|hallo|hej)\b",
    re.IGNORECASE,
)
#: A line that closes a letter: what follows it is the signature.
_CLOSING = re.compile(
    r"^\s*(?:(?:with |my )?(?:best|kind|kindest|warm|warmest|many|sincere)?\s*"
    r"(?:regards|wishes|thanks)|all the best|best|cheers|thanks(?: again| so much| a lot| in advance)?|"
    r"thank you(?: again| so much| in advance)?|with thanks|with gratitude|gratefully|sincerely|"
    r"yours(?: sincerely| faithfully| truly)?|warmly|take care|talk soon|speak soon|"
    r"respectfully|cordially|ng[aā] mihi|love)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_NAME_WORD = r"[A-Z][\w'-]*"
#: "… Thank you, Carla" or "… your inbox. Ivo" at the very end of a one-line message.
_INLINE_SIGNOFF = re.compile(
    rf"(?:(?<=[.!?])|^)\s*(?:(?:thanks|thank you|best|cheers|regards|kind regards|best regards|"
    rf"with thanks|many thanks|best wishes|warm regards)\s*,\s*)?"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}\s*$",
    re.IGNORECASE,
)
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "fr",
        "sr",
        "jr",
    ]
)
_CONTRACTIONS = {"'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}
_NEGATED_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
#: "who's hiring" is "who is hiring"; "Acme's team" keeps its "'s".
_IS_BEFORE = frozenset(
    [
        "who",
        "what",
        "that",
        "it",
        "there",
        "here",
        "he",
        "she",
        "where",
        "how",
        "everyone",
        "someone",
        "anyone",
        "nobody",
        "everything",
    ]
)


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    #: Lower-case tokens, contractions spelled out ("I'd" → "i", "would"); punctuation kept.
    tokens: tuple[str, ...]
    #: For each token: was it written with a capital letter?
    capitalised: tuple[bool, ...]
    #: For each token: is it the sentence's first word?
    initial: tuple[bool, ...]


@dataclass
class Message:
    raw: str
    subject: str = ""
    greeting: str = ""
    body: str = ""
    postscript: str = ""
    signature: str = ""
    #: Names in the greeting ("Dear Dr. Okafor" → {"okafor"}) and the signature.
    recipient_names: frozenset[str] = frozenset()
    sender_names: frozenset[str] = frozenset()
    _sentences: dict[str, list[Sentence]] = field(default_factory=dict, repr=False)

    def sentences(self, part: str = "body") -> list[Sentence]:
        """The sentences of ``part`` ("body", "postscript", "subject", "signature", "all" —
        subject, body and P.S. — or "everything")."""
        if part == "all":
            return self.sentences("subject") + self.sentences("body") + self.sentences("postscript")
        if part == "everything":  # the signature too: "Open to work — CV attached" is read
            return self.sentences("all") + self.sentences("signature")
        if part not in self._sentences:
            self._sentences[part] = split_sentences(getattr(self, part))
        return self._sentences[part]

    @property
    def reading_text(self) -> str:
        """What the reader reads as the message: the body and the P.S."""
        return "\n\n".join(p for p in (self.body, self.postscript) if p.strip())


def normalise(text: str) -> str:
    return text.translate(_TYPOGRAPHY).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _name_tokens(text: str) -> frozenset[str]:
    words = re.findall(r"[^\W\d_][\w'-]*", text)
    return frozenset(
        w.lower() for w in words if w[0].isupper() and w.lower().rstrip(".") not in HONORIFICS
    )


def _split_greeting(line: str) -> tuple[str, str]:
    """("Hi Ms. Ito,", "just following up…") from a first line that starts with a greeting."""
    if not _GREETING.match(line):
        return "", line
    # An inline greeting ends at the first comma, dash or colon within its first words.
    match = re.match(r"^(\s*\S+(?:\s+\S+){0,5}?\s*(?:,|:|!|\u2014|\u2013| - ))\s*(.*)$", line)
    if match and match.group(2).strip():
        return match.group(1).strip(), match.group(2)
    if len(line.split()) <= 8:
        return line.strip(), ""
    return "", line


def parse(text: str) -> Message:
    """Split a pasted message into its parts. Anything not recognised stays in the body."""
    raw = normalise(text)
    lines = raw.strip("\n").split("\n")
    subject = ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and (m := _SUBJECT.match(lines[first])):
        subject = m.group(1).strip()
        lines = lines[first + 1 :]
    postscript = ""
    for i, line in enumerate(lines):
        if i > 0 and _POSTSCRIPT.match(line):
            postscript = "\n".join(lines[i:]).strip()
            lines = lines[:i]
            break
    signature = ""
    for i, line in enumerate(lines):
        if line.rstrip() in ("--", "-- "):
            signature = "\n".join(lines[i + 1 :]).strip()
            lines = lines[:i]
            break
    if not signature:
        content = [i for i, line in enumerate(lines) if line.strip()]
        for i in reversed(content[-10:]):
            if i != content[0] and _CLOSING.match(lines[i]):
                signature = "\n".join(lines[i:]).strip()
                lines = lines[:i]
                break
    if not signature:
        signature, lines = _trailing_signature(lines)
    greeting = ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        greeting, rest = _split_greeting(lines[first])
        lines = lines[:first] + ([rest] if rest.strip() else []) + lines[first + 1 :]
    body = "\n".join(lines).strip()
    greeting_names = re.sub(_GREETING, "", greeting)
    return Message(
        raw=raw,
        subject=subject,
        greeting=greeting,
        body=body,
        postscript=postscript,
        signature=signature,
        recipient_names=_name_tokens(greeting_names),
        sender_names=_name_tokens(signature),
    )


def _trailing_signature(lines: list[str]) -> tuple[str, list[str]]:
    """A name alone at the end ("Alex", "Ana Souza"), as its own paragraph or after the last
    sentence of a one-paragraph message."""
    text = "\n".join(lines).rstrip()
    paragraphs = re.split(r"\n\s*\n", text)
    if len(paragraphs) > 1:
        last = paragraphs[-1].strip().split("\n")
        if (
            len(last) <= 4
            and len(last[0].split()) <= 4
            and not re.search(r"[.?!:;]\s*$", last[0])
            and last[0][:1].isupper()
        ):
            return paragraphs[-1].strip(), "\n\n".join(paragraphs[:-1]).split("\n")
    last_line = lines[-1] if lines else ""
    match = _INLINE_SIGNOFF.search(last_line)
    if match and match.start() > 0 and re.search(r"[.!?]\s*$", last_line[: match.start()]):
        return match.group(0).strip(), [*lines[:-1], last_line[: match.start()]]
    return "", lines


# ---------------------------------------------------------------------------
# Sentences and words
# ---------------------------------------------------------------------------


def _tokens_of(sentence: Any) -> list[tuple[str, str]]:
    """(lower-case form, as written) for each syntok token, contractions spelled out."""
    out: list[tuple[str, str]] = []
    for token in sentence:
        value = token.value
        lower = value.lower()
        if lower == "n't":
            if out and out[-1][0] in _NEGATED_STEMS:
                out[-1] = (_NEGATED_STEMS[out[-1][0]], out[-1][1])
            out.append(("not", value))
        elif lower == "'s" and out and out[-1][0] in _IS_BEFORE:
            out.append(("is", value))
        elif lower in _CONTRACTIONS:
            out.append((_CONTRACTIONS[lower], value))
        else:
            out.append((lower, value))
    return out


def split_sentences(text: str) -> list[Sentence]:
    import syntok.segmenter as segmenter

    sentences: list[Sentence] = []
    if not text.strip():
        return sentences
    for number, paragraph in enumerate(segmenter.analyze(normalise(text))):
        for sentence in paragraph:
            pairs = _tokens_of(sentence)
            if not pairs:
                continue
            first_word = next((i for i, (low, _) in enumerate(pairs) if is_word(low)), -1)
            sentences.append(
                Sentence(
                    text="".join(t.spacing + t.value for t in sentence).strip(),
                    paragraph=number,
                    tokens=tuple(low for low, _ in pairs),
                    capitalised=tuple(orig[:1].isupper() for _, orig in pairs),
                    initial=tuple(i == first_word for i in range(len(pairs))),
                )
            )
    return sentences


def tokenise(text: str) -> tuple[str, ...]:
    """The lower-case tokens of a phrase, as the sentences have them."""
    return tuple(t for s in split_sentences(text) for t in s.tokens)


def is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


_WORDS = re.compile(r"[\w'-]+")


def word_count(text: str) -> int:
    """Words as a reader counts them ("15-minute" and "I'd" are one word each)."""
    return len(_WORDS.findall(normalise(text)))


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))
