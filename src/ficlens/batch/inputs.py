"""What a batch reads: folders (recursive), globs, files, and ``@list.txt`` path lists.

Every spec expands to file paths in a stable order (sorted within a folder or glob, the
given order across specs); a path named twice is read once. A missing file is kept, so
that it lands in the ``errors`` table instead of vanishing silently.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ficlens.cli_common import INPUT_SUFFIXES
from ficlens.errors import FicError

_GLOB_CHARS = frozenset("*?[")

Warn = Callable[[str], None]


def _ignore(message: str) -> None:
    """The default warning sink: say nothing."""


def _folder(folder: Path) -> list[Path]:
    return sorted(
        f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
    )


def _one(spec: str, base: Path | None, warn: Warn) -> Iterator[Path]:
    path = Path(spec)
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir():
        found = _folder(path)
        if not found:
            warn(f"{path}: no .txt/.html/.epub files found")
        yield from found
    elif not path.exists() and _GLOB_CHARS & set(spec):
        matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True))
        files = [m for m in matches if m.is_file()]
        for m in matches:
            if m.is_dir():
                files.extend(_folder(m))
        if not files:
            warn(f"{spec}: no files match")
        yield from files
    else:
        yield path


def _list_file(spec: str, warn: Warn) -> Iterator[Path]:
    list_path = Path(spec[1:])
    try:
        lines = list_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FicError(f"{list_path}: cannot read the path list ({exc})") from None
    base = list_path.parent
    for line in lines:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            yield from _one(entry, base, warn)


def expand_inputs(specs: Iterable[str], warn: Warn = _ignore) -> list[Path]:
    """Expand folders, globs and ``@list`` files into a de-duplicated list of file paths.

    In a list file, blank lines and ``#`` comments are skipped and relative paths are read
    relative to the list file's folder; an entry may itself be a folder or a glob.
    """
    seen: set[str] = set()
    result: list[Path] = []
    for spec in specs:
        paths = _list_file(spec, warn) if spec.startswith("@") else _one(spec, None, warn)
        for p in paths:
            key = os.path.normcase(os.path.abspath(p))
            if key not in seen:
                seen.add(key)
                result.append(p)
    return result
