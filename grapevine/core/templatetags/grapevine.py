from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from grapevine.contacts.normalise import format_phone
from grapevine.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    # render_markdown sanitises with nh3; only what it allows reaches the page.
    return mark_safe(render_markdown(text))


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


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
