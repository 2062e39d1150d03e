"""``satupintu serve``: the production server (gunicorn) with static files collected."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve satupintu with gunicorn (SATUPINTU_BIND, SATUPINTU_WORKERS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("SATUPINTU_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SATUPINTU_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        os.execvp(  # noqa: S606 - replaces this process with the server
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "satupintu.config.wsgi:application",
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
            ],
        )
