"""Job postings: a plain list for now; matching to the network comes later (R16)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grapevine.accounts.models import User
from grapevine.targets.selectors import posting_list


@login_required
def posting_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    query = request.GET.get("q", "").strip()
    page = Paginator(posting_list(user, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "targets/posting_list.html", {"page": page, "query": query})
