"""Ready-made parametrizations: weight normalization and spectral normalization.

PyTorch equivalent: ``torch.nn.utils.parametrizations``. Each registers a parametrization
module with ``nn.utils.parametrize.register_parametrization``, so ``module.weight`` is
recomputed from the originals at every read, and the state dict keys are torch's:
``parametrizations.weight.original0`` / ``original1`` (g and v) for ``weight_norm``,
``parametrizations.weight.original`` with the buffers ``parametrizations.weight.0._u`` /
``_v`` for ``spectral_norm``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ...autograd import no_grad
from ...functional import normalize
from ...tensor import Tensor
from ..module import Module
from .parametrize import register_parametrization
from .spectral_norm import _matrix, _random_unit
from .weight_norm import _check_dim, _weight_norm, norm_except_dim

__all__ = ["spectral_norm", "weight_norm"]

T_module = TypeVar("T_module", bound=Module)


class _WeightNorm(Module):
    """``forward(g, v) = g · v / ‖v‖`` (norm over every dim but ``dim``; −1: the whole
    tensor); ``right_inverse(w) = (‖w‖, w)``, so registering keeps the weight's value."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple[Tensor, Tensor]:
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: T_module, name: str = "weight", dim: int | None = 0) -> T_module:
    """Parametrize ``module.<name>`` as ``g · v / ‖v‖``: ``original0`` is g (the norms along
    ``dim``, size-1 elsewhere; a 0-d norm for ``dim=None``) and ``original1`` is v. Returns
    ``module``. torch's loading of the old ``<name>_g``/``<name>_v`` state dict keys is not
    provided (load those into a module made with ``nn.utils.weight_norm``)."""
    if isinstance(module._parameters.get(name), Tensor):
        _check_dim(module, name, -1 if dim is None else dim, "weight_norm")
    register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


class _SpectralNorm(Module):
    """``forward(W) = W / σ(W)``, σ estimated by power iteration on the buffers ``_u``, ``_v``
    (one round of ``u ← normalize(W v)``, ``v ← normalize(Wᵀ u)`` per training-mode call,
    without gradient; 15 rounds at construction); a vector is just normalized. ``right_inverse``
    is the identity."""

    def __init__(
        self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12
    ) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but "
                f"got {dim})"
            )
        if type(n_power_iterations) is bool or not isinstance(n_power_iterations, int):
            raise TypeError(
                f"spectral_norm(): n_power_iterations must be an int, got {n_power_iterations!r}"
            )
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            with no_grad():
                mat = _matrix(weight.detach(), self.dim)
                h, w = mat.shape
                self.register_buffer("_u", _random_unit(h, weight, eps))
                self.register_buffer("_v", _random_unit(w, weight, eps))
            self._power_method(mat, 15)

    def _power_method(self, mat: Tensor, n_power_iterations: int) -> None:
        # In place (the buffers keep their identity and the state dict the estimate).
        with no_grad():
            mat = mat.detach()
            for _ in range(n_power_iterations):
                self._u.copy_(normalize(mat.mv(self._v), dim=0, eps=self.eps))
                self._v.copy_(normalize(mat.t().mv(self._u), dim=0, eps=self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return normalize(weight, dim=0, eps=self.eps)
        mat = _matrix(weight, self.dim)
        if self.training:
            self._power_method(mat, self.n_power_iterations)
        # Copies: backward through an earlier call must not see the next call's update.
        u: Tensor = self._u.clone()
        v: Tensor = self._v.clone()
        return weight / u.dot(mat.mv(v))

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(
    module: T_module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> T_module:
    """Parametrize ``module.<name>`` as ``W / σ(W)`` (σ: the largest singular value of W as a
    matrix with ``dim`` as rows, by default 0, or 1 for the transposed convolutions).
    Returns ``module``."""
    weight: Any = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(
            f"Module '{type(module).__name__}' has no parameter or buffer with name '{name}'"
        )
    if dim is None:
        from ..conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d

        transposed = (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
        dim = 1 if isinstance(module, transposed) else 0
    register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
