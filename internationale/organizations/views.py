from django.http import HttpResponse


def organization_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def organization_create(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def organization_detail(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def organization_edit(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def member_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def member_role(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def member_remove(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def invitation_create(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def relation_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def relation_propose(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def relation_decide(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def relation_end(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def presence_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def presence_remove(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def vouch(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def vouch_withdraw(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def verify(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def employer_list(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def employer_create(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def employer_detail(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)


def invitation_accept(request, *args, **kwargs):  # placeholder
    return HttpResponse(status=501)
