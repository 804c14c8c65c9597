"""A small on-disk cache for what is slow to rebuild on every run.

Start-up matters (a command should feel instant): parsing the packaged TOML
rules with the pure-Python ``tomllib`` costs milliseconds per file, and the
``holidays`` package costs ~160 ms to load.  Their results are kept as JSON
(read by the C parser) under ``$SENDPLAN_CACHE_DIR``, else
``$XDG_CACHE_HOME/sendplan``, else ``~/.cache/sendplan``.  Every entry is keyed
by what it was built from, so a stale entry is never read; writes are atomic
and best effort (a read-only home only makes sendplan slower).
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    explicit = os.environ.get("SENDPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "sendplan"


def read_json(name: str) -> Any | None:
    """The cached value ``name``, or None when absent or unreadable."""
    try:
        return json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def scope(where: str | Path) -> str:
    """A short tag for a source's location, for cache names and families.

    Several installs (virtual environments, checkouts) may share one cache
    folder: an entry's family names the source's own location, so an install
    only ever replaces its own older entries, never another's.
    """
    import zlib

    return f"{zlib.crc32(str(where).encode()):08x}"


def write_json(name: str, value: Any, family: str | None = None) -> None:
    """Store ``value`` as ``name`` atomically; silently skip when not possible.

    ``family`` is the name's prefix shared by older entries built from earlier
    versions of the same source (see :func:`scope`); they are removed, so the
    cache does not grow.  A failed write leaves nothing behind.
    """
    import tempfile

    folder = cache_dir()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
        os.replace(tmp, folder / name)
        tmp = None
        for old in folder.glob(f"{family}*.json") if family else ():
            if old.name != name:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a packaged TOML data file, through the cache.

    The key is the file's folder, name, location, size and modification time,
    so an edited rules file is parsed afresh.  TOML dates and times are kept as
    tagged JSON objects (``{"$date": "2023-01-01"}``) and come back as dates.
    """
    stat = path.stat()
    family = f"{path.parent.name}-{path.stem}-{scope(path.resolve())}-"
    name = f"{family}{stat.st_size}-{stat.st_mtime_ns}.json"
    cached = _read_tagged(name)
    if isinstance(cached, dict):
        return cached
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    write_json(name, json.loads(json.dumps(data, default=_tag)), family)
    return data


_TAGS: dict[str, Any] = {"$datetime": datetime, "$date": date, "$time": time}


def _tag(value: Any) -> dict[str, str]:
    for tag, kind in _TAGS.items():  # datetime before date: a datetime is a date
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _untag(found: dict[str, Any]) -> Any:
    if len(found) == 1:
        ((tag, text),) = found.items()
        if tag in _TAGS:
            return _TAGS[tag].fromisoformat(text)
    return found


def _read_tagged(name: str) -> Any | None:
    try:
        text = (cache_dir() / name).read_text(encoding="utf-8")
        return json.loads(text, object_hook=_untag) if '"$' in text else json.loads(text)
    except (OSError, ValueError):
        return None
