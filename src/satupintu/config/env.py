"""Typed access to the environment: every variable the product reads is declared here once.

A missing secret in development is generated once and kept in ``$SATUPINTU_DATA_DIR/secrets.env``
so that ``satupintu demo`` works with zero set-up; with ``SATUPINTU_DEBUG=0`` (production) every
secret must come from the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable holds a value the product cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise EnvError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """SATUPINTU_DATA_DIR: where the SQLite file, uploads and generated secrets live."""
    path = Path(env_str("SATUPINTU_DATA_DIR", str(Path.cwd() / "var"))).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


SECRET_NAMES = ("SECRET_KEY", "SATUPINTU_FIELD_KEY", "SATUPINTU_AUDIT_KEY")


def secret(name: str, *, debug: bool, directory: Path) -> str:
    """Return a secret from the environment, or (debug only) from the generated secrets file."""
    value = os.environ.get(name)
    if value:
        return value
    if not debug:
        raise EnvError(f"{name} must be set in the environment when SATUPINTU_DEBUG is off")
    store = directory / "secrets.env"
    known: dict[str, str] = {}
    if store.exists():
        for line in store.read_text(encoding="utf-8").splitlines():
            key, _, val = line.partition("=")
            if key and val:
                known[key.strip()] = val.strip()
    missing = [n for n in SECRET_NAMES if n not in known]
    if missing:
        for n in missing:
            known[n] = secrets.token_urlsafe(48)
        store.write_text("".join(f"{k}={v}\n" for k, v in known.items()), encoding="utf-8")
        store.chmod(0o600)
    return known[name]
