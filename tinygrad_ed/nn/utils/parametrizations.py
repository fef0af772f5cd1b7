"""Ready-made parametrizations: weight normalization, spectral normalization and orthogonal
matrices.

PyTorch equivalent: ``torch.nn.utils.parametrizations``. Each registers a parametrization
module with ``nn.utils.parametrize.register_parametrization``, so ``module.weight`` is
recomputed from the originals at every read, and the state dict keys are torch's:
``parametrizations.weight.original0`` / ``original1`` (g and v) for ``weight_norm``,
``parametrizations.weight.original`` with the buffers ``parametrizations.weight.0._u`` /
``_v`` for ``spectral_norm``, ``parametrizations.weight.original`` with the buffer
``parametrizations.weight.0.base`` (with ``use_trivialization``) for ``orthogonal``.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from ..._linalg_householder import geqrf, householder_product
from ..._linalg_solve import matrix_exp, solve
from ...autograd import no_grad
from ...functional import normalize
from ...tensor import Tensor, cat, randn
from ..module import Module
from .parametrize import register_parametrization
from .spectral_norm import _matrix, _random_unit
from .weight_norm import _check_dim, _weight_norm, norm_except_dim

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]

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
    ``module``. As torch, a state dict of the hook-based ``nn.utils.weight_norm`` (keys
    ``<name>_g`` and ``<name>_v``) loads too: a load-state-dict pre-hook renames the keys."""
    if isinstance(module._parameters.get(name), Tensor):
        _check_dim(module, name, -1 if dim is None else dim, "weight_norm")
    register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict[str, Any],
        strict: bool,
        missing_keys: list[str],
        unexpected_keys: list[str],
        error_msgs: list[str],
    ) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
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


# ---- orthogonal ------------------------------------------------------------------------------

_MAPS = ("matrix_exp", "cayley", "householder")


def _is_orthogonal(Q: Tensor) -> bool:
    """QᵀQ = I to within 10·n·eps (torch's test), Q tall."""
    n, k = Q.shape[-2:]
    eps = 10.0 * n * float(np.finfo(Q.data.dtype).eps)
    return bool(np.allclose(np.swapaxes(Q.data, -1, -2) @ Q.data, np.eye(k), atol=eps))


def _make_orthogonal(A: Tensor) -> Tensor:
    """Q of A = QR (A tall) with diag R ≥ 0, from the Householder reflectors, as torch's."""
    X, tau = geqrf(A)
    Q = householder_product(X, tau)
    signs = np.sign(np.diagonal(X.data, axis1=-2, axis2=-1))[..., None, :]
    return Q * Tensor._make(signs)


class _Orthogonal(Module):
    """``forward(X)``: an orthogonal Q (orthonormal columns if tall, rows if wide) from X, by
    the ``orthogonal_map``; with ``use_trivialization`` it is ``base @ Q``, ``base`` a fixed
    orthogonal buffer that ``right_inverse`` sets to the assigned value (completed to a square
    orthogonal matrix), so that assigning Q gives X = −I, whose image is I.

    - 'matrix_exp' / 'cayley': A = Y − Yᵀ skew-symmetric, Y = tril(X) padded to n × n; Q is
      the first k columns of eᴬ or of the Cayley map (I − A/2)⁻¹(I + A/2).
    - 'householder': Q = H₁ ⋯ H_k from the reflectors below X's diagonal with τᵢ = 2/‖vᵢ‖²
      (exact reflections), its columns signed by X's diagonal truncated to an integer (no
      gradient: the diagonal is not trained), as torch's.
    """

    base: Tensor | None

    def __init__(self, weight: Tensor, orthogonal_map: str, *, use_trivialization: bool = True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        n, k = X.shape[-2:]
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:  # embed into a square matrix
                zeros = np.zeros((*X.shape[:-2], n, n - k), dtype=X.data.dtype)
                X = cat([X, Tensor._make(zeros)], -1)
            A = X - X.mT
            if self.orthogonal_map == "matrix_exp":
                Q = matrix_exp(A)
            else:
                eye = Tensor._make(np.eye(n, dtype=A.data.dtype))
                Q = solve(eye - 0.5 * A, eye + 0.5 * A)
            Q = Q[..., :k] if n != k else Q
        else:
            A = X.tril(-1)
            tau = 2.0 / (1.0 + (A * A).sum(-2))
            Q = householder_product(A, tau)
            signs = np.trunc(np.diagonal(X.data, axis1=-2, axis2=-1))  # torch's .int()
            Q = Q * signs[..., None, :].astype(Q.data.dtype)
        if "base" in self._buffers:
            Q = self._buffers["base"] @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q: Tensor) -> Tensor:
        with no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Tensor) -> Tensor:
        if Q.shape != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. "
                f"Got a tensor of shape {Q.shape}."
            )
        Q_init = Q
        n, k = Q.shape[-2:]
        transpose = n < k
        if transpose:
            Q = Q.mT
            n, k = k, n
        if "base" not in self._buffers:
            if self.orthogonal_map != "householder":
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False."
                )
            # X with diag R > 0 (−1 where LAPACK skipped a reflection, τ = 0): Q = −Q·(−I) is
            # a QR decomposition too, and the sign picks one
            A, tau = geqrf(Q)
            a = A.data.copy()
            diag = np.sign(np.diagonal(a, axis1=-2, axis2=-1))
            diag = np.where(tau.data == 0.0, -diag, diag)
            rows = np.arange(min(n, k))
            a[..., rows, rows] = diag
            X = Tensor._make(a)
            return X.mT if transpose else X
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
        else:  # completed to a square orthogonal matrix by random columns
            extra = randn(*Q.shape[:-2], n, n - k, dtype=Q.dtype)
            Q = _make_orthogonal(cat([Q, extra], -1))
        self.base = Q.detach()
        # −I: householder(zeros) would be I, the diagonal signs make it −I·(−1) = I
        neg_eye = np.zeros(Q_init.shape, dtype=Q_init.data.dtype)
        rows = np.arange(min(Q_init.shape[-2:]))
        neg_eye[..., rows, rows] = -1.0
        return Tensor._make(neg_eye)


def orthogonal(
    module: T_module,
    name: str = "weight",
    orthogonal_map: str | None = None,
    *,
    use_trivialization: bool = True,
) -> T_module:
    """Parametrize ``module.<name>`` (a matrix or a batch of them, (…, m, n)) as orthogonal:
    QᵀQ = I if m ≥ n, QQᵀ = I if m < n. ``orthogonal_map``: 'matrix_exp', 'cayley' or
    'householder' (default: 'matrix_exp' for square matrices, else 'householder'); see
    ``_Orthogonal``. With ``use_trivialization`` (default) the weight's initial value is kept
    if orthogonal, else replaced by the Q of its QR decomposition (diag R ≥ 0), and stored in
    the buffer ``parametrizations.<name>.0.base``; without it, only 'householder' can take an
    assigned value. Gradients come from the composed maps (matrix_exp, solve,
    householder_product). Returns ``module``. The random columns that complete a non-square
    ``base`` come from ``tg.manual_seed``'s generator, not torch's.
    PyTorch: ``torch.nn.utils.parametrizations.orthogonal``."""
    weight: Any = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(
            f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions."
        )
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _MAPS:
        raise ValueError(
            'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
            f"Got: {orthogonal_map}"
        )
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    register_parametrization(module, name, orth, unsafe=True)
    return module
