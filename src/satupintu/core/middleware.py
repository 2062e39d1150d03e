"""Middleware that only web pages need, skipped for the open interfaces.

Requests to ``/api/`` and ``/open311/`` carry no session, cookie or CSRF token and are never
static files, so sessions, authentication, messages, CSRF, htmx and WhiteNoise have nothing to
do there; skipping them spares every API call their cost (filing a report is the busiest
call). :func:`web_only` wraps a middleware class so that it runs for every other path,
including its ``process_view``/``process_exception``/``process_template_response`` hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

#: Paths served by the open interfaces (api/urls.py, open311/urls.py).
INTERFACE_PREFIXES = ("/api/", "/open311/")
HOOKS = ("process_view", "process_exception", "process_template_response")


def is_interface(request: HttpRequest) -> bool:
    return request.path_info.startswith(INTERFACE_PREFIXES)


def web_only(middleware: type) -> type:
    """``middleware`` for web pages; the open interfaces pass straight through.

    A subclass, so checks that look for the original class (the admin's) still find it.
    """

    class WebOnly(middleware):  # type: ignore[misc]
        sync_capable = True
        async_capable = False

        def __call__(self, request: HttpRequest) -> HttpResponse:
            if is_interface(request):
                response: HttpResponse = self.get_response(request)
                return response
            return super().__call__(request)  # type: ignore[no-any-return]

    def skipping(hook: str) -> Callable[..., Any]:
        def run(self: Any, request: HttpRequest, *args: Any) -> Any:
            if is_interface(request):
                return None
            return getattr(super(WebOnly, self), hook)(request, *args)

        return run

    for hook in HOOKS:
        if hasattr(middleware, hook):
            setattr(WebOnly, hook, skipping(hook))
    WebOnly.__name__ = WebOnly.__qualname__ = f"WebOnly{middleware.__name__}"
    return WebOnly


WebWhiteNoise = web_only(WhiteNoiseMiddleware)
WebSession = web_only(SessionMiddleware)
WebCommon = web_only(CommonMiddleware)
WebCsrf = web_only(CsrfViewMiddleware)
WebAuthentication = web_only(AuthenticationMiddleware)
WebMessages = web_only(MessageMiddleware)
WebHtmx = web_only(HtmxMiddleware)


class Locale:
    """The language of each request, as Django's ``LocaleMiddleware`` chooses it for a site
    without language prefixes in its paths (``i18n_patterns``, which satupintu does not use):
    the language cookie, else ``Accept-Language``, else the default; the answer says which
    (``Content-Language``) and that it depends on ``Accept-Language`` (``Vary``).

    Django's middleware also looks for a language in the path twice per request and redirects
    404s to a prefixed path; with no prefixed paths that is work for nothing on every call,
    filing a report through the API included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = language = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
