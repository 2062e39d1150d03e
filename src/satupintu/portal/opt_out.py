"""/berhenti/<token>/: the link in every message to a reporter. No sign-in: the token is the
proof. GET asks for confirmation (a link preview or a mail scanner only ever GETs), POST stops
every notification to that address on that channel (notifications.messages.opt_out_by_token).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from satupintu.notifications import messages
from satupintu.notifications.models import Subscription


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    # The token is in the address: it never goes to another site as a Referer, but this page's
    # own form still posts with its origin (under "no-referrer" the browser sends
    # "Origin: null", which the CSRF check rightly refuses).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    subscription = Subscription.objects.filter(token=token).only("pk", "opted_out_at").first()
    if subscription is None:
        return _private(render(request, "portal/opt_out_unknown.html", status=404))
    done = False
    if request.method == "POST":
        messages.opt_out_by_token(token)
        done = True
    elif subscription.opted_out_at is not None:
        done = True
    return _private(render(request, "portal/opt_out.html", {"done": done, "token": token}))
