"""Markdown written by users, rendered and sanitised with nh3."""

from __future__ import annotations

import markdown as md
import nh3

_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
}
_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    """HTML safe to put in a page: only harmless tags, links get rel=noopener."""
    if not text:
        return ""
    html = md.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(value: str) -> bool:
    """An http(s) address with a host: the only kind of URL Grapevine stores or shows as
    a link (a ``javascript:`` or ``data:`` URL would run or load something on a click)."""
    from urllib.parse import urlsplit

    text = (value or "").strip()
    if not text or any(ch.isspace() or ord(ch) < 32 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
