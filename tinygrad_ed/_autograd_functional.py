"""Jacobians, Hessians and their products, built on backprop: ``tg.autograd.functional``.

PyTorch equivalent: ``torch.autograd.functional`` (same names, signatures, output structure and
``strict`` errors). The package attaches this module as ``tinygrad_ed.autograd.functional``:
it builds on Tensor, whose module imports the engine, so the engine cannot import it.

For f: ℝⁿ → ℝᵐ the Jacobian is the m×n matrix J_ij = ∂f_i/∂x_j. One backward pass seeded with
an adjoint v computes the vector-Jacobian product vᵀJ (``vjp``), so

    jacobian   row i of J is e_iᵀJ: one reverse pass per output element, m passes in all, each
               costing about one forward pass, exact up to rounding. The numerical Jacobian of
               ``numgrad`` builds J a column at a time instead, (f(x + εe_j) − f(x − εe_j)) / 2ε:
               2n forward passes and an O(ε²) error. For a loss (m = 1) that is the lecture's
               point: one backward pass gives the whole gradient, finite differences need O(n)
               evaluations of the network.
    jvp        J v is forward mode's (``autograd.forward_ad``); here the double-vjp trick
               gets it from reverse mode, as torch's own jvp does: u ↦ Jᵀu is linear in u,
               and its own vjp with v is (∂(Jᵀu)/∂u)ᵀ v = J v. Two reverse passes, the first
               with ``create_graph``.
    hessian    H_jk = ∂²f/∂x_j∂x_k of a scalar f is the Jacobian of x ↦ ∇f(x), the gradient
               taken with ``create_graph=True``: n + 1 reverse passes.
    vhp        vᵀH = ∇ₓ(vᵀ∇f(x)): two reverse passes.
    hvp        H v: the double-vjp trick applied to x ↦ ∇f(x), three passes. H is symmetric when
               f is twice continuously differentiable; then H v = (vᵀH)ᵀ and ``vhp`` is cheaper.

Conventions shared by all six, as in torch: ``inputs`` is a Tensor or a tuple of Tensors and
``func(*inputs)`` returns a Tensor or a tuple of Tensors (a list is refused). ``func`` runs, in
grad mode, on fresh leaves that require grad (the inputs detached; a tensor ``func`` captures
from outside is a constant to it). With ``create_graph=True`` an input that requires grad is
passed as a recorded alias instead, so the results, which then keep their graph, are
differentiable with respect to it (``hessian`` relies on this); otherwise results and outputs
are returned detached. A result has the structure of what it is taken of: ``jacobian(...)[i][j]``
is output i by input j, of shape ``out_i.shape + in_j.shape`` and the input's dtype, with the
tuple levels of a Tensor input or output dropped. Where an output does not depend on an input,
the result is zeros, or an error with ``strict=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import _forward_ad as _fw
from . import autograd
from .autograd import enable_grad
from .tensor import Tensor, stack, zeros, zeros_like

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]

Func = Callable[..., Any]
Tensors = tuple[Tensor, ...]
Maybe = tuple[Tensor | None, ...]  # gradients, None where an input is not reached

_STRATEGIES = ("forward-mode", "reverse-mode")

# ----------------------------------------------------------------------------- helpers


def _as_tuple(value: Any, arg: str, fn: str) -> tuple[bool, Tensors]:
    """Whether ``value`` was a tuple, and it as a tuple of Tensors."""
    is_tuple = isinstance(value, tuple)
    items = value if is_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            which = f"the value at index {i}" if is_tuple else f"the given {arg}"
            raise TypeError(
                f"{fn}(): the {arg} must be either a Tensor or a tuple of Tensors, but {which} "
                f"has type {type(item).__name__}"
            )
    return is_tuple, items


def _unpack(result: tuple[Any, ...], is_tuple: bool) -> Any:
    """Undo ``_as_tuple``: a Tensor given, a Tensor returned."""
    return result if is_tuple else result[0]


def _fresh(xs: Tensors, create_graph: bool, need_graph: bool) -> Tensors:
    """New tensors for ``func`` (or the vectors v) to run on: a recorded alias of one that
    requires grad under ``create_graph`` (the results stay differentiable with respect to it),
    else a detached leaf, requiring grad if ``need_graph``. Always a new object, so that a
    tensor ``func`` captures from outside is told apart from its argument. Call in grad mode."""
    return tuple(
        x.reshape(x.shape)
        if create_graph and x.requires_grad
        else x.detach().requires_grad_(need_graph)
        for x in xs
    )


def _done(results: tuple[Any, ...], create_graph: bool) -> tuple[Any, ...]:
    """Results detached from the graph unless it was asked for (nested tuples too)."""
    if create_graph:
        return results
    return tuple(r.detach() if isinstance(r, Tensor) else _done(r, False) for r in results)


def _grad(
    outputs: Maybe,
    inputs: Tensors,
    grad_outputs: tuple[Any, ...] | None = None,
    *,
    create_graph: bool,
    retain_graph: bool | None = None,
) -> Maybe:
    """``autograd.grad`` over the outputs that require grad (None entries and constants are
    skipped with their seeds), None for an input none of them reaches."""
    seeds = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    pairs = [(o, s) for o, s in zip(outputs, seeds) if o is not None and o.requires_grad]
    if not pairs:  # nothing to differentiate: no backward pass at all
        return (None,) * len(inputs)
    return autograd.grad(
        [o for o, _ in pairs],
        inputs,
        [s for _, s in pairs],
        retain_graph=retain_graph,
        create_graph=create_graph,
        allow_unused=True,
    )


def _vectors(
    v: Any, refs: Tensors, refs_tuple: bool, create_graph: bool, fn: str, what: str
) -> Tensors | None:
    """The vectors v, checked against the tensors they multiply (``refs``); None is allowed
    only for one one-element tensor (v = 1)."""
    if v is None:
        if len(refs) != 1 or refs[0].numel() != 1:
            raise RuntimeError(
                f"{fn}(): v can only be None if the {what} is a single Tensor with a single element"
            )
        return None
    _, vs = _as_tuple(v, "v", fn)
    vs = _fresh(vs, create_graph, need_graph=False)
    if len(vs) != len(refs):
        if refs_tuple:
            raise RuntimeError(
                f"{fn}(): v is a tuple of invalid length: should be {len(refs)} but got {len(vs)}"
            )
        raise RuntimeError(f"{fn}(): the given v should contain a single Tensor")
    for i, (vi, ref) in enumerate(zip(vs, refs)):
        if vi.shape != ref.shape:
            entry = f"entry {i} in " if refs_tuple else ""
            raise RuntimeError(
                f"{fn}(): {entry}v has invalid size: should be {ref.shape} but got {vi.shape}"
            )
    return vs


def _check_requires_grad(ts: Maybe, kind: str, strict: bool) -> None:
    """With ``strict``, refuse a tensor that is missing or has no graph to the inputs."""
    if not strict:
        return
    for i, t in enumerate(ts):
        if t is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. "
                "This is not allowed in strict mode."
            )
        if t.requires_grad:
            continue
        if kind == "outputs":
            raise RuntimeError(
                f"Output {i} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when "
                "running in strict mode."
            )
        if kind == "grad_inputs":
            raise RuntimeError(
                f"The gradient with respect to input {i} is independent of the inputs of the "
                "user-provided function. This is not allowed in strict mode."
            )
        raise RuntimeError(  # "jacobian": the first derivative, on the way to a second
            "While computing the hessian, found that the jacobian of the user-provided "
            f"function with respect to input {i} is independent of the input. This is not "
            "allowed in strict mode. You should ensure that your function is twice "
            "differentiable and that the jacobian depends on the inputs (this would be "
            "violated by a linear function for example)."
        )


_INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
    "grad_outputs when using the double backward trick to compute forward mode gradients.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
    "{i} in the grad_jacobian, which prevents using the double backward trick to replace "
    "forward mode AD.",
}


def _fill_in_zeros(
    grads: Maybe, refs: Tensors, strict: bool, create_graph: bool, stage: str
) -> Tensors:
    """Zeros (shaped like ``refs[i]``) where a gradient is None, or a ``strict`` error; with
    ``strict`` and ``create_graph``, also an error for a gradient that is a constant."""
    filled = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(
                    _INDEPENDENT[stage].format(i=i) + " This is not allowed in strict mode."
                )
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if stage.startswith("double") else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode when create_graph=True."
            )
        filled.append(g)
    return tuple(filled)


def _check_strategy(strategy: Any, fn: str, arg: str) -> None:
    if strategy not in _STRATEGIES:
        raise ValueError(
            f'{fn}(): expected {arg} to be either "forward-mode" or "reverse-mode", '
            f"got {strategy!r}"
        )


def _jacfwd(func: Func, inputs: Tensor | tuple[Tensor, ...], strict: bool, vectorize: bool) -> Any:
    """The Jacobian a column per forward pass: column (j, c) is the tangent of the outputs when
    input j's element c carries the unit tangent and every other input a zero one
    (``autograd.forward_ad``), so n passes for n input elements, where reverse mode needs one
    per output element. torch takes all columns in one vmapped pass, and only with
    ``vectorize=True``, which is required here too (and changes nothing: a pass per column)."""
    if strict:
        raise RuntimeError(
            'jacobian(): strict=True and strategy="forward-mode" are not supported together '
            '(as in torch). Please either set strict=False or strategy="reverse-mode".'
        )
    inputs_tuple, xs = _as_tuple(inputs, "inputs", "jacobian")
    if not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only "
            "implemented for `vectorize=True` (as in torch)."
        )
    primals = tuple(x.detach() for x in xs)  # (hessian's inner reverse pass asks for grad)
    primals = tuple(p.requires_grad_(x.requires_grad) for p, x in zip(primals, xs))

    def tangents_at(seeds: tuple[Tensor, ...]) -> tuple[bool, Tensors, Tensors]:
        with _fw.dual_level():
            duals = tuple(_fw.make_dual(p, t) for p, t in zip(primals, seeds))
            outputs_tuple, outs = _as_tuple(func(*duals), "outputs", "jacobian")
            columns = []
            for out in outs:
                tangent = _fw.unpack_dual(out).tangent
                columns.append(zeros_like(out) if tangent is None else tangent.detach())
            return outputs_tuple, tuple(o.detach() for o in outs), tuple(columns)

    zero_seeds = tuple(zeros_like(p) for p in primals)
    per_input: list[list[Tensors]] = []  # [input j][element c] → the columns of the outputs
    outputs_tuple = False
    outs: Tensors = ()
    for j, p in enumerate(primals):
        columns_j = []
        for c in range(p.numel()):
            unit = np.zeros(p.shape, dtype=p.dtype)
            unit.reshape(-1)[c] = 1
            seeds = (*zero_seeds[:j], Tensor._make(unit), *zero_seeds[j + 1 :])
            outputs_tuple, outs, columns = tangents_at(seeds)
            columns_j.append(columns)
        per_input.append(columns_j)
    if not any(per_input):  # no input element: one pass for the outputs' shapes
        outputs_tuple, outs, _ = tangents_at(zero_seeds)
    blocks = tuple(
        tuple(
            stack([cols[i] for cols in per_input[j]], dim=-1).reshape(out.shape + p.shape)
            if per_input[j]
            else zeros(out.shape + p.shape, dtype=out.dtype)
            for j, p in enumerate(primals)
        )
        for i, out in enumerate(outs)
    )
    return _unpack2(blocks, outputs_tuple, inputs_tuple)


# ----------------------------------------------------------------------------- Jacobian, Hessian


def jacobian(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian J_ij = ∂f_i/∂x_j of ``func`` at ``inputs``, one reverse pass per output
    element: row i is the vjp e_iᵀJ, backward seeded with the i-th unit vector.

    PyTorch equivalent: ``torch.autograd.functional.jacobian``. Returns a Tensor of shape
    ``out.shape + in.shape`` for one output and one input, a tuple over the inputs or outputs
    when one of them is a tuple, and ``J[i][j]`` (output i, input j) when both are. An input an
    output does not depend on gets zeros, or a RuntimeError with ``strict=True`` (which also
    refuses an output that does not require grad and, with ``create_graph``, a constant
    Jacobian). ``vectorize=True`` is accepted and computes the same rows the same way (torch
    batches them with vmap; numpy has no vmap), and, as in torch, refuses ``strict=True``.
    ``strategy="forward-mode"`` takes a column per forward pass instead (``autograd.forward_ad``:
    n passes for n input elements, the cheaper way when outputs outnumber inputs); as torch's,
    it needs ``vectorize=True`` and refuses ``create_graph`` and ``strict``.
    """
    _check_strategy(strategy, "jacobian", "strategy")
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                'jacobian(): create_graph=True and strategy="forward-mode" are not supported '
                "together (as in torch). Please either set create_graph=False or "
                'strategy="reverse-mode".'
            )
        return _jacfwd(func, inputs, strict, vectorize)
    with enable_grad():
        inputs_tuple, xs = _as_tuple(inputs, "inputs", "jacobian")
        xs = _fresh(xs, create_graph, need_graph=True)
        outputs_tuple, outs = _as_tuple(
            func(*xs), "outputs of the user-provided function", "jacobian"
        )
        _check_requires_grad(outs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "jacobian(): strict=True and vectorize=True are not supported together "
                "(as in torch); set strict=False or vectorize=False"
            )
        blocks = tuple(_rows(out, i, xs, create_graph, strict) for i, out in enumerate(outs))
    return _unpack2(_done(blocks, create_graph), outputs_tuple, inputs_tuple)


def _rows(out: Tensor, i: int, xs: Tensors, create_graph: bool, strict: bool) -> Tensors:
    """Output i's Jacobian with respect to each input: one vjp per element of the output."""
    rows: list[list[Tensor]] = [[] for _ in xs]
    for r in range(out.numel()):
        seed = np.zeros(out.shape, dtype=out.dtype)
        seed.reshape(-1)[r] = 1  # e_r: backward from it gives row r of J
        vj = _grad((out,), xs, (Tensor._make(seed),), create_graph=create_graph, retain_graph=True)
        for j, (g, x) in enumerate(zip(vj, xs)):
            if g is None:
                if strict:
                    raise RuntimeError(
                        f"Output {i} of the user-provided function is independent of input {j}. "
                        "This is not allowed in strict mode."
                    )
                g = zeros_like(x)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError(
                    f"The jacobian of the user-provided function is independent of input {j}. "
                    "This is not allowed in strict mode when create_graph=True."
                )
            rows[j].append(g)
    shapes = [out.shape + x.shape for x in xs]
    return tuple(
        stack(rs).reshape(shape) if rs else zeros(shape, dtype=x.dtype)  # an empty output
        for rs, shape, x in zip(rows, shapes, xs)
    )


def _unpack2(result: tuple[tuple[Any, ...], ...], outer: bool, inner: bool) -> Any:
    """Drop the tuple levels (outputs, then inputs) that stand for a single Tensor."""
    if not inner:
        result = tuple(r[0] for r in result)
    return result if outer else result[0]


def hessian(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian H_jk = ∂²f/∂x_j∂x_k of a scalar ``func``: the Jacobian of its gradient.

    PyTorch equivalent: ``torch.autograd.functional.hessian``. The gradient ∇f is taken with
    ``create_graph=True`` (one pass), then differentiated a row at a time (one pass per input
    element). Returns a Tensor of shape ``in.shape + in.shape`` for one input, and ``H[i][j]``
    of shape ``in_i.shape + in_j.shape`` for a tuple; ``H[j][i]`` is ``H[i][j]`` transposed
    for a twice continuously differentiable f. ``func`` must return one one-element Tensor.
    ``strict=True`` refuses a gradient that does not depend on an input (a linear f);
    ``vectorize`` is as in ``jacobian``. ``outer_jacobian_strategy="forward-mode"`` takes the
    outer Jacobian by forward mode over the reverse-mode gradient (forward-over-reverse: the
    gradient's backward pass runs on duals), with ``jacobian``'s conditions for forward mode.
    """
    inputs_tuple, xs = _as_tuple(inputs, "inputs", "hessian")
    _check_strategy(outer_jacobian_strategy, "hessian", "outer_jacobian_strategy")

    def scalar_func(*args: Tensor) -> Tensor:
        out = func(*args)
        out_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(outs, "outputs", strict)
        if out_tuple:
            raise RuntimeError("hessian(): the function given to hessian should return a Tensor")
        if out.numel() != 1:
            raise RuntimeError(
                "hessian(): the Tensor returned by the function given to hessian should contain "
                f"a single element, got shape {out.shape}"
            )
        return out.squeeze()  # type: ignore[no-any-return]

    def gradient(*args: Tensor) -> Tensors:
        if outer_jacobian_strategy == "forward-mode":  # duals: the reverse pass needs grad
            args = tuple(a.requires_grad_(True) for a in args)
        g: Tensors = jacobian(scalar_func, args, create_graph=True)
        _check_requires_grad(g, "jacobian", strict)
        return g

    result = jacobian(
        gradient,
        xs,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    return _unpack2(result, inputs_tuple, inputs_tuple)


# ----------------------------------------------------------------------------- products


def vjp(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀJ)``: one backward pass seeded with v (what ``backward(v)`` computes).

    PyTorch equivalent: ``torch.autograd.functional.vjp``. v has the outputs' shapes (a tuple
    for a tuple of outputs); it may be None only for one one-element output. The vjp has the
    inputs' structure and shapes.
    """
    with enable_grad():
        inputs_tuple, xs = _as_tuple(inputs, "inputs", "vjp")
        xs = _fresh(xs, create_graph, need_graph=True)
        outputs_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "vjp")
        _check_requires_grad(outs, "outputs", strict)
        vs = _vectors(
            v, outs, outputs_tuple, create_graph, "vjp", "user-provided function's output"
        )
        grads = _grad(outs, xs, vs, create_graph=create_graph)
        result = _fill_in_zeros(grads, xs, strict, create_graph, "back")
    return (
        _unpack(_done(outs, create_graph), outputs_tuple),
        _unpack(_done(result, create_graph), inputs_tuple),
    )


def jvp(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), J v)`` by the double-vjp trick, with reverse mode only.

    PyTorch equivalent: ``torch.autograd.functional.jvp`` (which uses the same trick). With a
    dummy adjoint u of the outputs' shapes that requires grad, backward with
    ``create_graph=True`` gives x̄ = Jᵀu, linear in u; a second backward of x̄ seeded with v,
    taken with respect to u, gives ∂(vᵀJᵀu)/∂u = J v. u's value never enters (zeros). v has the
    inputs' shapes; it may be None only for one one-element input. The jvp has the outputs'
    structure and shapes.
    """
    with enable_grad():
        inputs_tuple, xs = _as_tuple(inputs, "inputs", "jvp")
        xs = _fresh(xs, create_graph, need_graph=True)
        vs = _vectors(
            v, xs, inputs_tuple, create_graph, "jvp", "input to the user-provided function"
        )
        outputs_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "jvp")
        _check_requires_grad(outs, "outputs", strict)
        us = tuple(zeros_like(o, requires_grad=True) for o in outs)
        x_bars = _grad(outs, xs, us, create_graph=True)  # Jᵀu, recorded as a function of u
        _check_requires_grad(x_bars, "grad_inputs", strict)
        grads = _grad(x_bars, us, vs, create_graph=create_graph)  # ∂(vᵀJᵀu)/∂u = J v
        result = _fill_in_zeros(grads, outs, strict, create_graph, "back_trick")
    return (
        _unpack(_done(outs, create_graph), outputs_tuple),
        _unpack(_done(result, create_graph), outputs_tuple),
    )


def _scalar_output(func: Func, xs: Tensors, strict: bool, fn: str) -> Tensor:
    """func's one one-element output, run on ``xs``."""
    out_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", fn)
    _check_requires_grad(outs, "outputs", strict)
    if out_tuple:
        raise RuntimeError(f"{fn}(): the function given to {fn} should return a single Tensor")
    if outs[0].numel() != 1:
        raise RuntimeError(
            f"{fn}(): the Tensor returned by the function given to {fn} should contain a single "
            f"element, got shape {outs[0].shape}"
        )
    return outs[0]


def _gradient_of_scalar(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None,
    create_graph: bool,
    strict: bool,
    fn: str,
) -> tuple[bool, Tensors, Tensors | None, Tensor, Maybe]:
    """What vhp and hvp start from: the inputs as fresh leaves, the vectors v, the scalar
    output f and its gradient ∇f recorded (create_graph) so it can be differentiated again."""
    inputs_tuple, xs = _as_tuple(inputs, "inputs", fn)
    xs = _fresh(xs, create_graph, need_graph=True)
    vs = _vectors(v, xs, inputs_tuple, create_graph, fn, "input to the user-provided function")
    out = _scalar_output(func, xs, strict, fn)
    grad_f = _grad((out,), xs, create_graph=True)
    _check_requires_grad(grad_f, "jacobian", strict)
    return inputs_tuple, xs, vs, out, grad_f


def vhp(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensor, Any]:
    """``(func(inputs), vᵀH)`` for a scalar ``func``: ∇ₓ(vᵀ∇f(x)), two reverse passes.

    PyTorch equivalent: ``torch.autograd.functional.vhp``. The gradient ∇f is taken with
    ``create_graph=True``, then backward from it seeded with v. v and the result have the
    inputs' structure and shapes; v may be None only for one one-element input.
    """
    with enable_grad():
        inputs_tuple, xs, vs, out, grad_f = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "vhp"
        )
        grads = _grad(grad_f, xs, vs, create_graph=create_graph)
        result = _fill_in_zeros(grads, xs, strict, create_graph, "double_back")
    return _done((out,), create_graph)[0], _unpack(_done(result, create_graph), inputs_tuple)


def hvp(
    func: Func,
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensor, Any]:
    """``(func(inputs), H v)`` for a scalar ``func``: the double-vjp trick on x ↦ ∇f(x).

    PyTorch equivalent: ``torch.autograd.functional.hvp``. With a dummy u that requires grad,
    backward from ∇f seeded with u gives Hᵀu, and backward from that with respect to u, seeded
    with v, gives H v: three reverse passes. ``vhp`` needs two and gives the same for a twice
    continuously differentiable f (H symmetric). v and the result have the inputs' structure
    and shapes; v may be None only for one one-element input.
    """
    with enable_grad():
        inputs_tuple, xs, vs, out, grad_f = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "hvp"
        )
        us = tuple(zeros_like(x, requires_grad=True) for x in xs)
        h_us = _grad(grad_f, xs, us, create_graph=True)  # Hᵀu, recorded as a function of u
        grads = _grad(h_us, us, vs, create_graph=create_graph)  # ∂(vᵀHᵀu)/∂u = H v
        result = _fill_in_zeros(grads, xs, strict, create_graph, "double_back_trick")
    return _done((out,), create_graph)[0], _unpack(_done(result, create_graph), inputs_tuple)
