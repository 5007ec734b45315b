from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from grapevine.contacts.normalise import format_phone
from grapevine.core.text import is_web_url, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    # render_markdown sanitises with nh3; only what it allows reaches the page.
    return mark_safe(render_markdown(text))


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def web_link(url: str, text: str = "") -> SafeString | str:
    """``url`` as a link that opens in a new tab, when it is an http(s) address; any
    other URL (``javascript:``, ``data:``, a typo) is shown as text, never as a link.

    Every page that shows a stored URL uses this filter (a test crawls them)."""
    shown = text or url
    if not url:
        return shown
    if not is_web_url(url):
        return shown
    return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, shown)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (for filters and pages)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
