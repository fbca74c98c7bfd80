from django.http import HttpResponse


def settings_view(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def set_language(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)
