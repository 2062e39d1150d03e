"""The ``satupintu`` command: Django's management commands under friendlier names.

``satupintu seed-demo --reports N`` runs the ``seed_demo`` command, ``satupintu audit verify`` the
``audit`` command with its ``verify`` sub-command, and so on; ``satupintu help`` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "satupintu"
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except BrokenPipeError:
        # The reader went away (e.g. `satupintu workdays holidays 2024 | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
