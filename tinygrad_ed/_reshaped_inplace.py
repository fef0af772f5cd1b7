"""Backward through tensors whose shape an in-place view op changed after a graph used them.

An in-place view op (``t_``, ``transpose_``, ``squeeze_``, ``unsqueeze_``, …: ``_inplace``'s
``view_inplace``) keeps a tensor's values and changes its shape. torch's backward then behaves
in two ways, reproduced here:

* Recorded (grad mode): the nodes recorded before the change saved the tensor in its old shape,
  as torch's nodes keep the sizes of their inputs. ``view_inplace`` keeps a stand-in with the
  old shape (``Tensor._reshaped``) and notes the time (``reshaped``); backward gives those nodes
  the stand-in (``_as_recorded``).
* Unrecorded (no_grad): the graph made before keeps the tensor's old shape, the ops recorded
  after see the new one. torch's engine checks every gradient sent to the tensor's vertex
  against the shape the vertex recorded, sums one with more leading size-1 axes back to it and
  refuses any other, naming the sender and both shapes; a leaf's gradient is then copied into
  the leaf's new shape (``AccumulateGrad``), or refused. ``misshapen`` puts a ``Refit`` first
  among the vertex's gradient hooks, and ``check_refits`` does torch's checks before backward
  runs a rule and sets each Refit to apply their outcome.

The engine (``autograd``) calls here only in its rare branches, through function-level imports;
the state its loop reads on every node (``_reshaped``, ``_refits``) stays there.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from . import autograd
from ._graph_hooks import RefitHook
from .autograd import Node, Vertex, _modified, _refits, stale

if TYPE_CHECKING:
    from .tensor import Tensor


def reshaped(when: int) -> None:
    """Note that a tensor a node may have saved changed shape in place at ``when``.

    The time is ``autograd._reshaped``, which backward reads on every node it runs."""
    autograd._reshaped = when


def _as_recorded(node: Node, saved: tuple[Tensor, ...]) -> tuple[Tensor, ...]:
    """``saved`` with each input whose shape an in-place view op changed after ``node`` was
    recorded replaced by the stand-in kept for it then (``Tensor._reshaped``: the times of the
    changes, each with the tensor as it was before): its old shape and grad_fn, the same
    values (a change of those after the node was refused first, by ``stale``)."""
    found = list(saved)
    for i, t in enumerate(saved):
        for when, before in getattr(t, "_reshaped", ()):  # (the slot is unset on most tensors)
            if when > node.time:
                found[i] = before
                break
    return tuple(found)


class Refit(RefitHook):
    """The first gradient hook of a vertex whose tensor changed shape in place under no_grad
    (``t_``, ``squeeze_``, …: ``misshapen``) after a graph had used it. The nodes recorded
    before send its adjoint in the old shape, those recorded after in the new one; torch checks
    each such gradient against the shape the vertex recorded (a node's output, a leaf's when
    its graph used it), sums one with more leading size-1 axes back to it and refuses any
    other, then copies a leaf's into its new shape. ``check_refits`` does the checks before
    backward runs a rule and sets this hook to sum back (``reduce_to``), give a leaf its new
    shape (``target``), or raise where the leaf's gradient is accumulated (``error``)."""

    __slots__ = ("__weakref__", "error", "op", "reduce_to", "shape", "target", "vertex")

    def __init__(self, v: Vertex, shape: tuple[int, ...], op: str) -> None:
        self.vertex = weakref.ref(v)
        self.shape, self.op = shape, op  # a node's recorded shape (a leaf's is found later)
        self.reduce_to: tuple[int, ...] | None = shape if type(v) is Node else None
        self.target = self.reduce_to
        self.error: RuntimeError | None = None

    def __call__(self, g: Tensor) -> Tensor:
        if self.error is not None:
            raise self.error
        if self.reduce_to is None or self.target is None:
            return g
        if g.data.shape != self.reduce_to:  # (1, …, 1, *reduce_to): checked by check_refits
            g = g._sum_dims(tuple(range(g.ndim - len(self.reduce_to))), False)
        return g if self.target == self.reduce_to else g.reshape(self.target)


def misshapen(v: Vertex, shape: tuple[int, ...], op: str) -> None:
    """Note that the tensor of vertex ``v`` (its node, or a leaf) changed shape in place under
    no_grad, from ``shape``: a ``Refit`` goes first among its hooks (at the first change)."""
    hooks = v.hooks if type(v) is Node else v._hooks
    if any(type(h) is Refit for h in hooks or ()):
        return
    fit = Refit(v, shape, op)
    key = id(fit)
    _refits[key] = weakref.ref(fit, lambda _: _refits.pop(key, None))
    if type(v) is Node:
        v.hooks = [fit, *(hooks or ())]
    else:
        v._hooks = [fit, *(hooks or ())]


def _compatible(shape: tuple[int, ...], recorded: tuple[int, ...]) -> bool:
    """torch's test of a gradient against the shape its vertex recorded: the same, or with
    more leading size-1 axes (summed back: ``recorded`` is expandable to it, at equal size)."""
    lead = len(shape) - len(recorded)
    return lead >= 0 and shape[lead:] == recorded and all(n == 1 for n in shape[:lead])


def check_refits(
    order: list[Vertex],
    seeds: dict[Vertex, Tensor],
    needed: set[Vertex] | None,
    capture: bool,
) -> None:
    """torch's checks of the gradients that will reach a vertex whose tensor changed shape
    under no_grad (``Refit``), before backward runs a rule: from the shape each sender saw
    (the nodes recorded before the change saw the old one: ``_as_recorded``). A misfit one is
    refused naming its sender and both shapes (after the refusal of a changed value that torch
    meets first); a leaf's gradient that does not fit its new shape is refused by its hook,
    where torch accumulates it."""
    fits = {}
    for ref in list(_refits.values()):
        fit = ref()
        v = None if fit is None else fit.vertex()
        if fit is not None and v is not None:
            fits[v] = fit
    present = {v: fits[v] for v in order if v in fits}
    if not present:
        return
    # each gradient on its way there: when its sender was recorded, its shape, the sender
    edges: dict[Vertex, list[tuple[int, tuple[int, ...], Node | None, int]]] = {
        v: [] for v in present
    }
    for v, g in seeds.items():
        if v in present:
            edges[v].append((autograd._clock + 1, g.data.shape, None, 0))
    for u in order:
        if type(u) is not Node:
            continue
        for i, p in enumerate(u.parents):
            if p is None or p not in present or (needed is not None and p not in needed):
                continue
            if (u.op.vjps[0] if u.op.variadic else u.op.vjps[i]) is None:
                continue
            if u.saved is not None:
                saved = _as_recorded(u, u.saved) if u.time < autograd._reshaped else u.saved
                seen = saved[i].data.shape
            elif u.kept is not None:
                seen = u.kept[i][0]
            else:
                continue  # released: backward refuses it
            edges[p].append((u.time, seen, u, i))
    for v, fit in present.items():
        leaf = type(v) is not Node
        fit.error = None
        if not edges[v]:
            if leaf:
                fit.reduce_to = fit.target = None
            continue
        # A leaf's shape: as the first node of this graph to use it saw it (torch's, as the
        # graph first used it).
        recorded = fit.shape if not leaf else min(edges[v], key=lambda e: e[0])[1]
        for _, seen, u, i in edges[v]:
            if not _compatible(seen, recorded):
                sender = "backward()'s gradient" if u is None else f"{u.name()} (input {i})"
                error = RuntimeError(
                    f"{sender}: an invalid gradient of shape {seen} for "
                    f"{_vertex_name(v)}, which expects a shape compatible with {recorded}: the "
                    f"tensor changed shape in place ({fit.op}) under no_grad after the graph "
                    "used it"
                )
                _changed_before(order, u, needed)
                raise error
        fit.reduce_to = fit.target = recorded
        if leaf and not capture:
            fit.error = _leaf_misfit(v, recorded, fit)
            fit.target = v.data.shape


def _changed_before(order: list[Vertex], u: Node | None, needed: set[Vertex] | None) -> None:
    """Raise the refusal of a node that backward runs before ``u`` (all, for None) and whose
    values changed in place, as torch meets that one first."""
    for w in order:
        if w is u:
            return
        if type(w) is not Node or w.time == autograd._clock or w.saved is None or w.out is None:
            continue
        if stale(w, needed):
            raise _modified(w, needed)


def _leaf_misfit(leaf: Tensor, recorded: tuple[int, ...], fit: Refit) -> RuntimeError | None:
    """A leaf's gradient, of the shape its graph recorded, goes into the leaf's new shape as
    torch's AccumulateGrad copies it: only by adding leading size-1 axes, and only into a
    ``.grad`` of the leaf's shape (torch refuses the others, or leaves a ``.grad`` of another
    shape than the leaf's: refused here)."""
    shape = leaf.data.shape
    grad = leaf._grad
    if _compatible(shape, recorded) and (grad is None or grad.data.shape == shape):
        return None
    has = "" if grad is None else f" (its .grad has shape {grad.data.shape})"
    return RuntimeError(
        f"backward: cannot accumulate a gradient of shape {recorded} into a leaf of shape "
        f"{shape}{has}: the leaf changed shape in place ({fit.op}) under no_grad after the "
        "graph used it; change its shape after backward(), or out of place"
    )


def _vertex_name(v: Vertex) -> str:
    return v.name() if type(v) is Node else "a leaf"
