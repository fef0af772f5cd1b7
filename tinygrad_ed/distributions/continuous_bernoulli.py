"""``ContinuousBernoulli``: the normalised Bernoulli likelihood on [0, 1], the right
likelihood for a VAE decoding pixel intensities (Loaiza-Ganem & Cunningham, 2019).

PyTorch equivalent: ``torch.distributions.ContinuousBernoulli``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .._legacy_types import Size
from ..functional import binary_cross_entropy_with_logits
from ..special import expm1
from ..tensor import Tensor, rand, where
from . import constraints
from ._probs_logits import check_one_given, expand_given
from .exp_family import ExponentialFamily
from .utils import (
    _NUMBER,
    broadcast_all,
    clamp_probs,
    lazy_property,
    logits_to_probs,
    probs_to_logits,
)

__all__ = ["ContinuousBernoulli"]


class ContinuousBernoulli(ExponentialFamily):
    """p(x) = C(λ)·λˣ(1 − λ)^{1−x} on [0, 1], λ from ``probs`` (clamped into [ε, 1 − ε]) or
    ``logits``, C(λ) = 2·atanh(1 − 2λ)/(1 − 2λ) (= 2 at λ = ½).

    Near λ = ½ the closed forms are 0/0: inside ``lims`` (default (0.499, 0.501)) the
    normaliser, mean and variance are torch's Taylor polynomials in λ − ½, outside the exact
    formulas at a λ kept out of that band. ``rsample`` is the quantile of uniform noise.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    support = constraints.unit_interval
    _mean_carrier_measure = 0
    has_rsample = True

    def __init__(
        self,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        lims: tuple[float, float] = (0.499, 0.501),
        validate_args: bool | None = None,
    ) -> None:
        check_one_given(probs, logits)
        if probs is not None:
            is_scalar = isinstance(probs, _NUMBER)
            (probs_t,) = broadcast_all(probs)
            if validate_args is not None and not bool(
                self.arg_constraints["probs"].check(probs_t).all()
            ):
                raise ValueError("The parameter probs has invalid values")
            self.probs = clamp_probs(probs_t)
            self._param = self.probs
        else:
            assert logits is not None
            is_scalar = isinstance(logits, _NUMBER)
            (self.logits,) = broadcast_all(logits)
            self._param = self.logits
        self._lims = lims
        super().__init__(() if is_scalar else self._param.shape, validate_args=validate_args)

    def expand(
        self, batch_shape: Sequence[int], _instance: ContinuousBernoulli | None = None
    ) -> ContinuousBernoulli:
        new = self._get_checked_instance(ContinuousBernoulli, _instance)
        new._lims = self._lims
        batch_shape = Size(batch_shape)
        expand_given(self, new, batch_shape)
        ExponentialFamily.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _outside_unstable_region(self) -> Tensor:
        """λ ≤ lims[0] or λ > lims[1]: where the closed forms are accurate."""
        out: Tensor = (self.probs <= self._lims[0]) | (self.probs > self._lims[1])
        return out

    def _cut_probs(self) -> Tensor:
        """λ, replaced by lims[0] inside the band (so the unused branch stays finite)."""
        return where(self._outside_unstable_region(), self.probs, self._lims[0])

    def _cont_bern_log_norm(self) -> Tensor:
        """log C(λ) = log|log(1 − λ) − log λ| − log|1 − 2λ|; log 2 + (4/3 + 104/45·t)t,
        t = (λ − ½)², inside the band."""
        cut_probs = self._cut_probs()
        below_half = where(cut_probs <= 0.5, cut_probs, 0.0)
        above_half = where(cut_probs >= 0.5, cut_probs, 1.0)
        log_norm = ((-cut_probs).log1p() - cut_probs.log()).abs().log() - where(
            cut_probs <= 0.5, (-2.0 * below_half).log1p(), (2.0 * above_half - 1.0).log()
        )
        x = (self.probs - 0.5).pow(2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return where(self._outside_unstable_region(), log_norm, taylor)

    @property
    def mean(self) -> Tensor:
        """λ/(2λ − 1) + 1/(log(1 − λ) − log λ); ½ + (⅓ + 16/45·t²)t, t = λ − ½, inside."""
        cut_probs = self._cut_probs()
        mus = cut_probs / (2.0 * cut_probs - 1.0) + 1.0 / ((-cut_probs).log1p() - cut_probs.log())
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * x.pow(2)) * x
        return where(self._outside_unstable_region(), mus, taylor)

    @property
    def stddev(self) -> Tensor:
        """√Var."""
        return self.variance.sqrt()

    @property
    def variance(self) -> Tensor:
        """λ(λ − 1)/(1 − 2λ)² + 1/(log(1 − λ) − log λ)²; 1/12 − (1/15 − 128/945·t)t,
        t = (λ − ½)², inside."""
        cut_probs = self._cut_probs()
        vars = cut_probs * (cut_probs - 1.0) / (1.0 - 2.0 * cut_probs).pow(2) + 1.0 / (
            (-cut_probs).log1p() - cut_probs.log()
        ).pow(2)
        x = (self.probs - 0.5).pow(2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return where(self._outside_unstable_region(), vars, taylor)

    @lazy_property
    def logits(self) -> Tensor:
        """z = log λ − log(1 − λ)."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """λ = σ(z), clamped into [ε, 1 − ε]."""
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    @property
    def param_shape(self) -> Size:
        return Size(self._param.shape)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """The quantile of uniform noise u: x̄ reaches λ through ``icdf``."""
        u = rand(self._extended_shape(sample_shape), dtype=self.probs.dtype)
        return self.icdf(u)

    def log_prob(self, value: Tensor) -> Tensor:
        """x·z − softplus(z) + log C(λ) (minus the binary cross-entropy of the logits)."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        bce = binary_cross_entropy_with_logits(logits, value, reduction="none")
        return -bce + self._cont_bern_log_norm()

    def cdf(self, value: Tensor) -> Tensor:
        """(λˣ(1 − λ)^{1−x} + λ − 1)/(2λ − 1) (x inside the band), 0 below 0, 1 above 1."""
        if self._validate_args:
            self._validate_sample(value)
        cut_probs = self._cut_probs()
        cdfs = (cut_probs.pow(value) * (1.0 - cut_probs).pow(1.0 - value) + cut_probs - 1.0) / (
            2.0 * cut_probs - 1.0
        )
        unbounded_cdfs = where(self._outside_unstable_region(), cdfs, value)
        return where(value <= 0.0, 0.0, where(value >= 1.0, 1.0, unbounded_cdfs))

    def icdf(self, value: Tensor) -> Tensor:
        """(log(1 − λ + q(2λ − 1)) − log(1 − λ))/(log λ − log(1 − λ)) (q inside the band)."""
        cut_probs = self._cut_probs()
        return where(
            self._outside_unstable_region(),
            ((-cut_probs + value * (2.0 * cut_probs - 1.0)).log1p() - (-cut_probs).log1p())
            / (cut_probs.log() - (-cut_probs).log1p()),
            value,
        )

    def entropy(self) -> Tensor:
        """H = μ(log(1 − λ) − log λ) − log C(λ) − log(1 − λ)."""
        log_probs0 = (-self.probs).log1p()
        log_probs1 = self.probs.log()
        return self.mean * (log_probs0 - log_probs1) - self._cont_bern_log_norm() - log_probs0

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ = z."""
        return (self.logits,)

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = log((e^θ − 1)/θ); θ/2 + θ²/24 − θ⁴/2880 near θ = 0."""
        (x,) = natural_params
        out_unst_reg = (x <= self._lims[0] - 0.5) | (x > self._lims[1] - 0.5)
        cut_nat_params = where(out_unst_reg, x, self._lims[0] - 0.5)
        log_norm = expm1(cut_nat_params).abs().log() - cut_nat_params.abs().log()
        taylor = 0.5 * x + x.pow(2) / 24.0 - x.pow(4) / 2880.0
        return where(out_unst_reg, log_norm, taylor)
