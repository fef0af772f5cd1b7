"""Forward-mode AD: dual tensors, whose tangents are pushed forward op by op with the primal.

PyTorch equivalent: ``torch.autograd.forward_ad`` (``tg.autograd.forward_ad``), with its API,
one level at a time and torch's errors:

    with fwAD.dual_level():
        dual = fwAD.make_dual(x, v)            # x, carrying the tangent ẋ = v
        y = f(dual)                            # each op also computes ẏ = Σᵢ Jᵢ ẋᵢ
        primal, tangent = fwAD.unpack_dual(y)  # f(x) and J v

Forward vs reverse mode. For f: ℝⁿ → ℝᵐ, one forward pass gives one column-combination J v
(all m outputs' derivatives along one input direction); one reverse pass gives one row
combination uᵀJ (one output's derivatives along all n inputs). A loss (m = 1) needs one
reverse pass for its whole gradient, and n forward passes: hence backprop for training. Forward
mode wins when n < m, and it needs no graph kept for a backward pass.

How a tangent is computed. Every op of the table declares one VJP rule per input, and nothing
else; its JVP is derived from that rule, so each op is still declared once. The rule
u ↦ Jᵢᵀu is linear in the adjoint u, and ⟨Jᵢᵀu, ẋᵢ⟩ = ⟨u, Jᵢẋᵢ⟩, so

    ẏ = Σᵢ Jᵢ ẋᵢ = ∂/∂u Σᵢ ⟨rule_i(u), ẋᵢ⟩

(the double-vjp trick, on one op): the rules run with a zero adjoint u that requires grad, on
stand-ins of the inputs, and one small reverse pass over that record gives ẏ. Cost model: each
op applied to a dual costs its forward, its VJP rules once and a reverse pass through them,
eagerly, so unpacking costs nothing; ops on tensors without a tangent cost one extra test. A
custom ``Function`` with a ``jvp`` staticmethod uses it instead (torch's rule for Functions).
Where a rule is a convention rather than the derivative of the forward (the padding row of
``F.embedding``, which gets no gradient; a norm floored in value only, as cosine_similarity's;
scatter's repeated places, each sent ḡ, where the last wins), the tangent derived from it
would follow the convention: there the op sets its tangent to the forward's derivative, as
torch's forward formulas give (``_placed`` below, ``_set_tangent`` in functional).

Cost outside a level: nothing. The engine's hot path (``tensor._apply``) does not look for
tangents; entering a level rebinds ``_apply`` in this package's modules (and the in-place
writers of ``Tensor``) to versions that do, and leaving it restores them and deletes every
tangent, as torch's ``exit_dual_level`` does.

Views share their base's tangent, as torch's forward grad views: the tangent of ``d[1:]`` is
the same view of ``d``'s tangent (never computed by a JVP), so an in-place op through a view
writes into its base's tangent and an op on the base is seen by every view's tangent, a tangent
read before the write included. In-place ops write the new tangent into the old one's memory
(make_dual's tangent too, as torch). A view whose base has no tangent gets one when asked for
after the base got one (torch's lazy forward grad), and a write of a dual into such a view first
gives the base a zero tangent. make_dual's and unpack_dual's aliases, detach() and the views made
of them have tangents of their own, not views of their base's (torch's non forward views). A
view is placed in its base's tangent by its place in the base's memory, a tangent being laid
out as its tensor (a tangent given otherwise is copied, as torch's).

Tangents are computed whatever the grad mode (torch's forward AD ignores ``no_grad``), for real
floating tensors (complex duals are refused; a view reading the memory as another dtype has
none, as torch's). Still different from torch: a view of a ``detach()`` made outside a level
has a tangent of its own (torch's is a view of the detach's, which a write through the view
gives a tangent); the rare ops that bypass both ``_apply`` and the in-place writers compute
none.
"""

from __future__ import annotations

import contextlib
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.array_utils import byte_bounds

from . import autograd
from .ops import OPS, OpDef
from .tensor import Tensor
from .tensor import _apply as _plain_apply

__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]

# torch's ``_current_level``: -1 outside a level, 0 inside the one level torch allows.
_current_level = -1
# While set, ops compute no tangent: while a tangent is computed (its rules' own ops), while a
# custom Function's forward runs (its jvp gives the tangent), and for make/unpack's aliases.
_paused = False
# The tensors given a tangent in the current level (weakly), whose tangents exit deletes.
_holders: list[weakref.ref[Tensor]] = []
# What entering a level rebound, to restore on exit: (namespace, name, original).
_swapped: list[tuple[Any, str, Any]] = []


class UnpackedDualTensor(NamedTuple):
    """What ``unpack_dual`` returns: the primal and the tangent (None for no tangent)."""

    primal: Tensor
    tangent: Tensor | None


# ----------------------------------------------------------------------------- levels


def enter_dual_level() -> int:
    """Enter the forward AD level (``torch.autograd.forward_ad.enter_dual_level``): 0, the
    one level torch supports; entering another while it is active raises torch's error."""
    global _current_level
    if _current_level >= 0:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _swap_in()
    _current_level = 0
    return _current_level


def exit_dual_level(*, level: int | None = None) -> None:
    """Leave the level (``torch.autograd.forward_ad.exit_dual_level``): every tangent made in
    it is deleted, so ``unpack_dual`` gives None for them afterwards."""
    global _current_level
    if level is None:
        level = _current_level
    if level != _current_level:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported."
        )
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    for ref in _holders:
        t = ref()
        if t is not None and getattr(t, "_tangent", None) is not None:
            del t._tangent
    _holders.clear()
    _swap_out()
    _current_level = -1


class dual_level(contextlib.ContextDecorator):
    """Context manager (or decorator) inside which dual tensors live
    (``torch.autograd.forward_ad.dual_level``). Levels do not nest, as in torch: for higher
    derivatives use ``tg.func.jvp``. ``__enter__`` returns the level."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()


@contextlib.contextmanager
def _pause() -> Iterator[None]:
    global _paused
    was, _paused = _paused, True
    try:
        yield
    finally:
        _paused = was


# ----------------------------------------------------------------------------- dual tensors


def _shape_str(shape: tuple[int, ...]) -> str:  # torch's sizes: [3], [2, 3], []
    return "[" + ", ".join(map(str, shape)) + "]"


def _check_float(t: Any, what: str) -> None:
    if not isinstance(t, Tensor):
        raise TypeError(f"make_dual(): the {what} must be a Tensor, got {type(t).__name__}")
    kind = t.data.dtype.kind
    if kind == "c":
        raise NotImplementedError(
            f"make_dual(): complex {what}s are not supported (dtype {t.dtype}, shape {t.shape})"
        )
    if kind != "f":
        raise ValueError(f"Expected {what} to be floating point or complex, but got: {t.dtype}")


def _check_size(t: Tensor, tangent: Tensor) -> None:
    if tangent.shape != t.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {_shape_str(t.shape)} "
            f"while the given forward gradient is of size {_shape_str(tangent.shape)}."
        )


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A dual tensor: an alias (a view) of ``tensor`` carrying ``tangent`` as it is
    (``torch.autograd.forward_ad.make_dual``). Backward differentiable: gradients flow
    through the alias to ``tensor``. Refused, with torch's errors, outside a level, for a
    non-floating primal or tangent, a tangent of another shape (its dtype may differ, as in
    torch), and a tensor that has a tangent already."""
    if level is None:
        level = _current_level
    if level < 0:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    _check_float(tensor, "primal")
    _check_float(tangent, "tangent")
    if level != _current_level:
        raise RuntimeError("Invalid level given to _make_dual")
    _check_size(tensor, tangent)
    if tangent_of(tensor) is not None:  # a dual, or a view of one (its tangent a view)
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at the "
            f"same level {level} is not supported."
        )
    if tangent_of(tangent) is not None:
        raise RuntimeError(
            "Setting a forward grad that itself has a forward gradient at the same level "
            f"{level} is not supported."
        )
    with _pause():
        dual = tensor.view_as(tensor)
    dual._fwbase = None  # its tangent is its own, not a view of tensor's (as torch's)
    _set_tangent(dual, _laid_out(dual, tangent))
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of a dual tensor (``torch.autograd.forward_ad.unpack_dual``): the
    primal a view of ``tensor`` without the tangent, the tangent as it is (for a view, a view
    of its base's tangent); ``tangent`` is None for a tensor that depends on no dual, or
    outside the level (then ``primal`` is ``tensor``). Backward differentiable through the
    primal."""
    if level is None:
        level = _current_level
    if not isinstance(tensor, Tensor):
        raise TypeError(f"unpack_dual(): expected a Tensor, got {type(tensor).__name__}")
    if level < 0:
        return UnpackedDualTensor(tensor, None)
    found = tangent_of(tensor) if level == _current_level else None
    with _pause():
        primal = tensor.view_as(tensor)
    primal._fwbase = None  # torch's _fw_primal: a view whose tangent is its own (none yet)
    return UnpackedDualTensor(primal, found)


def _set_tangent(t: Tensor, tangent: Tensor) -> None:
    t._tangent = tangent
    _holders.append(weakref.ref(t))
    if t._node is not None:  # the output of a recorded op: its node's rules may read it
        _node_tangents[t._node] = tangent


# The tangent of each recorded node's output, for backward's rules that read the output: the
# tensor backward gives them is another than the output tensor (``autograd._dual_out``).
_node_tangents: weakref.WeakKeyDictionary[Any, Tensor] = weakref.WeakKeyDictionary()


def _output_tangent(out: Tensor, node: Any) -> Tensor:
    """``out`` (the output tensor backward made for ``node``'s rules) with the tangent of the
    node's output, so that forward mode over a backward pass (a Hessian-vector product, the
    forward-over-reverse Hessian) sees how the output moves."""
    tangent = _node_tangents.get(autograd._output_vertex(node))
    if tangent is not None and getattr(out, "_tangent", None) is None:
        _set_tangent(out, tangent)
    return out


def tangent_of(value: Any) -> Tensor | None:
    """The tangent ``value`` carries in the active level (None: none, or not a Tensor); for a
    view, the view of its forward base's tangent, made when first asked for."""
    if not isinstance(value, Tensor):
        return None
    found: Tensor | None = getattr(value, "_tangent", None)
    if found is None and value._base is not None:
        return _view_tangent(value)
    return found


def active() -> bool:
    """Whether ops compute tangents now: inside a level, and not while one is computed."""
    return _current_level >= 0 and not _paused


# ----------------------------------------------------------------------------- views share tangents
# As torch's forward grad views: the tangent of a view is the same view of its forward base's
# tangent, so a write through either one is seen through both. The forward base is the tensor
# the chain of view ops started from: ``_base`` (the memory's owner), but for the aliases
# make_dual and unpack_dual return, detach()es and the views made of them, which are their
# own. A tangent is laid out as its tensor's memory (the same strides in elements), so that a
# view's tangent is found from the view's place in that memory, whatever ops made it.


class _Strided:
    """An array interface over part of ``base``'s memory (as numpy's own ``as_strided``): the
    array made from it keeps ``base`` alive."""

    def __init__(self, interface: dict[str, Any], base: np.ndarray) -> None:
        self.__array_interface__ = interface
        self.base = base


def _address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


def _strided(
    owner: np.ndarray, address: int, shape: tuple[int, ...], steps: tuple[int, ...]
) -> np.ndarray:
    """The array of ``shape`` at ``address`` in ``owner``'s memory, ``steps`` elements apart."""
    interface = {
        "version": 3,
        "shape": shape,
        "strides": tuple(k * owner.itemsize for k in steps),
        "typestr": owner.dtype.str,
        "data": (address, not owner.flags.writeable),
    }
    return np.asarray(_Strided(interface, owner))


def _steps(a: np.ndarray) -> tuple[int, ...] | None:
    """``a``'s strides in elements (None where they are not whole elements)."""
    n = a.itemsize
    return None if any(s % n for s in a.strides) else tuple(s // n for s in a.strides)


def _mirrors(a: np.ndarray, g: np.ndarray) -> bool:
    """Whether ``g`` is laid out as ``a`` (the same strides in elements where a dim has more
    than one)."""
    if a.strides == g.strides and a.itemsize == g.itemsize:
        return True
    sa, sg = _steps(a), _steps(g)
    return (
        sa is not None
        and sg is not None
        and all(n <= 1 or p == q for n, p, q in zip(a.shape, sa, sg))
    )


def _mirror(a: np.ndarray, dtype: np.dtype[Any]) -> np.ndarray:
    """Zeros of ``dtype`` laid out as ``a``: a tangent for it (the span of ``a``'s memory,
    for one with gaps or negative strides)."""
    if a.flags.c_contiguous:
        return np.zeros(a.shape, dtype)
    if a.flags.f_contiguous:
        return np.zeros(a.shape, dtype, order="F")
    steps = _steps(a)
    if steps is None:
        return np.zeros(a.shape, dtype)
    lo, hi = byte_bounds(a)
    span = np.zeros((hi - lo) // a.itemsize, dtype)
    start = _address(span) + (_address(a) - lo) // a.itemsize * span.itemsize
    return _strided(span, start, a.shape, steps)


def _laid_out(t: Tensor, tangent: Tensor) -> Tensor:
    """``tangent`` as it is if laid out as ``t``, else a copy that is (torch's rule)."""
    if _mirrors(t.data, tangent.data):
        return tangent
    data = _mirror(t.data, tangent.data.dtype)
    data[...] = tangent.data
    return Tensor._make(data)


def _forward_base(t: Tensor) -> Tensor | None:
    """The tensor whose tangent ``t``'s is a view of (None: ``t``'s is its own)."""
    try:
        return t._fwbase
    except AttributeError:  # a view made outside a level (or no view): of its history base
        if t._base is None:
            return None
        from ._inplace import history_base  # (on use: _inplace loads after this module)

        f = history_base(t)
        return None if f is t else f


def _mark_view(out: Tensor, src: Tensor) -> None:
    """Record ``out``, a view of ``src``, as a view of ``src``'s forward base."""
    f = _forward_base(src)
    out._fwbase = src if f is None else f


def _view_tangent(v: Tensor) -> Tensor | None:
    """The view of ``v``'s forward base's tangent that ``v``'s memory is of the base's, kept
    as ``v``'s (made when first asked for: the base may get its tangent after the view was
    taken); None if the base has none."""
    f = _forward_base(v)
    ft = None if f is None else getattr(f, "_tangent", None)
    if f is None or ft is None or v.data.dtype.kind != "f":
        return None
    b, a, g = f.data, v.data, ft.data
    if a.dtype != b.dtype:  # the memory read as another dtype: no tangent (as torch's)
        return None
    if a.size == 0:
        data = np.zeros(a.shape, g.dtype)
    else:
        offset, steps = _address(a) - _address(b), _steps(a)
        if offset % b.itemsize or steps is None:
            return None
        data = _strided(g, _address(g) + offset // b.itemsize * g.itemsize, a.shape, steps)
    tangent = Tensor._make(data)
    _set_tangent(v, tangent)
    return tangent


def _writable_tangent(t: Tensor, dtype: np.dtype[Any]) -> Tensor:
    """``t``'s tangent, to be written in place; zeros of ``dtype`` if it has none, for a view
    as the view of its forward base's new zero tangent (torch's rule)."""
    found = tangent_of(t)
    if found is None:
        f = _forward_base(t)
        if f is not None and f.data.dtype.kind == "f":
            _set_tangent(f, Tensor._make(_mirror(f.data, dtype)))
            found = tangent_of(t)
        if found is None:
            found = Tensor._make(_mirror(t.data, dtype))
            _set_tangent(t, found)
    return found


# ----------------------------------------------------------------------------- the JVP of an op


def _jvp(
    op: OpDef, inputs: tuple[Tensor, ...], tangents: list[Any], out: Tensor, kwargs: Any
) -> Tensor:
    """ẏ = Σᵢ Jᵢ ẋᵢ of one op, from its VJP rules: ∂/∂u Σᵢ ⟨rule_i(u), ẋᵢ⟩ (see the module
    docstring). A rule's result of a broadcast shape needs no summing back: the product with
    ẋᵢ broadcasts, and ⟨sum_to(g), ẋ⟩ = ⟨g, ẋ broadcast⟩."""
    with _pause(), autograd.enable_grad():
        xs = tuple(Tensor._make(x.data) for x in inputs)  # stand-ins: no history, no tangent
        u = Tensor._make(np.zeros_like(out.data)).requires_grad_()
        y = Tensor._make(out.data)
        total: Tensor | None = None
        for i, ti in enumerate(tangents):
            if ti is None:
                continue
            rule = op.vjps[0] if op.variadic else op.vjps[i] if i < len(op.vjps) else None
            if rule is None:  # not differentiable in this input (an index, a mask)
                continue
            if op.variadic:
                gi = rule(u, y, *xs, input_index=i, **kwargs)
            else:
                gi = rule(u, y, *xs, **kwargs)
            if gi is None or not gi.requires_grad:  # a derivative that is 0 (floor, sign)
                continue
            term = (gi * ti).sum()
            total = term if total is None else total + term
        if total is None:
            return Tensor._make(np.zeros_like(out.data))
        (jv,) = autograd.grad(total, u, allow_unused=True, materialize_grads=True)
    result: Tensor = jv.detach()
    return _unshared(result, tangents)


def _unshared(result: Tensor, tangents: Any) -> Tensor:
    """``result``, copied if it shares memory with an input's tangent: an in-place op on the
    output writes into its tangent, which must not change the input's."""
    if any(t is not None and np.may_share_memory(result.data, t.data) for t in tangents):
        return Tensor._make(result.data.copy())
    return result


def _apply_dual(op: OpDef, *inputs: Tensor, **kwargs: Any) -> Tensor:
    """``tensor._apply`` inside a level: the op, then its output's tangent if an input has
    one and the output is a real float; a view's is the view of its base's."""
    out = _plain_apply(op, *inputs, **kwargs)
    if _paused:
        return out
    if op.view and out._base is not None:
        _mark_view(out, inputs[0])
        if tangent_of(out) is not None:
            return out
    if out.data.dtype.kind != "f":
        return out
    tangents = [tangent_of(x) for x in inputs]
    if any(t is not None for t in tangents):
        _set_tangent(out, _laid_out(out, _jvp(op, inputs, tangents, out, kwargs)))
    return out


# ----------------------------------------------------------------------------- custom Functions


def tangents_in(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """What a custom Function's ``jvp`` receives for ``apply``'s arguments, or None when none
    is a dual: each Tensor's tangent, zeros for a float Tensor without one (torch materializes
    them), None for the rest."""
    if all(tangent_of(a) is None for a in args):
        return None
    return tuple(
        tangent_of(a)
        if tangent_of(a) is not None
        else Tensor._make(np.zeros(a.shape, a.data.dtype))
        if isinstance(a, Tensor) and a.data.dtype.kind == "f"
        else None
        for a in args
    )


def push_jvp(cls: type, ctx: Any, tangents: tuple[Any, ...], results: tuple[Any, ...]) -> None:
    """Give a custom Function's outputs the tangents its ``jvp(ctx, *tangents)`` returns (one
    per output of forward), as torch; a Function without ``jvp`` is refused with torch's
    error."""
    from ._autograd_function import Function

    jvp = getattr(cls, "jvp", None)
    if jvp is None or jvp is getattr(Function, "jvp", None):
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )
    with _pause():
        given = jvp(ctx, *tangents)
    outs = given if isinstance(given, tuple) else (given,)
    if len(outs) != len(results):
        raise RuntimeError(
            "Function's jvp returned an invalid number of forward gradients (expected "
            f"{len(results)} but got {len(outs)})"
        )
    for result, t in zip(results, outs):
        if not isinstance(result, Tensor) or t is None or result.data.dtype.kind != "f":
            continue
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{cls.__name__}.jvp must return Tensors (or None), got {type(t).__name__}"
            )
        _check_size(result, t)
        if result._base is not None:
            result._fwbase = None  # a view the Function returned: its tangent is its own
        _set_tangent(result, _laid_out(result, _unshared(t, tangents)))


# ----------------------------------------------------------------------------- in-place writes
# An in-place op on a dual (or writing a dual's values) writes the tangent of the out-of-place
# op, computed before the write, into the tensor's tangent (made, zero, if it has none; for a
# view, in its base's), as torch's: so the views of the same memory see it. The write itself
# runs with tangents paused.


def _written(t: Tensor, new: Tensor | None, write: Callable[[], Any]) -> Tensor:
    """``write()`` (the original in-place method) run without tangents, then ``new`` (None:
    zero) written into t's tangent; t (what the in-place methods return)."""
    with _pause():
        write()
    if t.data.dtype.kind == "f":
        target = _writable_tangent(t, t.data.dtype if new is None else new.data.dtype)
        target.data[...] = 0.0 if new is None else new.data
        if t._node is not None:  # the write's node, whose output is t
            _node_tangents[t._node] = target
    return t


_OUT_OF_PLACE: dict[Any, Callable[[Tensor, Any, float], Tensor]] = {
    np.add: lambda x, v, a: x.add(v, alpha=a),
    np.subtract: lambda x, v, a: x.sub(v, alpha=a),
    np.multiply: lambda x, v, a: x.mul(v),
    np.divide: lambda x, v, a: x.div(v),
}


def _inplace(
    self: Tensor, op: str, ufunc: np.ufunc | None, value: Any, alpha: float | None = None
) -> Tensor:
    original = _ORIGINAL["_inplace"]
    if _paused or (tangent_of(self) is None and tangent_of(value) is None):
        result: Tensor = original(self, op, ufunc, value, alpha)
        return result
    if ufunc is None:  # copy_, fill_, zero_, a computed result: self ← value
        new = tangent_of(value)
    else:
        out_of_place = _OUT_OF_PLACE[ufunc](self, value, 1.0 if alpha is None else alpha)
        new = tangent_of(out_of_place)
    return _written(self, new, lambda: original(self, op, ufunc, value, alpha))


def _computed_inplace(
    self: Tensor, op: str, compute: Callable[[Tensor], Tensor], *values: Any
) -> Tensor:
    original = _ORIGINAL["_computed_inplace"]
    if _paused or (tangent_of(self) is None and all(tangent_of(v) is None for v in values)):
        result: Tensor = original(self, op, compute, *values)
        return result
    new = tangent_of(compute(self))
    return _written(self, new, lambda: original(self, op, compute, *values))


def _rebase(
    x: Tensor,
    op: str,
    compute: Callable[[Tensor], Tensor],
    values: tuple[Any, ...],
    *dry: Any,
    **dry_kwargs: Any,
) -> Tensor:
    """``_inplace.rebase`` (an in-place op recorded in grad mode) called directly, not through
    the writers above (``div_`` with a rounding mode): the tangent of ``compute(x)`` written
    into x's, as ``_computed_inplace`` does."""
    original = _ORIGINAL["rebase"]
    if _paused or (tangent_of(x) is None and all(tangent_of(v) is None for v in values)):
        result: Tensor = original(x, op, compute, values, *dry, **dry_kwargs)
        return result
    new = tangent_of(compute(x))
    return _written(x, new, lambda: original(x, op, compute, values, *dry, **dry_kwargs))


def _setitem(self: Tensor, index: Any, value: Any) -> None:
    original = _ORIGINAL["__setitem__"]
    if _paused or (tangent_of(self) is None and tangent_of(value) is None):
        original(self, index, value)
        return
    vt = tangent_of(value)
    with _pause():
        original(self, index, value)
        if self.data.dtype.kind == "f":
            _writable_tangent(self, self.data.dtype)[index] = 0.0 if vt is None else vt


def _fill(self: Tensor, value: Any) -> Tensor:
    original = _ORIGINAL["fill_"]
    if _paused or (tangent_of(self) is None and tangent_of(value) is None):
        result: Tensor = original(self, value)
        return result
    return _written(self, tangent_of(value), lambda: original(self, value))


# Tensor's shortcuts that skip the op table for a tensor that requires no grad (nothing to
# record) take the table's op for a dual, whose tangent the op gives.


def _alias(self: Tensor) -> Tensor:
    if _paused or tangent_of(self) is None:
        result: Tensor = _ORIGINAL["_alias"](self)
        if not _paused:
            _mark_view(result, self)
        return result
    return _apply_dual(_RESHAPE, self, shape=self.data.shape)


def _transpose2d(self: Tensor) -> Tensor:
    if _paused or tangent_of(self) is None:
        result: Tensor = _ORIGINAL["_transpose2d"](self)
        if not _paused:
            _mark_view(result, self)
        return result
    return _apply_dual(_PERMUTE, self, dims=(1, 0))


def _piecewise_constant(self: Tensor, values: np.ndarray) -> Tensor:
    out: Tensor = _ORIGINAL["_piecewise_constant"](self, values)
    if not _paused and tangent_of(self) is not None and out.data.dtype.kind == "f":
        _set_tangent(out, Tensor._make(_mirror(out.data, out.data.dtype)))  # floor, sign: zero
    return out


def _view_inplace(x: Tensor, op: str, view: Callable[[Tensor], Tensor]) -> Tensor:
    """``t_``, ``squeeze_``, …: x's tangent is seen in x's new shape too."""
    tangent = None if _paused else tangent_of(x)
    out: Tensor = _ORIGINAL["view_inplace"](x, op, view)
    if tangent is not None:
        if _forward_base(x) is None:  # its own tangent: the same view of it
            with _pause():
                x._tangent = view(Tensor._make(tangent.data))
        else:  # the view of its base's, made again from x's new place when asked for
            del x._tangent
    return out


def _placed(self: Tensor, src: Tensor, places: tuple[Any, ...], op: str) -> tuple[Tensor, Any]:
    """scatter's, index_copy's and put's placement: of repeated places the last wins, in value
    and in tangent (torch's forward formula places the tangent alike), where the rule sends ḡ
    to every repeat (torch's ``g.gather``), so that the tangent derived from it sums them."""
    placed, mask = _ORIGINAL["_placed"](self, src, places, op)
    tangent = None if _paused else tangent_of(src)
    if tangent is not None:
        last = np.zeros(self.shape, dtype=tangent.data.dtype)
        last[places] = tangent.data
        _set_tangent(placed, Tensor._make(last))
    return placed, mask


_RESHAPE, _PERMUTE = OPS["reshape"], OPS["permute"]

_TENSOR_METHODS: dict[str, Callable[..., Any]] = {
    "_inplace": _inplace,
    "_computed_inplace": _computed_inplace,
    "__setitem__": _setitem,
    "fill_": _fill,
    "_alias": _alias,
    "_transpose2d": _transpose2d,
    "_piecewise_constant": _piecewise_constant,
    "_placed": _placed,
}
_ORIGINAL: dict[str, Callable[..., Any]] = {name: vars(Tensor)[name] for name in _TENSOR_METHODS}


def _swap_in() -> None:
    """Rebind ``_apply`` wherever this package's modules imported it, and Tensor's in-place
    writers and shortcuts, to the versions that compute tangents (restored by ``_swap_out``)."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == __package__ and vars(module).get("_apply") is _plain_apply:
            _swapped.append((module, "_apply", _plain_apply))
            vars(module)["_apply"] = _apply_dual
    for key, wrapper in _TENSOR_METHODS.items():
        _swapped.append((Tensor, key, _ORIGINAL[key]))
        setattr(Tensor, key, wrapper)
    # (_inplace imports this module's importers: found here, once it is loaded)
    module = sys.modules[f"{__package__}._inplace"]
    _ORIGINAL["view_inplace"] = vars(module)["view_inplace"]
    _swapped.append((module, "view_inplace", _ORIGINAL["view_inplace"]))
    vars(module)["view_inplace"] = _view_inplace
    _ORIGINAL["rebase"] = vars(module)["rebase"]
    _swapped.append((module, "rebase", _ORIGINAL["rebase"]))
    vars(module)["rebase"] = _rebase
    _swapped.append((autograd, "_dual_out", None))
    autograd._dual_out = _output_tangent


def _swap_out() -> None:
    for namespace, key, value in reversed(_swapped):
        setattr(namespace, key, value)
    _swapped.clear()
    _node_tangents.clear()
