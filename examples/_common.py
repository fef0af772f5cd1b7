"""Helpers shared by the example scripts: command line, optional matplotlib, a progress bar.

Every example accepts ``--quick`` (a few seconds: the test suite runs each script this way) and
``--out DIR`` (where pictures go, default ``out/``). Pictures need matplotlib; without it the
scripts print a note and still run to the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def parse_args(
    doc: str | None,
    argv: list[str] | None = None,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """``--quick`` and ``--out DIR`` (created), plus whatever ``extra`` adds to the parser.

    The description is the first line of the example's docstring.
    """
    first = doc.strip().splitlines()[0] if doc else None
    parser = argparse.ArgumentParser(description=first)
    parser.add_argument("--quick", action="store_true", help="a fast run with less training")
    parser.add_argument(
        "--out", type=Path, default=Path("out"), help="where pictures are written (default: out/)"
    )
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


_warned = False


def pyplot() -> Any | None:
    """``matplotlib.pyplot`` on the file-only Agg backend, or None (with a note) if missing."""
    global _warned
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        if not _warned:
            print("note: matplotlib is not installed; skipping the pictures")
            _warned = True
        return None
    return plt


def save(fig: Any, out: Path, name: str, dpi: int = 80) -> Path:
    """Write ``fig`` as ``out/name`` and close it; returns the path."""
    path = out / name
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    fig.clf()
    import matplotlib.pyplot as plt

    plt.close(fig)
    print(f"wrote {path}")
    return path


class Progress:
    """A one-line text progress bar on stderr: ``epoch 3/20 [#####.....] loss 0.12``.

    Redraws in place with a carriage return when stderr is a terminal; otherwise it prints
    only at the end so that logs stay short.
    """

    def __init__(self, total: int, label: str = "", width: int = 30, enabled: bool = True) -> None:
        self.total = max(total, 1)
        self.label = label
        self.width = width
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.count = 0

    def update(self, n: int = 1, info: str = "") -> None:
        self.count = min(self.count + n, self.total)
        if self.enabled and (self.tty or self.count == self.total):
            self._draw(info)

    def _draw(self, info: str) -> None:
        done = self.width * self.count // self.total
        bar = "#" * done + "." * (self.width - done)
        secs = time.perf_counter() - self.start
        line = f"{self.label} {self.count}/{self.total} [{bar}] {info} {secs:5.1f}s"
        end = "\n" if self.count == self.total else ""
        print("\r" + line, end=end, file=sys.stderr, flush=True)
