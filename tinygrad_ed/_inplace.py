"""In-place recording: how ops that overwrite a tensor's memory take part in autograd, as torch's.

``Tensor`` keeps the unrecorded paths (``_inplace``, ``__setitem__``, ``_computed_inplace``: a
write into the array and a stamp) and calls here where autograd takes part: grad mode on, and
the tensor or the value written requires grad (the in-place view ops, always). Five ideas, each
torch's:

* The version counter. Every write ticks ``autograd``'s clock and stamps the tensor (its base,
  for a view: ``Tensor._changed``) and the node that made it (``Node.out_changed``); backward
  refuses a node whose rules read a value stamped after the node was recorded.
* Rebase (``rebase``). On a non-leaf x, ``x.f_(v)`` is y = f(x_old, v) recorded out of place,
  written back into x's own array, and x's grad_fn becomes y's: x̄_old = (∂f/∂x)ᵀ·g and
  v̄ = (∂f/∂v)ᵀ·g. A write of v (copy_, fill_, ``x[P] = v``) is where(m, v, x_old), under
  torch's names (CopyBackwards, FillBackward, CopySlices): x̄_old = g·[¬m], v̄ = g at P summed
  back to v's shape. ``x_old`` keeps x's array unless a new rule reads it (then a copy).
* Writes through a view: CopySlices (``_rebase_view``). With P the places of the base b that
  the view shows, the op is recorded on b as b ← b_old with f(b_old[P], v) written at P:
  b̄_old = g off P, and g[P] goes through f's rules to b_old[P] and to v.
* Views follow their base: AsStridedBackward (``_remake_views``). Views of b made while it
  required grad, or in grad mode while it required none, are tracked (weakly); after a write
  each live one, w, gets a new grad_fn w = b_new[P_w], so b̄ += w̄ scattered to P_w.
* In-place view ops (``view_inplace``: t_, squeeze_, …) change a tensor's shape, not its
  values: x's grad_fn becomes the view's node, so x̄_old = the adjoint seen back in the old
  shape (gᵀ for t_); the nodes recorded before that saved x are given, by backward, a stand-in
  with x's old shape. Under no_grad nothing is recorded: the graph made before keeps x's old
  shape, and backward checks the adjoints sent to it in the new one as torch does. Both are
  ``_reshaped_inplace``'s (``_as_recorded``, ``Refit``).

A ``detach()`` shows its base's memory and shares its version counter (its ``_base`` is the
memory's owner, which every write stamps) but has a history of its own, as torch's: an op
recorded on it or on a view of it (``y.mul_(w)``, ``y[0].mul_(w)``) gives the detach a grad_fn,
its views follow the detach, and its base and the base's other views keep theirs
(``history_base``).

Refused with torch's errors: a leaf that requires grad (or a view of one), a view made under
no_grad, an output of unbind/split/chunk. Refused here only: live views this module cannot
follow (made under no_grad while the base required no grad, or of another dtype); once such
views have died, the base's in-place ops record as torch's (``_untracked_views_may_live``).
Views made in grad mode of a base that requires no grad are tracked (``Tensor._plain_view``)
and follow, as torch's: ``buf[0] += w``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import sys
import weakref
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

from . import _reshaped_inplace, autograd
from ._graph_hooks import NodePrehook
from .autograd import Node
from .ops import OPS, OpDef
from .tensor import (
    OpError,
    Tensor,
    _apply,
    _basic_view,
    _describe,
    _normalise_index,
    _repeats,
    _RetainGrad,
    _same_buffer,
    _unlock,
    where,
)

_COPY_SLICES, _COPY, _FILL, _ZERO = OPS["copy_slices"], OPS["copy"], OPS["fill"], OPS["zero"]
_AS_STRIDED = OPS["as_strided"]


def _refuse_inplace(
    x: Tensor,
    op: str,
    values: tuple[Any, ...],
    dry_run: Callable[..., Any] | None = None,
    *dry_args: Any,
    leaf_first: bool = True,
    **dry_kwargs: Any,
) -> NoReturn:
    """Raise the refusal of an in-place change that autograd would have to record, after the
    errors torch raises first: ``dry_run(copy, *dry_args, **dry_kwargs)`` repeats the op on
    a copy without grad (a function and its arguments, not a closure: a lambda would make
    the callers' locals cells, which costs every call of the fast path).

    torch refuses a leaf that requires grad (or a view of one) right after parsing the
    arguments, so there the op is tried first only if one of its ``values`` is neither a
    Tensor nor a number (a string, None: torch's TypeError); any other tensor torch would
    record the op for, so its errors (the shapes) all come first — as they do for
    ``__setitem__`` (``leaf_first=False``), where torch indexes and broadcasts before its
    leaf check.
    """
    base = history_base(x)
    leaf = x._requires_grad and base._node is None
    typed = all(isinstance(v, (Tensor, numbers.Number, np.number, np.bool_)) for v in values)
    if dry_run is not None and (not (leaf and leaf_first) or not typed):
        with autograd.no_grad():
            dry_run(Tensor._make(x.data.copy()), *dry_args, **dry_kwargs)
    if leaf:  # torch's words
        what = "a leaf Variable" if x is base else "a view of a leaf Variable"
        raise RuntimeError(
            f"{op}: {what} that requires grad (shape {x.shape}) is being used in an "
            "in-place operation; wrap the update in `with no_grad():`"
        )
    # The callers (``rebase``, ``recorded_setitem``) record the op for any other tensor.
    raise AssertionError(f"{op}: _refuse_inplace called for a tensor that is not a leaf")


def recorded_inplace(
    x: Tensor, op: str, ufunc: np.ufunc | None, value: Any, alpha: float | None
) -> Tensor:
    """``Tensor._inplace`` in grad mode: the out-of-place op, recorded, then ``rebase``. Apart
    from ``Tensor._inplace`` so that its closures cost the untracked path nothing."""
    dry = (Tensor._inplace, op, ufunc, value, alpha)
    if ufunc is None:  # copy_, fill_, zero_, or a result computed already
        return rebase(x, op, lambda old: _overwritten(old, value, op), (value,), *dry)
    a = 1 if alpha is None else alpha
    if ufunc is np.add:
        return rebase(x, op, lambda old: old.add(value, alpha=a), (value,), *dry)
    if ufunc is np.subtract:
        return rebase(x, op, lambda old: old.sub(value, alpha=a), (value,), *dry)
    if ufunc is np.multiply:
        return rebase(x, op, lambda old: old.mul(value), (value,), *dry)
    return rebase(x, op, lambda old: old.div(value), (value,), *dry)


def rebase(
    x: Tensor,
    op: str,
    compute: Callable[[Tensor], Tensor],
    values: tuple[Any, ...],
    dry_run: Callable[..., Any] | None = None,
    *dry_args: Any,
    **dry_kwargs: Any,
) -> Tensor:
    """Record an in-place op as torch does for a tensor ``x`` that is not a leaf requiring
    grad: x ← compute(old), where ``old`` stands for x's value before the op (a Tensor made by
    x's node). The result is written into x's own array, so references to x see it, and x's
    history moves on: ``x.grad_fn`` is compute's last node, whose input is ``old``. ``old``
    keeps x's array unless a rule of the new nodes reads it (``OpDef.reads``), when it gets a
    copy of the old values.

    On a view, the op is recorded on its base, as torch's CopySlices (``_rebase_view``).
    Either way the views of the base made since it required grad follow: each one's
    grad_fn is made again from the base's new history (torch's AsStridedBackward).

    The write stamps x (torch's version counter): a node that saved x, or that made x and
    reads its output (exp, relu, sigmoid), refuses a later backward, as torch.
    A ``detach()`` (or a view of one) is recorded on the detach (``history_base``), whose
    memory and version counter are its base's: the write stamps the base, which keeps its
    history.

    Refused: a leaf that requires grad (or a view of one), as torch; a view made under
    no_grad (torch's error); views that cannot follow (made of the base under no_grad while
    it required no grad); and a result the dtype cannot hold (an int tensor += a float).
    """
    base = history_base(x)
    if x is not base:
        _refuse_multi_output(x, op)
    if x._requires_grad and base._node is None:
        _refuse_inplace(x, op, values, dry_run, *dry_args, **dry_kwargs)
    views = _followers(base, x, op)
    places = [_view_places(base, w, op) for w in views]
    if x is not base:
        return _rebase_view(x, base, op, compute, views, places, values)
    node = x._node
    old = Tensor._make(x.data, node)  # requires grad when x does
    when = autograd.tick()  # nodes compute records carry this time; earlier ones, less
    out = compute(old)
    if out is old:  # the identity (a clamp without bounds): nothing changes
        return x
    out = _fit(x, op, old, out, values)
    reads = 0 if out._node is None else _reads_old(out._node, old, when)
    if reads:
        old.data = x.data.copy()
        if reads == 2:  # a view of the old array was read, which the copy does not replace
            out = compute(old)
            if out.dtype != x.dtype:
                out = out.to(x.dtype)
    if out.data is not x.data:
        np.copyto(x.data, out.data, casting="unsafe")
    if node is not None:  # x's old node made the array just overwritten
        node.out_changed = True
    memory = _stamp(x)
    new = out._node
    if new is not None:
        new.out = x.data  # the same values: no second array kept alive
        _take_node(x, new)
        _remake_views(x, views, places)
        if memory is not x:
            _detach_history(x, new, memory)
    return x


def _stamp(base: Tensor) -> Tensor:
    """Stamp a write into ``base``'s memory (torch's version counter) on the tensor that owns
    it: ``base`` itself, or for a detach() its base, whose node made the array written too."""
    memory = base if base._base is None else base._base
    if memory is not base and memory._node is not None:
        memory._node.out_changed = True
    memory._changed = autograd.tick()
    memory._writes = getattr(memory, "_writes", 0) + 1
    return memory


def _detach_history(y: Tensor, new: Node, memory: Tensor) -> None:
    """Note that ``new``, just made the grad_fn of ``y``, a detach() of ``memory``, is the
    detach's: a view made of y from now on is told from the base's own by it
    (``history_base``), and a rule of it that reads its output refuses backward after any
    later write into the memory (through the base too), as torch's saved result's version."""
    _DETACH_NODES[new] = (weakref.ref(y), y.data)
    memory._split_history = True
    new.out_base = (weakref.ref(memory), memory._changed)


def _fit(x: Tensor, op: str, old: Tensor, out: Tensor, values: tuple[Any, ...] = ()) -> Tensor:
    """``out`` (computed from ``old`` and the op's operands ``values``) checked to go into x's
    array: torch's errors for a dtype that cannot hold it, another shape and read-only memory;
    in x's dtype."""
    if out.dtype != x.dtype:
        if not np.can_cast(out.dtype, x.dtype, "same_kind"):
            raise OpError(
                f"{op}: result type {out.dtype} can't be cast to the desired output type "
                f"{x.dtype} (shape {x.shape})"
            )
        out = out.to(x.dtype)
    if out.shape != x.shape:
        raise OpError(
            f"{op}: output with shape {x.shape} doesn't match the broadcast shape {out.shape}"
        )
    if not x.data.flags.writeable and not _unlock(x.data):
        raise x._read_only(op)
    if not out._requires_grad:
        # No derivative (floor_, eq_, fill_ of a constant): torch records the op still where
        # the old value or an operand requires grad (``y.ge_(w)``), their gradients zero.
        # (an operand through its sum: any shape, a scatter_reduce_ of an empty source too)
        for v in (old, *values):
            if isinstance(v, Tensor) and v._requires_grad:
                out = where(np.zeros((), np.bool_), v if v is old else v.sum(), out)
    return out


def _rebase_view(
    x: Tensor,
    base: Tensor,
    op: str,
    compute: Callable[[Tensor], Tensor],
    views: list[Tensor],
    places: list[np.ndarray],
    values: tuple[Any, ...] = (),
) -> Tensor:
    """``rebase`` for a view: torch's CopySlices. With P the places of the base the view
    shows, the op is recorded on the base as base ← base with compute(base[P]) written at
    P, so that base̅_old = g off P, and on P the adjoint goes through compute's rules (to
    the old value and to the op's other operands). Then the views follow the base (``base``:
    x's ``history_base``, a detach() for a view of one)."""
    here = places[[w is x for w in views].index(True)]
    if np.unique(here).size != here.size:
        raise RuntimeError(
            f"{op}: unsupported operation: more than one element of the written-to view "
            f"(shape {x.shape}) refers to a single memory location. Please clone() the "
            "tensor before performing the operation."
        )
    node = base._node
    index = _places_index(here, base.shape)
    old_base = Tensor._make(base.data, node)
    old = _apply(_AS_STRIDED, old_base, index=index)  # a copy: rules may read it
    if old.shape != x.shape:  # an empty view of a 0-d base (``_places_index``)
        old = old.reshape(x.shape)
    when = autograd.tick()  # the nodes compute records carry this time
    out = compute(old)
    if out is old:
        return x
    out = _fit(x, op, old, out, values)
    new = _written(old_base, index, out)
    if out.data is not x.data:
        np.copyto(x.data, out.data, casting="unsafe")
    if node is not None:
        node.out_changed = True
    if x._node is not None:
        x._node.out_changed = True
    memory = _stamp(base)
    stamp = memory._changed
    if new._node is not None:
        new._node.out = base.data
        _take_node(base, new._node)
        _remake_views(base, views, places)
        if memory is not base:
            _detach_history(base, new._node, memory)
        if out._node is not None and out._node.time == when:
            # compute's result is x now, in the base's memory: a later write into the base
            # changes what its rule reads (exp_'s), so backward refuses it then, as torch's
            # saved result is the view, whose version is the base's
            out._node.out_base = (weakref.ref(memory), stamp)
            if x._node is not None:
                # a rule that reads it reads x, whose history is the base's new one (torch's
                # saved result is the view, weakly held there too)
                out._node.out_view = weakref.ref(x._node)
    return x


def _take_node(x: Tensor, new: Node) -> None:
    """Make ``new`` x's grad_fn; ``retain_grad()`` follows the tensor to it, as in torch (from
    the grad_fn it was on, which an in-place view op left it on: ``hooks_node``). The hooks
    registered later go to ``new``: torch starts a new list of them."""
    node = x._node
    if node is not None and getattr(x, "_reshaped", None):
        node = hooks_node(x, retain=True)
    moved = node is not None and x.retains_grad
    if moved and node is not None:
        node.hooks = [h for h in node.hooks or () if type(h) is not _RetainGrad] or None
    x._node, x._requires_grad = new, True
    if moved:
        x.retain_grad()


def recorded_setitem(x: Tensor, index: Any, value: Any) -> None:
    """``__setitem__`` in grad mode: torch's errors first (the write, tried on a copy
    without grad), then the leaf's refusal, then the write recorded by ``rebase``."""
    base = history_base(x)
    if x is not base:
        _refuse_multi_output(x, "__setitem__")
    if x._requires_grad and base._node is None:
        _refuse_inplace(
            x, "__setitem__", (value,), Tensor.__setitem__, index, value, leaf_first=False
        )
    with autograd.no_grad():
        trial = Tensor._make(x.data.copy())
        trial[index] = value.detach() if isinstance(value, Tensor) else value
    idx = _normalise_index(index)
    if _repeats(x.data):  # (an expanded x) torch writes x[index], a view for a basic index,
        part = _basic_view(x.data, idx)  # which may repeat no element (a row of it)
        if part is not None and not _repeats(part):
            x[index][...] = value
            return
    compute = functools.partial(_written, index=idx, value=value)
    rebase(x, "__setitem__", compute, (value,))


def recorded_fill(x: Tensor, value: Any) -> Tensor:
    """``Tensor.fill_`` in grad mode, with a 0-d value (or on a leaf, to refuse it): x ← value
    everywhere, torch's FillBackward (x̄_old = 0, v̄ = the sum of g)."""
    fill = functools.partial(_overwritten, value=value, op="fill_")
    return rebase(x, "fill_", fill, (value,), Tensor.fill_, value)


# torch's names for the nodes of the in-place view ops (``t_`` records TBackward where ``t``
# records the permute's PermuteBackward here): the view's op under that name, made once.
_VIEW_NAMES = {
    "t_": "TBackward",
    "transpose_": "TransposeBackward",
    "swapdims_": "TransposeBackward",
    "swapaxes_": "TransposeBackward",
    "squeeze_": "SqueezeBackward",
    "unsqueeze_": "UnsqueezeBackward",
    "as_strided_": "AsStridedBackward",
}
_renamed: dict[tuple[str, str], OpDef] = {}


def hooks_node(x: Tensor, *, retain: bool) -> Node | None:
    """The grad_fn of x's history that holds x's hooks (``retain``: its ``retain_grad()``), or
    None. torch keeps a tensor's hooks in one list, made on the grad_fn it had at the first
    ``register_hook``, which an in-place view op (t_, squeeze_, …) does not move: a hook
    registered after one goes there too. Back from x's grad_fn through the nodes of those ops
    (each made from the node before, kept in ``x._reshaped``); an in-place op that rebases x
    starts a new list (``_take_node``), so the search stops at its node."""
    node = x._node
    before = [old._node for _, old in getattr(x, "_reshaped", ())]
    while node is not None:
        for h in node.hooks or ():
            if (type(h) is _RetainGrad and h.ref() is x) if retain else _tensor_hook(h):
                return node
        while before and before[-1] is node:  # an op under no_grad: the grad_fn stayed
            before.pop()
        if not before:
            return None
        previous = before.pop()
        if previous is None or node.op.grad_fn_name not in _VIEW_NAMES.values():
            return None
        if not any(p is previous for p in node.parents[:1]):
            return None  # (a rebase's node)
        node = previous
    return None


def _tensor_hook(h: Any) -> bool:
    return not isinstance(h, (NodePrehook, _reshaped_inplace.Refit, _RetainGrad))


def view_inplace(x: Tensor, op: str, view: Callable[[Tensor], Tensor]) -> Tensor:
    """x made into ``view(x)`` in place (``t_``, ``transpose_``, ``squeeze_``, …): the same
    memory seen in a new shape, as torch's in-place view ops.

    The values stay, but the op stamps x as torch bumps its version: a node that saved x's
    values, or made x and reads its output (exp), refuses a later backward. In grad mode on a
    tensor that requires grad it is recorded: x's grad_fn becomes the view's node (torch's
    TBackward, SqueezeBackward, …), whose input is x as it was, so x̄_old is the adjoint seen
    back in the old shape (gᵀ for t_). The nodes recorded before that saved x keep reading it
    as it was: backward gives them the stand-in kept in ``x._reshaped``, as torch's nodes keep
    their inputs' sizes. Hooks and ``retain_grad()`` stay with the old grad_fn, as in torch,
    where the hooks registered later join them (``hooks_node``), and ``retains_grad`` stays
    true.

    Refused, as in torch: a leaf that requires grad or a view of one (before the arguments are
    read), outputs of unbind/split/chunk, views made under no_grad. Under no_grad a non-leaf
    changes shape and keeps its grad_fn, as in torch, whose backward then fails on the shapes;
    a view there is read again from its base (AsStridedBackward), as torch's.
    """
    base = x if x._base is None else x._base  # whose version counter x's is
    owner = history_base(x)  # whose history x's follows
    if autograd._mode.enabled:
        if x._requires_grad:
            if x is not owner:
                _refuse_multi_output(x, op)
            if owner._node is None:
                _refuse_inplace(x, op, ())
        elif x._base is not None:
            refuse_no_grad_view(x, op)
    node = x._node
    old = Tensor._make(x.data, node)  # x as it is: the new node's input, the old nodes' stand-in
    try:  # the op's own errors (a dim out of range) before anything changes
        out = view(old)
    except (IndexError, TypeError, ValueError) as e:
        raise _named(e, op) from None
    when = autograd.tick()
    x.data = out.data
    base._changed = when
    base._writes = getattr(base, "_writes", 0) + 1
    if base._node is not None:
        base._node.out_changed = True
    if owner is not base and owner._node is not None:
        owner._node.out_changed = True
    if node is not None or x._requires_grad:  # (a leaf, under no_grad)
        if node is not None:
            node.out_changed = True
        x._reshaped = (*getattr(x, "_reshaped", ()), (when, old))
        _reshaped_inplace.reshaped(when)
    new = out._node
    if new is not None:
        name = _VIEW_NAMES[op]
        named = _renamed.get((new.op.name, name))
        if named is None:
            named = _renamed[new.op.name, name] = dataclasses.replace(new.op, grad_fn_name=name)
        new.op = named
        x._node = new
        if x is owner and x is not base:  # a detach's
            _detach_history(x, new, base)
    elif node is not None and x is not owner:
        # Unrecorded (no_grad), on a view autograd follows: torch makes its grad_fn again from
        # its base when its version moved (AsStridedBackward), here at once.
        _remake_views(owner, [x], [_view_places(owner, x, op)])
    elif x._requires_grad:
        # Unrecorded on a non-leaf or a leaf: the graph made so far has its old shape, the ops
        # recorded later the new one; torch checks the gradients against the old (Refit).
        _reshaped_inplace.misshapen(x if node is None else node, old.shape, op)
    return x


def _named(e: Exception, op: str) -> Exception:
    """The error of the view (``t() expects…``) under the in-place op's name, as torch's
    (``t_() expects…``); its kind kept."""
    message, name = str(e), op.removesuffix("_") + "()"
    if not message.startswith(name) or type(e) not in (IndexError, TypeError, OpError):
        return e
    message = op + "()" + message[len(name) :]
    if op == "t_":  # (t's advice names the out-of-place ops)
        message = message.replace("use transpose(dim0, dim1) or mT", "use transpose_(dim0, dim1)")
    return type(e)(message)


def _overwritten(old: Tensor, value: Any, op: str) -> Tensor:
    """``value`` broadcast to ``old``'s shape in its dtype, recorded (copy_, fill_, zero_): the
    gradient goes to ``value`` (summed back to its shape) and none to ``old``. A ``where`` with
    a false condition, under torch's name: CopyBackwards, FillBackward or ZeroBackward."""
    try:
        v = value if isinstance(value, Tensor) else Tensor._make(np.asarray(value, old.dtype))
    except (ValueError, TypeError, OverflowError) as e:  # strings, ragged lists, 2**40 in int32
        raise TypeError(
            f"{op}: cannot use {_describe(value)} as a value for a tensor of shape "
            f"{old.shape} and dtype {old.dtype}: {e}"
        ) from None
    if v.dtype != old.dtype:
        v = v.to(old.dtype)
    if not autograd.broadcasts_to(v.shape, old.shape):
        raise OpError(
            f"{op}: the value of shape {v.shape} does not broadcast to the tensor's shape "
            f"{old.shape}"
        )
    named = _FILL if op == "fill_" else _ZERO if op == "zero_" else _COPY
    return _apply(named, Tensor._make(np.zeros((), np.bool_)), old, v)


def _written(old: Tensor, index: Any, value: Any) -> Tensor:
    """``old`` with ``value`` written at ``index`` (numpy's indexing), out of place and
    differentiable in both (torch's CopySlices): each element is chosen (a ``where``) from the
    old value, or gathered from the value broadcast to the indexed region, at the place the
    write put it there (the last write, for a repeated index, as numpy and torch's CPU
    kernel)."""
    shape = old.data.shape
    place = np.full(shape, -1, dtype=np.intp)  # which element of the region lands where
    region = place[index].shape
    count = math.prod(region)
    place[index] = np.arange(count).reshape(region)
    written = place >= 0
    v = value if isinstance(value, Tensor) else Tensor._make(np.asarray(value, dtype=old.dtype))
    if v.dtype != old.dtype:
        v = v.to(old.dtype)
    c = Tensor._make(written)
    if count == 0:  # nothing written: a value that requires grad still gets v̄ = 0, as torch's
        src = v.reshape(-1)[:0].sum().expand(shape) if v._requires_grad else old
        return _apply(_COPY_SLICES, c, src, old)
    lead = v.ndim - len(region)
    if lead > 0:  # numpy drops a value's leading size-1 axes the region does not have
        v = v.reshape(v.shape[lead:])
    flat = v.expand(region).reshape(count)
    return _apply(_COPY_SLICES, c, flat[np.where(written, place, 0)], old)


def track_view(base: Tensor, view: Tensor) -> None:
    """Keep a weak reference to ``view`` on ``base``, for an in-place op recorded later on
    either (``rebase``); the dead are dropped as the list doubles."""
    refs = getattr(base, "_views", None)
    if refs is None:
        base._views = [weakref.ref(view)]
        return
    n = len(refs)
    if n >= 16 and n & (n - 1) == 0:
        refs[:] = [r for r in refs if r() is not None]
    refs.append(weakref.ref(view))


def _followers(base: Tensor, t: Tensor, op: str) -> list[Tensor]:
    """The live views of ``base`` (a ``history_base``) that must follow its new history after
    an in-place op on ``t`` (the base or one of them): the tracked ones, those made in grad
    mode of a base that required no grad included; for a detach(), also those kept with its
    base's, and for a base with a detach that has a history, not those. Refused, naming the
    case, where some cannot: live views made while autograd did not follow the base (under
    no_grad; tracking those would cost every view a derivative rule makes), ``t`` sharing the
    base's memory without being a tracked view, or a live view of a base that required grad
    made under no_grad."""
    views = _live_views(base)
    memory = base._base  # (of a detach)
    if memory is not None:
        views += [w for w in _live_views(memory) if history_base(w) is base]
    elif getattr(base, "_split_history", False):
        views = [w for w in views if history_base(w) is base]
    if getattr(base, "_viewed", False):
        if _untracked_views_may_live(base, views):
            raise _untracked_views(t, op)
        base._viewed = False  # every such view is gone: none is left to follow
    if t is not base and all(w is not t for w in views):
        raise _untracked_views(t, op)
    for w in views:
        if w._node is None and not getattr(w, "_plain_view", False):
            _no_grad_view(w, op, w is t)
    return views


def _live_views(base: Tensor) -> list[Tensor]:
    """The views kept on ``base`` (``track_view``) that are alive; the dead dropped."""
    refs = getattr(base, "_views", None)
    views = [w for w in (r() for r in refs or ()) if w is not None]
    if refs is not None:
        base._views = [weakref.ref(w) for w in views]
    return views


# The grad_fns that in-place ops gave detach()es, each with its detach (weakly) and the detach's
# array then: a view made of a detach that has a history is made by the fast path of the view ops
# (``tensor._as_view``), which keeps it with the views of its base (the memory's owner) and marks
# it no further; its grad_fn reaches one of these back through view ops (``history_base``).
_DETACH_NODES: weakref.WeakKeyDictionary[Node, tuple[weakref.ref[Tensor], np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def history_base(t: Tensor) -> Tensor:
    """The tensor whose history an in-place op on ``t`` is recorded on (torch's base of a view,
    for autograd): ``t`` if it is no view, else its base, but for a detach() and the views made
    of it, the detach. A detach shows its base's memory and shares its version counter (so
    ``_base`` is the base) but its history is its own, as torch's."""
    base = t._base
    if base is None:
        return t
    if getattr(t, "_detached", False):
        return getattr(t, "_detach", t)
    if not getattr(base, "_split_history", False):  # (the rule: no detach of it has a history)
        return base
    detach = _detach_of(t, base)
    return base if detach is None else detach


def _detach_of(t: Tensor, base: Tensor) -> Tensor | None:
    """The detach() of ``base`` that ``t``, a view made by the fast path of the view ops, is a
    view of (None: of ``base`` itself), found back through its grad_fn's view ops: a grad_fn an
    in-place op gave the detach, or the detach itself, a leaf that requires grad. Marked on
    ``t`` once found, which keeps the detach alive as torch's views keep their base; a detach
    gone already is made again, from its grad_fn and its array."""
    node: Any = t._node
    while True:
        if isinstance(node, Tensor):  # a leaf: the detach, if made to require grad
            found = node if node._base is base and getattr(node, "_detached", False) else None
            break
        if type(node) is not Node:
            return None
        known = _DETACH_NODES.get(node)
        if known is not None:
            found = known[0]()
            if found is None:
                found = Tensor._make(known[1], node)
                found._base, found._detached, found._requires_grad = base, True, True
                _DETACH_NODES[node] = (weakref.ref(found), found.data)
            break
        if not node.op.view:
            return None
        node = node.parents[0]
    if found is not None:
        t._detached, t._detach = True, found
    return found


def _untracked_views_may_live(base: Tensor, tracked: list[Tensor]) -> bool:
    """Whether a view of ``base`` made while autograd did not follow it may still be alive.

    A numpy view holds a reference to the array that owns the memory (through whatever object
    lends it, for a view of a view too), so when nothing but ``base`` and the tracked views
    refers to that array, every other view of it has died: an in-place op may then give
    ``base`` a history, as torch gives it (torch's live views would follow; here any live one
    still refuses). Other holders of the array cannot be told from views (the caller's own
    array, under ``from_numpy``), nor can the holders of memory ``base`` does not own (a
    tensor made on a slice of an array): refused then, as if a view lived."""
    owner = base.data
    if owner.base is not None:
        return True
    held = sum(1 for w in tracked if w.data.base is owner)
    # base.data, the name ``owner`` here and getrefcount's own argument, then the tracked views
    return sys.getrefcount(owner) > 3 + held


def _untracked_views(t: Tensor, op: str) -> RuntimeError:
    return RuntimeError(
        f"{op}: the tensor of shape {t.shape} shares its memory with views made while "
        "autograd did not follow it (of a tensor that requires no grad, made under no_grad "
        "or by unbind/split/chunk), "
        "which could not follow the history the op would record: in-place ops on such "
        "tensors are not supported; use an out-of-place op (x = x + y) or clone() first"
    )


# The nodes of the views that unbind, split and chunk return (torch's multi-output views), with
# the function's name and the output's index: torch refuses an in-place op on such a view, or on
# a view of one, in grad mode (it could not make their grad_fns again). Kept aside, so that
# making a view costs nothing for it: the refusal walks the view's nodes back.
_MULTI_OUTPUT: weakref.WeakKeyDictionary[Node, tuple[str, int]] = weakref.WeakKeyDictionary()


def multi_output(outs: tuple[Tensor, ...], name: str) -> tuple[Tensor, ...]:
    for i, w in enumerate(outs):
        if w._node is not None and w._base is not None:
            _MULTI_OUTPUT[w._node] = (name, i)
        elif getattr(w, "_plain_view", False) and w._base is not None:
            # Of a tensor that requires no grad: torch gives these no history to follow, as
            # views made under no_grad (its error names them so). Not followed here either.
            del w._plain_view
            base = history_base(w)  # (of a detach: the detach, which kept it)
            base._views = [r for r in base._views if r() is not w]
            base._viewed = True
    return outs


def _refuse_multi_output(t: Tensor, op: str) -> None:
    """torch's refusal of an in-place op on ``t``, a view, where it is an output of unbind,
    split or chunk or a view of one (back through the view ops whose output shares the base's
    memory)."""
    if not _MULTI_OUTPUT:
        return
    base, own = t._base, t._node
    node: Node | Tensor | None = own
    while isinstance(node, Node) and node.op.view and own is not None:
        out = node.out
        if (
            out is None
            or base is None
            or out is base.data
            or not (np.may_share_memory(out, base.data) or _same_buffer(out, base.data))
        ):
            return  # (the base's own node, or a copy: an integer-array index)
        found = _MULTI_OUTPUT.get(node)
        if found is not None:
            name, i = found if node is own else (own.name().removesuffix("Backward"), 0)
            raise RuntimeError(  # torch's words
                f"{op}: Output {i} of {name} (shape {t.shape}) is a view and is being modified "
                "inplace. This view is the output of a function that returns multiple views. "
                "Such functions do not allow the output views to be modified inplace. You "
                "should replace the inplace operation by an out-of-place one."
            )
        node = node.parents[0]


def refuse_no_grad_view(t: Tensor, op: str) -> None:
    """torch's refusal of an in-place op in grad mode on a view made under no_grad of a tensor
    that requires grad (a detach() of one is no view: it may be written)."""
    base = t._base
    views = getattr(base, "_views", ()) if base is not None and base._requires_grad else ()
    if any(r() is t for r in views):
        _no_grad_view(t, op, True)


def _no_grad_view(view: Tensor, op: str, itself: bool) -> NoReturn:
    what = (
        "is being modified inplace"
        if itself
        else "its base or another view of its base has been modified inplace"
    )
    raise RuntimeError(  # torch's words
        f"{op}: a view (shape {view.shape}) was created in no_grad mode and {what} with grad "
        "mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. "
        "Move both the view and the inplace either both inside the no_grad block or both "
        "outside."
    )


def _view_places(base: Tensor, view: Tensor, op: str) -> np.ndarray:
    """For each element of ``view``, the flat (C-order) position in ``base`` of the element at
    the same memory address; refused where there is none (a view of another dtype)."""
    b, v = base.data, view.data
    if v.dtype != b.dtype:
        raise RuntimeError(
            f"{op}: the view of shape {view.shape} and dtype {view.dtype} reinterprets its "
            f"base's memory (dtype {base.dtype}): autograd cannot follow an in-place op on it"
        )
    if v.size == 0:
        return np.zeros(v.shape, np.intp)
    address = np.asarray(v.__array_interface__["data"][0] - b.__array_interface__["data"][0])
    for k, (n, stride) in enumerate(zip(v.shape, v.strides)):
        address = address + (np.arange(n) * stride).reshape((n,) + (1,) * (v.ndim - k - 1))
    if b.flags.c_contiguous:
        found = (address % b.itemsize == 0) & (address >= 0) & (address < b.nbytes)
        places = address // b.itemsize
    else:
        mine: np.ndarray = np.zeros((), np.intp)
        for k, (n, stride) in enumerate(zip(b.shape, b.strides)):
            mine = mine + (np.arange(n) * stride).reshape((n,) + (1,) * (b.ndim - k - 1))
        mine = np.broadcast_to(mine, b.shape).ravel()
        order = np.argsort(mine, kind="stable")
        at = np.minimum(np.searchsorted(mine[order], address), mine.size - 1)
        found = mine[order][at] == address
        places = order[at]
    if not np.all(found):
        raise RuntimeError(
            f"{op}: the view of shape {view.shape} (strides {v.strides}) shows memory that is "
            f"not its base's elements (shape {base.shape}): autograd cannot follow it"
        )
    return places.astype(np.intp, copy=False)


def _places_index(here: np.ndarray, shape: tuple[int, ...]) -> Any:
    """The index into a base of ``shape`` of the flat places ``here`` (``np.unravel_index``,
    which refuses a 0-d base: there new axes index its one element, in shape (1, …, 1), and a
    False mask selects none of it, in shape (0, 1, …); the view's own shape, an expand's or an
    empty one's, is not given, and its users take the one element as such: ``_rebase_view``
    reshapes the empty region, as_strided's rule sums its adjoint)."""
    if not shape:
        return (np.False_, *(None,) * (here.ndim - 1)) if not here.size else (None,) * here.ndim
    return np.unravel_index(here, shape)


def _remake_views(base: Tensor, views: list[Tensor], places: list[np.ndarray]) -> None:
    """Give each view a new grad_fn that reads it from ``base``'s new history, as torch's
    AsStridedBackward: its adjoint is added to the base's at the places it shows."""
    # a stand-in for the base, whose shape an in-place shape op (t_, squeeze_) may change later;
    # a leaf itself, which receives the adjoint
    source = (base if base._node is None else Tensor._make(base.data, base._node),)
    for w, here in zip(views, places):
        node = Node(_AS_STRIDED, source, w.data, {"index": _places_index(here, base.shape)})
        if w._node is not None:
            w._node.out_changed = True  # its values changed, if a rule of its node reads them
        _take_node(w, node)


def _reads_old(node: Node, old: Tensor, when: int) -> int:
    """Whether a node recorded at ``when`` (by an in-place op's compute, down from its last
    node ``node``) saved ``old`` (1) or a view of it (2) where a rule that will run reads it;
    0 if none does. Nodes recorded before are not visited: the value's own graph may be deep."""
    found = 0
    stack, seen = [node], set()
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        saved = v.saved or ()
        reads: set[int | str] = set()
        for i, p in enumerate(v.parents):
            if p is not None and (v.op.vjps[0] if v.op.variadic else v.op.vjps[i]) is not None:
                reads |= v.op.reads_of(i, len(saved))
            if type(p) is Node and p.time == when:
                stack.append(p)
        for i, t in enumerate(saved):
            if i in reads and t._base is old:
                return 2
            if i in reads and t is old:
                found = 1
    return found
