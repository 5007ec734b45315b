from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from grapevine.accounts.forms import LoginForm, SignupForm
from grapevine.accounts.services import signup_is_open, user_create


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    if not signup_is_open():
        return render(request, "accounts/signup_closed.html", status=403)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(form.cleaned_data["email"], form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, "Welcome to Grapevine. Start with a few people you know well (list A)."
        )
        return redirect("core:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "first_account": not _any_user()})


def _any_user() -> bool:
    from grapevine.accounts.models import User

    return User.objects.exists()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # A fresh instance has nobody to log in: its first page creates the account.
        if not _any_user():
            return redirect("accounts:signup")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["signup_open"] = signup_is_open()
        return context
