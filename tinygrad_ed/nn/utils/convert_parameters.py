"""All the parameters of a model as one flat vector, and back.

PyTorch equivalent: ``torch.nn.utils.parameters_to_vector`` and ``vector_to_parameters`` (module
``torch.nn.utils.convert_parameters``): the view of a model that second-order methods and
evolution strategies work with.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...tensor import Tensor, cat

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _params(parameters: Iterable[Tensor], op: str) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        raise TypeError(
            f"{op}(): parameters must be an iterable of Tensors, got a Tensor of shape "
            f"{parameters.shape}; wrap it in a list"
        )
    params = list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{op}(): parameters[{i}] must be a Tensor, got {type(p).__name__}")
    return params


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated in order: ``cat([p.reshape(-1) for p in …])``.

    Built from ``reshape`` and ``cat``, so it is differentiable: the adjoint of each parameter
    is its slice of the vector's, reshaped back.
    """
    params = _params(parameters, "parameters_to_vector")
    if not params:
        raise RuntimeError("parameters_to_vector(): expected a non-empty list of parameters")
    return cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Overwrite each parameter's values with its slice of ``vec`` (the inverse of
    ``parameters_to_vector``), as torch's assignment to ``param.data``: not recorded by autograd.

    ``vec`` must have exactly as many elements as the parameters together (torch ignores any
    extra elements; here they raise, as they are almost certainly a mistake). Each parameter
    keeps its dtype (``vec``'s values are cast to it), where torch's ``param.data = ...``
    silently turns a float64 parameter into float32 given a float32 ``vec``.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters(): expected a Tensor, but got: {type(vec).__name__}")
    if vec.ndim != 1:
        raise RuntimeError(
            f"vector_to_parameters(): vec must be a 1-d Tensor, got shape {vec.shape}"
        )
    params = _params(parameters, "vector_to_parameters")
    total = sum(p.numel() for p in params)
    if vec.shape[0] != total:
        raise RuntimeError(
            f"vector_to_parameters(): vec has {vec.shape[0]} elements but the parameters have "
            f"{total} ({[tuple(p.shape) for p in params]})"
        )
    start = 0
    for p in params:
        n = p.numel()
        # A copy (torch's shares vec's memory): later in-place steps on p must not change vec.
        p.data = vec.data[start : start + n].reshape(p.shape).astype(p.dtype, copy=True)
        start += n
