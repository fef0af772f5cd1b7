"""``LKJCholesky``: the LKJ distribution over correlation matrices, on their Cholesky factors.

PyTorch equivalent: ``torch.distributions.LKJCholesky``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._dtypes import finfo
from .._legacy_types import Size
from .._namespace import diag_embed
from ..grad_mode import no_grad
from ..tensor import Tensor, arange, cat, randn, where, zeros
from . import constraints
from .beta import Beta
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["LKJCholesky"]


class LKJCholesky(Distribution):
    """The Cholesky factor L of a correlation matrix LLᵀ ~ LKJ(η): p(LLᵀ) ∝ det(LLᵀ)^{η−1},
    η = ``concentration`` > 0 (η = 1: uniform over correlation matrices), ``dim`` ≥ 2 the
    size; on L, p(L) ∝ Πᵢ₌₂..ₙ Lᵢᵢ^{n − i + 2(η − 1)}.

    ``sample`` is the onion method (Ghosh & Henderson, 2003), as torch's: row i is a uniform
    direction in its first i coordinates scaled by √yᵢ, and the
    diagonal entry completes the row to unit norm; yᵢ ~ Beta(i − ½, η + (n − 1 − i)/2) for rows
    i = 1, …, n − 1 (0-based). No ``rsample``, as in torch.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "concentration": constraints.positive
    }
    support = constraints.corr_cholesky

    def __init__(
        self, dim: int, concentration: Tensor | float = 1.0, validate_args: bool | None = None
    ) -> None:
        if dim < 2:
            raise ValueError(
                f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}."
            )
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        batch_shape = self.concentration.shape
        event_shape = (dim, dim)
        # the Beta of each row's squared off-diagonal norm (marginally over the onion's steps)
        marginal_conc = self.concentration + 0.5 * (self.dim - 2)
        offset = arange(self.dim - 1, dtype=self.concentration.dtype)
        offset = cat([zeros((1,), dtype=offset.dtype), offset])
        beta_conc1 = offset + 0.5
        beta_conc0 = marginal_conc.unsqueeze(-1) - 0.5 * offset
        self._beta = Beta(beta_conc1, beta_conc0)
        super().__init__(batch_shape, event_shape, validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: LKJCholesky | None = None
    ) -> LKJCholesky:
        new = self._get_checked_instance(LKJCholesky, _instance)
        batch_shape = Size(batch_shape)
        new.dim = self.dim
        new.concentration = self.concentration.expand(batch_shape)
        new._beta = self._beta.expand((*batch_shape, self.dim))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """Factors of shape ``sample_shape + batch_shape + (dim, dim)``."""
        with no_grad():
            y = self._beta.sample(sample_shape).unsqueeze(-1)
            u_normal = randn(self._extended_shape(sample_shape), dtype=y.dtype).tril(-1)
            norm = u_normal.norm(dim=-1, keepdim=True)
            first_row = (arange(self.dim) == 0).unsqueeze(-1)  # no direction to draw: zeros
            u_hypersphere = where(first_row, 0.0, u_normal / where(first_row, 1.0, norm))
            w = y.sqrt() * u_hypersphere
            diag_elems = (1 - (w**2).sum(-1)).clamp(min=finfo(w.dtype).tiny).sqrt()
            return w + diag_embed(diag_elems)

    def log_prob(self, value: Tensor) -> Tensor:
        """Σᵢ₌₂..ₙ (n − i + 2(η − 1)) log Lᵢᵢ − log Z, log Z = ½(n − 1) log π +
        log Γₙ₋₁(η + ½(n − 2)) − (n − 1) log Γ(η + ½(n − 1)) (Γₙ₋₁ the multivariate gamma)."""
        if self._validate_args:
            self._validate_sample(value)
        diag_elems = value.diagonal(dim1=-1, dim2=-2)[..., 1:]
        order = arange(2, self.dim + 1, dtype=self.concentration.dtype)
        order = 2 * (self.concentration - 1).unsqueeze(-1) + self.dim - order
        unnormalized_log_pdf = (order * diag_elems.log()).sum(-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        denominator = alpha.lgamma() * dm1
        numerator = (alpha - 0.5).mvlgamma(dm1)
        pi_constant = 0.5 * dm1 * math.log(math.pi)
        return unnormalized_log_pdf - (pi_constant + numerator - denominator)
