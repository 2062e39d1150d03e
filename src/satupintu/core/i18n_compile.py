"""Compile the .po catalogues to .mo with polib (no GNU gettext, no Django needed).

    python -m satupintu.core.i18n_compile

``scripts/setup`` runs it on every machine; compiled files are not kept in git.
"""

from __future__ import annotations

from pathlib import Path

import polib

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def compile_all(root: Path = PACKAGE_ROOT, *, force: bool = False) -> list[Path]:
    compiled = []
    for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        fresh = mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime
        if fresh and not force:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    print(f"compiled {len(compile_all())} catalogue(s)")  # noqa: T201
