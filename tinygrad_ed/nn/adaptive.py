"""The adaptive softmax (Grave et al., 2017): a softmax over many classes that spends most of
its work on the frequent ones.

PyTorch equivalent: ``torch.nn.AdaptiveLogSoftmaxWithLoss``, with its parameter names
(``head.weight``, ``head.bias``, ``tail.{i}.0.weight``, ``tail.{i}.1.weight``), so a torch
``state_dict`` loads and gives torch's outputs.

The classes, ordered by frequency, are split by ``cutoffs`` c₀ < c₁ < … into a shortlist
[0, c₀) and clusters [cᵢ, cᵢ₊₁). The head scores the shortlist classes and one entry per
cluster; cluster i has its own small classifier, a projection to in_features / div_valueⁱ⁺¹
features then to the cluster's classes. A class y in cluster i has

    log p(y | x) = log_softmax(head(x))[c₀ + i] + log_softmax(tailᵢ(x))[y − cᵢ],

and a shortlist class just the head's term. Composed of Linear, log_softmax and gathers, so
the gradient is the engine's; only the rows whose target falls in a cluster run its tail.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .. import functional as F
from ..tensor import DTypeLike, Tensor, cat
from .layers import Linear, ModuleList, Sequential, _int, _need_tensor
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]


class _ASMoutput(NamedTuple):
    """What ``AdaptiveLogSoftmaxWithLoss.forward`` returns, as torch's named tuple."""

    output: Tensor
    loss: Tensor


class AdaptiveLogSoftmaxWithLoss(Module):
    """The adaptive log-softmax and its loss (``torch.nn.AdaptiveLogSoftmaxWithLoss``).

    ``forward(input, target)`` with input (N, in_features) and int targets (N,), or (in_features,)
    and a 0-d target, returns ``(output, loss)``: ``output`` the log-probability of each target
    (see the module docstring) and ``loss`` the mean of −output. ``log_prob(input)`` gives all
    n_classes log-probabilities (N, n_classes); ``predict(input)`` the most likely class, as
    torch's (the head's argmax when it is a shortlist class, which no cluster class can beat).
    ``cutoffs`` must be increasing ints in [1, n_classes − 1]; every weight starts as torch's
    ``Linear``'s.
    """

    in_features: int
    n_classes: int
    cutoffs: list[int]
    div_value: float
    head_bias: bool
    shortlist_size: int
    n_clusters: int
    head_size: int

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Any,
        div_value: float = 4.0,
        head_bias: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        name = "AdaptiveLogSoftmaxWithLoss"
        in_features = _int(in_features, name, "in_features")
        n_classes = _int(n_classes, name, "n_classes")
        if not isinstance(cutoffs, (list, tuple)) or not all(
            isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in cutoffs
        ):
            raise ValueError(f"{name}(): cutoffs must be a sequence of ints, got {cutoffs!r}")
        cutoffs = [int(c) for c in cutoffs]
        if (
            cutoffs != sorted(cutoffs)
            or len(set(cutoffs)) != len(cutoffs)
            or not cutoffs
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
        ):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an "
                f"increasing order, where each value is between 1 and n_classes-1 (got "
                f"cutoffs={cutoffs} for n_classes={n_classes})"
            )
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [*cutoffs, n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        options: dict[str, Any] = {"device": device, "dtype": dtype}
        self.head = Linear(in_features, self.head_size, bias=head_bias, **options)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(
                    Linear(in_features, hidden, bias=False, **options),
                    Linear(hidden, size, bias=False, **options),
                )
            )

    def reset_parameters(self) -> None:
        """Redraw every weight as ``Linear`` does, head first, then each tail, as torch."""
        self.head.reset_parameters()
        for projection in self.tail:
            for layer in projection:  # type: ignore[attr-defined]
                layer.reset_parameters()

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        name = "AdaptiveLogSoftmaxWithLoss"
        # torch's parameter names are input_ and target_; the body reads them as x and target.
        x = _need_tensor(input_, name)
        target = target_
        if not isinstance(target, Tensor):
            raise TypeError(f"{name}: target must be a Tensor, got {type(target).__name__}")
        if target.dtype.kind not in "iu":
            raise TypeError(f"{name}: target must hold int class indices, got {target.dtype}")
        if target.ndim == 1:
            if x.shape[0] != target.shape[0]:
                raise RuntimeError(
                    "Input and target should have the same size in the batch dimension "
                    f"(input of shape {x.shape}, target of shape {target.shape})."
                )
            if x.ndim != 2:
                raise RuntimeError(
                    f"1D target tensor expects 2D input tensors, but found inputs with size "
                    f"{x.shape}"
                )
        elif target.ndim == 0:
            if x.ndim != 1:
                raise RuntimeError(
                    f"0D target tensor expects 1D input tensors, but found inputs with size "
                    f"{x.shape}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = target.ndim == 1
        x = x if batched else x.unsqueeze(0)
        y = target.data.reshape(-1).astype(np.int64)
        if y.size and (y.min() < 0 or y.max() >= self.n_classes):
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{y.min()}, {y.max()}] were found."
            )
        # Each row's head entry: its class in the shortlist, else its cluster's entry.
        cluster = np.searchsorted(self.cutoffs, y, side="right")  # 0: the shortlist
        head_index = np.where(cluster == 0, y, self.shortlist_size + cluster - 1)
        head_logprob = F.log_softmax(self.head(x), 1)
        output = head_logprob[np.arange(y.size), head_index]
        # The rows of each cluster run its tail; their terms are put back in row order.
        rows = [np.flatnonzero(cluster == 0)]
        terms = [Tensor._make(np.zeros(rows[0].size, dtype=x.dtype))]
        for i in range(1, self.n_clusters + 1):
            in_cluster = np.flatnonzero(cluster == i)
            if in_cluster.size == 0:
                continue
            local = F.log_softmax(self.tail[i - 1](x[in_cluster]), 1)
            terms.append(local[np.arange(in_cluster.size), y[in_cluster] - self.cutoffs[i - 1]])
            rows.append(in_cluster)
        order = np.argsort(np.concatenate(rows), kind="stable")
        output = output + cat(terms)[order]
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, x: Tensor, head_output: Tensor) -> Tensor:
        """All n_classes log-probabilities of the rows x, given their head scores."""
        head_logprob = F.log_softmax(head_output, 1)
        parts = [head_logprob[:, : self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster_logprob = F.log_softmax(self.tail[i](x), 1)
            parts.append(cluster_logprob + head_logprob[:, self.shortlist_size + i].unsqueeze(1))
        return cat(parts, dim=1)

    def _rows(self, input: Any, op: str) -> Tensor:
        x = _need_tensor(input, f"AdaptiveLogSoftmaxWithLoss.{op}")
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise RuntimeError(
                f"AdaptiveLogSoftmaxWithLoss.{op}(): input must be (N, {self.in_features}), got "
                f"shape {x.shape}"
            )
        return x

    def log_prob(self, input: Tensor) -> Tensor:
        """log p(c | x) for every class c: (N, n_classes)."""
        x = self._rows(input, "log_prob")
        return self._full_log_prob(x, self.head(x))

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each row (N,), int64: ``log_prob(input).argmax(1)``, the
        tails run only for the rows whose head argmax is a cluster, as torch's."""
        x = self._rows(input, "predict")
        head_output = self.head(x)
        best = head_output.data.argmax(1)
        outside = np.flatnonzero(best >= self.shortlist_size)
        if outside.size:
            full = self._full_log_prob(x[outside], head_output[outside])
            best[outside] = full.data.argmax(1)
        return Tensor._make(best.astype(np.int64))
