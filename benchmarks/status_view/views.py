"""The two reference views: a constant JSON answer (the baseline) and an ordinary page."""

from django.http import HttpRequest, HttpResponse, JsonResponse

CONSTANT = {"status": "ok"}


def constant(request: HttpRequest) -> JsonResponse:
    return JsonResponse(CONSTANT)


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>page</title><p>An ordinary page.</p>")
