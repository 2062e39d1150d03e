"""``satupintu demo [--port 8000] [--reports N] [--no-serve]``: a running demo city from nothing.

Migrates the database, seeds Kota Depok once (master data, officers, a year of reports, three
semesters of SKM, service standards and an evaluation), prints the logins, and serves on
http://127.0.0.1:PORT with a task worker and the scheduler beside the server (their output goes
to ``$SATUPINTU_DATA_DIR/demo-worker.log``), so the demo sweeps deadlines, delivers webhooks and
answers messages without another command.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import ExitStack
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.cli import usage_error
from satupintu.dashboard.rebuild import rebuild
from satupintu.demo import depok, seed, skm
from satupintu.demo.evaluation import seed_evaluation


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise usage_error(f"--port: {text!r} is not a number") from None
    if not 1 <= port <= 65535:
        raise usage_error("--port must be between 1 and 65535")
    return port


class Command(BaseCommand):
    help = "Set up and serve the demo city (Kota Depok) with realistic data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")
        parser.add_argument("--reports", type=int, default=3500, help="reports on first seeding")
        parser.add_argument("--no-serve", action="store_true", help="set up only; do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        port = port_number(str(options["port"]))
        if options["reports"] < 0:
            raise usage_error("--reports must be 0 or more")
        self.stdout.write("Migrating the database...")
        call_command("migrate", verbosity=0, interactive=False)
        if seed.is_seeded():
            self.stdout.write("The demo city is already seeded; keeping its data.")
        else:
            self.stdout.write("Seeding the demo city: Kota Depok...")
            seed.seed_master()
            result = seed.seed_reports(options["reports"], seed=2024)
            self._write_samples(result.samples)
            self.stdout.write(f"Added {result.reports} reports over the last 12 months.")
            responses = skm.seed_skm()
            self.stdout.write(f"Added {responses} SKM responses in three semesters.")
            seed_evaluation()
            self.stdout.write("Added service standards, a PEKPPP worksheet and the indicators.")
            rebuilt = rebuild()
            self.stdout.write(f"Built the operations room's figures in {rebuilt.seconds:.1f} s.")
        self._print_logins(port)
        if options["no_serve"]:
            return
        with ExitStack() as stack:
            self._start_background(stack)
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)

    def _start_background(self, stack: ExitStack) -> None:
        """The task worker and the scheduler, stopped when the server stops."""
        log_path = settings.DATA_DIR / "demo-worker.log"
        log: IO[str] = stack.enter_context(log_path.open("a", encoding="utf-8"))
        base = [sys.executable, "-m", "satupintu.cli"]
        for command in ("worker", "scheduler"):
            process = subprocess.Popen(  # noqa: S603 - our own command line
                [*base, command], stdout=log, stderr=subprocess.STDOUT
            )
            stack.callback(_stop, process)
        self.stdout.write(f"Task worker and scheduler running; their log: {log_path}")

    def _write_samples(self, samples: list[tuple[str, str]]) -> None:
        lines = [f"{number} {secret}" for number, secret in samples]
        (settings.DATA_DIR / "demo-tracking.txt").write_text("\n".join(lines) + "\n")

    def _print_logins(self, port: int) -> None:
        base = f"http://127.0.0.1:{port}"
        style = self.style
        self.stdout.write("")
        self.stdout.write(style.SUCCESS(f"satupintu demo: {base}/"))
        self.stdout.write(f"  citizen portal  {base}/")
        self.stdout.write(f"  officer desk    {base}/petugas/")
        self.stdout.write(f"  SKM (evaluator) {base}/petugas/skm/")
        self.stdout.write(f"  SKM results     {base}/survei/hasil/")
        self.stdout.write(f"  administration  {base}/admin/")
        self.stdout.write(f"All demo logins use the password: {seed.DEMO_PASSWORD}")
        rows = [("admin", "system administrator (superuser)")]
        seen: set[str] = set()
        for officer in depok.OFFICERS:
            for grant in officer.roles:
                if grant.role in seen:
                    continue
                seen.add(grant.role)
                rows.append((officer.username, f"{grant.role} @ {grant.agency_code}"))
        for username, what in rows:
            self.stdout.write(f"  {username:<22} {what}")
        samples = settings.DATA_DIR / "demo-tracking.txt"
        if samples.exists():
            self.stdout.write("Sample reports to follow as a reporter (tracking number, secret):")
            for line in samples.read_text().splitlines():
                self.stdout.write(f"  {line}")
        self.stdout.write("")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
