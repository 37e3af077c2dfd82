"""Pausing Python's cyclic garbage collector around bulk work (below every stage)."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused(collect_after: bool = False):
    """No automatic collection inside. Reading a province or writing its reports builds millions
    of objects that live on and form no cycles; each automatic collection walked them all again
    (a third of the time of reading 200,000 rows, a tenth of writing). Nested pauses leave the
    collector to the outermost one; `collect_after` collects what cycles there are once, on the
    way out."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        if collect_after:
            gc.collect()
