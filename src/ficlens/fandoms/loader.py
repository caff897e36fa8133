"""Read fandom data files (TOML) into a :class:`KnowledgeBase`, with errors a user can fix.

The built-in files ship in ``fandoms/data/``; users add or replace fandoms with their own
folders (``--fandom-dir``). A user file whose fandom name equals a built-in one replaces
it, so a reader can correct or extend our data without editing the package.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ficlens.errors import FandomFileError
from ficlens.fandoms.kb import KnowledgeBase
from ficlens.fandoms.names import name_key
from ficlens.fandoms.schema import Fandom

DATA_DIR = Path(__file__).with_name("data")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Any) -> str:
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "missing":
        msg = "field required"
    elif kind == "extra_forbidden":
        msg = "unknown field"
    elif msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
    where = _loc(tuple(err.get("loc", ())))
    return f"{where}: {msg}" if where else msg


def _line_of(text: str, err: Any) -> str:
    """ " (line N)" when the offending value occurs on exactly one line of the file, else ""."""
    value = err.get("input")
    if isinstance(value, str) and value:
        needle = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:  # a cross-reference error: the value is the first quoted name in the message
        quoted = re.search(r"'([^']+)'", str(err.get("msg", "")))
        if quoted is None:
            return ""
        needle = quoted.group(1)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return f" (line {lines[0]})" if len(lines) == 1 else ""


def read_fandom_file(path: str | Path) -> Fandom:
    """Parse and validate one fandom file; any problem is a :class:`FandomFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except OSError as exc:
        raise FandomFileError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise FandomFileError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FandomFileError(f"{path.name}: TOML syntax error: {exc}") from exc
    try:
        return Fandom.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        where = _line_of(text, errors[0])
        raise FandomFileError(f"{path.name}: {_message(errors[0])}{where}{more}") from exc


def read_fandom_dir(folder: str | Path) -> list[tuple[Fandom, Path]]:
    """Every ``*.toml`` file of a folder (sorted by name), each validated."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FandomFileError(f"{folder}: fandom folder not found")
    out: list[tuple[Fandom, Path]] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        fandom = read_fandom_file(path)
        key = name_key(fandom.name)
        if key in seen:
            raise FandomFileError(
                f"{path.name}: fandom {fandom.name!r} is already defined in {seen[key].name}"
            )
        seen[key] = path
        out.append((fandom, path))
    return out


@lru_cache(maxsize=1)
def _builtin() -> KnowledgeBase:
    entries = read_fandom_dir(DATA_DIR)
    return KnowledgeBase((f for f, _ in entries), {f.name: p for f, p in entries})


def load_knowledge_base(extra_dirs: Sequence[str | Path] | str | Path = ()) -> KnowledgeBase:
    """The built-in fandoms plus those in ``extra_dirs``, read once per process for each
    list of folders (every stage asks for the same knowledge base).

    Later folders win: a file whose fandom name (case-insensitive) matches an earlier
    fandom replaces it; other fandoms are added. A folder with a broken file raises
    :class:`FandomFileError` each time it is asked for (failures are not cached).
    """
    if isinstance(extra_dirs, str | Path):  # one folder passed bare
        extra_dirs = [extra_dirs]
    return _with_dirs(tuple(str(d) for d in extra_dirs))


@lru_cache(maxsize=8)
def _with_dirs(extra_dirs: tuple[str, ...]) -> KnowledgeBase:
    base = _builtin()
    if not extra_dirs:
        return base
    merged: dict[str, tuple[Fandom, Path]] = {
        name_key(f.name): (f, base.sources[f.name]) for f in base.fandoms
    }
    for folder in extra_dirs:
        for fandom, path in read_fandom_dir(folder):
            merged[name_key(fandom.name)] = (fandom, path)
    return KnowledgeBase((f for f, _ in merged.values()), {f.name: p for f, p in merged.values()})
