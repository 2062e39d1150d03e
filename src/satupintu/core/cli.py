"""What the management commands share: the exit status of a usage error, and the parsing of the
dates and numbers given on a command line.

Exit status 2 means a refused argument (nothing was done), as for argparse's own refusals; 1
means the command ran and found a problem (e.g. ``satupintu audit verify`` on a broken log).
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

from satupintu.domain.workdays import parse_date

USAGE_ERROR = 2


def usage_error(message: str) -> CommandError:
    """A refused argument: ``message`` on stderr, exit status 2."""
    return CommandError(message, returncode=USAGE_ERROR)


def date_arg(text: str, *, option: str = "") -> date:
    """A date written YYYY-MM-DD; a usage error otherwise, prefixed with ``option`` when given
    (``--today: ...``)."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise usage_error(f"{option}: {exc}" if option else str(exc)) from None


def whole_number(text: str, what: str) -> int:
    """A whole number, negative ones too (a count of working days, a year)."""
    try:
        return int(text.strip(), 10)
    except ValueError:
        raise usage_error(f"invalid {what} {text!r}: expected a whole number") from None


def positive_number(text: str, what: str) -> int:
    """A whole number of at least 1 (a limit, a batch size); ``what`` names the option."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        value = 0
    if value < 1:
        raise usage_error(f"{what} must be a whole number of at least 1, not {text!r}")
    return value
