"""Pages of translation: asking for content in one's language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.core.actors import actor_of

from . import people
from .machine.engine import can_translate
from .registry import declaration


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
    if asked is None and declaration(obj).versions_rule:
        messages.info(
            request,
            _(
                "A machine translation is made when this server has a model for these languages; "
                "the versions people write are its authors' to write."
            ),
        )
    elif asked is None:
        messages.info(request, _("A person has already translated this into your language."))
    elif asked.kind == asked.Kind.TRANSLATE and not can_translate(
        asked.source_language, asked.target_language
    ):
        messages.info(
            request,
            _(
                "No translation model on this server translates %(source)s into %(target)s: the "
                "volunteers who translate into this language are asked instead."
            )
            % {"source": asked.source_language, "target": asked.target_language},
        )
    else:
        messages.success(
            request,
            _(
                "Asked for. A machine translation shows here as soon as it is made, and the "
                "volunteers who translate into this language are told."
            ),
        )
    return redirect(_back(request, obj))
