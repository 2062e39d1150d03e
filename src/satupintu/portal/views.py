"""Citizen portal (mobile first). Views only parse, call a service or selector, and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def submit(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def track(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
