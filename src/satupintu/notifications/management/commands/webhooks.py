"""``satupintu webhooks``: register receivers of report events and watch their deliveries.

Examples::

    satupintu webhooks add kota-app https://app.kota.example/hooks/satupintu \\
        --event created --event resolved --agency dinkes    # prints the secret once
    satupintu webhooks list
    satupintu webhooks disable kota-app                       # and `enable`
    satupintu webhooks rotate kota-app [--overlap 24]         # new secret, printed once; the
                                                              # old one also signs for 24 h
    satupintu webhooks deliveries --endpoint kota-app --failed
    satupintu webhooks replay 1234                            # send delivery 1234's event again
    satupintu webhooks replay --endpoint kota-app --since 2025-03-01
    satupintu webhooks run [--once]                           # fan out and deliver (the worker
                                                              # does this too)

Event types: created, dispatched, forwarded, resolved, closed, overdue (docs/webhooks.md).
Changes are audited (chain ``webhookendpoint:<id>``, actor ``cli:<OS user>``). Bad input exits
with status 2 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from satupintu.core.audit import cli_actor
from satupintu.core.cli import date_arg, positive_number, usage_error
from satupintu.core.errors import SatupintuError
from satupintu.core.management.commands.worker import run_jobs
from satupintu.core.worker import jobs_named
from satupintu.notifications import services
from satupintu.notifications.models import EventType, WebhookDelivery, WebhookEndpoint

DEFAULT_LIMIT = 50
EVENTS = ", ".join(EventType.values)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = "Webhook endpoints, their deliveries and replays."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="cmd",
            required=True,
            metavar="{add,list,enable,disable,rotate,deliveries,replay,run}",
        )
        add = sub.add_parser(
            "add",
            help="register an endpoint; prints its signing secret once",
            description="Register an endpoint that receives the chosen events as signed JSON "
            f"POSTs. Event types: {EVENTS}.",
        )
        add.add_argument("name", metavar="NAME", help="a short name: letters, digits, - or _")
        add.add_argument("url", metavar="URL", help="the receiver's http:// or https:// URL")
        add.add_argument(
            "--event",
            dest="events",
            action="append",
            default=[],
            metavar="TYPE",
            help=f"an event type to send (repeat for several): {EVENTS}",
        )
        add.add_argument(
            "--agency",
            metavar="CODE",
            help="only events of reports held by this agency or its sub-units",
        )
        sub.add_parser("list", help="list the endpoints")
        for verb in ("enable", "disable"):
            one = sub.add_parser(verb, help=f"{verb} an endpoint")
            one.add_argument("name", metavar="NAME")
        rotate = sub.add_parser(
            "rotate",
            help="give an endpoint a new signing secret; prints it once",
            description="Give an endpoint a new signing secret (printed once). For the overlap, "
            "every delivery is signed with the new and the previous secret, so the receiver can "
            "switch to the new one without losing a message; then with the new one only. "
            "Rotating again during an overlap replaces the previous secret with the current one.",
        )
        rotate.add_argument("name", metavar="NAME")
        rotate.add_argument(
            "--overlap",
            metavar="HOURS",
            default=str(services.DEFAULT_OVERLAP_HOURS),
            help="hours the previous secret goes on signing deliveries: 0 (it stops at once) to "
            f"{services.MAX_OVERLAP_HOURS} (default {services.DEFAULT_OVERLAP_HOURS})",
        )
        deliveries = sub.add_parser("deliveries", help="list recent deliveries, newest first")
        deliveries.add_argument("--endpoint", metavar="NAME", help="only this endpoint's")
        deliveries.add_argument("--failed", action="store_true", help="only failed deliveries")
        deliveries.add_argument(
            "--limit",
            metavar="N",
            default=str(DEFAULT_LIMIT),
            help=f"at most N (default {DEFAULT_LIMIT})",
        )
        replay = sub.add_parser(
            "replay",
            help="send events again as new deliveries",
            description="Send a delivery's event again (DELIVERY_ID), or every event an "
            "endpoint was sent that occurred on or after a date (--endpoint NAME --since DATE).",
        )
        replay.add_argument("delivery", metavar="DELIVERY_ID", nargs="?")
        replay.add_argument("--endpoint", metavar="NAME")
        replay.add_argument("--since", metavar="YYYY-MM-DD")
        run = sub.add_parser("run", help="fan out new events and post due deliveries until stopped")
        run.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        # Service messages are Indonesian msgids; the command line speaks English.
        with translation.override("en"):
            try:
                getattr(self, f"cmd_{options['cmd']}")(options)
            except SatupintuError as exc:
                raise usage_error(exc.message) from None

    # ----------------------------------------------------------------------- endpoints

    def cmd_add(self, options: dict[str, Any]) -> None:
        if not options["events"]:
            raise usage_error(f"choose at least one --event TYPE ({EVENTS})")
        endpoint, secret = services.endpoint_create(
            actor=cli_actor(),
            name=options["name"],
            url=options["url"],
            event_types=options["events"],
            agency=options["agency"],
        )
        scope = f", reports of {endpoint.agency.code} and its units" if endpoint.agency else ""
        self.stdout.write(
            f"webhook {endpoint.name} added: {', '.join(endpoint.event_types)} → {endpoint.url}"
            f"{scope}"
        )
        self.stdout.write(f"signing secret (shown only this once): {secret}")

    def cmd_list(self, options: dict[str, Any]) -> None:
        endpoints = list(WebhookEndpoint.objects.select_related("agency").order_by("name"))
        if not endpoints:
            self.stdout.write(
                "no webhooks; add one with `satupintu webhooks add NAME URL --event TYPE`"
            )
            return
        now = timezone.now()
        rows = [("NAME", "ACTIVE", "EVENTS", "AGENCY", "OLD SECRET UNTIL", "URL")]
        for e in endpoints:
            until = e.previous_secret_expires_at
            rows.append(
                (
                    e.name,
                    "yes" if e.is_active else "no",
                    ",".join(e.event_types),
                    e.agency.code if e.agency else "(all)",
                    _when(until) if until and until > now else "-",
                    e.url,
                )
            )
        for line in _table(rows):
            self.stdout.write(line)

    def cmd_enable(self, options: dict[str, Any]) -> None:
        endpoint = services.endpoint_set_active(
            actor=cli_actor(), name=options["name"], active=True
        )
        self.stdout.write(f"webhook {endpoint.name} enabled")

    def cmd_disable(self, options: dict[str, Any]) -> None:
        endpoint = services.endpoint_set_active(
            actor=cli_actor(), name=options["name"], active=False
        )
        self.stdout.write(
            f"webhook {endpoint.name} disabled: no new deliveries; pending ones wait until it "
            "is enabled again"
        )

    def cmd_rotate(self, options: dict[str, Any]) -> None:
        text = str(options["overlap"]).strip()
        hours = int(text) if text.isascii() and text.isdigit() else -1
        if not 0 <= hours <= services.MAX_OVERLAP_HOURS:
            raise usage_error(
                f"--overlap must be a whole number of hours from 0 to "
                f"{services.MAX_OVERLAP_HOURS}, not {options['overlap']!r}"
            )
        endpoint, secret = services.endpoint_rotate_secret(
            actor=cli_actor(), name=options["name"], overlap_hours=hours
        )
        self.stdout.write(f"webhook {endpoint.name}: signing secret rotated")
        self.stdout.write(f"signing secret (shown only this once): {secret}")
        if endpoint.previous_secret_expires_at:
            self.stdout.write(
                "the previous secret also signs every delivery until "
                f"{_when(endpoint.previous_secret_expires_at)} ({hours} h): give the receiver "
                "the new secret before then"
            )
        else:
            self.stdout.write("the previous secret no longer signs deliveries")

    # ----------------------------------------------------------------------- deliveries

    def cmd_deliveries(self, options: dict[str, Any]) -> None:
        limit = positive_number(options["limit"], "--limit")
        found = WebhookDelivery.objects.select_related("endpoint", "event").order_by("-pk")
        if options["endpoint"]:
            found = found.filter(endpoint=services.endpoint_get(options["endpoint"]))
        if options["failed"]:
            found = found.filter(status=WebhookDelivery.Status.FAILED)
        rows = list(found[:limit])
        if not rows:
            self.stdout.write("no deliveries")
            return
        table = [("ID", "ENDPOINT", "EVENT", "REPORT", "STATUS", "TRIES", "HTTP", "WHEN", "ERROR")]
        for d in rows:
            when = d.delivered_at or d.next_attempt_at or d.last_attempt_at
            table.append(
                (
                    str(d.pk),
                    d.endpoint.name,
                    f"{d.event.event_type}#{d.event_id}"
                    + (f" (replay of {d.replay_of_id})" if d.replay_of_id else ""),
                    str(d.event.payload.get("report", {}).get("tracking_number", "")),
                    d.status,
                    str(d.attempts),
                    str(d.response_status or "-"),
                    _when(when),
                    (d.error or "")[:60],
                )
            )
        for line in _table(table):
            self.stdout.write(line)

    def cmd_replay(self, options: dict[str, Any]) -> None:
        actor = cli_actor()
        if options["delivery"]:
            if options["endpoint"] or options["since"]:
                raise usage_error(
                    "give either DELIVERY_ID or --endpoint NAME --since DATE, not both"
                )
            text = options["delivery"].strip().lstrip("#")
            if not text.isdigit():
                raise usage_error(f"DELIVERY_ID must be a number, not {options['delivery']!r}")
            new = services.delivery_replay(actor=actor, delivery_id=int(text))
            self.stdout.write(
                f"delivery {new.pk} scheduled: event {new.event_id} again to {new.endpoint.name}"
            )
            return
        if not (options["endpoint"] and options["since"]):
            raise usage_error(
                "give DELIVERY_ID, or --endpoint NAME together with --since YYYY-MM-DD"
            )
        day = date_arg(options["since"], option="--since")
        since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        replays = services.endpoint_replay_since(actor=actor, name=options["endpoint"], since=since)
        self.stdout.write(
            f"{len(replays)} deliveries scheduled to {options['endpoint']} "
            f"(events since {day.isoformat()})"
        )

    def cmd_run(self, options: dict[str, Any]) -> None:
        run_jobs(self, jobs_named("webhooks-"), once=options["once"])
