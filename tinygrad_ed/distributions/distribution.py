"""``Distribution``, the base class: shapes, sampling, scoring and argument validation.

A distribution holds parameters of shape ``batch_shape`` (a batch of independent
distributions, one per entry) whose samples each have shape ``event_shape`` (``()`` for a
number, ``(K,)`` for a one-hot vector). ``sample(sample_shape)`` therefore returns
``sample_shape + batch_shape + event_shape``, and ``log_prob(value)`` returns one number per
distribution and sample, ``value``'s shape without the event dims.

Everything is composed of Tensor ops, so the derivatives come from the op table: ``log_prob``,
``entropy``, ``cdf`` and ``kl_divergence`` are differentiable in the parameters, and so is
``rsample`` (the reparameterised sample ``loc + scale·ε``) where a distribution has one;
``sample`` is not (it runs under ``no_grad``). Draws come from the global generator, so
``tg.manual_seed`` makes them reproducible.

PyTorch equivalent: ``torch.distributions.Distribution`` (``validate_args`` on by default, as
in torch; ``Distribution.set_default_validate_args(False)`` turns it off).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from .._legacy_types import Size
from .._warn import warn
from ..grad_mode import no_grad
from ..tensor import Tensor
from . import constraints
from .utils import lazy_property

__all__ = ["Distribution"]

D = TypeVar("D", bound="Distribution")


class Distribution:
    """The abstract base class of probability distributions (``torch.distributions.
    Distribution``): ``batch_shape``, ``event_shape``, ``validate_args``."""

    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument validation on or off for every distribution made afterwards without an
        explicit ``validate_args`` (on by default, off under ``python -O``, as ``assert``)."""
        if value not in [True, False]:
            raise ValueError(f"set_default_validate_args(): expected a bool, got {value!r}")
        Distribution._validate_args = value

    def __init__(
        self,
        batch_shape: Sequence[int] = (),
        event_shape: Sequence[int] = (),
        validate_args: bool | None = None,
    ) -> None:
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if not self._validate_args:
            return
        try:
            arg_constraints = self.arg_constraints
        except NotImplementedError:
            arg_constraints = {}
            warn(
                f"{self.__class__} does not define `arg_constraints`. Please set "
                "`arg_constraints = {}` or initialize the distribution with "
                "`validate_args=False` to turn off validation.",
            )
        for param, constraint in arg_constraints.items():
            if constraints.is_dependent(constraint):
                continue  # checked by the distribution itself, if at all
            if param not in self.__dict__ and isinstance(getattr(type(self), param), lazy_property):
                continue  # derived from the given parameter, which is checked
            value = getattr(self, param)
            if not bool(constraint.check(value).all()):
                raise ValueError(
                    f"Expected parameter {param} ({type(value).__name__} of shape "
                    f"{tuple(value.shape)}) of distribution {self!r} to satisfy the constraint "
                    f"{constraint!r}, but found invalid values:\n{value}"
                )

    def expand(self: D, batch_shape: Sequence[int], _instance: D | None = None) -> D:
        """A distribution of batch shape ``batch_shape``: the parameters broadcast to it
        (views, not copies), not validated again."""
        raise NotImplementedError

    @property
    def batch_shape(self) -> Size:
        """The shape over which the parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of one sample (without batching)."""
        return self._event_shape

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:
        """Each parameter's constraint, by parameter name."""
        raise NotImplementedError

    @property
    def support(self) -> constraints.Constraint:
        """The constraint every sample satisfies."""
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        """E[X], of shape ``batch_shape + event_shape``."""
        raise NotImplementedError

    @property
    def mode(self) -> Tensor:
        """The most likely value."""
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self) -> Tensor:
        """Var[X] = E[(X − E[X])²]."""
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        """√Var[X]."""
        return self.variance.sqrt()

    def sample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """A sample of shape ``sample_shape + batch_shape + event_shape``, not differentiable."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Sequence[int] = ()) -> Tensor:
        """A reparameterised sample: a differentiable function of the parameters and of noise
        that does not depend on them."""
        raise NotImplementedError

    def sample_n(self, n: int) -> Tensor:
        """``sample((n,))``; deprecated in torch, as here."""
        warn(
            "`sample_n(n)` will be deprecated. Use `sample((n,))` instead.",
            FutureWarning,
        )
        return self.sample((n,))

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(value): the log of the density (or of the probability mass)."""
        raise NotImplementedError

    def cdf(self, value: Tensor) -> Tensor:
        """P(X ≤ value)."""
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        """The inverse of ``cdf``: the value x with P(X ≤ x) = ``value``."""
        raise NotImplementedError

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every value of a discrete distribution along dim 0: shape ``(cardinality,) +
        batch_shape + event_shape``, or ``(cardinality,) + (1,)·len(batch_shape) +
        event_shape`` with ``expand=False``."""
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """H = −E[log p(X)], of shape ``batch_shape``."""
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        """exp(H)."""
        return self.entropy().exp()

    def _extended_shape(self, sample_shape: Sequence[int] = ()) -> Size:
        """``sample_shape + batch_shape + event_shape``."""
        return Size(tuple(sample_shape) + self._batch_shape + self._event_shape)

    def _validate_sample(self, value: Tensor) -> None:
        """Refuse a value whose rightmost dims are not ``event_shape``, that does not broadcast
        with ``batch_shape + event_shape``, or that lies outside the support (torch's checks
        and messages)."""
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        actual = Size(value.shape)
        if actual[len(actual) - len(self._event_shape) :] != self._event_shape:
            raise ValueError(
                f"The right-most size of value must match event_shape: {actual} vs "
                f"{self._event_shape}."
            )
        expected = self._batch_shape + self._event_shape
        for i, j in zip(reversed(actual), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(
                    f"Value is not broadcastable with batch_shape+event_shape: {actual} vs "
                    f"{Size(expected)}."
                )
        try:
            support = self.support
        except NotImplementedError:
            warn(
                f"{self.__class__} does not define `support` to enable sample validation. "
                "Please initialize the distribution with `validate_args=False` to turn off "
                "validation.",
            )
            return
        if not bool(support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape "
                f"{tuple(value.shape)}) to be within the support ({support!r}) of the "
                f"distribution {self!r}, but found invalid values:\n{value}"
            )

    def _get_checked_instance(self, cls: type[D], _instance: D | None = None) -> D:
        """The instance ``expand`` fills: ``_instance``, or a new one of this type."""
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError(
                f"Subclass {self.__class__.__name__} of {cls.__name__} that defines a custom "
                "__init__ method must also define a custom .expand() method."
            )
        return type(self).__new__(type(self)) if _instance is None else _instance  # type: ignore[return-value]

    def __repr__(self) -> str:
        given = [self.__dict__[k] for k in self.arg_constraints if k in self.__dict__]
        names = [k for k in self.arg_constraints if k in self.__dict__]
        args = ", ".join(
            f"{name}: {value if value.numel() == 1 else Size(value.shape)}"
            for name, value in zip(names, given)
        )
        return f"{self.__class__.__name__}({args})"
