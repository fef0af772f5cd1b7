"""The runner the randomized comparisons with torch share.

A comparison is a function ``case(seed, torch) -> (outcome, difference or None)``. The suite runs
it on a bounded range of seeds (``assert_seeds_agree``); ``python tests/test_X.py START STOP``
runs any range and prints a tally of the outcomes (``tally``), the way the audits were run.
"""

from __future__ import annotations

import collections
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

Case = Callable[[int, Any], tuple[str, "str | None"]]


def assert_seeds_agree(case: Case, torch: Any, seeds: int) -> None:
    """Every seed below ``seeds`` gives no difference (the first five are reported)."""
    failures = []
    for seed in range(seeds):
        _, found = case(seed, torch)
        if found:
            failures.append(f"seed {seed}: {found}")
    assert not failures, "\n".join(failures[:5])


def tally(case: Case, argv: list[str], width: int = 600) -> None:
    """Run seeds ``argv[1]`` to ``argv[2]``, print each difference and then the outcome counts."""
    import torch

    start, stop = int(argv[1]), int(argv[2])
    outcomes: collections.Counter[str] = collections.Counter()
    for seed in range(start, stop):
        outcome, found = case(seed, torch)
        outcomes["DIFFER" if found else outcome] += 1
        if found:
            print(f"seed {seed}: {found[:width]}")
    for outcome, n in outcomes.most_common():
        print(f"{n:6d}  {outcome}")


def category(e: Exception, errors: Sequence[tuple[str, str]]) -> str:
    """The name of the first ``(name, pattern)`` whose pattern the error's message matches, so
    that both libraries' wordings of one refusal compare equal; otherwise the message itself.
    ``TG_AUDIT_TRACE=1`` prints each traceback."""
    if os.environ.get("TG_AUDIT_TRACE"):
        import traceback

        traceback.print_exception(e)
    for name, pattern in errors:
        if re.search(pattern, str(e)):
            return name
    return f"other {type(e).__name__}: {e}"
