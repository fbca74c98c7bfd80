from django.http import HttpResponse


def settings_view(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def set_language(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def audit_log(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def token_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def token_revoke(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)
