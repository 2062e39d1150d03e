"""``satupintu audit verify``: check the tamper-evident audit log (core/audit.py).

Exit status 0 when every chain verifies, 1 when the log is broken (the first break, by lowest
entry id, is named), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import gzip
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from satupintu.core import audit
from satupintu.core.cli import usage_error
from satupintu.core.models import AuditHead

#: Above this many entries an interactive terminal gets a progress indicator.
PROGRESS_THRESHOLD = 50_000


class Command(BaseCommand):
    help = "Verify the tamper-evident audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{verify,checkpoint}")
        verify = sub.add_parser(
            "verify",
            help="check every hash chain; exit 1 and name the first broken entry",
            description="Check every hash chain of the audit log and that every report has "
            "its chain. Exit status 0: intact; 1: broken (the first break is named).",
        )
        verify.add_argument(
            "-v",
            "--verbosity",
            type=int,
            choices=[0, 1, 2, 3],
            default=argparse.SUPPRESS,
            help="2 lists every break, not only the first",
        )
        verify.add_argument(
            "--chunk", type=int, default=5000, help="rows fetched per query (default 5000)"
        )
        verify.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="also prove that every entry recorded in this checkpoint is still there",
        )
        checkpoint = sub.add_parser(
            "checkpoint",
            help="write a signed checkpoint of every chain head (keep it outside the database)",
        )
        checkpoint.add_argument(
            "--output", "-o", metavar="FILE", help="file to write (.gz compresses); default stdout"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "checkpoint":
            self.checkpoint(options["output"])
            return
        if options["cmd"] == "verify":
            checkpoint_breaks = self._checkpoint_breaks(options.get("checkpoint"))
            self.verify(
                chunk=max(1, options["chunk"]),
                verbosity=options["verbosity"],
                extra=checkpoint_breaks,
            )

    def checkpoint(self, output: str | None) -> None:
        if not output:
            count = audit.write_checkpoint(self.stdout)
            return
        opener = gzip.open if output.endswith(".gz") else open
        try:
            with opener(output, "wt", encoding="utf-8") as handle:
                count = audit.write_checkpoint(handle)
        except OSError as exc:
            raise usage_error(f"cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"checkpoint of {count} chains written to {output}")

    def _checkpoint_breaks(self, path: str | None) -> list[audit.Break]:
        if not path:
            return []
        opener = gzip.open if path.endswith(".gz") else open
        try:
            with opener(path, "rt", encoding="utf-8") as handle:
                return audit.check_checkpoint(handle)
        except OSError as exc:
            raise usage_error(f"cannot read {path}: {exc.strerror}") from None
        except (audit.CheckpointError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
            raise usage_error(f"{path}: {exc}") from None

    def verify(self, *, chunk: int, verbosity: int, extra: list[audit.Break]) -> None:
        show = self.stdout.isatty() and AuditHead.objects.count() >= PROGRESS_THRESHOLD
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("rantai audit", total=AuditHead.objects.count() if show else None)
            result = audit.verify(
                chunk=chunk,
                expected_chains=audit.expected_chains(),
                progress=lambda n: bar.advance(task, n),
            )
        result.breaks = sorted(result.breaks + extra)
        first = result.first
        if first is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"audit log intact: {result.entries} entries in {result.chains} chains"
                )
            )
            return
        lines = [f"audit log broken at {first.describe()}"]
        further = result.breaks[1:]
        if further and verbosity >= 2:
            lines.extend(f"further break at {other.describe()}" for other in further)
        elif further:
            plural = "s" if len(further) != 1 else ""
            lines.append(f"{len(further)} further break{plural} (use -v 2 to list them)")
        lines.append(f"checked {result.entries} entries in {result.chains} chains")
        message = "\n".join(lines)
        raise CommandError(message, returncode=1)
