"""Layouts, torch's ``torch.layout``: how a tensor's elements are stored.

Every tensor here is strided (a numpy array: a pointer, sizes and strides), so ``x.layout`` is
``tg.strided`` always. torch's other layouts (the sparse ones, mkldnn's, nested tensors'
jagged) are named, as torch code compares with them (``x.layout == torch.sparse_coo``), but no
tensor has them here.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "jagged",
    "layout",
    "sparse_bsc",
    "sparse_bsr",
    "sparse_coo",
    "sparse_csc",
    "sparse_csr",
    "strided",
]


class layout:
    """A storage layout (``torch.layout``), one object per layout; ``repr`` names it as torch
    does with this package's name. As torch's, not made by users: the module's constants are
    all there are."""

    __slots__ = ("_name",)
    _name: str

    def __new__(cls, *args: Any, **kwargs: Any) -> layout:
        raise TypeError("cannot create 'tinygrad_ed.layout' instances")

    @classmethod
    def _named(cls, name: str) -> layout:
        made = object.__new__(cls)
        object.__setattr__(made, "_name", name)
        return made

    def __repr__(self) -> str:
        return f"tinygrad_ed.{self._name}"

    def __reduce__(self) -> str:  # pickled by name: the same object after loading
        return self._name


strided = layout._named("strided")
sparse_coo = layout._named("sparse_coo")
sparse_csr = layout._named("sparse_csr")
sparse_csc = layout._named("sparse_csc")
sparse_bsr = layout._named("sparse_bsr")
sparse_bsc = layout._named("sparse_bsc")
_mkldnn = layout._named("_mkldnn")
jagged = layout._named("jagged")
