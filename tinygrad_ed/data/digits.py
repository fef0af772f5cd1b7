"""The UCI handwritten digits, shipped with the package so that it works offline.

1,797 grey-scale images of 8×8 pixels, each pixel an integer 0…16 (the count of ink pixels in a
4×4 block of a 32×32 bitmap), labelled with the digit 0…9. It is the test set of "Optical
Recognition of Handwritten Digits" (Alpaydin & Kaynak, 1998; UCI ML repository, CC BY 4.0), the
same copy scikit-learn bundles as ``sklearn.datasets.load_digits``. See
``tinygrad_ed/datasets/README.md`` for provenance and the checksum.
"""

from __future__ import annotations

from importlib import resources
from typing import Literal, overload

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed.tensor import Tensor

N_DIGITS = 1797
"""Number of images in the shipped digits data."""


def _read() -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    # importlib.resources rather than a path next to __file__: it also works from a zipped install.
    ref = resources.files("tinygrad_ed").joinpath("datasets/digits.npz")
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as archive:
        return archive["images"], archive["labels"]


@overload
def load_digits(
    *, as_tensor: Literal[False] = ..., images: bool = ...
) -> tuple[NDArray[np.float64], NDArray[np.int64]]: ...
@overload
def load_digits(*, as_tensor: Literal[True], images: bool = ...) -> tuple[Tensor, Tensor]: ...
@overload
def load_digits(
    *, as_tensor: bool, images: bool = ...
) -> tuple[NDArray[np.float64], NDArray[np.int64]] | tuple[Tensor, Tensor]: ...


def load_digits(
    *, as_tensor: bool = False, images: bool = False
) -> tuple[NDArray[np.float64], NDArray[np.int64]] | tuple[Tensor, Tensor]:
    """The digits as ``(X, y)``: ``X`` float64 ``(1797, 64)``, values 0…16; ``y`` int64 in 0…9.

    ``images=True`` gives ``X`` the shape ``(1797, 8, 8)`` instead (row-major, as flattened).
    ``as_tensor=True`` wraps both in Tensors. The pixels are *not* scaled: divide by 16, or use
    :func:`tinygrad_ed.data.standardize` (several border pixels are always 0, so a plain
    ``(X - mean) / std`` would divide by zero). Equivalent to
    ``sklearn.datasets.load_digits(return_X_y=True)``, without needing scikit-learn.
    """
    pixels, labels = _read()
    X = pixels.astype(np.float64)
    if images:
        X = X.reshape(-1, 8, 8)
    y = labels.astype(np.int64)
    if as_tensor:
        return Tensor(X), Tensor(y)
    return X, y
