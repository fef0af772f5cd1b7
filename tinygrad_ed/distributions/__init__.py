"""Probability distributions with PyTorch's API: sample, score (``log_prob``), ``entropy``,
``kl_divergence``, all composed of Tensor ops and so differentiable in their parameters.

The lecture's randomized prediction and the REINFORCE gradient, in torch's words::

    dist = tg.distributions.Categorical(logits=W @ x)
    a = dist.sample()                       # a class drawn from softmax(W x)
    (-dist.log_prob(a) * reward(a)).backward()

``Categorical``, ``OneHotCategorical``, ``Bernoulli`` and ``Binomial`` (discrete, with
``enumerate_support``), ``Geometric`` and ``Poisson``; ``Normal``, ``Uniform``,
``Exponential``, ``Laplace``, ``Cauchy``, ``Gumbel``, ``HalfNormal`` and ``LogNormal`` (with
``rsample``, the reparameterised sample, and ``cdf``/``icdf``); ``MultivariateNormal``;
``RelaxedBernoulli`` and ``RelaxedOneHotCategorical`` (the Gumbel-softmax, ``rsample``
differentiable in the logits); ``Gamma``, ``Chi2``, ``Beta``, ``Dirichlet`` and ``StudentT``
(``rsample`` differentiable in the concentrations by implicit reparameterisation).
``Independent`` reads batch dims as event dims (a VAE's diagonal Gaussian),
``TransformedDistribution`` pushes a distribution through ``transforms``.
``constraints`` for ``support`` and ``arg_constraints``; ``kl_divergence``/``register_kl`` for
the pairs torch has.

PyTorch equivalent: ``torch.distributions`` (its part for classification and neural nets).
Samples come from tinygrad_ed's generator (``tg.manual_seed``), so they are not torch's
numbers; their distributions are the same.
"""

from __future__ import annotations

from . import constraints, kl, transforms  # noqa: F401  (torch.distributions.transforms)
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .constraint_registry import biject_to, transform_to
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exponential import Exponential
from .gamma import Chi2, Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .log_normal import LogNormal
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .student_t import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import (
    AbsTransform,
    AffineTransform,
    CatTransform,
    ComposeTransform,
    CorrCholeskyTransform,
    CumulativeDistributionTransform,
    ExpTransform,
    IndependentTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    PowerTransform,
    ReshapeTransform,
    SigmoidTransform,
    SoftmaxTransform,
    SoftplusTransform,
    StackTransform,
    StickBreakingTransform,
    TanhTransform,
    Transform,
    identity_transform,
)
from .uniform import Uniform

__all__ = [
    "AbsTransform",
    "AffineTransform",
    "Bernoulli",
    "Beta",
    "Binomial",
    "CatTransform",
    "Categorical",
    "Cauchy",
    "Chi2",
    "ComposeTransform",
    "CorrCholeskyTransform",
    "CumulativeDistributionTransform",
    "Dirichlet",
    "Distribution",
    "ExpTransform",
    "Exponential",
    "Gamma",
    "Geometric",
    "Gumbel",
    "HalfNormal",
    "Independent",
    "IndependentTransform",
    "Laplace",
    "LogNormal",
    "LowerCholeskyTransform",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "Poisson",
    "PositiveDefiniteTransform",
    "PowerTransform",
    "RelaxedBernoulli",
    "RelaxedOneHotCategorical",
    "ReshapeTransform",
    "SigmoidTransform",
    "SoftmaxTransform",
    "SoftplusTransform",
    "StackTransform",
    "StickBreakingTransform",
    "StudentT",
    "TanhTransform",
    "Transform",
    "TransformedDistribution",
    "Uniform",
    "biject_to",
    "constraints",
    "identity_transform",
    "kl",
    "kl_divergence",
    "register_kl",
    "transform_to",
]
