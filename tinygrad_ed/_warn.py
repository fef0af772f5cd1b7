"""tinygrad_ed's own warnings, located at the user's line.

A fixed ``stacklevel`` is right for one call path only: ``x.var()`` and ``tg.var_mean(x)`` reach
the same warning through different numbers of the package's frames. ``warn`` counts them each
time, so the warning names the first line outside tinygrad_ed, whatever the path (torch's C++
warnings name the Python caller's line). That line also keys the "default" action's once per
location, and its module is what warnings filters match. It costs a walk up the stack, paid only
when a warning is issued. (``skip_file_prefixes`` does this in Python 3.12+.)

This module imports nothing from the package, so every module of it can use ``warn``.
"""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np

# Frames that are never the user's line: the package's modules (the prefix of their
# co_filename), and the wrapper numpy's errstate puts around a function it decorates, as around
# autograd.backprop (a warning from a backward hook passes it on its way to ``backward()``;
# before numpy 2 the wrapper is contextlib's).
_ERRSTATE_CODE = getattr(np.errstate.__call__, "__code__", None)  # None if numpy made it C code
_INTERNAL = (os.path.dirname(__file__) + os.sep,) + (
    () if _ERRSTATE_CODE is None else (_ERRSTATE_CODE.co_filename,)
)


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn(message, category)`` at the innermost caller outside tinygrad_ed (the
    outermost frame if every one is inside, as when a module of the package runs as a script)."""
    frame = sys._getframe(1)  # warn's caller: stacklevel 2
    level = 2
    while frame.f_code.co_filename.startswith(_INTERNAL) and frame.f_back is not None:
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
