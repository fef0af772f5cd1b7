"""Whether the values a node's derivative rules read are still those of the forward pass.

torch keeps a version counter on each tensor and refuses a backward through a node whose saved
tensors were changed in place since it was recorded. Here the counter is a clock
(``autograd.tick``): every in-place op stamps the tensor it changed (``Tensor._changed``, on a
view's base) and the node that made it (``Node.out_changed``), and backward asks these
functions only about nodes recorded before the clock last moved. Each op declares what its
rules read (``OpDef.reads``), so that a change nothing reads passes, as in torch. Also the
checks backward runs on a node's results: ``detect_anomaly``'s; and the packing and unpacking
of those values by ``autograd.graph.saved_tensors_hooks`` (``pack``, ``unpack``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .grad_mode import _mode

if TYPE_CHECKING:
    from .autograd import Node, Vertex
    from .tensor import Tensor


def stale(node: Node, needed: set[Vertex] | None = None, *, any_value: bool = False) -> bool:
    """Whether a value read by the rules backward runs was changed in place after the node was
    recorded: a saved input (stamped later than the node) or its output. Backward refuses such
    a node. The rules that run are those of inputs that want a gradient (and, for ``grad()``,
    lead to its inputs: ``needed``); ``OpDef.reads`` says what each one reads. ``any_value``:
    whether any saved input or the output changed, read or not (what a drawing shows)."""
    return bool(_changed_reads(node, needed, any_value))


def _changed_reads(
    node: Node, needed: set[Vertex] | None, any_value: bool = False
) -> list[int | str]:
    """The values (input positions, ``ops.OUT``) the running rules read that were changed."""
    saved = node.saved
    if saved is None:
        return []
    reads = {*range(len(saved)), "out"} if any_value else _running_reads(node, needed)
    changed: list[int | str] = []
    for i, t in enumerate(saved):
        # A view is stamped on its base, so a change through either shows in both.
        if i in reads and (t if t._base is None else t._base)._changed > node.time:
            changed.append(i)
    if "out" in reads and (node.out_changed or _base_written(node)):  # ops.OUT
        changed.append("out")
    return changed


# Set the first time a node packs its values: until then backward looks for no packs at all.
packed_ever = False


def pack(node: Node) -> None:
    """Hand the values the node's rules will read to the innermost ``saved_tensors_hooks``'
    ``pack_hook``, as torch does when it records a node: the inputs in the order of the rules
    that read them (``x * y``: y for x̄'s rule, then x for ȳ's), then the output, each once
    (but Python numbers an operator wrapped, as torch keeps them as numbers). A
    saved input is the input tensor itself; the output, a tensor equal to it with this node as
    its ``grad_fn`` (the output tensor is made after its node). The node keeps its ``saved``
    and ``out`` too: the packs change what backward computes with, not what memory is held."""
    global packed_ever
    pack_hook, unpack_hook = _mode.saved_hooks[-1]
    saved, op, n = node.saved, node.op, len(node.parents)
    assert saved is not None and node.out is not None  # a node being recorded has both
    order: dict[int | str, None] = {}
    reads_out = False
    for i, p in enumerate(node.parents):
        if p is None or (op.vjps[0] if op.variadic else op.vjps[i]) is None:
            continue  # no rule runs for input i
        reads = op.reads_of(i, n)
        reads_out = reads_out or "out" in reads  # ops.OUT
        order.update(dict.fromkeys(sorted(r for r in reads if type(r) is int)))
    if reads_out:
        order["out"] = None
    for k in [k for k in order if type(k) is int and _python_number(saved[k])]:
        del order[k]
    if not order:
        return
    keys = tuple(order)
    values = [saved[k] if type(k) is int else type(saved[0])._make(node.out, node) for k in keys]
    node.packed = (keys, tuple(pack_hook(v) for v in values), unpack_hook)
    packed_ever = True


def _python_number(t: Tensor) -> bool:
    """Whether an input is a Python number an operator wrapped (``x * 2``, ``x.pow(2)``: a
    read-only 0-d constant, ``tensor._constant``), which torch keeps as a number, not a saved
    tensor: not packed, as it cannot change."""
    data = t.data
    return not t._requires_grad and data.ndim == 0 and not data.flags.writeable


def unpack(node: Node, key: int | str) -> Tensor:
    """The value ``key`` (an input position, ``ops.OUT``) of a node that packed it, as its
    ``unpack_hook`` returns it, which must be a tensor (torch's check)."""
    keys, objects, unpack_hook = node.packed
    value = unpack_hook(objects[keys.index(key)])
    if getattr(value, "_node", False) is not False:  # a Tensor (this module cannot import it)
        return value  # type: ignore[no-any-return]
    raise TypeError(
        f"{node.name()}: output of saved tensor unpack_hook expected to be a Tensor but got "
        f"result of type {type(value).__name__}"
    )


def unpack_all(
    node: Node, saved: tuple[Tensor, ...], out: Tensor
) -> tuple[tuple[Tensor, ...], Tensor]:
    """The inputs and output backward hands a node's rules when the node packed its values:
    each packed one unpacked (once per run of the node, as torch), the others as they are."""
    values = list(saved)
    for key in node.packed[0]:
        if type(key) is int:
            values[key] = unpack(node, key)
        else:
            out = unpack(node, key)
    return tuple(values), out


def _running_reads(node: Node, needed: set[Vertex] | None) -> set[int | str]:
    """The values (input positions, ``ops.OUT``) read by the rules backward runs: those of
    inputs that want a gradient (and, for ``grad()``, lead to its inputs: ``needed``)."""
    op, n = node.op, len(node.parents)
    reads: set[int | str] = set()
    for i, p in enumerate(node.parents):
        if p is None or (needed is not None and p not in needed):
            continue  # no rule runs for input i
        if (op.vjps[0] if op.variadic else op.vjps[i]) is not None:
            reads |= op.reads_of(i, n)
    return reads


def _base_written(node: Node) -> bool:
    """Whether the base that an in-place op on a view wrote this node's output into was
    written again since (torch's saved result is the view, whose version is the base's)."""
    written = getattr(node, "out_base", None)
    if written is None:
        return False
    base = written[0]()
    return base is not None and base._changed != written[1]


def _modified(node: Node, needed: set[Vertex] | None = None) -> RuntimeError:
    saved, out = node.saved, node.out
    assert saved is not None and out is not None
    names = node.op.input_names()
    what = []
    for r in _changed_reads(node, needed):
        if type(r) is int:
            name = f" ({names[r]})" if r < len(names) else ""
            what.append(f"its input {r}{name}, of shape {saved[r].shape}")
        else:
            what.append(f"its output, of shape {out.shape}")
    return RuntimeError(
        f"{node.name()}: one of the variables needed for gradient computation has been modified "
        f"by an inplace operation since the forward pass ({' and '.join(what)}). "
        "Do the in-place update after backward(), or use an out-of-place op."
    )


def _freed(node: Node) -> RuntimeError:
    return RuntimeError(
        f"{node.name()}: trying to backward through the graph a second time (or directly "
        "access saved tensors after they have already been freed). Saved intermediate values "
        "of the graph are freed when you call .backward(). Specify retain_graph=True if you "
        "need to backward through the graph a second time."
    )


def _check_finite(node: Node, g: Tensor, sent: list[Tensor | None]) -> None:
    for i, gi in enumerate(sent):
        if gi is not None and not np.all(np.isfinite(gi.data)):
            bad = "nan" if np.isnan(gi.data).any() else "inf"
            raise RuntimeError(
                f"detect_anomaly: {node.name()} ({node.op.math}) returned {bad} values in its "
                f"gradient for input {i} (shape {gi.shape}); incoming gradient finite: "
                f"{bool(np.all(np.isfinite(g.data)))}"
            )


# torch's names for the inputs a rule reads, by the rules' own names (``x * y`` saves torch's
# ``self`` and ``other``); the output is torch's ``result``
_TORCH_NAMES = {"x": "self", "y": "other", "z": "self", "c": "condition", "w": "weight",
                "b": "bias", "t": "target", "g": "grad_output"}  # fmt: skip


# The attributes a node offers (the rest of what it keeps is in ``kwargs``): torch's names of
# the inputs above, its ``result``, and the keyword arguments of torch's ops most often read.
SAVED_ATTRIBUTES = tuple(
    "_saved_" + name
    for name in (*dict.fromkeys(_TORCH_NAMES.values()), "result", "dim", "keepdim", "correction")
)


def saved_names(node: Node) -> dict[str, int | str]:
    """torch's ``grad_fn._saved_*`` attributes of a node: ``_saved_self`` … for the inputs its
    rules read, ``_saved_result`` for its output, ``_saved_<name>`` for each keyword argument
    (``_saved_dim``, ``_saved_keepdim``), each mapped to an input position, ``"out"`` or the
    argument's name. As torch's, the set depends on the op only, not on which rules run."""
    op = node.op
    if op.kind == "function":  # a custom Function's node: its ctx holds what it saved
        return {}
    names: dict[str, int | str] = {}
    params = op.input_names()
    n = len(node.parents)
    for i in range(len(op.vjps)):
        for r in sorted(op.reads_of(i, n), key=str):
            if r == "out":  # ops.OUT
                names["_saved_result"] = r
            elif type(r) is int and r < len(params):
                names["_saved_" + _TORCH_NAMES.get(params[r], params[r])] = r
    for key in node.kwargs:
        names.setdefault("_saved_" + key, key)
    return {k: v for k, v in names.items() if k in SAVED_ATTRIBUTES}


def saved_attribute(node: Node, name: str) -> Any:
    """``grad_fn._saved_self`` and the rest (see :func:`saved_names`), as torch's: a saved input
    is the input tensor itself, the saved output a tensor equal to the output (not the same
    object), None for a value no rule that runs reads (``(x * c).grad_fn._saved_self`` when c
    needs no gradient); torch's errors once backward freed the values or an in-place op
    changed them."""
    what = saved_names(node).get(name)
    if what is None:
        raise AttributeError(f"'{node.name()}' object has no attribute '{name}'")
    if type(what) is str and what != "out":  # ops.OUT
        return node.kwargs[what]
    saved, out = node.saved, node.out
    if saved is None or out is None:
        raise _freed(node)
    if what not in _running_reads(node, None):
        return None
    if getattr(node, "packed", None) is not None:  # as torch, no in-place check: its hooks' value
        return unpack(node, what)
    if what in _changed_reads(node, None):
        raise _modified(node)
    if what == "out":
        return type(saved[0])._make(out, node)
    return saved[what]  # type: ignore[index]
