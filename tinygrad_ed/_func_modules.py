"""torch.func's helpers for modules: ``stack_module_state`` (an ensemble of models as one
model with stacked weights, for ``vmap`` over ``functional_call``) and
``replace_all_batch_norm_modules_`` (batch norm without running statistics, so that a model is
a pure function of its weights and input). ``tinygrad_ed.func`` exports them.

PyTorch equivalent: ``torch.func.stack_module_state`` and
``torch.func.replace_all_batch_norm_modules_``, with their semantics and errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from .nn.layers import ModuleList
from .nn.module import Module
from .nn.normalization import _BatchNorm
from .tensor import Tensor, stack

__all__ = ["replace_all_batch_norm_modules_", "stack_module_state"]

M = TypeVar("M", bound=Module)


def _stacked_leaf(tensors: list[Tensor], name: str) -> Tensor:
    """The tensors stacked along a new leading dim: a new leaf requiring grad when they all
    require grad (unrelated to them, so an optimizer can step it), else a plain tensor."""
    needs = [t.requires_grad for t in tensors]
    if any(needs) and not all(needs):
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    shapes = [tuple(t.shape) for t in tensors]
    if any(s != shapes[0] for s in shapes[1:]):
        raise RuntimeError(
            f"stack_module_state: Expected {name} from each model to have the same shape, got "
            f"shapes {shapes}"
        )
    result = stack(tensors)
    return result.detach().requires_grad_() if all(needs) else result


def _stacked(named: list[dict[str, Tensor]], kind: str) -> dict[str, Tensor]:
    out: dict[str, Tensor] = {}
    for name in named[0]:
        missing = [i for i, d in enumerate(named) if name not in d]
        if missing:
            raise KeyError(
                f"stack_module_state: model {missing[0]} has no {kind} {name!r} (model 0 has); "
                "the models must have the same structure"
            )
        out[name] = _stacked_leaf([d[name] for d in named], name)
    return out


def stack_module_state(
    models: Sequence[Module] | ModuleList,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``[m₀ … m_{M-1}] ↦ (params, buffers)``: each parameter and buffer of the models stacked
    along a new leading dimension of size M, by its ``named_parameters``/``named_buffers``
    name (``"fc1.weight"`` of shape ``(M,) + fc1.weight.shape``).

    PyTorch equivalent: ``torch.func.stack_module_state``. A stacked parameter is a new leaf
    that requires grad (when the models' parameters do; all or none must), unrelated to the
    models' own, so it can be handed to an optimizer; a stacked buffer does not require grad.
    With ``vmap(lambda p, b, x: functional_call(model, (p, b), (x,)))(params, buffers, xs)``
    the ensemble runs as one function (``in_dims=(0, 0, None)``: every model on the same
    input). The models must be of one class, in one mode (all training or all eval) and of one
    structure: RuntimeError otherwise (KeyError for a name model 0 has and another lacks, as
    torch's; a name only later models have is left out, as torch's).
    """
    models = list(models)
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = _stacked([dict(m.named_parameters()) for m in models], "parameter")
    buffers = _stacked([dict(m.named_buffers()) for m in models], "buffer")
    return params, buffers


def _without_running_stats(module: Module) -> None:
    if isinstance(module, _BatchNorm) and module.track_running_stats:
        module.running_mean = None
        module.running_var = None
        module.num_batches_tracked = None
        module.track_running_stats = False


def replace_all_batch_norm_modules_(root: M) -> M:
    """Every batch norm module in ``root`` (``root`` included) made to stop tracking running
    statistics, in place: ``running_mean``, ``running_var`` and ``num_batches_tracked``
    become None and ``track_running_stats`` False, so that it normalizes with the batch's
    statistics in training and in evaluation alike. Returns ``root``.

    PyTorch equivalent: ``torch.func.replace_all_batch_norm_modules_`` (torch's vmap cannot
    update a running statistic shared by the examples in place; ``vmap`` here is a loop that
    could, but then each example would update it in turn, which is not what a batched call
    does). The buffers stay registered as None, so ``state_dict`` leaves them out.
    """
    for module in root.modules():
        _without_running_stats(module)
    return root
