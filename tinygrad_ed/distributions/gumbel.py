"""``Gumbel``: the distribution of the maximum of many draws; −log(−log U) of a uniform U is
the noise of the Gumbel-max trick.

PyTorch equivalent: ``torch.distributions.Gumbel``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._creation import full_like
from .._dtypes import finfo
from ..tensor import Tensor, ones_like
from . import constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform
from .utils import _NUMBER, broadcast_all

__all__ = ["Gumbel"]

EULER_GAMMA = 0.57721566490153286060  # γ = −Γ'(1)


class Gumbel(TransformedDistribution):
    """p(x) = e^{−(z + e^{−z})}/β, z = (x − μ)/β, μ = ``loc``, β = ``scale`` > 0.

    Built as μ − β·log(−log U), U ~ U(tiny, 1 − ε) (so ``rsample`` is differentiable in μ
    and β); ``log_prob`` is written directly, −z − e^{−z} − log β, which is more accurate
    than the chain of transforms.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {  # type: ignore[misc]
        "loc": constraints.real,
        "scale": constraints.positive,
    }
    support = constraints.real  # type: ignore[assignment]

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        info = finfo(self.loc.dtype)
        if isinstance(loc, _NUMBER) and isinstance(scale, _NUMBER):
            base_dist = Uniform(info.tiny, 1 - info.eps, validate_args=validate_args)
        else:
            base_dist = Uniform(
                full_like(self.loc, info.tiny),
                full_like(self.loc, 1 - info.eps),
                validate_args=validate_args,
            )
        transforms = [
            ExpTransform().inv,
            AffineTransform(loc=0, scale=-ones_like(self.scale)),
            ExpTransform().inv,
            AffineTransform(loc=loc, scale=-self.scale),
        ]
        super().__init__(base_dist, transforms, validate_args=validate_args)

    def expand(  # type: ignore[override]
        self, batch_shape: Sequence[int], _instance: Gumbel | None = None
    ) -> Gumbel:
        new = self._get_checked_instance(Gumbel, _instance)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        super().expand(batch_shape, _instance=new)
        return new

    def log_prob(self, value: Tensor) -> Tensor:
        """y − e^y − log β with y = (μ − x)/β."""
        if self._validate_args:
            self._validate_sample(value)
        y = (self.loc - value) / self.scale
        return (y - y.exp()) - self.scale.log()

    @property
    def mean(self) -> Tensor:
        """μ + βγ (γ Euler's constant)."""
        return self.loc + self.scale * EULER_GAMMA

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def stddev(self) -> Tensor:
        """πβ/√6."""
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self) -> Tensor:
        """π²β²/6."""
        return self.stddev.pow(2)

    def entropy(self) -> Tensor:
        """H = log β + 1 + γ."""
        return self.scale.log() + (1 + EULER_GAMMA)
