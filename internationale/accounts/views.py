"""Pages about a person: their settings, the language switcher, and their organization's API
tokens (routed under organizations/<slug>/ by organization_urls.py)."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of

from . import selectors, services
from .forms import SettingsForm, TokenCreateForm
from .models import ApiToken, User

# The raw key of a token just created waits in the session until the page after the redirect
# shows it, once.
NEW_TOKEN_SESSION_KEY = "internationale_new_token"  # noqa: S105 -- a session key name


@require_safe
def operator_login(request: HttpRequest) -> HttpResponse:
    """The operator pages' own sign-in form is not used: operators sign in as everyone does, with
    their second factor and the sign-in limits, and come back to where they were going."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("account_login"))
    if not request.user.is_staff:
        raise PermissionDenied
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return HttpResponseRedirect(next_url)


@require_http_methods(["GET", "POST"])
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    initial = {"name": user.name, "language": user.language, "time_zone": user.time_zone}
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        current_time_zone=user.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_preferences(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            user.refresh_from_db()
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            with translation.override(user.language or translation.get_language()):
                messages.success(request, _("Your settings are saved."))
            return _language_response(redirect("account_settings"), user.language)
    return render(request, "accounts/settings.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: remembered in a cookie, and on the person when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        try:
            services.user_set_preferences(actor=cast(User, request.user), language=language)
        except ValidationError:
            # Something else about the person is invalid: the cookie still carries the choice.
            request.user.refresh_from_db()
    return _language_response(response, language)


def _language_response(response: HttpResponse, language: str) -> HttpResponse:
    """Remember the choice in Django's language cookie, as its own `set_language` does."""
    if not language:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _organization_for(request: HttpRequest, slug: str, perm: str) -> Any:
    """The organization at `slug`, on which the person holds `perm`; 404 otherwise, as if it did
    not exist. Reached through the token's own foreign key: accounts lies below organizations and
    imports nothing of it. Each permission asked here needs a role in the organization, so whoever
    holds one may see the organization too."""
    organization_model = ApiToken._meta.get_field("organization").related_model
    organization = organization_model._default_manager.filter(slug=slug).first()
    if organization is None or not actor_of(request).has_perm(perm, organization):
        raise Http404
    return organization


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_for(request, slug, "organizations.create_token")
    form = TokenCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(
            actor=actor_of(request),
            user=cast(User, request.user),
            organization=organization,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
        )
        request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "raw": raw}
        messages.success(request, _("Your token is created. Copy it now: it is shown only once."))
        return redirect("token_list", slug=organization.slug)
    is_admin = actor_of(request).has_perm("organizations.manage_tokens", organization)
    tokens = selectors.token_list(viewer=actor_of(request), organization=organization)
    page = Paginator(tokens, settings.INTERNATIONALE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "is_admin": is_admin,
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
    }
    return render(request, "accounts/token_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization_for(request, slug, "organizations.create_token")
    token = (
        selectors.token_list(viewer=actor_of(request), organization=organization)
        .filter(pk=pk)
        .first()
    )
    if token is None:
        raise Http404
    if request.method == "POST":
        services.token_revoke(actor=actor_of(request), token=token)
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("token_list", slug=organization.slug)
    return render(
        request, "accounts/token_revoke.html", {"organization": organization, "token": token}
    )
