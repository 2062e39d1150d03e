"""Static files collected once, not on every start of the server.

    python -m satupintu.core.static_collect

``scripts/setup`` runs it; ``satupintu serve`` calls :func:`collect_if_stale` before it starts
gunicorn. ``collectstatic`` (copying and compressing every file) takes over a second; checking
whether the collected tree is current takes milliseconds. The tree is current when the stamp beside
``STATIC_ROOT`` (``static.collected``, outside the served folder) holds the fingerprint of the
source files (each one's path, size and modification time, as the static file finders list
them, plus the storage and the versions of the packages that write the tree) and every
collected file is still there.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path


def _sources() -> list[tuple[str, str]]:
    """(path under STATIC_ROOT, source file) of every file ``collectstatic`` copies, sorted."""
    from django.contrib.staticfiles import finders

    found: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            name = os.path.join(prefix, path) if prefix else path
            found.setdefault(name, storage.path(path))
    return sorted(found.items())


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def fingerprint(sources: list[tuple[str, str]] | None = None) -> str:
    from django.conf import settings

    digest = hashlib.sha256()
    versions = [_version(p) for p in ("satupintu", "Django", "whitenoise")]
    digest.update(repr((versions, settings.STORAGES["staticfiles"])).encode())
    for name, source in _sources() if sources is None else sources:
        stat = os.stat(source)
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _root() -> Path:
    from django.conf import settings

    return Path(settings.STATIC_ROOT)


def _stamp(root: Path) -> Path:
    return root.with_name(f"{root.name}.collected")


def is_current() -> bool:
    """Whether STATIC_ROOT holds every file of the current sources, as last collected."""
    root = _root()
    try:
        stamp = _stamp(root).read_text(encoding="ascii").strip()
    except OSError:
        return False
    sources = _sources()
    if stamp != fingerprint(sources):
        return False
    return all((root / name).exists() for name, _ in sources)


def collect() -> None:
    """Collect afresh (the old tree cleared) and stamp the result."""
    from django.core.management import call_command

    stamp = _stamp(_root())
    stamp.unlink(missing_ok=True)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    partial = stamp.with_name(f"{stamp.name}.{os.getpid()}")
    partial.write_text(fingerprint() + "\n", encoding="ascii")
    partial.replace(stamp)


def collect_if_stale() -> bool:
    """Collect only when the collected tree is missing or out of date; True if it collected."""
    if is_current():
        return False
    collect()
    return True


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    try:
        import django

        django.setup()
    except Exception as exc:  # noqa: BLE001 - setup only reports it; serve collects later
        print(
            f"static files not collected ({exc}); `satupintu serve` collects them", file=sys.stderr
        )  # noqa: T201
        return 1
    collected = collect_if_stale()
    print(f"static files {'collected' if collected else 'already current'} in {_root()}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
