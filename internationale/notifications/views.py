from django.http import HttpResponse


def inbox(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def inbox_entry(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def inbox_unread(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def webhook_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def webhook_delete(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)
