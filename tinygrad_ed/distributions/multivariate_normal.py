"""``MultivariateNormal``: the Gaussian N(μ, Σ) over vectors, given Σ, its inverse or its
Cholesky factor.

PyTorch equivalent: ``torch.distributions.MultivariateNormal``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .. import linalg
from .._legacy_types import Size
from .._namespace import broadcast_shapes, cholesky_inverse
from ..tensor import Tensor, eye, randn
from . import constraints
from .distribution import Distribution
from .utils import lazy_property

__all__ = ["MultivariateNormal"]


def _batch_mv(bmat: Tensor, bvec: Tensor) -> Tensor:
    """M v for batches of matrices and vectors whose batch shapes broadcast."""
    return bmat.matmul(bvec.unsqueeze(-1)).squeeze(-1)


def _batch_mahalanobis(bL: Tensor, bx: Tensor) -> Tensor:
    """xᵀ(LLᵀ)⁻¹x = ‖L⁻¹x‖², by a triangular solve (batches broadcast)."""
    return linalg.solve_triangular(bL, bx.unsqueeze(-1), upper=False).squeeze(-1).pow(2).sum(-1)


def _precision_to_scale_tril(P: Tensor) -> Tensor:
    """The lower Cholesky factor L of Σ = P⁻¹ without inverting P: with J the reversal
    permutation, chol(JPJ) = L_f gives P = (J L_f J)(J L_f J)ᵀ, an upper-times-lower
    factorisation, so Σ = L Lᵀ with L = (J L_f J)⁻ᵀ, lower triangular (torch's route)."""
    Lf = linalg.cholesky(P.flip((-2, -1)))
    L_inv = Lf.flip((-2, -1)).transpose(-2, -1)
    Id = eye(P.shape[-1], dtype=P.dtype)
    return linalg.solve_triangular(L_inv, Id, upper=False)


class MultivariateNormal(Distribution):
    """N(μ, Σ) on ℝⁿ: ``loc`` μ (…, n) and exactly one of ``covariance_matrix`` Σ,
    ``precision_matrix`` Σ⁻¹ or ``scale_tril`` L (Σ = LLᵀ, lower triangular with a positive
    diagonal), each (…, n, n); the batch dims broadcast.

    Everything is computed from L (Σ and Σ⁻¹ are turned into it by a Cholesky factorisation):
    log p(x) = −½(n log 2π + ‖L⁻¹(x − μ)‖²) − Σᵢ log Lᵢᵢ; ``rsample`` is μ + Lε, ε ~ N(0, I),
    so μ̄ = g and L̄ = g εᵀ (the reparameterisation).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = [m is not None for m in (covariance_matrix, scale_tril, precision_matrix)]
        if sum(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be "
                "specified."
            )
        if scale_tril is not None:
            name, matrix = "scale_tril matrix", scale_tril
        elif covariance_matrix is not None:
            name, matrix = "covariance_matrix", covariance_matrix
        else:
            assert precision_matrix is not None
            name, matrix = "precision_matrix", precision_matrix
        if matrix.dim() < 2:
            raise ValueError(
                f"{name} must be at least two-dimensional, with optional leading batch dimensions"
            )
        batch_shape = Size(broadcast_shapes(matrix.shape[:-2], loc.shape[:-1]))
        expanded = matrix.expand((*batch_shape, -1, -1))
        if scale_tril is not None:
            self.scale_tril = expanded
        elif covariance_matrix is not None:
            self.covariance_matrix = expanded
        else:
            self.precision_matrix = expanded
        self.loc = loc.expand((*batch_shape, -1))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        # L is kept with the matrix's own batch shape, so a shared Σ is factorised once
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = linalg.cholesky(covariance_matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def expand(
        self, batch_shape: Sequence[int], _instance: MultivariateNormal | None = None
    ) -> MultivariateNormal:
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        cov_shape = batch_shape + self.event_shape + self.event_shape
        new.loc = self.loc.expand(batch_shape + self.event_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(cov_shape))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @lazy_property
    def scale_tril(self) -> Tensor:
        """L, lower triangular with Σ = LLᵀ."""
        return self._unbroadcasted_scale_tril.expand(
            self._batch_shape + self._event_shape + self._event_shape
        )

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """Σ = LLᵀ."""
        L = self._unbroadcasted_scale_tril
        return L.matmul(L.mT).expand(self._batch_shape + self._event_shape + self._event_shape)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """Σ⁻¹ = L⁻ᵀL⁻¹."""
        return cholesky_inverse(self._unbroadcasted_scale_tril).expand(
            self._batch_shape + self._event_shape + self._event_shape
        )

    @property
    def mean(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def variance(self) -> Tensor:
        """diag Σ = Σⱼ Lᵢⱼ²."""
        return (
            self._unbroadcasted_scale_tril.pow(2)
            .sum(-1)
            .expand(self._batch_shape + self._event_shape)
        )

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """μ + Lε, ε ~ N(0, I) of shape ``sample_shape + batch_shape + (n,)``."""
        eps = randn(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.loc + _batch_mv(self._unbroadcasted_scale_tril, eps)

    def log_prob(self, value: Tensor) -> Tensor:
        """−½(n log 2π + (x − μ)ᵀΣ⁻¹(x − μ)) − ½ log det Σ, ½ log det Σ = Σᵢ log Lᵢᵢ."""
        if self._validate_args:
            self._validate_sample(value)
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        return -0.5 * (int(self._event_shape[0]) * math.log(2 * math.pi) + M) - half_log_det

    def entropy(self) -> Tensor:
        """H = ½n(1 + log 2π) + ½ log det Σ."""
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        H = 0.5 * int(self._event_shape[0]) * (1.0 + math.log(2 * math.pi)) + half_log_det
        out: Tensor = H if len(self._batch_shape) == 0 else H.expand(self._batch_shape)
        return out
