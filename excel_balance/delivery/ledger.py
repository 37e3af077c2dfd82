"""Which messages a server accepted, or may have: a JSON file in outputs/, kept under a lock for
the whole send and re-read before each unit, so that two runs at once never send a unit twice.

Each message is written down before it goes out (待确认, with its Message-ID) and again once the
server accepted it (已发送). A run that loses the server's reply, or dies, leaves 待确认 behind,
and the next run sends that same message again under the same Message-ID, which mail clients
recognise as one message. When the ledger itself cannot be written after the server accepted,
the acceptance is kept in a small note beside it, folded back in by the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from filelock import FileLock, Timeout

from excel_balance.atomic import write_durably

ACCEPTED = "已发送"
PENDING = "待确认"
KEY_FIELDS = ("district", "year", "unit", "digest")


class LedgerBusy(Exception):
    """Another run is sending from the same outputs folder."""


class LedgerUnreadable(Exception):
    """The ledger exists but is not one: sending without it could send every unit again."""


class LedgerWriteFailed(Exception):
    """The ledger could not be written; `noted` tells whether the acceptance was kept in a note."""

    def __init__(self, path: Path, exc: OSError, noted: Path | None):
        self.path, self.reason, self.noted = path, exc.strerror or str(exc), noted
        super().__init__(f"{path}: {self.reason}")


class Ledger:
    """Entries are dicts: district, year, unit, digest (what was sent), state, message_id, date,
    to, statuses (indicator and level → status, for the next update's 'what changed'), at."""

    def __init__(self, path: Path, wait: float):
        self.path = path
        self.wait = wait
        self.lock = FileLock(str(path.with_name(path.name + ".lock")))
        self.entries: list[dict] = []

    def __enter__(self) -> Ledger:
        try:
            self.lock.acquire(timeout=self.wait)
        except Timeout:
            raise LedgerBusy(str(self.path)) from None
        return self

    def __exit__(self, *exc_info) -> None:
        self.lock.release()

    def reload(self) -> None:
        """The ledger as another run may have left it, with the notes of failed writes."""
        self.entries = _read(self.path)
        for note in self._notes():
            for done in _read(note):  # an acceptance the ledger could not take: it replaces 待确认
                self.entries = [e for e in self.entries if e.get("message_id") != done.get("message_id")] + [done]

    def find(self, key: dict, state: str) -> dict | None:
        matches = [e for e in self.entries if _same(e, key) and e.get("state") == state]
        return matches[-1] if matches else None

    def previous(self, key: dict) -> dict | None:
        """The last accepted message to the same unit for the same year with other content (an
        older version's record, without state, is not compared: see legacy())."""
        same_unit = {k: key[k] for k in ("district", "year", "unit")}
        matches = [e for e in self.entries if _same(e, same_unit) and e.get("digest") != key["digest"]
                   and e.get("state") == ACCEPTED]
        return matches[-1] if matches else None

    def legacy(self, key: dict) -> dict | None:
        """The last message to this unit and year recorded by a version before states and
        statuses: its digest covered texts this version no longer writes, so it cannot match."""
        same_unit = {k: key[k] for k in ("district", "year", "unit")}
        matches = [e for e in self.entries if _same(e, same_unit) and "state" not in e]
        return matches[-1] if matches else None

    def adopt(self, entry: dict, key: dict, statuses: dict) -> None:
        """Take an old version's record as this message's, so that it is not sent again."""
        adopted = {**entry, **key, "state": ACCEPTED, "statuses": statuses, "adopted_digest": entry.get("digest")}
        self._save([e for e in self.entries if e is not entry] + [adopted])

    def pending(self, key: dict, message_id: str, date: str, to: list[str], statuses: dict) -> dict:
        entry = {**key, "state": PENDING, "message_id": message_id, "date": date, "to": to, "statuses": statuses,
                 "at": _now()}
        self._save(self.entries + [entry])
        return entry

    def accepted(self, entry: dict) -> None:
        """Raises LedgerWriteFailed, after keeping the acceptance in a note if it can."""
        done = {**entry, "state": ACCEPTED, "at": _now()}
        try:
            self._save([e for e in self.entries if e is not entry] + [done])
        except LedgerWriteFailed as failed:
            note = self.path.with_name(f"{self.path.stem}.{_short(entry['message_id'])}{self.path.suffix}")
            try:
                write_durably(note, _dump([done]))
            except OSError:
                raise failed from None
            self.entries = [e for e in self.entries if e is not entry] + [done]
            raise LedgerWriteFailed(self.path, OSError(failed.reason), note) from None

    def forget(self, entry: dict) -> None:
        """A message the server refused: it never left, so nothing is pending."""
        try:
            self._save([e for e in self.entries if e is not entry])
        except LedgerWriteFailed:
            pass  # left as 待确认, the next run sends it under the same Message-ID: harmless

    def _save(self, entries: list[dict]) -> None:
        try:
            write_durably(self.path, _dump(entries))
        except OSError as exc:
            raise LedgerWriteFailed(self.path, exc, None) from exc
        self.entries = entries
        for note in self._notes():  # folded in by reload() and now written
            note.unlink(missing_ok=True)

    def _notes(self) -> list[Path]:
        return sorted(self.path.parent.glob(f"{self.path.stem}.*{self.path.suffix}"))


def _read(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise LedgerUnreadable(f"{path}（{getattr(exc, 'strerror', None) or exc}）") from exc
    try:
        entries = json.loads(text)
    except ValueError as exc:
        raise LedgerUnreadable(f"{path}（不是有效的 JSON：第 {getattr(exc, 'lineno', '?')} 行）") from exc
    if not isinstance(entries, list):
        raise LedgerUnreadable(f"{path}（内容不是发送记录的列表）")
    return [e for e in entries if isinstance(e, dict)]


def _dump(entries: list[dict]) -> bytes:
    return json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8")


def _same(entry: dict, key: dict) -> bool:
    return all(entry.get(k) == v for k, v in key.items())


def _short(message_id: str) -> str:
    return hashlib.sha256(message_id.encode()).hexdigest()[:12]


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
