"""Per-process copies of rarely changing master data (the calendar, the SLA policy, categories,
regions), so the hot paths do not read them on every request.

A copy is dropped when a watched model changes in this process (``post_save``/``post_delete``)
and, for changes made by other processes, at the latest after ``seconds``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

REFRESH_SECONDS = 60.0

_all: weakref.WeakSet[_Watching] = weakref.WeakSet()


def invalidate_all() -> None:
    """Drop every copy (tests do, as rolled-back rows send no signal)."""
    for memo in list(_all):
        memo.invalidate()


class _Watching:
    def __init__(self) -> None:
        _all.add(self)

    def watch(self, *models: type[Model]) -> None:
        """Drop the copy whenever one of ``models`` is saved or deleted in this process."""
        for model in models:
            uid = f"memo-{id(self)}-{model._meta.label}"
            post_save.connect(self.invalidate, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(self.invalidate, sender=model, dispatch_uid=uid + "-delete")

    def invalidate(self, **_: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class Refreshed(_Watching, Generic[T]):
    """One value built by ``build()``."""

    def __init__(self, build: Callable[[], T], seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self._build = build
        self._seconds = seconds
        self._lock = threading.Lock()
        self._value: tuple[float, T] | None = None

    def get(self) -> T:
        with self._lock:
            held = self._value
        if held is not None and time.monotonic() - held[0] < self._seconds:
            return held[1]
        value = self._build()
        with self._lock:
            self._value = (time.monotonic(), value)
        return value

    def invalidate(self, **_: Any) -> None:
        with self._lock:
            self._value = None


class RefreshedMap(_Watching, Generic[K, T]):
    """Values by key, each loaded by ``load(key)`` (None, for "no such row", is kept too);
    :meth:`get_many` loads what it lacks with one ``load_many(keys)`` when that is given."""

    def __init__(
        self,
        load: Callable[[K], T | None],
        seconds: float = REFRESH_SECONDS,
        size: int = 4096,
        *,
        load_many: Callable[[list[K]], Mapping[K, T]] | None = None,
    ) -> None:
        super().__init__()
        self._load = load
        self._load_many = load_many
        self._seconds = seconds
        self._size = size
        self._lock = threading.Lock()
        self._values: dict[K, tuple[float, T | None]] = {}

    def get(self, key: K) -> T | None:
        with self._lock:
            held = self._values.get(key)
        if held is not None and time.monotonic() - held[0] < self._seconds:
            return held[1]
        value = self._load(key)
        with self._lock:
            if len(self._values) >= self._size:
                self._values.clear()
            self._values[key] = (time.monotonic(), value)
        return value

    def get_many(self, keys: Iterable[K]) -> dict[K, T | None]:
        """The values of ``keys`` (None for "no such row")."""
        now = time.monotonic()
        found: dict[K, T | None] = {}
        missing: list[K] = []
        with self._lock:
            for key in dict.fromkeys(keys):
                held = self._values.get(key)
                if held is not None and now - held[0] < self._seconds:
                    found[key] = held[1]
                else:
                    missing.append(key)
        if not missing:
            return found
        if self._load_many is None:
            loaded: Mapping[K, T | None] = {key: self._load(key) for key in missing}
        else:
            loaded = self._load_many(missing)
        with self._lock:
            if len(self._values) + len(missing) > self._size:
                self._values.clear()
            for key in missing:
                value = loaded.get(key)
                self._values[key] = (now, value)
                found[key] = value
        return found

    def invalidate(self, **_: Any) -> None:
        with self._lock:
            self._values.clear()
