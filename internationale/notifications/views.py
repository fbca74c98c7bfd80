"""An organization's inbox, the webhooks that carry it to other systems, and the choice of notice
e-mails."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.accounts.models import User
from internationale.core.actors import actor_of
from internationale.core.middleware import activate_language
from internationale.organizations.selectors import organization_for_member

from . import selectors, services
from .email_groups import kind_group
from .forms import (
    EmailEverythingForm,
    KindEmailsForm,
    OrganizationEmailsForm,
    WebhookForm,
    speaks,
)
from .models import EmailPreference, PersonalEntry
from .unsubscribe import unsubscribe_names, unsubscribe_read

# The secret of a webhook just added waits in the session until the page after the redirect
# shows it, once.
NEW_WEBHOOK_SESSION_KEY = "internationale_new_webhook"


@require_safe
@login_required
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.view_inbox"
    )
    unread_only = request.GET.get("unread") == "1"
    entries = selectors.inbox_list(
        viewer=actor_of(request), organization=organization, unread_only=unread_only
    )
    page = Paginator(entries, settings.INTERNATIONALE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page, "unread_only": unread_only}
    return render(request, "notifications/inbox.html", context)


@require_safe
@login_required
def inbox_entry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open an entry: it becomes read for this person, and leads to what it is about."""
    organization, entry = _entry(request, slug, pk)
    services.inbox_mark_read(actor=actor_of(request), entries=[entry])
    if _is_local_path(entry.url):
        return redirect(entry.url)
    entry.is_read = True
    return render(
        request, "notifications/inbox_entry.html", {"organization": organization, "entry": entry}
    )


@require_POST
@login_required
def inbox_unread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, entry = _entry(request, slug, pk)
    services.inbox_mark_unread(actor=actor_of(request), entry=entry)
    if request.htmx:  # type: ignore[attr-defined]
        entry.is_read = False
        return render(
            request,
            "notifications/_inbox_row.html",
            {"organization": organization, "entry": entry},
        )
    messages.success(request, _("Marked as unread."))
    return redirect("inbox", slug=organization.slug)


# A person's own inbox ----------------------------------------------------------------------------


@require_safe
@login_required
def personal_inbox(request: HttpRequest) -> HttpResponse:
    """The notices addressed to the person themselves (as a volunteer translator, as the one who
    asked for a translation), newest and most urgent first, with how many are unread."""
    viewer = actor_of(request)
    unread_only = request.GET.get("unread") == "1"
    entries = selectors.personal_inbox_list(viewer=viewer, unread_only=unread_only)
    page = Paginator(entries, settings.INTERNATIONALE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.personal_unread_count(viewer=viewer),
    }
    return render(request, "notifications/personal_inbox.html", context)


def _personal(request: HttpRequest, pk: int) -> PersonalEntry:
    entry = selectors.personal_inbox_list(viewer=actor_of(request)).filter(pk=pk).first()
    if entry is None:  # not there, or someone else's
        raise Http404
    return entry


@require_safe
@login_required
def personal_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an entry of one's own inbox: it becomes read, and leads to what it is about."""
    entry = _personal(request, pk)
    services.personal_mark_read(actor=actor_of(request), entries=[entry])
    if _is_local_path(entry.url):
        return redirect(entry.url)
    entry.read_at = entry.read_at or timezone.now()
    return render(request, "notifications/inbox_entry.html", {"entry": entry})


@require_POST
@login_required
def personal_unread(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _personal(request, pk)
    services.personal_mark_unread(actor=actor_of(request), entry=entry)
    if request.htmx:  # type: ignore[attr-defined]
        entry.read_at = None
        return render(request, "notifications/_inbox_row.html", {"entry": entry})
    messages.success(request, _("Marked as unread."))
    return redirect("personal_inbox")


def _is_local_path(url: str) -> bool:
    """A path on this server ("/appeals/4/"), never "//elsewhere" or "/\\elsewhere"."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


def _entry(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.view_inbox"
    )
    entry = (
        selectors.inbox_list(viewer=actor_of(request), organization=organization)
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return organization, entry


@require_http_methods(["GET", "POST"])
@login_required
def webhook_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.manage_webhooks"
    )
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = services.webhook_create(
                actor=actor_of(request), organization=organization, url=form.cleaned_data["url"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            request.session[NEW_WEBHOOK_SESSION_KEY] = {
                "id": webhook.pk,
                "url": webhook.url,
                "secret": webhook.secret,
            }
            messages.success(request, _("The webhook is added. Copy its secret now."))
            return redirect("webhook_list", slug=organization.slug)
    deliveries = selectors.delivery_list(viewer=actor_of(request), organization=organization)
    context = {
        "organization": organization,
        "form": form,
        "webhooks": selectors.webhook_list(viewer=actor_of(request), organization=organization),
        "page": Paginator(deliveries, settings.INTERNATIONALE_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "new_webhook": request.session.pop(NEW_WEBHOOK_SESSION_KEY, None),
        "overlap_hours": settings.INTERNATIONALE_WEBHOOK_SECRET_OVERLAP_HOURS,
    }
    return render(request, "notifications/webhook_list.html", context)


def _add_errors(form: WebhookForm, exc: ValidationError) -> None:
    """A service's errors on the form: under the field they name, else above the form."""
    for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


def _webhook(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="organizations.manage_webhooks"
    )
    webhook = (
        selectors.webhook_list(viewer=actor_of(request), organization=organization)
        .filter(pk=pk)
        .first()
    )
    if webhook is None:
        raise Http404
    return organization, webhook


@require_http_methods(["GET", "POST"])
@login_required
def webhook_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, webhook = _webhook(request, slug, pk)
    if request.method == "POST":
        services.webhook_delete(actor=actor_of(request), webhook=webhook)
        messages.success(request, _("The webhook is deleted."))
        return redirect("webhook_list", slug=organization.slug)
    return render(
        request,
        "notifications/webhook_delete.html",
        {"organization": organization, "webhook": webhook},
    )


@require_POST
@login_required
def webhook_rotate_secret(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, webhook = _webhook(request, slug, pk)
    try:
        webhook = services.webhook_rotate_secret(actor=actor_of(request), webhook=webhook)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[NEW_WEBHOOK_SESSION_KEY] = {
            "id": webhook.pk,
            "url": webhook.url,
            "secret": webhook.secret,
        }
        messages.success(
            request,
            _("The webhook has a new secret. Copy it now; the old one still signs for a while."),
        )
    return redirect("webhook_list", slug=organization.slug)


@require_POST
@login_required
def webhook_retire_previous_secret(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization, webhook = _webhook(request, slug, pk)
    try:
        services.webhook_retire_previous_secret(actor=actor_of(request), webhook=webhook)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The old secret no longer signs."))
    return redirect("webhook_list", slug=organization.slug)


# The mail client posts here without a CSRF token (RFC 8058): the link's signature is the authority.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe. A GET only shows a button: mail scanners follow links. The page
    names what the link turns off, in the language of the person it was sent to."""
    try:
        what = unsubscribe_read(token)
    except signing.BadSignature:
        return render(
            request, "notifications/email_unsubscribe.html", {"invalid": True}, status=400
        )
    language, organization = unsubscribe_names(what)
    activate_language(request, language)
    if request.method == "POST":
        services.email_unsubscribe(token=token)
    context = {
        "done": request.method == "POST",
        "organization": organization,
        "everything": what.organization_id is None,
    }
    return render(request, "notifications/email_unsubscribe.html", context)


@require_POST
@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """The same notice e-mails for everything, from the settings page: it replaces every choice
    by kind and by organization."""
    everything = EmailEverythingForm(request.POST, user=cast(User, request.user))
    if not everything.is_valid():
        messages.error(request, _("Choose how to receive every notice e-mail."))
        return redirect("account_settings")
    mode = everything.cleaned_data["everything"]
    services.email_preference_set(actor=actor_of(request), organization=None, mode=mode)
    messages.success(request, _everything_saved(mode))
    return redirect("account_settings")


@require_http_methods(["GET", "POST"])
@login_required
def email_kinds(request: HttpRequest, group: str) -> HttpResponse:
    """The notice e-mails of one app's kinds, in all the person's organizations."""
    kinds = kind_group(group)
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        _save_email_choices(request, KindEmailsForm(request.POST, user=user, group=kinds))
        return redirect("email_kinds", group=kinds.slug)
    form = KindEmailsForm(user=user, group=kinds)
    context = {"form": form, "group": kinds, "speaks": speaks(user)}
    return render(request, "notifications/email_kinds.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def email_organizations(request: HttpRequest) -> HttpResponse:
    """For each organization the person speaks for, one choice for all its notices."""
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        _save_email_choices(request, OrganizationEmailsForm(request.POST, user=user))
        return redirect("email_organizations")
    form = OrganizationEmailsForm(user=user)
    return render(request, "notifications/email_organizations.html", {"form": form})


def _save_email_choices(
    request: HttpRequest, form: KindEmailsForm | OrganizationEmailsForm
) -> None:
    """Save all the choices of a page, or none and say why."""
    if not form.is_valid():
        messages.error(
            request, _("Choose how to receive the e-mails of each kind and each organization.")
        )
        return
    changes = form.changes()
    with transaction.atomic():
        for organization, kind, mode in changes:
            services.email_preference_set(
                actor=actor_of(request), organization=organization, kind=kind, mode=mode
            )
    if changes:
        messages.success(request, _("Your e-mail choices are saved."))
    else:
        messages.info(request, _("Nothing to save: these were already your e-mail choices."))


def _everything_saved(mode: str) -> str:
    if mode == EmailPreference.Mode.DIGEST:
        return _("Saved: every notice now comes by e-mail in your daily digest.")
    if mode == EmailPreference.Mode.OFF:
        return _("Saved: you will receive no notice e-mails. The inbox still shows every notice.")
    return _("Saved: every notice now comes by e-mail at once.")
