"""torch.func's function transforms on reverse mode: grad, vjp, jvp, jacrev, jacfwd, hessian,
linearize and vmap. ``tinygrad_ed.func`` exports them.

PyTorch equivalent: ``torch.func`` (signatures, argument checks and error messages as torch's).
torch implements the transforms by wrapping tensors in levels; here each is a plain function of
this library's backprop:

    grad(f)(x)     f runs on fresh leaves (x detached, requiring grad), then one reverse pass:
                   ∇f(x). Inputs are not changed and no ``.grad`` is set.
    vjp(f, x)      (f(x), u ↦ uᵀJ): the reverse pass is run when vjp_fn is called.
    jvp(f, x, v)   J v by the double-vjp trick (u ↦ Jᵀu is linear in u, and its vjp with v
                   is J v), two reverse passes; not by ``autograd.forward_ad``, whose one
                   level would not nest.
    jacrev(f)(x)   J a row at a time, one reverse pass per output element.
    jacfwd(f)(x)   the same Jacobian, computed the same way (a row per reverse pass).
    hessian(f)     jacfwd(jacrev(f)), as torch.
    vmap(f)(xs)    a Python loop over the batch dimension, then ``stack``: each example costs a
                   call of f (torch pushes the batch dimension into the ops instead).

Nesting works as in torch because every derivative is recorded (``create_graph``) when an input,
a cotangent or a tensor the function captures requires grad outside the transform: so
``grad(grad(f))`` is f'' and ``vmap(grad(f))`` gives per-example gradients. What a transform
returns keeps its graph only if it reaches such an outer tensor (torch's unwrapping of levels);
the fresh leaves a transform made are not outer to it. The transforms run f in grad mode (torch
ignores an outer ``no_grad`` the same way); under an outer ``no_grad`` the results have no graph.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from . import autograd
from . import random as _random
from ._autograd_functional import _grad
from .autograd import Node, enable_grad, is_grad_enabled, toposort, vertex
from .tensor import Tensor, stack, zeros, zeros_like

__all__ = [
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "linearize",
    "vjp",
    "vmap",
]

Func = Callable[..., Any]
ArgNums = int | tuple[int, ...]

# ----------------------------------------------------------------------------- pytrees

# A pytree is a tuple, list or dict of pytrees, or a leaf (anything else), as torch's
# utils._pytree for the containers torch code passes to the transforms. A spec records the
# containers: None for a leaf, else (type, keys or None, child specs).
Spec = tuple[type, tuple[Any, ...] | None, tuple[Any, ...]] | None


def _flatten(tree: Any) -> tuple[list[Any], Spec]:
    """The leaves of ``tree`` in order, and its spec."""
    leaves: list[Any] = []
    return leaves, _flatten_into(tree, leaves)


def _flatten_into(tree: Any, leaves: list[Any]) -> Spec:
    if isinstance(tree, (tuple, list)):
        return (type(tree), None, tuple(_flatten_into(t, leaves) for t in tree))
    if isinstance(tree, dict):
        keys = tuple(tree)
        return (dict, keys, tuple(_flatten_into(tree[k], leaves) for k in keys))
    leaves.append(tree)
    return None


def _unflatten(leaves: list[Any], spec: Spec) -> Any:
    """The pytree of ``spec`` holding ``leaves`` in order (``_flatten``'s inverse)."""
    return _build(iter(leaves), spec)


def _build(leaves: Iterator[Any], spec: Spec) -> Any:
    if spec is None:
        return next(leaves)
    kind, keys, children = spec
    items = [_build(leaves, c) for c in children]
    if kind is dict:
        return dict(zip(keys or (), items))
    if kind is list:
        return items
    if kind is tuple:
        return tuple(items)
    return kind(*items)  # a namedtuple


def _count(spec: Spec) -> int:
    return 1 if spec is None else sum(_count(c) for c in spec[2])


def _spec_str(spec: Spec) -> str:
    """torch's ``treespec_pprint``: ``*`` for a leaf, the containers around."""
    if spec is None:
        return "*"
    kind, keys, children = spec
    parts = [_spec_str(c) for c in children]
    if kind is dict:
        return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(keys or (), parts)) + "}"
    if kind is list:
        return "[" + ", ".join(parts) + "]"
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _broadcast(prefix: Any, spec: Spec) -> list[Any] | None:
    """``prefix`` (an in_dims or out_dims) spread over the leaves of ``spec``: an int or None
    stands for every leaf below it. None if the structures do not match."""
    if not isinstance(prefix, (tuple, list, dict)):
        return [prefix] * _count(spec)
    if spec is None:
        return None
    kind, keys, children = spec
    if isinstance(prefix, dict):
        if kind is not dict or set(prefix) != set(keys or ()):
            return None
        parts = [prefix[k] for k in keys or ()]
    else:
        if type(prefix) is not (tuple if issubclass(kind, tuple) else kind):
            return None
        parts = list(prefix)
    if len(parts) != len(children):
        return None
    flat: list[Any] = []
    for p, c in zip(parts, children):
        sub = _broadcast(p, c)
        if sub is None:
            return None
        flat.extend(sub)
    return flat


# ----------------------------------------------------------------------------- levels

# Each transform call keeps the fresh leaves it makes (by id, the tensor held so the id is not
# reused): they are internal to it, so a result whose graph reaches only them is returned
# detached. When the call ends they join the enclosing call's, to which they are internal too.
_levels: list[dict[int, Tensor]] = []


class _Level:
    """The fresh leaves of one transform call, while it runs (a context manager)."""

    def __init__(self) -> None:
        self.own: dict[int, Tensor] = {}

    def __enter__(self) -> _Level:
        _levels.append(self.own)
        return self

    def __exit__(self, *exc: object) -> None:
        _levels.pop()
        if _levels:
            _levels[-1].update(self.own)

    def fresh(self, x: Any, argument: str = "") -> Tensor:
        """The tensor ``func`` runs on in the place of ``x``: a recorded alias of ``x`` when
        ``x`` requires grad outside (the derivative is then differentiable with respect to
        it), else a new leaf requiring grad. A new object either way, so that a tensor
        ``func`` captures is told apart from its argument. Call in grad mode."""
        if not isinstance(x, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
        if x.dtype.kind != "f":
            raise RuntimeError(
                "only Tensors of floating point dtype can require gradients "
                f"({argument or 'an input'} has dtype {x.dtype}, shape {x.shape})"
            )
        if x.requires_grad and _outer_grad[-1]:
            return x.view_as(x)
        leaf = x.detach().requires_grad_()
        self.own[id(leaf)] = leaf
        return leaf

    def reaches_outer(self, ts: list[Any]) -> bool:
        """Whether the graph of any of ``ts`` reaches a tensor that requires grad outside this
        call (an input, a cotangent, or a tensor ``func`` captured)."""
        roots = [vertex(t) for t in ts if isinstance(t, Tensor) and t.requires_grad]
        if not roots:
            return False
        return any(type(v) is not Node and id(v) not in self.own for v in toposort(*roots))

    def undo(self, tree: Any) -> Any:
        """``tree`` with each tensor whose graph reaches only this call's leaves detached."""
        leaves, spec = _flatten(tree)
        out = [
            t.detach()
            if isinstance(t, Tensor) and t.requires_grad and not self.reaches_outer([t])
            else t
            for t in leaves
        ]
        return _unflatten(out, spec)


# Whether grad mode was on where each active transform was called (torch records the outer
# level only then); the bottom entry is for calls outside every transform, read at call time.
_outer_grad: list[bool] = [True]


class _transform:
    """Run a transform's body in grad mode, remembering the caller's mode (a context manager)."""

    def __enter__(self) -> None:
        _outer_grad.append(is_grad_enabled())
        self._mode = enable_grad()
        self._mode.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._mode.__exit__(*exc)
        _outer_grad.pop()


def _autograd_grad(
    outputs: list[Tensor],
    inputs: list[Tensor],
    cotangents: list[Tensor] | None,
    *,
    create_graph: bool,
    retain_graph: bool,
) -> list[Tensor]:
    """``autograd.grad`` over the outputs that require grad, zeros where an input is not
    reached (torch.func's ``_autograd_grad``)."""
    seeds = None if cotangents is None else tuple(cotangents)
    gs = _grad(
        tuple(outputs), tuple(inputs), seeds, create_graph=create_graph, retain_graph=retain_graph
    )
    return [zeros_like(x) if g is None else g for g, x in zip(gs, inputs)]


# ----------------------------------------------------------------------------- argnums


def _wrap_argnum(argnum: Any, num_args: int) -> int:
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if 0 <= argnum < num_args:
        return argnum
    if -num_args <= argnum < 0:
        return argnum + num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def _check_argnums(argnums: Any, num_args: int) -> ArgNums:
    """``argnums`` validated as torch's ``_slice_argnums`` does, negatives wrapped."""
    if isinstance(argnums, int):
        return _wrap_argnum(argnums, num_args)
    if not isinstance(argnums, tuple):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    wrapped = tuple(_wrap_argnum(a, num_args) for a in argnums)
    if not wrapped:
        raise RuntimeError("argnums must be non-empty")
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return wrapped


def _positions(argnums: ArgNums) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else argnums


def _fresh_args(
    level: _Level, args: tuple[Any, ...], argnums: ArgNums | None
) -> tuple[tuple[Any, ...], list[Tensor], Spec]:
    """``args`` with the differentiated ones (all if argnums is None) replaced by fresh
    tensors; those, flattened, and the spec of what they replace (the argument itself for an
    int argnums, a tuple of them otherwise)."""
    positions = range(len(args)) if argnums is None else _positions(argnums)
    new_args = list(args)
    for i in positions:
        leaves, spec = _flatten(args[i])
        new_args[i] = _unflatten([level.fresh(x) for x in leaves], spec)
    diff = new_args[argnums] if isinstance(argnums, int) else tuple(new_args[i] for i in positions)
    flat, spec = _flatten(diff)
    return tuple(new_args), flat, spec


# ----------------------------------------------------------------------------- grad


def grad_and_value(func: Func, argnums: ArgNums = 0, has_aux: bool = False) -> Func:
    """``f ↦ (x ↦ (∇f(x), f(x)))``: the gradient of a scalar ``func`` with respect to the
    positional arguments in ``argnums``, and its value.

    PyTorch equivalent: ``torch.func.grad_and_value``. The gradient has the structure of the
    argument (a pytree of tuples, lists and dicts of tensors) for an int ``argnums``, a tuple
    of those for a tuple. ``func`` must return a 0-d Tensor, or ``(output, aux)`` with
    ``has_aux`` (then ``(grad, (value, aux))`` is returned). ``func`` runs on fresh tensors:
    the arguments are not changed and get no ``.grad``. One reverse pass, recorded when a
    tensor outside requires grad, so that grad nests: ``grad(grad(f))`` is f''.
    """

    def wrapper(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        with _transform(), _Level() as level:
            nums = _check_argnums(argnums, len(args))
            new_args, flat_diff, spec = _fresh_args(level, args, nums)
            output = func(*new_args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(output, tuple) and len(output) == 2):
                    raise RuntimeError(
                        "grad_and_value(f)(*args): output of function f should be a tuple: "
                        "(output, aux) if has_aux is True"
                    )
                output, aux = output
            if not isinstance(output, Tensor):
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                    f"{type(output)}"
                )
            if output.dim() != 0:
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, "
                    f"got tensor with {output.dim()} dims (shape {output.shape}). Maybe you "
                    "wanted to use the vjp or jacrev APIs instead?"
                )
            record = _outer_grad[-1] and level.reaches_outer([output])
            grads = _autograd_grad(
                [output], flat_diff, None, create_graph=record, retain_graph=record
            )
            result = level.undo(_unflatten(grads, spec)) if record else _unflatten(grads, spec)
            value = level.undo(output)
            if has_aux:
                return result, (value, level.undo(aux))
            return result, value

    return _named(wrapper, func)


def grad(func: Func, argnums: ArgNums = 0, has_aux: bool = False) -> Func:
    """``f ↦ ∇f``: the gradient of a scalar ``func`` with respect to the arguments in
    ``argnums`` (x̄ = ∂f/∂x, one reverse pass).

    PyTorch equivalent: ``torch.func.grad``; see ``grad_and_value``, of which this is the
    first element (with ``has_aux``: ``(grad, aux)``). Nests: ``grad(grad(f))(x)`` is f''(x),
    ``vmap(grad(f))`` gives per-example gradients.
    """
    inner = grad_and_value(func, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result, value = inner(*args, **kwargs)
        if has_aux:
            return result, value[1]
        return result

    return _named(wrapper, func)


def _named(wrapper: Func, func: Func) -> Func:
    """``functools.wraps`` for callables that may lack a ``__name__`` (a Module, a partial)."""
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        if hasattr(func, attr):
            setattr(wrapper, attr, getattr(func, attr))
    return wrapper


# ----------------------------------------------------------------------------- vjp, jvp


def _check_outputs(flat: list[Any], api: str) -> None:
    if (len(flat) == 1 and flat[0] is None) or not flat:
        raise RuntimeError(
            f"{api}: Expected f to be a function that has non-empty output (got output = {flat})"
        )
    for o in flat:
        if not isinstance(o, Tensor):
            raise RuntimeError(
                f"{api}: expected f(*primals) to return only tensors, got unsupported type "
                f"{type(o)}"
            )


def _split_aux(output: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(
            f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True"
        )
    return output[0], output[1]


def _vjp(
    func: Func,
    primals: tuple[Any, ...],
    argnums: ArgNums | None,
    has_aux: bool,
    api: str = "vjp(f, *primals)",
) -> tuple[Any, Callable[..., list[Tensor]], Any, Callable[..., Any]]:
    """torch's ``_vjp_with_argnums``: the output, a function of the flat cotangents giving the
    flat gradients, the aux, and the public vjp_fn (cotangents as a pytree)."""
    with _transform(), _Level() as level:
        nums = None if argnums is None else _check_argnums(argnums, len(primals))
        new_primals, flat_diff, diff_spec = _fresh_args(level, primals, nums)
        output, aux = _split_aux(func(*new_primals), has_aux, api)
        flat_out, out_spec = _flatten(output)
        _check_outputs(flat_out, api)
        for o in flat_out:
            if o.dtype.kind not in "fc":
                raise RuntimeError(
                    "vjp(f, ...): All outputs of f must be floating-point or complex Tensors, "
                    f"got Tensor with dtype {o.dtype}"
                )
        outer = _outer_grad[-1]
        outputs_reach_outer = outer and level.reaches_outer(flat_out)
        result = level.undo(output)
        aux = level.undo(aux)

    def flat_vjp(
        flat_cots: list[Tensor], retain_graph: bool = True, create_graph: bool | None = None
    ) -> list[Tensor]:
        if create_graph is None:
            create_graph = is_grad_enabled()
        # Recording pays only when the result can reach a tensor outside: through the
        # outputs' graph or a cotangent that requires grad.
        record = create_graph and (outputs_reach_outer or any(c.requires_grad for c in flat_cots))
        with enable_grad():
            gs = _autograd_grad(
                flat_out,
                flat_diff,
                flat_cots,
                create_graph=record,
                retain_graph=retain_graph or record,
            )
            return [level.undo(g) for g in gs] if record else gs

    def vjp_fn(cotangents: Any, retain_graph: bool = True, create_graph: bool | None = None) -> Any:
        flat_cots, cot_spec = _flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of "
                f"outputs to the function. cotangents: {_spec_str(cot_spec)}, primal output: "
                f"{_spec_str(out_spec)}"
            )
        for i, (c, o) in enumerate(zip(flat_cots, flat_out)):
            if not isinstance(c, Tensor):
                raise TypeError(f"vjp_fn: cotangent {i} is a {type(c).__name__}, not a Tensor")
            if c.shape != o.shape:
                raise RuntimeError(
                    f"vjp_fn: cotangent {i} has shape {c.shape} but the output it multiplies "
                    f"has shape {o.shape}"
                )
        gs = flat_vjp(flat_cots, retain_graph, create_graph)
        return _unflatten(gs, diff_spec)

    return result, flat_vjp, aux, vjp_fn


def vjp(func: Func, *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """``(f(*primals), vjp_fn)`` with ``vjp_fn(u) = uᵀJ``, the vector-Jacobian product: one
    reverse pass seeded with the cotangents u, each time vjp_fn is called.

    PyTorch equivalent: ``torch.func.vjp``. ``primals`` are pytrees of float tensors, every
    one differentiated; the cotangents have the structure and shapes of the output, and
    ``vjp_fn`` returns a tuple with one entry per primal (``vjp_fn(u, retain_graph=True,
    create_graph=None)``: create_graph defaults to whether grad mode is on). With ``has_aux``
    ``func`` returns ``(output, aux)`` and ``(output, vjp_fn, aux)`` is returned.
    """
    output, _, aux, vjp_fn = _vjp(func, primals, None, has_aux)
    if has_aux:
        return output, vjp_fn, aux
    return output, vjp_fn


_JVP = "jvp(f, primals, tangents)"


def _check_tensors(flat: list[Any], name: str) -> None:
    if not flat:
        raise RuntimeError(f"{_JVP}: Expected {name} to contain at least one Tensor.")
    for t in flat:
        if not isinstance(t, Tensor):
            raise RuntimeError(f"{_JVP}: Expected {name} to only contain Tensors, got {type(t)}")


def _check_tangents(flat_tangents: list[Tensor], flat_primals: list[Tensor]) -> None:
    for i, (t, p) in enumerate(zip(flat_tangents, flat_primals)):
        if t.shape != p.shape:
            raise RuntimeError(
                f"tangent:{i} with shape {t.shape} in flattened pytree doesn't match the shape "
                f"{p.shape} of the corresponding primal."
            )


class _Linearized:
    """f run once for Jacobian-vector products: its outputs, and x̄ = Jᵀu recorded as a
    function of dummy cotangents u (the first half of the double-vjp trick)."""

    def __init__(self, level: _Level, func: Func, primals: tuple[Any, ...], has_aux: bool):
        self.level = level
        new_primals, self.flat_diff, _ = _fresh_args(level, primals, None)
        output, aux = _split_aux(func(*new_primals), has_aux, _JVP)
        self.flat_out, self.out_spec = _flatten(output)
        _check_outputs(self.flat_out, _JVP)
        self.us = []
        for o in self.flat_out:  # u's value never enters J v: zeros will do
            u = zeros_like(o).requires_grad_(o.dtype.kind == "f")
            level.own[id(u)] = u
            self.us.append(u)
        # zeros (which do not require grad) where an input reaches no output
        self.x_bars = _autograd_grad(
            self.flat_out, self.flat_diff, self.us, create_graph=True, retain_graph=True
        )
        self.outputs_reach_outer = _outer_grad[-1] and level.reaches_outer(self.flat_out)
        self.output = level.undo(output)
        self.aux = level.undo(aux)

    def jv(self, flat_tangents: list[Tensor], strict: bool, retain_graph: bool) -> Any:
        """J v = ∂(vᵀJᵀu)/∂u: the vjp of u ↦ Jᵀu seeded with v, with respect to u."""
        record = is_grad_enabled() and (
            self.outputs_reach_outer or any(t.requires_grad for t in flat_tangents)
        )
        pairs = [(x, v) for x, v in zip(self.x_bars, flat_tangents) if x.requires_grad]
        index = [i for i, u in enumerate(self.us) if u.requires_grad]
        results: list[Tensor | None] = [None] * len(self.us)
        if pairs and index:
            gs = autograd.grad(
                [x for x, _ in pairs],
                [self.us[i] for i in index],
                [v for _, v in pairs],
                retain_graph=retain_graph or record,
                create_graph=record,
                allow_unused=True,
            )
            for i, g in zip(index, gs):
                results[i] = g
        out = []
        for g, o in zip(results, self.flat_out):
            if g is None:
                if strict:
                    raise RuntimeError(
                        "jvp(f, primals, tangents, strict=True): The output of f is independent "
                        "of the inputs. This is not allowed with strict=True."
                    )
                g = zeros_like(o)
            out.append(self.level.undo(g) if record else g)
        return _unflatten(out, self.out_spec)


def jvp(
    func: Func, primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False
) -> tuple[Any, ...]:
    """``(f(*primals), J v)``: the Jacobian-vector product with the tangents v.

    PyTorch equivalent: ``torch.func.jvp``, which uses forward mode. Here J v comes from the
    double-vjp trick, which nests (``autograd.forward_ad`` has one level, as torch's). With
    dummy cotangents u that require grad, a reverse pass recorded with ``create_graph`` gives
    x̄ = Jᵀu, linear in u; a second reverse pass, of x̄ seeded with v and with respect to u,
    gives ∂(vᵀJᵀu)/∂u = J v. Two reverse passes (torch's: one forward pass). ``primals`` is
    a tuple (``func(*primals)``), the tangents have its structure and shapes; the result has
    the output's. ``strict=True`` refuses an output that does not depend on the inputs (its
    J v is zeros otherwise).
    """
    if not isinstance(primals, tuple):
        raise RuntimeError(
            f"{_JVP}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    flat_primals, primals_spec = _flatten(primals)
    flat_tangents, tangents_spec = _flatten(tangents)
    if primals_spec != tangents_spec:
        raise RuntimeError(
            f"{_JVP}: Expected primals and tangents to have the same python structure. For "
            "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
            f"with structure {_spec_str(primals_spec)} and tangents with structure "
            f"{_spec_str(tangents_spec)}"
        )
    _check_tensors(flat_primals, "primals")
    _check_tensors(flat_tangents, "tangents")
    for t, p in zip(flat_tangents, flat_primals):
        if t.shape != p.shape:
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} "
                f"while the given forward gradient is of size {list(t.shape)}."
            )
    with _transform(), _Level() as level:
        lin = _Linearized(level, func, primals, has_aux)
        tangent_out = lin.jv(flat_tangents, strict, retain_graph=False)
    if has_aux:
        return lin.output, tangent_out, lin.aux
    return lin.output, tangent_out


def linearize(func: Func, *primals: Any) -> tuple[Any, Func]:
    """``(f(*primals), jvp_fn)`` with ``jvp_fn(*tangents) = J v`` at the primals: f runs once,
    each call of jvp_fn is one reverse pass (the second half of the double-vjp trick, see
    ``jvp``).

    PyTorch equivalent: ``torch.func.linearize`` (which traces the forward-mode graph).
    """
    with _transform(), _Level() as level:
        lin = _Linearized(level, func, primals, False)
    flat_primals, primals_spec = _flatten(primals)

    def jvp_fn(*tangents: Any) -> Any:
        flat_tangents, tangents_spec = _flatten(tangents)
        if tangents_spec != primals_spec:
            raise RuntimeError(
                f"Expected the tangents {_spec_str(tangents_spec)} to have the same argspec as "
                f"the primals {_spec_str(primals_spec)}"
            )
        _check_tensors(flat_tangents, "tangents")
        _check_tangents(flat_tangents, flat_primals)
        return lin.jv(flat_tangents, strict=False, retain_graph=True)

    return lin.output, jvp_fn


# ----------------------------------------------------------------------------- Jacobians


def _jacobian(func: Func, args: tuple[Any, ...], argnums: ArgNums, has_aux: bool, api: str) -> Any:
    """J_ij = ∂f_i/∂x_j, row i the vjp of the i-th unit cotangent: one reverse pass per
    element of the outputs (all outputs flattened and concatenated, as torch's jacrev)."""
    output, flat_vjp, aux, _ = _vjp(func, args, argnums, has_aux, api)
    flat_out, out_spec = _flatten(output)
    nums = _check_argnums(argnums, len(args))
    diff = args[nums] if isinstance(nums, int) else tuple(args[i] for i in nums)
    flat_primals, primals_spec = _flatten(diff)
    sizes = [o.numel() for o in flat_out]
    rows: list[list[Tensor]] = []
    for i, size in enumerate(sizes):
        for r in range(size):
            seed = np.zeros(flat_out[i].shape, dtype=flat_out[i].data.dtype)
            seed.reshape(-1)[r] = 1  # e_r of output i: backward from it gives a row of J
            cots = [Tensor._make(seed) if k == i else zeros_like(o) for k, o in enumerate(flat_out)]
            rows.append(flat_vjp(cots))
    jac: list[list[Tensor]] = [[] for _ in flat_out]  # output i by input j
    for j, p in enumerate(flat_primals):
        start = 0
        column = stack([row[j] for row in rows]) if rows else None
        for i, (o, size) in enumerate(zip(flat_out, sizes)):
            shape = tuple(o.shape) + tuple(p.shape)
            if column is None or size == 0:
                jac[i].append(zeros(shape, dtype=p.dtype))
            else:
                jac[i].append(column[start : start + size].reshape(shape))
            start += size
    result = _unflatten([_unflatten(row, primals_spec) for row in jac], out_spec)
    return result if not has_aux else (result, aux)


def jacrev(
    func: Func,
    argnums: ArgNums = 0,
    *,
    has_aux: bool = False,
    chunk_size: int | None = None,
    _preallocate_and_copy: bool = False,
) -> Func:
    """``f ↦ (x ↦ J)``: the Jacobian J_ij = ∂f_i/∂x_j with respect to the arguments in
    ``argnums``, one reverse pass per output element (row i is the vjp of the unit vector eᵢ).

    PyTorch equivalent: ``torch.func.jacrev`` (which batches the rows with vmap; they are a
    loop here, so ``chunk_size`` is checked and changes nothing). ``jac[out][arg]`` has shape
    ``out.shape + arg.shape``, in the structure of the outputs, then of the argument (an int
    ``argnums``) or of the tuple of arguments. With ``has_aux``: ``(jacobian, aux)``.
    """
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    def wrapper(*args: Any) -> Any:
        return _jacobian(func, args, argnums, has_aux, "vjp(f, *primals)")

    return _named(wrapper, func)


def jacfwd(
    func: Func, argnums: ArgNums = 0, has_aux: bool = False, *, randomness: str = "error"
) -> Func:
    """``f ↦ (x ↦ J)``, as ``jacrev``: the same Jacobian, the same structure.

    PyTorch equivalent: ``torch.func.jacfwd``, which computes J a column at a time in forward
    mode. Here a column J e_j from the double-vjp trick costs two reverse passes, so J is
    computed by rows as ``jacrev`` does (same values). ``func`` runs
    once: ``randomness`` is checked, and "error" (the default) refuses a func that draws from
    the default generator, as torch's vmap over the columns does.
    """

    def wrapper(*args: Any) -> Any:
        _check_randomness(randomness)  # at the call, as torch's vmap over the columns
        nums = _check_argnums(argnums, len(args))
        for i in _positions(nums):
            for p in _flatten(args[i])[0]:
                if isinstance(p, Tensor) and p.dtype.kind not in "fc":
                    raise ValueError(
                        f"Expected primal to be floating point or complex, but got: {p.dtype}"
                    )
        with _random_guard(randomness):
            return _jacobian(func, args, argnums, has_aux, _JVP)

    return _named(wrapper, func)


def hessian(func: Func, argnums: ArgNums = 0) -> Func:
    """``f ↦ (x ↦ H)``, H_jk = ∂²f/∂x_j∂x_k: ``jacfwd(jacrev(func, argnums), argnums)``.

    PyTorch equivalent: ``torch.func.hessian`` (forward over reverse there; reverse over
    reverse here, see ``jacfwd``). For one input of shape s and a scalar f, H has shape s + s.
    """
    return jacfwd(jacrev(func, argnums), argnums)


# ----------------------------------------------------------------------------- vmap

_RANDOMNESS = ("error", "different", "same")


def _check_randomness(randomness: Any) -> None:
    if randomness not in _RANDOMNESS:
        raise RuntimeError(
            "Only allowed values for randomness are 'error', 'different', or 'same'. Got "
            f"{randomness}"
        )


def _rng_state() -> bytes:
    return bytes(_random.default_generator.get_state().data)


class _random_guard:
    """With randomness="error", refuse a call that drew from the default generator."""

    def __init__(self, randomness: str) -> None:
        self.randomness = randomness

    def __enter__(self) -> None:
        self.state = _rng_state() if self.randomness == "error" else b""

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None and self.randomness == "error" and _rng_state() != self.state:
            raise RuntimeError(
                "vmap: called random operation while in randomness error mode. Please either "
                "use the 'same' or 'different' randomness flags on vmap or perform the "
                "randomness operation out of vmap"
            )


def _get_name(func: Any) -> str:
    if hasattr(func, "__name__"):
        return str(func.__name__)
    if isinstance(func, functools.partial):
        return f"functools.partial({_get_name(func.func)}, ...)"
    return repr(func)


def _batch_inputs(
    func: Func, in_dims: Any, args: tuple[Any, ...]
) -> tuple[int, list[int | None], list[Any], Spec]:
    """torch's ``_process_batched_inputs``: the batch size, the flat in_dims (negative ones
    wrapped), the flat arguments and their spec."""
    name = _get_name(func)
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
            "(potentially nested) tuple matching the structure of inputs, got: "
            f"{type(in_dims)}."
        )
    if not args:
        raise ValueError(
            f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you "
            "are trying to vmap over a function with no inputs. The latter is unsupported."
        )
    flat_args, spec = _flatten(args)
    flat_in_dims = _broadcast(in_dims, spec)
    if flat_in_dims is None:
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with "
            f"the structure of `inputs`. in_dims has structure {_spec_str(_flatten(in_dims)[1])} "
            f"but inputs has structure {_spec_str(spec)}."
        )
    for i, (arg, in_dim) in enumerate(zip(flat_args, flat_in_dims)):
        if in_dim is not None and (not isinstance(in_dim, int) or isinstance(in_dim, bool)):
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={in_dim} for an "
                "input but in_dim must be either an integer dimension or None."
            )
        if in_dim is not None and not isinstance(arg, Tensor):
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={in_dim} for an "
                f"input but the input is of type {type(arg)}. We cannot vmap over non-Tensor "
                "arguments, please use None as the respective in_dim"
            )
        if in_dim is not None and not -arg.dim() <= in_dim < arg.dim():
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={in_dim} for some "
                f"input, but that input is a Tensor of dimensionality {arg.dim()} so expected "
                f"in_dim to satisfy -{arg.dim()} <= in_dim < {arg.dim()}."
            )
        if in_dim is not None and in_dim < 0:
            flat_in_dims[i] = in_dim % arg.dim()
    sizes = [arg.shape[d] for arg, d in zip(flat_args, flat_in_dims) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(
            "vmap: Expected all tensors to have the same size in the mapped dimension, got "
            f"sizes {sizes} for the mapped dimension"
        )
    return sizes[0], flat_in_dims, flat_args, spec


def _check_out_dims(out_dims: Any, func: Func) -> None:
    if isinstance(out_dims, int):
        return
    for d in _flatten(out_dims)[0]:
        if d is not None and not isinstance(d, int):
            raise ValueError(
                f"vmap({_get_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an "
                "int, None or a python collection of ints representing where in the outputs "
                "the vmapped dimension should appear."
            )


def _flat_out_dims(out_dims: Any, output: Any, spec: Spec, func: Func) -> list[Any]:
    if isinstance(output, Tensor):  # torch's edge case: a 1-tuple of out_dims fits a Tensor
        if isinstance(out_dims, tuple) and len(out_dims) == 1:
            return list(out_dims)
        flat = None if isinstance(out_dims, (tuple, list, dict)) else [out_dims]
    else:
        flat = _broadcast(out_dims, spec)
    if flat is None:
        raise ValueError(
            f"vmap({_get_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
            f"compatible with the structure of `outputs`. out_dims has structure "
            f"{_spec_str(_flatten(out_dims)[1])} but outputs has structure {_spec_str(spec)}."
        )
    return flat


def _same(items: list[Any]) -> bool:
    """Whether every example gave the same tensor (an output that is not batched)."""
    first = items[0].data
    return all(
        it.shape == items[0].shape
        and np.array_equal(it.data, first, equal_nan=first.dtype.kind in "fc")
        for it in items[1:]
    )


def _stack_output(items: list[Any], out_dim: int | None, name: str, empty: bool) -> Any:
    """Output leaf i of every example, with the batch dimension at ``out_dim``."""
    if out_dim is None:
        if isinstance(items[0], Tensor) and not empty and not _same(items):
            raise ValueError(
                f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is "
                "None (its value differs between the examples)"
            )
        return items[0]
    for it in items:
        if not isinstance(it, Tensor):
            raise ValueError(
                f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(it)}. "
                "Did you mean to set out_dims= to None for output?"
            )
    n = items[0].dim() + 1
    if not -n <= out_dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got "
            f"{out_dim})"
        )
    if empty:  # a batch of size 0: the one call was only there for the shapes
        shape = list(items[0].shape)
        shape.insert(out_dim % n, 0)
        return zeros(tuple(shape), dtype=items[0].dtype)
    return stack(items, dim=out_dim)


def vmap(
    func: Func,
    in_dims: Any = 0,
    out_dims: Any = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Func:
    """``f ↦ (xs ↦ stack([f(x) for x in xs]))``: f mapped over a dimension of its inputs.

    PyTorch equivalent: ``torch.func.vmap`` (also ``torch.vmap``), with its in_dims, out_dims,
    randomness and errors. It is a Python loop here: f is called once per example, on the
    arguments with the mapped dimension selected away, and the outputs are stacked at
    ``out_dims``; so the cost per example is that of a call (torch pushes the batch dimension
    into each op instead), and ``chunk_size`` is checked and changes nothing. ``in_dims`` is
    an int (every argument), or a tuple with one entry per positional argument, nested like the
    argument (tuples, lists, dicts), None for an argument that is not mapped; keyword arguments
    are never mapped. An output with out_dims None must be the same for every example (torch:
    not batched). ``randomness``: "error" refuses a draw from the default generator, "same"
    gives every example the same draws, "different" independent ones. Composes with the other
    transforms: ``vmap(grad(f))`` gives per-example gradients, ``vmap(vmap(f))`` maps over two
    dimensions.
    """
    _check_randomness(randomness)
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    name = _get_name(func)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _check_out_dims(out_dims, func)
        size, flat_in_dims, flat_args, spec = _batch_inputs(func, in_dims, args)
        empty = size == 0
        start = _rng_state() if randomness == "same" else b""
        outputs: list[list[Any]] = []
        out_spec: Spec = None
        output: Any = None
        for b in range(max(size, 1)):
            sliced = [
                x
                if d is None
                else (x.select(d, b) if not empty else zeros(_drop(x.shape, d), dtype=x.dtype))
                for x, d in zip(flat_args, flat_in_dims)
            ]
            if randomness == "same":
                _random.default_generator.set_state(Tensor._make(np.frombuffer(start, np.uint8)))
            with _random_guard(randomness if not empty else "different"):
                output = func(*_unflatten(sliced, spec), **kwargs)
            flat, example_spec = _flatten(output)
            if b == 0:
                out_spec = example_spec
            elif example_spec != out_spec:
                raise ValueError(
                    f"vmap({name}, ...): `{name}` returned outputs of different structures for "
                    f"different examples ({_spec_str(out_spec)} and {_spec_str(example_spec)}); "
                    "this vmap calls it once per example"
                )
            outputs.append(flat)
        flat_out_dims = _flat_out_dims(out_dims, output, out_spec, func)
        stacked = [
            _stack_output([flat[i] for flat in outputs], d, name, empty)
            for i, d in enumerate(flat_out_dims)
        ]
        return _unflatten(stacked, out_spec)

    return _named(wrapped, func)


def _drop(shape: tuple[int, ...], dim: int) -> tuple[int, ...]:
    return tuple(shape[:dim]) + tuple(shape[dim + 1 :])
