"""What the location–scale families share: ``loc`` ∈ ℝ and ``scale`` > 0, Tensors or numbers
broadcast together; a real support; mean and mode ``loc``; ``expand`` of both parameters.
``Normal`` and ``Laplace`` build on it (torch repeats this in each of its classes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from .._legacy_types import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

L = TypeVar("L", bound="LocScale")


class LocScale(Distribution):
    """The shared part of a location–scale family (see the module)."""

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real
    has_rsample = True

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        numbers = not isinstance(loc, Tensor) and not isinstance(scale, Tensor)
        super().__init__(() if numbers else self.loc.shape, validate_args=validate_args)

    def _expand(self, cls: type[L], batch_shape: Sequence[int], _instance: L | None) -> L:
        """``expand`` of the family ``cls`` (named, so that a subclass with its own
        ``__init__`` must define its own ``expand``, as torch requires)."""
        new = self._get_checked_instance(cls, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc
