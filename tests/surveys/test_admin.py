"""SKM admin: the response list is read-only, periods open and close through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from satupintu.core.models import AuditEntry
from satupintu.surveys.models import SkmResponse, SurveyPeriod


def _admin(city: Any) -> Client:
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    client = Client()
    client.force_login(city.sysadmin)
    return client


def test_response_list_is_read_only_and_filters(city: Any) -> None:
    period = SurveyPeriod.objects.create(
        name="SKM 2025", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)
    )
    SkmResponse.objects.create(period=period, unit=city.dpupr, channel="qr", u1=4)
    client = _admin(city)
    page = client.get(reverse("admin:surveys_skmresponse_changelist"), {"channel": "qr"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert client.get(reverse("admin:surveys_skmresponse_add")).status_code == 403


def test_open_action_goes_through_the_service(city: Any) -> None:
    period = SurveyPeriod.objects.create(
        name="SKM 2025", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)
    )
    client = _admin(city)
    response = client.post(
        reverse("admin:surveys_surveyperiod_changelist"),
        {"action": "open_periods", "_selected_action": [period.pk]},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.is_open
    entry = AuditEntry.objects.get(chain=f"surveyperiod:{period.pk}")
    assert entry.action == "open"
    assert entry.actor_id == city.sysadmin.pk
