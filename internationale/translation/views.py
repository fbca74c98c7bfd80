"""Pages of translation: asking for content in one's language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from internationale.core.actors import actor_of

from . import people


def _back(request: HttpRequest, obj: object) -> str:
    given = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(given, allowed_hosts={request.get_host()}):
        return given
    return obj.get_absolute_url()  # type: ignore[attr-defined, no-any-return]


@login_required
@require_POST
def translation_ask(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    obj = people.content_get(
        viewer=actor, label=request.POST.get("content", ""), pk=request.POST.get("id")
    )
    try:
        asked = people.translation_ask(
            actor=actor, obj=obj, language=request.POST.get("language", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_back(request, obj))
    level, message = people.ask_outcome(obj, asked)
    getattr(messages, level)(request, message)
    return redirect(_back(request, obj))
