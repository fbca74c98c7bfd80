"""HTML pages for organizations, their members, relations, presences, vouches, and employers.

Who gets what, everywhere:
- an organization the viewer may not see, or an object (membership, relation, presence, vouch)
  that is not the viewer's to see or not the organization's in the URL: 404, as if missing;
- a visible organization or object, but an action reserved to other roles: 403;
- an anonymous visitor on a page that needs an account: a redirect to sign in.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries
from django_countries.fields import Country

from internationale.core.actors import actor_of
from internationale.core.predicates import in_network
from internationale.core.services import allowed, require

from . import directory, forms, selectors, services
from .models import (
    Employer,
    Membership,
    Organization,
    Relation,
    Vouch,
)
from .reference import language_name, sector_name

T = TypeVar("T", bound=Model)
GET_POST = require_http_methods(["GET", "POST"])


# Helpers ----------------------------------------------------------------------------------------


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _org(request: HttpRequest, slug: str) -> Organization:
    return selectors.organization_get(viewer=actor_of(request), slug=slug)


def _key(form: Any) -> str | None:
    """The form's submission key: the service makes a repeated submission create nothing."""
    return form.cleaned_data.get("submission_key")


def _with_language_names(orgs: Any) -> None:
    for org in orgs:
        org.language_names = [language_name(language.tag) for language in org.languages.all()]


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, settings.INTERNATIONALE_PAGE_SIZE).get_page(request.GET.get("page"))


class CappedPaginator(Paginator):
    """Pages over the first COUNTED_AT_MOST organizations found, counted no further (`more`
    says whether there are others: a count of everything costs a scan of everything), each page
    read by the ids of its slice (selectors.directory_slice)."""

    def __init__(self, found: selectors.DirectoryFound | None, per_page: int) -> None:
        self.found = found
        self.more = bool(found and found.more)
        organizations = found.organizations if found else Organization.objects.none()
        super().__init__(organizations, per_page)

    @cached_property
    def count(self) -> int:
        return self.found.count if self.found else 0

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = selectors.directory_slice(
            cast(QuerySet, self.object_list), start, start + self.per_page
        )
        return Page(list(rows.values_list(*DIRECTORY_COLUMNS)), number, self)


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# Directory and profile --------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryCard:
    """All that an organization's card in the directory shows, and so the key of its HTML."""

    slug: str
    name: str
    is_verified: bool
    kind: str
    country: str
    city: str
    tags: tuple[str, ...]
    codes: tuple[str, ...]
    remote_actor_url: str = ""  # an organization of another server (federation)

    @property
    def home_host(self) -> str:
        return urlsplit(self.remote_actor_url).netloc if self.remote_actor_url else ""

    # Read by the template when the card is rendered, in the active language.
    def kind_label(self) -> str:
        return str(dict(Organization.Kind.choices).get(self.kind, self.kind))

    def country_name(self) -> str:
        return countries.name(self.country)

    def language_names(self) -> list[str]:
        return [language_name(tag) for tag in self.tags]

    def sectors(self) -> list[tuple[str, str]]:
        return [(code, sector_name(code)) for code in self.codes]


DIRECTORY_COLUMNS = [
    "pk",
    "slug",
    "name",
    "verified_at",
    "kind",
    "country",
    "city",
    "remote_actor_url",
]


def _directory_cards(rows: list[tuple]) -> list[SafeString]:
    """The cards of a page of the directory, from its rows and one query for their languages and
    sectors (cheaper than prefetching model instances)."""
    found = selectors.tags_and_codes([row[0] for row in rows])
    language, prefix = get_language(), get_script_prefix()
    cards = []
    for pk, slug, name, verified_at, kind, country, city, remote_actor_url in rows:
        card = DirectoryCard(
            slug,
            name,
            verified_at is not None,
            kind,
            country,
            city,
            tuple(found[pk][0]),
            tuple(found[pk][1]),
            remote_actor_url,
        )
        render_card = partial(render_to_string, "organizations/_directory_card.html", {"org": card})
        cards.append(directory.cards.get((language, prefix, card), render_card))
    return cards


def _directory_form(form: forms.DirectoryForm, employers: list[tuple[str, str]]) -> SafeString:
    # The form shows what was typed, the errors that follow from it, and the employers.
    key = (get_language(), tuple(form.data.get(name) for name in form.fields), tuple(employers))
    return directory.forms.get(
        key, lambda: render_to_string("organizations/_form.html", {"form": form})
    )


def _directory_blocks(request: HttpRequest, partial: bool) -> tuple[SafeString, SafeString | None]:
    """The directory's results and, for the whole page, its filter form, as HTML."""
    employers = []
    if not partial or request.GET.get("employer"):  # for the form, or to check the one chosen
        qs = selectors.employer_list(viewer=actor_of(request)).prefetch_related(None)
        employers = list(qs.values_list("slug", "name"))
    form = forms.DirectoryForm(request.GET, employers=employers)
    found = (
        selectors.organization_found(viewer=actor_of(request), filters=form.filters())
        if form.is_valid()
        else None
    )
    paginator = CappedPaginator(found, settings.INTERNATIONALE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "cards": _directory_cards(list(page)),
        "presences_hidden": bool(request.GET.get("employer")) and not in_network(actor_of(request)),
    }
    results = render_to_string("organizations/_directory_results.html", context, request)
    return results, None if partial else _directory_form(form, employers)


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    partial = bool(request.htmx and not request.htmx.history_restore_request)  # type: ignore[attr-defined]
    viewer = directory.directory_viewer(
        actor_of(request), employer=bool(request.GET.get("employer"))
    )
    key = directory.page_answers.key(viewer, "page", partial, request.META.get("QUERY_STRING", ""))
    results, form_html = directory.page_answers.get(
        key, lambda: _directory_blocks(request, partial)
    )
    if partial:
        response = HttpResponse(results)
    else:
        context = {"form_html": form_html, "results_html": results}
        response = render(request, "organizations/organization_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@GET_POST
@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = forms.OrganizationForm(_data(request), request.FILES or None)
    similar: list[Organization] = []
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(
                actor=actor_of(request), submission_key=_key(form), **form.service_fields()
            )
        except ValidationError as error:
            name, country = form.cleaned_data["name"], form.cleaned_data["country"]
            forms.add_service_errors(form, error)
            if form.has_error("name", "similar_name"):
                similar = selectors.similar_organizations(
                    viewer=actor_of(request), name=name, country=country
                )
                form.ask_to_confirm()
        else:
            messages.success(
                request,
                _(
                    "%(name)s is registered. It is not verified yet: a server operator, or two "
                    "verified organizations that know it, can verify it."
                )
                % {"name": org.name},
            )
            return redirect("organization_detail", org.slug)
    context = {"form": form, "similar": similar}
    return render(request, "organizations/organization_form.html", context)


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    _with_language_names([org])
    relations = selectors.relation_list(viewer=actor_of(request), organization=org)
    vouches = selectors.vouch_list(viewer=actor_of(request), organization=org)
    context = {
        "org": org,
        "presences": selectors.presence_list(viewer=actor_of(request), organization=org),
        "relations": [(relation, relation.other(org)) for relation in relations],
        "vouches": vouches,
        "vouches_needed": services.VOUCHES_TO_VERIFY,
        # What verification counts of them: remote vouches as the operator set it.
        "vouches_counted": services.counted_vouches([v for v in vouches if v.voucher.is_verified]),
        "remote_vouches": settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES,
        "has_remote_vouches": any(v.voucher.remote_actor_url for v in vouches),
        # Offered only while one of the viewer's organizations has not vouched yet.
        "may_still_vouch": bool(_vouchers(request, vouches)),
    }
    return render(request, "organizations/organization_detail.html", context)


@GET_POST
@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.edit_organization", org)
    form = forms.OrganizationForm(_data(request), request.FILES or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=actor_of(request), organization=org, **form.service_fields()
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
            org.refresh_from_db()  # the service set the rejected values on it
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("organization_detail", org.slug)
    return render(request, "organizations/organization_form.html", {"form": form, "org": org})


# Members and invitations ------------------------------------------------------------------------


def _membership(request: HttpRequest, org: Organization, pk: int) -> Any:
    # Raises 404 unless the viewer may see the organization's members.
    return get_object_or_404(
        selectors.membership_list(viewer=actor_of(request), organization=org), pk=pk
    )


@require_safe
@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.view_members", org)
    memberships = selectors.membership_list(viewer=actor_of(request), organization=org)
    context = {"org": org, "memberships": memberships, "roles": Membership.Role.choices}
    return render(request, "organizations/member_list.html", context)


@require_POST
@login_required
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    membership = _membership(request, org, pk)
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a role."))
    try:
        membership = services.membership_set_role(
            actor=actor_of(request), membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
    return redirect("member_list", org.slug)


@GET_POST
@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    membership = _membership(request, org, pk)
    leaving = allowed(actor_of(request), "organizations.leave_organization", membership)
    if request.method == "POST":
        try:
            services.membership_remove(actor=actor_of(request), membership=membership)
        except ValidationError as error:
            messages.error(request, _error_message(error))
            return redirect("member_list", org.slug)
        if leaving:
            messages.success(request, _("You left %(org)s.") % {"org": org.name})
            return redirect("dashboard")
        messages.success(request, _("%(email)s was removed.") % {"email": membership.user.email})
        return redirect("member_list", org.slug)
    require(
        actor_of(request), "organizations.remove_member", membership
    )  # what to show: the form or 403
    context = {"org": org, "membership": membership, "leaving": leaving}
    return render(request, "organizations/member_remove.html", context)


@GET_POST
@login_required
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.manage_members", org)
    form = forms.InvitationForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = services.invitation_create(
                actor=actor_of(request),
                organization=org,
                email=data["email"],
                role=data["role"],
                submission_key=_key(form),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("member_list", org.slug)
    context = {"org": org, "form": form, "invitation_days": settings.INTERNATIONALE_INVITATION_DAYS}
    return render(request, "organizations/invitation_form.html", context)


@GET_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "organizations/invitation_invalid.html", status=404)
    context: dict[str, Any] = {"invitation": invitation}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.invitation_accept(actor=actor_of(request), token=token)
        except ValidationError as error:
            if error.code == "invitation_invalid":
                return render(request, "organizations/invitation_invalid.html", status=404)
            context["error"] = _error_message(error)
            return render(request, "organizations/invitation_accept.html", context, status=403)
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
        return redirect("organization_detail", membership.organization.slug)
    return render(request, "organizations/invitation_accept.html", context)


# Relations --------------------------------------------------------------------------------------


def _relation(request: HttpRequest, org: Organization, pk: int) -> Relation:
    relation = selectors.relation_get(viewer=actor_of(request), pk=pk)
    if org.pk not in (relation.proposer_id, relation.partner_id):
        raise Http404
    return relation


@require_safe
def relation_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    relations = selectors.relation_list(
        viewer=actor_of(request), organization=org, include_pending=True
    )
    context = {"org": org, "relations": [(r, r.other(org)) for r in relations]}
    return render(request, "organizations/relation_list.html", context)


@GET_POST
@login_required
def relation_propose(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.propose_relation", org)
    partners = selectors.organization_list(
        viewer=actor_of(request), filters=selectors.DirectoryFilters(verified=True)
    )
    partners = partners.exclude(pk=org.pk).prefetch_related(None)
    form = forms.RelationForm(_data(request), partners=partners)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "submission_key"}
        try:
            relation = services.relation_propose(
                actor=actor_of(request), proposer=org, submission_key=_key(form), **fields
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your proposal was sent to %(org)s, which can accept or decline it.")
                % {"org": relation.partner.name},
            )
            return redirect("relation_list", org.slug)
    return render(request, "organizations/relation_form.html", {"org": org, "form": form})


@require_POST
@login_required
def relation_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    relation = _relation(request, org, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Accept or decline."))
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.relation_decide(actor=actor_of(request), relation=relation, accept=accept)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        if accept:
            message = _("You accepted the relation with %(org)s.")
        else:
            message = _("You declined the relation with %(org)s.")
        messages.success(request, message % {"org": relation.other(org).name})
    return redirect("relation_list", org.slug)


@GET_POST
@login_required
def relation_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    relation = _relation(request, org, pk)
    if not allowed(actor_of(request), "organizations.end_relation", relation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.relation_end(actor=actor_of(request), relation=relation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The relation has ended."))
        return redirect("relation_list", org.slug)
    # Only what to show: the confirmation, or why there is nothing to end.
    if relation.status not in (Relation.Status.PROPOSED, Relation.Status.ACCEPTED):
        messages.error(request, _("This relation has already ended or was declined."))
        return redirect("relation_list", org.slug)
    context = {"org": org, "relation": relation, "other": relation.other(org)}
    return render(request, "organizations/relation_end.html", context)


# Presences at employers -------------------------------------------------------------------------


@GET_POST
def presence_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(actor_of(request), "organizations.record_presence", org)
        employers = selectors.employer_list(viewer=actor_of(request))
        form = forms.PresenceForm(request.POST, employers=employers)
        if form.is_valid() and _presence_add(request, org, form):
            return redirect("presence_list", org.slug)
    elif actor_of(request).has_perm("organizations.record_presence", org):
        form = forms.PresenceForm(employers=selectors.employer_list(viewer=actor_of(request)))
    presences = selectors.presence_list(viewer=actor_of(request), organization=org)
    context = {"org": org, "presences": presences, "form": form}
    return render(request, "organizations/presence_list.html", context)


def _presence_add(request: HttpRequest, org: Organization, form: forms.PresenceForm) -> bool:
    data = form.cleaned_data
    try:
        presence = services.presence_add(
            actor=actor_of(request),
            organization=org,
            employer=data["employer"],
            site=data["site"],
            visibility=data["visibility"],
            submission_key=_key(form),
        )
    except ValidationError as error:
        forms.add_service_errors(form, error)
        return False
    place = presence.site or presence.employer
    messages.success(request, _("Presence at %(place)s recorded.") % {"place": place})
    return True


@GET_POST
@login_required
def presence_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    presences = selectors.presence_list(viewer=actor_of(request), organization=org)
    presence = get_object_or_404(presences, pk=pk)
    require(actor_of(request), "organizations.record_presence", org)
    if request.method == "POST":
        services.presence_remove(actor=actor_of(request), presence=presence)
        messages.success(request, _("The presence was removed."))
        return redirect("presence_list", org.slug)
    context = {"org": org, "presence": presence}
    return render(request, "organizations/presence_remove.html", context)


# Verification: vouches and operators ------------------------------------------------------------


def _vouchers(request: HttpRequest, vouches: Iterable[Vouch]) -> list[Organization]:
    """The verified organizations the viewer speaks for that do not vouch yet (`vouches`): those
    it may vouch in the name of."""
    vouching = {vouch.voucher_id for vouch in vouches}
    spoken_for = selectors.verified_spoken_for(viewer=actor_of(request))
    return [organization for organization in spoken_for if organization.pk not in vouching]


def _vouching_page(request: HttpRequest, org: Organization) -> str:
    """Where vouching starts and ends: the organization's profile, or the vouching page for
    those who may not see the profile yet."""
    if actor_of(request).has_perm("organizations.see_organization", org):
        return reverse("organization_detail", args=[org.slug])
    return reverse("vouch", args=[org.slug])


def _after_vouching(request: HttpRequest, org: Organization) -> HttpResponse:
    return redirect(_vouching_page(request, org))


@GET_POST
@login_required
def vouch(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.vouch_for", org)
    vouches = selectors.vouch_list(viewer=actor_of(request), organization=org)
    form = forms.VouchForm(_data(request), vouchers=_vouchers(request, vouches))
    if request.method == "POST" and form.is_valid():
        voucher, was_verified = form.cleaned_data["voucher"], org.is_verified
        try:
            services.vouch_add(
                actor=actor_of(request),
                organization=org,
                voucher=voucher,
                submission_key=_key(form),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            if org.is_verified and not was_verified:
                message = _("Your vouch is recorded. %(org)s is now verified.") % {"org": org}
            else:
                message = _("Your vouch is recorded.")
            messages.success(request, message)
            return _after_vouching(request, org)
    context = {"org": org, "form": form, "vouches": vouches}
    return render(request, "organizations/vouch.html", context)


@GET_POST
@login_required
def vouch_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _org(request, slug)
    vouch = get_object_or_404(
        selectors.vouch_list(viewer=actor_of(request), organization=org), pk=pk
    )
    if request.method == "POST":
        services.vouch_withdraw(actor=actor_of(request), vouch=vouch)
        messages.success(request, _("The vouch is withdrawn."))
        return _after_vouching(request, org)
    if not allowed(actor_of(request), "organizations.withdraw_vouch", vouch):
        raise PermissionDenied
    context = {"org": org, "vouch": vouch, "back": _vouching_page(request, org)}
    return render(request, "organizations/vouch_withdraw.html", context)


@GET_POST
@login_required
def verify(request: HttpRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    require(actor_of(request), "organizations.verify_organization", org)
    if request.method == "POST":
        services.organization_verify(actor=actor_of(request), organization=org)
        messages.success(request, _("%(org)s is verified.") % {"org": org.name})
        if request.POST.get("from") == "queue":
            return redirect("verification_queue")
        return redirect("organization_detail", org.slug)
    return render(request, "organizations/verify.html", {"org": org})


@require_safe
@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    """For operators: the organizations waiting to be verified, with their vouches and the
    organizations of the same country with a near-identical name, each with its verify button."""
    queue = selectors.verification_queue(viewer=actor_of(request))
    return render(request, "organizations/verification_queue.html", {"queue": queue})


# Employers --------------------------------------------------------------------------------------


@require_safe
def employer_list(request: HttpRequest) -> HttpResponse:
    form = forms.EmployerSearchForm(request.GET)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = _page(request, selectors.employer_list(viewer=actor_of(request), q=q))
    return render(request, "organizations/employer_list.html", {"form": form, "page": page})


@GET_POST
@login_required
def employer_create(request: HttpRequest) -> HttpResponse:
    require(actor_of(request), "organizations.register_employer")
    form = forms.EmployerForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(
                actor=actor_of(request), submission_key=_key(form), **form.service_fields()
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is in the directory.") % {"name": employer})
            return redirect("employer_detail", employer.slug)
    return render(request, "organizations/employer_form.html", {"form": form})


def _sites_by_country(employer: Employer, presences: Any) -> tuple[list, list]:
    """[(country, [(site, [organizations present])])] by country name, and the organizations
    present at the employer in general."""
    present = defaultdict(list)
    for presence in presences:
        present[presence.site_id].append(presence.organization)
    by_country: dict[str, tuple[Any, list]] = {}
    for site in employer.sites.all():
        entry = by_country.setdefault(cast(Country, site.country).code, (site.country, []))
        entry[1].append((site, present.get(site.pk, [])))
    countries = sorted(by_country.values(), key=lambda entry: str(entry[0].name))
    return countries, present.get(None, [])


@GET_POST
def employer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    employer = selectors.employer_get(viewer=actor_of(request), slug=slug)
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(actor_of(request), "organizations.register_employer")
        form = forms.SiteForm(request.POST)
        if form.is_valid() and _site_add(request, employer, form):
            return redirect("employer_detail", employer.slug)
    elif actor_of(request).has_perm("organizations.register_employer"):
        form = forms.SiteForm()
    presences = selectors.presence_list(viewer=actor_of(request), employer=employer)
    countries, in_general = _sites_by_country(employer, presences)
    context = {
        "employer": employer,
        "countries": countries,
        "in_general": in_general,
        "presences_hidden": not in_network(actor_of(request)),
    }
    return render(request, "organizations/employer_detail.html", {**context, "form": form})


def _site_add(request: HttpRequest, employer: Employer, form: forms.SiteForm) -> bool:
    try:
        site = services.site_add(
            actor=actor_of(request),
            employer=employer,
            submission_key=_key(form),
            **form.service_fields(),
        )
    except ValidationError as error:
        forms.add_service_errors(form, error)
        return False
    messages.success(request, _("The site %(site)s is added.") % {"site": site.name})
    return True
