"""``satupintu apikey``: keys for the systems that use the API and Open311.

Examples::

    satupintu apikey create gateway-sms --description "SMS 1708 gateway"   # scope submit
    satupintu apikey create callcenter-112 --scope intake
    satupintu apikey create dpupr-app --agency DPUPR --scope read --scope handle
    satupintu apikey list
    satupintu apikey revoke gateway-sms

``create`` prints the key once; only its SHA-256 is stored, so a lost key is revoked and
replaced. Scopes: submit (default), intake, read, verify, handle (see api/keys.py). Creating
and revoking are audited. Bad input exits with status 2 and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from satupintu.api import keys
from satupintu.api.models import ApiKey
from satupintu.core.audit import cli_actor
from satupintu.core.cli import usage_error
from satupintu.core.errors import SatupintuError


class Command(BaseCommand):
    help = "Create, list and revoke API keys (for /api/v1 and /open311/v2)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser(
            "create",
            help="create a key and print it once",
            description="Create an API key for one system and print it once. Scopes: "
            + ", ".join(keys.SCOPES)
            + " (default: submit).",
        )
        create.add_argument("name", help="lower-case letters, digits and dashes, e.g. gateway-sms")
        create.add_argument("--agency", metavar="CODE", help="the agency the key acts for")
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help="repeat for several (submit, intake, read, verify, handle)",
        )
        create.add_argument("--description", default="")
        create.add_argument(
            "--rate-limit",
            type=int,
            default=0,
            metavar="N",
            help="write requests per minute (default: SATUPINTU_API_KEY_RATE_LIMIT)",
        )
        sub.add_parser("list", help="list keys (never the keys themselves)")
        revoke = sub.add_parser("revoke", help="revoke a key at once")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        try:
            if options["cmd"] == "create":
                self.create(options)
            elif options["cmd"] == "list":
                self.list()
            else:
                key = keys.apikey_revoke(actor=cli_actor(), name=options["name"])
                self.stdout.write(f"revoked {key.name} ({key.prefix}…)")
        except SatupintuError as exc:
            raise usage_error(exc.message) from None

    def create(self, options: dict[str, Any]) -> None:
        key, raw = keys.apikey_create(
            actor=cli_actor(),
            name=options["name"],
            agency=options["agency"],
            scopes=options["scopes"],
            description=options["description"],
            rate_limit=options["rate_limit"],
        )
        agency = f" for {key.agency.code}" if key.agency else ""
        self.stderr.write(
            f"created {key.name}{agency} with scopes {', '.join(key.scopes)}; "
            "the key is shown once:"
        )
        self.stdout.write(raw)

    def list(self) -> None:
        rows = ApiKey.objects.select_related("agency").order_by("name")
        if not rows:
            self.stdout.write("no API keys")
            return
        self.stdout.write(f"{'name':24} {'prefix':10} {'agency':10} {'scopes':28} state")
        for key in rows:
            if key.revoked_at:
                state = "revoked " + timezone.localtime(key.revoked_at).strftime("%Y-%m-%d")
            elif key.last_used_at:
                state = "used " + timezone.localtime(key.last_used_at).strftime("%Y-%m-%d %H:%M")
            else:
                state = "never used"
            self.stdout.write(
                f"{key.name:24} {key.prefix:10} {key.agency.code if key.agency else '-':10} "
                f"{','.join(key.scopes):28} {state}"
            )
