"""``tinygrad_ed.testing``: tools to test code written with tinygrad_ed.

* torch.testing's two functions, which need nothing beyond numpy (``_torch_testing``):
  :func:`assert_close` (values within dtype-dependent tolerances, with torch's report of the
  worst element) and :func:`make_tensor` (a random tensor of a shape, dtype and range).
* The hypothesis strategies and the gradient assertion this library's own tests are built from
  (``_strategies``): :func:`shapes`, :func:`arrays`, :func:`broadcastable_shapes`,
  :func:`matmul_shapes`, :func:`reduction_dims`, :func:`index_for`, :func:`distinct_arrays`
  and :func:`assert_gradcheck`, for gradient property tests of your own::

    from hypothesis import given
    from tinygrad_ed.testing import arrays, assert_gradcheck, shapes

    @given(shapes().flatmap(arrays))
    def test_softplus_gradient(x):
        assert_gradcheck(lambda t: (t.exp() + 1).log(), x)

  They need the ``hypothesis`` package (``pip install tinygrad_ed[testing]``), imported when one
  of them is first used, so that ``tg.testing.assert_close`` works without it.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._torch_testing import assert_close, make_tensor

_STRATEGIES = (
    "arrays",
    "assert_gradcheck",
    "broadcastable_shapes",
    "distinct_arrays",
    "index_for",
    "matmul_shapes",
    "reduction_dims",
    "shapes",
)

__all__ = ["assert_close", "make_tensor", *_STRATEGIES]


def __getattr__(name: str) -> Any:
    """The strategies, from their module, imported on first use (it imports hypothesis)."""
    if name in _STRATEGIES:
        return getattr(importlib.import_module(f"{__name__}._strategies"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_STRATEGIES])
