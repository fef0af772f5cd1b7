"""``ExponentialFamily``: densities p(x; θ) = h(x)·exp(⟨θ, t(x)⟩ − A(θ)), whose entropy follows
from the log normaliser A alone.

PyTorch equivalent: ``torch.distributions.ExponentialFamily``.
"""

from __future__ import annotations

from ..autograd import grad
from ..tensor import Tensor
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """The base class of exponential families: a subclass gives its natural parameters θ
    (``_natural_params``), its log normaliser A(θ) (``_log_normalizer``) and E[log h(X)]
    (``_mean_carrier_measure``).

    The entropy is then the Bregman form H = A(θ) − ⟨θ, ∇A(θ)⟩ − E[log h(X)] (E[t(X)] = ∇A(θ)),
    with ∇A taken by autograd. As torch's, it is computed on detached copies of θ: no gradient
    reaches the distribution's parameters (the families override ``entropy`` with closed forms).

    The subclasses are torch's: ``Bernoulli``, ``Beta``, ``ContinuousBernoulli``,
    ``Dirichlet``, ``Exponential``, ``Gamma`` (and ``Chi2``), ``Normal``, ``Poisson`` and
    ``Wishart``. ``Beta``, ``Dirichlet`` and ``Poisson`` give no E[log h(X)] (nor does torch), so
    their generic entropy raises NotImplementedError; their Bregman KL works.
    """

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        """θ, one Tensor per natural parameter."""
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        """A(θ) = log ∫ h(x) exp(⟨θ, t(x)⟩) dx."""
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        """E[log h(X)]."""
        raise NotImplementedError(
            f"{type(self).__name__} does not give E[log h(X)] (_mean_carrier_measure), which "
            "ExponentialFamily.entropy needs"
        )

    def entropy(self) -> Tensor:
        """H = A(θ) − ⟨θ, ∇A(θ)⟩ − E[log h(X)], each natural parameter's product summed over
        its non-batch dims."""
        carrier = self._mean_carrier_measure  # first, as torch's: refused before any work
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = grad(lg_normal.sum(), nparams, create_graph=True)
        result = lg_normal - carrier
        for nparam, g in zip(nparams, gradients):
            result = result - (nparam * g).reshape((*self._batch_shape, -1)).sum(-1)
        return result
