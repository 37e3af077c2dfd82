"""Write a file so that readers see either the old one or the complete new one, never half."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


STALE = re.compile(r"^\..+\.tmp$")  # atomic_path's temporary names: .<stem>.<random><suffix>.tmp


def remove_stale(folder: Path) -> list[Path]:
    """Temporary files a killed run left in `folder` (and below): removed. Call only while
    holding the folder's lock, so that no running writer's file is taken."""
    removed = []
    for path in Path(folder).rglob(".*.tmp"):
        if path.is_file() and STALE.match(path.name):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass  # read-only or vanished: the next run tries again
    return removed


def write_failure(exc: BaseException) -> OSError | None:
    """The file-system error behind a failed write, also when a library wrapped it (XlsxWriter's
    FileCreateError on a full disk is not an OSError); None for any other failure."""
    while exc is not None:
        if isinstance(exc, OSError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def write_durably(target: str | Path, data: bytes) -> None:
    """Replace `target` atomically and make the new content survive a power cut (fsync of the
    file before the rename, of the folder after it): for records that must not be lost."""
    target = Path(target)
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    if hasattr(os, "O_DIRECTORY"):  # folders cannot be opened on Windows, where rename is durable
        fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
