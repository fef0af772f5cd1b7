"""Probability distributions with PyTorch's API: sample, score (``log_prob``), ``entropy``,
``kl_divergence``, all composed of Tensor ops and so differentiable in their parameters.

The lecture's randomized prediction and the REINFORCE gradient, in torch's words::

    dist = tg.distributions.Categorical(logits=W @ x)
    a = dist.sample()                       # a class drawn from softmax(W x)
    (-dist.log_prob(a) * reward(a)).backward()

``Categorical``, ``OneHotCategorical``, ``Bernoulli``, ``Binomial`` and ``Multinomial``
(discrete, with ``enumerate_support`` where finite), ``Geometric``, ``Poisson`` and
``NegativeBinomial``; ``Normal``, ``Uniform``, ``Exponential``, ``Laplace``, ``Cauchy``,
``HalfCauchy``, ``Gumbel``, ``HalfNormal``, ``LogNormal``, ``Weibull``, ``Pareto`` and
``Kumaraswamy`` (with ``rsample``, the reparameterised sample, and ``cdf``/``icdf``);
``MultivariateNormal`` and ``LowRankMultivariateNormal``; ``Wishart`` (covariance matrices)
and ``LKJCholesky`` (Cholesky factors of correlation matrices); ``RelaxedBernoulli`` and
``RelaxedOneHotCategorical`` (the Gumbel-softmax, ``rsample`` differentiable in the logits);
``Gamma``, ``Chi2``, ``Beta``, ``Dirichlet``, ``StudentT``, ``FisherSnedecor`` and
``InverseGamma`` (``rsample`` differentiable in the concentrations by implicit
reparameterisation); ``GeneralizedPareto``; ``OneHotCategoricalStraightThrough`` (the
straight-through gradient); ``VonMises`` (angles),
``ContinuousBernoulli`` (a VAE's pixel likelihood, an ``ExponentialFamily``) and
``LogisticNormal``. ``MixtureSameFamily`` mixes K components of one family (the mixture of
Gaussians). ``Independent`` reads batch dims as event dims (a VAE's diagonal Gaussian),
``TransformedDistribution`` pushes a distribution through ``transforms``; ``biject_to`` and
``transform_to`` map the real space onto a constraint (for constrained parameters).
``constraints`` for ``support`` and ``arg_constraints``; ``kl_divergence``/``register_kl`` for
the pairs torch has. torch's exponential families (``Bernoulli``, ``Beta``,
``ContinuousBernoulli``, ``Dirichlet``, ``Exponential``, ``Gamma``, ``Chi2``, ``Normal``,
``Poisson``, ``Wishart``) subclass ``ExponentialFamily``, whose generic ``entropy`` and
Bregman KL come from the log normaliser.

PyTorch equivalent: ``torch.distributions`` (every name of torch 2.13's).
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
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .fishersnedecor import FisherSnedecor
from .gamma import Chi2, Gamma
from .generalized_pareto import GeneralizedPareto
from .geometric import Geometric
from .gumbel import Gumbel
from .half_cauchy import HalfCauchy
from .half_normal import HalfNormal
from .independent import Independent
from .inverse_gamma import InverseGamma
from .kl import kl_divergence, register_kl
from .kumaraswamy import Kumaraswamy
from .laplace import Laplace
from .lkj_cholesky import LKJCholesky
from .log_normal import LogNormal
from .logistic_normal import LogisticNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .pareto import Pareto
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
from .von_mises import VonMises
from .weibull import Weibull
from .wishart import Wishart

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
    "ContinuousBernoulli",
    "CorrCholeskyTransform",
    "CumulativeDistributionTransform",
    "Dirichlet",
    "Distribution",
    "ExpTransform",
    "Exponential",
    "ExponentialFamily",
    "FisherSnedecor",
    "Gamma",
    "GeneralizedPareto",
    "Geometric",
    "Gumbel",
    "HalfCauchy",
    "HalfNormal",
    "Independent",
    "IndependentTransform",
    "InverseGamma",
    "Kumaraswamy",
    "LKJCholesky",
    "Laplace",
    "LogNormal",
    "LogisticNormal",
    "LowRankMultivariateNormal",
    "LowerCholeskyTransform",
    "MixtureSameFamily",
    "Multinomial",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "OneHotCategorical",
    "OneHotCategoricalStraightThrough",
    "Pareto",
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
    "VonMises",
    "Weibull",
    "Wishart",
    "biject_to",
    "constraints",
    "identity_transform",
    "kl",
    "kl_divergence",
    "register_kl",
    "transform_to",
]
