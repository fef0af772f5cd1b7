"""``Wishart``: the distribution of the scatter matrix of Gaussian vectors, over positive
definite matrices.

PyTorch equivalent: ``torch.distributions.Wishart``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import linalg
from .._dtypes import finfo
from .._legacy_types import Size
from .._namespace import broadcast_shapes, diag_embed
from .._warn import warn
from ..tensor import Tensor, arange, eye, randn, tensor, where
from . import constraints
from .exp_family import ExponentialFamily
from .gamma import Chi2
from .multivariate_normal import _precision_to_scale_tril
from .utils import _NUMBER, lazy_property, vec_to_tril_matrix

__all__ = ["Wishart"]

_LOG_2 = math.log(2)


def _mvdigamma(x: Tensor, p: int) -> Tensor:
    """The multivariate digamma ψₚ(x) = Σᵢ₌₀..ₚ₋₁ ψ(x − i/2), for x > (p − 1)/2."""
    if not bool(x.gt((p - 1) / 2).all()):
        raise AssertionError("Wrong domain for multivariate digamma function.")
    return (x.unsqueeze(-1) - arange(p, dtype=x.dtype) / 2).digamma().sum(-1)


class Wishart(ExponentialFamily):
    """W(ν, Σ) on p × p positive definite matrices: p(X) ∝ det(X)^{(ν−p−1)/2} e^{−tr(Σ⁻¹X)/2},
    ν = ``df`` > p − 1, Σ given as exactly one of ``covariance_matrix``, ``precision_matrix``
    or ``scale_tril`` (L, Σ = LLᵀ).

    ``rsample`` is Bartlett's decomposition: X = (LA)(LA)ᵀ with A lower triangular, Aᵢᵢ² ~
    χ²(ν − i) (implicitly reparameterised, so the gradient reaches ν) and N(0, 1) below the
    diagonal. Draws that come out singular (possible for ν < p) are drawn again, up to
    ``max_try_correction`` times, with a warning; torch 2.13 tests the opposite condition and
    so warns and redraws on every call.
    """

    support = constraints.positive_definite
    has_rsample = True
    _mean_carrier_measure = 0

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:  # type: ignore[override]
        return {
            "covariance_matrix": constraints.positive_definite,
            "precision_matrix": constraints.positive_definite,
            "scale_tril": constraints.lower_cholesky,
            "df": constraints.greater_than(self.event_shape[-1] - 1),
        }

    def __init__(
        self,
        df: Tensor | float,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        given = [m for m in (covariance_matrix, precision_matrix, scale_tril) if m is not None]
        if len(given) != 1:
            raise AssertionError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be "
                "specified."
            )
        param = given[0]
        if param.dim() < 2:
            raise ValueError(
                "scale_tril must be at least two-dimensional, with optional leading batch "
                "dimensions"
            )
        if isinstance(df, _NUMBER):
            batch_shape = Size(param.shape[:-2])
            self.df = tensor(df, dtype=param.dtype)
        else:
            assert isinstance(df, Tensor)
            batch_shape = Size(broadcast_shapes(param.shape[:-2], df.shape))
            self.df = df.expand(batch_shape)
        event_shape = Size(param.shape[-2:])
        p = event_shape[-1]
        if bool(self.df.le(p - 1).any()):
            raise ValueError(f"Value of df={df} expected to be greater than ndim - 1 = {p - 1}.")
        expanded = param.expand((*batch_shape, -1, -1))
        if scale_tril is not None:
            self.scale_tril = expanded
        elif covariance_matrix is not None:
            self.covariance_matrix = expanded
        else:
            self.precision_matrix = expanded
        if bool(self.df.lt(p).any()):
            warn(
                "Low df values detected. Singular samples are highly likely to occur for "
                "ndim - 1 < df < ndim."
            )
        super().__init__(batch_shape, event_shape, validate_args=validate_args)
        self._batch_dims = [-(x + 1) for x in range(len(self._batch_shape))]
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = linalg.cholesky(covariance_matrix)
        else:
            assert precision_matrix is not None
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(precision_matrix)
        self._dist_chi2 = self._chi2(self.df, batch_shape)

    def _chi2(self, df: Tensor, batch_shape: Size) -> Chi2:
        """χ²(ν − i), i = 0, …, p − 1: the squared diagonal of Bartlett's A."""
        p = self._unbroadcasted_scale_tril.shape[-1]
        offsets = arange(p, dtype=self._unbroadcasted_scale_tril.dtype)
        return Chi2(df=df.unsqueeze(-1) - offsets.expand((*batch_shape, -1)))

    def expand(self, batch_shape: Sequence[int], _instance: Wishart | None = None) -> Wishart:
        new = self._get_checked_instance(Wishart, _instance)
        batch_shape = Size(batch_shape)
        cov_shape = batch_shape + self.event_shape
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril.expand(cov_shape)
        new.df = self.df.expand(batch_shape)
        new._batch_dims = [-(x + 1) for x in range(len(batch_shape))]
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(cov_shape))
        ExponentialFamily.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._dist_chi2 = new._chi2(new.df, batch_shape)
        new._validate_args = self._validate_args
        return new

    @lazy_property
    def scale_tril(self) -> Tensor:
        """L, Σ = LLᵀ."""
        return self._unbroadcasted_scale_tril.expand(self._batch_shape + self._event_shape)

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        """Σ = LLᵀ."""
        L = self._unbroadcasted_scale_tril
        return L.matmul(L.mT).expand(self._batch_shape + self._event_shape)

    @lazy_property
    def precision_matrix(self) -> Tensor:
        """Σ⁻¹, by two triangular solves."""
        identity = eye(self._event_shape[-1], dtype=self._unbroadcasted_scale_tril.dtype)
        return identity.cholesky_solve(self._unbroadcasted_scale_tril).expand(
            self._batch_shape + self._event_shape
        )

    @property
    def mean(self) -> Tensor:
        """νΣ."""
        return self.df.view((*self._batch_shape, 1, 1)) * self.covariance_matrix

    @property
    def mode(self) -> Tensor:
        """(ν − p − 1)Σ for ν > p + 1, nan otherwise."""
        factor = self.df - self.covariance_matrix.shape[-1] - 1
        factor = where(factor <= 0, math.nan, factor)
        return factor.view((*self._batch_shape, 1, 1)) * self.covariance_matrix

    @property
    def variance(self) -> Tensor:
        """Var Xᵢⱼ = ν(Σᵢⱼ² + ΣᵢᵢΣⱼⱼ)."""
        V = self.covariance_matrix
        diag_V = V.diagonal(dim1=-2, dim2=-1)
        outer = diag_V.unsqueeze(-1) * diag_V.unsqueeze(-2)
        return self.df.view((*self._batch_shape, 1, 1)) * (V.pow(2) + outer)

    def _bartlett_sampling(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """(LA)(LA)ᵀ, A lower triangular with √χ² diagonal and N(0, 1) below it."""
        p = self._event_shape[-1]
        eps = finfo(self._unbroadcasted_scale_tril.dtype).eps
        diagonal = self._dist_chi2.rsample(sample_shape).sqrt().clamp(min=eps)
        below = randn((*sample_shape, *self._batch_shape, p * (p - 1) // 2), dtype=diagonal.dtype)
        noise = diag_embed(diagonal) + vec_to_tril_matrix(below, diag=-1)
        chol = self._unbroadcasted_scale_tril.matmul(noise)
        return chol.matmul(chol.mT)

    def rsample(self, sample_shape: Sequence[int] = (), max_try_correction: Any = None) -> Tensor:
        """Bartlett draws of shape ``sample_shape + batch_shape + (p, p)``; a draw of the
        sample that is singular anywhere in the batch is drawn again (a warning says so)."""
        if max_try_correction is None:
            max_try_correction = 10
        sample_shape = Size(sample_shape)
        sample = self._bartlett_sampling(sample_shape)
        is_singular = self._singular(sample)
        if bool(is_singular.any()):
            warn("Singular sample detected.")
            for _ in range(max_try_correction):
                sample_new = self._bartlett_sampling(sample_shape)
                mask = is_singular.view(
                    (*is_singular.shape, *([1] * (sample.dim() - is_singular.dim())))
                )
                sample = where(mask, sample_new, sample)
                is_singular = self._singular(sample)
                if not bool(is_singular.any()):
                    break
        return sample

    def _singular(self, sample: Tensor) -> Tensor:
        """Per draw of the sample: whether any matrix of the batch is not positive definite."""
        singular = ~self.support.check(sample)
        if self._batch_shape:
            singular = singular.amax(self._batch_dims)
        return singular

    def log_prob(self, value: Tensor) -> Tensor:
        """−ν(p log 2/2 + log det L) − log Γₚ(ν/2) + (ν − p − 1)/2·log det X − tr(Σ⁻¹X)/2."""
        if self._validate_args:
            self._validate_sample(value)
        nu = self.df
        p = self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        return (
            -nu * (p * _LOG_2 / 2 + L.diagonal(dim1=-2, dim2=-1).log().sum(-1))
            - (nu / 2).mvlgamma(p)
            + (nu - p - 1) / 2 * linalg.slogdet(value).logabsdet
            - value.cholesky_solve(L).diagonal(dim1=-2, dim2=-1).sum(-1) / 2
        )

    def entropy(self) -> Tensor:
        """H = (p + 1)(p log 2/2 + log det L) + log Γₚ(ν/2) − (ν − p − 1)/2·ψₚ(ν/2) + νp/2."""
        nu = self.df
        p = self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        return (
            (p + 1) * (p * _LOG_2 / 2 + L.diagonal(dim1=-2, dim2=-1).log().sum(-1))
            + (nu / 2).mvlgamma(p)
            - (nu - p - 1) / 2 * _mvdigamma(nu / 2, p)
            + nu * p / 2
        )

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = (−Σ⁻¹/2, (ν − p − 1)/2), θ₂ of shape ``batch_shape``."""
        p = self._event_shape[-1]
        # a number ν is kept 0-d: expanded, so that ExponentialFamily's entropy and KL see one
        # θ₂ per batch member (torch's keeps it 0-d; its entropy then fails, its KL sums ∂A/∂θ₂
        # over the batch)
        return -self.precision_matrix / 2, ((self.df - p - 1) / 2).expand(self._batch_shape)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = (θ₂ + (p + 1)/2)(−log det(−2θ₁) + p log 2) + log Γₚ(θ₂ + (p + 1)/2)."""
        x, y = natural_params
        p = self._event_shape[-1]
        return (y + (p + 1) / 2) * (-linalg.slogdet(-2 * x).logabsdet + _LOG_2 * p) + (
            y + (p + 1) / 2
        ).mvlgamma(p)
