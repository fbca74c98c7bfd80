"""Machine translation's page for operators: which pairs the server translates, by backend, with
the licence of the installed packs, and how much has been translated."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from internationale.core.actors import actor_of

from .models import LanguageVersion
from .services_machine import machine_overview


@require_safe
@login_required
def translation_pairs(request: HttpRequest) -> HttpResponse:
    """For operators (404 for anyone else)."""
    overview = machine_overview(viewer=actor_of(request))
    statuses = dict(LanguageVersion.Status.choices)
    return render(
        request,
        "translation/pairs.html",
        {
            "overview": overview,
            "statuses": [(statuses[s], n) for s, n in overview.versions_by_status.items()],
            "status_names": [statuses[s] for s in LanguageVersion.Status.values],
            "by_language": [
                (language, [counts.get(s, 0) for s in LanguageVersion.Status.values])
                for language, counts in overview.versions_by_language
            ],
        },
    )
