"""``satupintu pekppp load-instrument``: store the default PEKPPP instrument (domain.md §4.1).

The aspects, indicators and weights of Pedoman Menteri PANRB 5/2023 as
``domain.indices.PEKPPP_2023`` has them, each indicator with what the system pre-fills it from.
Administrators then edit them in the admin (*Instrumen PEKPPP*). Does nothing when the instrument
is already stored. ``satupintu pekppp show`` prints the active instrument.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.audit import cli_actor
from satupintu.evaluation.services import current_instrument, instrument_load_default


class Command(BaseCommand):
    help = "The PEKPPP instrument: load the default, or show the active one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{load-instrument,show}")
        sub.add_parser("load-instrument", help="store the 2023–2025 instrument if it is missing")
        sub.add_parser("show", help="print the active instrument with its weights")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "load-instrument":
            instrument, created = instrument_load_default(actor=cli_actor())
            state = "stored" if created else "already stored"
            self.stdout.write(f"{instrument.code}: {instrument.name} ({state})")
            return
        active = current_instrument()
        if active is None:
            self.stdout.write("no active instrument: run `satupintu pekppp load-instrument`")
            return
        self.stdout.write(f"{active.code}: {active.name}")
        for aspect in active.aspects.prefetch_related("indicators").order_by("position"):
            self.stdout.write(f"  {aspect.code:<12} {aspect.weight:>6}%  {aspect.name}")
            for indicator in aspect.indicators.all():
                source = f"  [{indicator.prefill}]" if indicator.prefill else ""
                self.stdout.write(
                    f"    {indicator.code:<10} {indicator.weight:>6}%  {indicator.name}{source}"
                )
