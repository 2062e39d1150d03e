"""``satupintu compile-translations``: compile the .po catalogues to .mo (see core/i18n_compile)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.i18n_compile import compile_all


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="recompile even if up to date")

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = compile_all(force=options["force"])
        self.stdout.write(f"compiled {len(compiled)} catalogue(s)")
