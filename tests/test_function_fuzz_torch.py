"""Differential test of custom autograd Functions against torch 2.13 on random programs.

Each case draws a program as plain data (``_draw_program``) and runs it on both libraries with
the same interpreter (``_run``): leaves of shapes that broadcast to (2, 3), float32 or float64,
some requiring grad; a few steps, each an ordinary op or a random ``Function`` (1 to 3 tensor
arguments among floats, ints, strings and None; 1 to 3 outputs, which may be an input returned
as it is, a number, or marked non-differentiable; saving inputs, outputs, intermediates and
None; ``ctx`` or ``setup_context`` style; materialized grads or not; a backward linear in the
adjoints that returns None for some inputs, gradients of a broadcast shape (rarely a wrong
one), reads the saved tensors or not, respects ``needs_input_grad`` or not, calls another
Function, may be ``once_differentiable``), some under ``no_grad``; tensor hooks (recording,
replacing), ``retain_grad`` and post-accumulate hooks; an in-place change after the forward
pass; then one of: ``backward()``, twice with or without ``retain_graph``, ``backward(inputs=)``,
``autograd.grad``, a second derivative by ``grad(create_graph=True)`` then ``backward()`` or
``grad()``, or by ``backward(create_graph=True)`` then a penalty on the ``.grad``s.

Both runs give a log (values, dtypes, ``requires_grad``, ``is_leaf``, gradients, what each hook
saw, and which step raised, as a category of error); the logs must agree. Values agree to 1e-9,
or 1e-4 where float32 takes part (numpy's and torch's float32 ``sin`` differ by an ulp).
``TG_FUNCTION_AUDIT_CASES`` sets the number of cases (250 by default); ``python
tests/test_function_fuzz_torch.py START STOP`` runs a range and counts the outcomes.

DIVERGENCES kept, each normalised here (see ``_case``, ``_same`` and the generator):

* torch passes an undefined gradient on where a backward returned None: it calls tensor hooks
  with None, post-accumulate hooks with ``.grad`` None, and a Function with materialized grads
  downstream turns it into zeros (a leaf then gets zeros). Here a None gradient stops where it
  is: no hook runs, ``.grad`` stays None. So ours None against torch's zeros is accepted, and
  all-zero gradients are not logged by hooks (nor enter a second-order loss). Nor may a
  backward's value depend on it: one that adds a 0-d term to a (2, 3) one of zeros returns
  (2, 3), which the engine sums back to a 0-d input, the first term six times (seed 74207); the
  programs' backward broadcasts its sum to the shape of all its terms, None or not.
* torch records one node per Function call; here each output has its own node (above the join
  node that runs ``backward``). An output that received no gradient while another did gets
  zeros from torch (in ``grad()``, ``retain_grad``, its hooks), None here; and torch runs the
  hooks of every output of the node of an input of ``backward(inputs=)`` / ``grad()``. Inputs
  of those calls are therefore never outputs of a multi-output Function.
* ``grad()`` captures an input's gradient before its tensor hooks in torch when that input's
  node also runs for another input (after them otherwise); here always after them. Inputs of
  ``grad()`` get no replacing hook.
* ``backward(inputs=)`` runs the node of a non-leaf input in torch ("subject to change", its
  notes say); here nothing below an input runs. Inputs of it are never Function outputs.
* torch refuses an in-place change of any tensor a node saved; here only of those that the
  rules about to run read (``OpDef.reads``). When only torch refuses, its gradients without
  the change must equal ours.
* a second ``backward()`` without ``retain_graph`` is refused here at every node it reaches;
  torch refuses only at nodes that saved tensors (and Functions that read them).
* ``once_differentiable`` under ``grad()``: torch's error node is left out when it is not on a
  path to the inputs, so the function's gradient silently counts as a constant; here the second
  derivative raises.
* the other way round (seed 113355): torch's zeros where no gradient flows (the first entry),
  multiplied by a saved input in a backward under ``create_graph``, are a gradient that requires
  grad; added to the adjoint of a ``once_differentiable`` backward, they tie torch's error node
  to its gradients, so the second derivative raises where here that backward never ran and the
  gradient is a constant. Such a case is compared with torch's run in which a backward given no
  nonzero adjoint returns None, as a None gradient stops here.
* torch forbids using a view a Function returned (an input returned as it is) after its base
  was changed in place, as its view-rebase logic would bypass the custom backward; here an
  in-place op records nothing and the view keeps its node. Such cases are skipped.
* with ``setup_context``, torch refuses to save an input returned as it is; here it works (the
  input is saved), so the generator does not draw it.
* the order of nodes on parallel branches: torch's engine runs the one made last first (its
  sequence numbers), the backward pass here follows a depth-first topological order, which
  can run them the other way round. Where two of them fail (a backward returning a gradient
  of a wrong shape, a Function whose saved input was changed in place), each library reports
  the one it met first (seed 98130). A program with an in-place change draws no wrong
  gradient.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, ClassVar

import numpy as np
import pytest
from _fuzz import assert_seeds_agree, category, tally

import tinygrad_ed as tg

SHAPES: list[tuple[int, ...]] = [(2, 3), (3,), (1, 3), (2, 1), ()]
FULL = (2, 3)
CASES = int(os.environ.get("TG_FUNCTION_AUDIT_CASES", "250"))


# ----------------------------------------------------------------------------- drawing programs


def _bshape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*shapes))


def _draw_function(rng: np.random.Generator, shapes: list[tuple[int, ...]], n: int) -> dict:
    """A Function's spec, for tensor arguments of ``shapes``."""
    n_t = len(shapes)
    args: list[tuple[Any, ...]] = [("t", j) for j in range(n_t)]
    for _ in range(int(rng.integers(0, 3))):
        kind = ["f", "i", "s", "n"][rng.integers(4)]
        value = {"f": round(float(rng.uniform(0.5, 2)), 2), "i": int(rng.integers(1, 4))}
        args.insert(int(rng.integers(len(args) + 1)), (kind, value.get(kind, "mode")))
    outputs: list[tuple[Any, ...]] = []
    for _ in range(int(rng.integers(1, 4))):
        a, b = int(rng.integers(n_t)), int(rng.integers(n_t))
        kind = ["mul", "sin_add", "tanh", "exp", "sum", "inner", "input", "nondiff", "number"][
            rng.choice(9, p=[0.18, 0.15, 0.15, 0.12, 0.1, 0.1, 0.07, 0.07, 0.06])
        ]
        outputs.append((kind, a, b, round(float(rng.uniform(-2, 2)), 2)))
    if sum(o[0] == "input" for o in outputs) > 1 or all(o[0] == "number" for o in outputs):
        outputs = [o if o[0] not in ("input", "number") else ("mul", *o[1:]) for o in outputs]
    style = "setup" if rng.random() < 0.3 else "ctx"
    if style == "setup":  # torch refuses to save an input returned as it is (see DIVERGENCES)
        outputs = [("mul", *o[1:]) if o[0] == "input" else o for o in outputs]
    out_shapes: list[tuple[int, ...] | None] = []
    for kind, a, b, _c in outputs:
        if kind in ("mul", "sin_add"):
            out_shapes.append(_bshape(shapes[a], shapes[b]))
        elif kind == "sum":
            out_shapes.append(())
        elif kind == "number":
            out_shapes.append(None)
        else:
            out_shapes.append(shapes[a])
    saves: list[tuple[Any, ...]] = []
    for _ in range(int(rng.integers(0, 4))):
        kind = ["in", "out", "mid", "none"][rng.choice(4, p=[0.35, 0.3, 0.25, 0.1])]
        if kind == "out":
            ks = [k for k, s in enumerate(out_shapes) if s is not None]
            saves.append(("out", ks[rng.integers(len(ks))]))
        elif kind == "none":
            saves.append(("none", 0))
        else:
            saves.append((kind, int(rng.integers(n_t))))
    has_saved = any(k != "none" for k, _ in saves)
    grads: list[Any] = []
    for _ in range(n_t):
        if rng.random() < 0.15:
            grads.append(None)  # backward returns None for this input
            continue
        terms = []
        for k, s in enumerate(out_shapes):
            if s is None or rng.random() < 0.2:
                continue
            coef = ["one", "saved", "scalar", "inner"][rng.choice(4, p=[0.3, 0.35, 0.15, 0.2])]
            usable = [i for i, (kind, _) in enumerate(saves) if kind != "none"]
            if coef in ("saved", "inner") and not has_saved:
                coef = "one"
            idx = usable[rng.integers(len(usable))] if usable else 0
            terms.append((k, coef, idx, round(float(rng.uniform(-2, 2)), 2)))
        # widen: return the gradient in the broadcast shape (2, 3); bad: of shape (5,)
        grads.append({"terms": terms, "widen": rng.random() < 0.3, "bad": rng.random() < 0.01})
    return {
        "name": f"Fn{n}",
        "args": args,
        "outputs": outputs,
        "saves": saves,
        "grads": grads,
        "style": style,
        "materialize": rng.random() < 0.75,
        "needs": rng.random() < 0.5,  # respect ctx.needs_input_grad
        "read_saved": rng.random() < 0.85,
        "once": rng.random() < 0.12,
    }


def _draw_program(rng: np.random.Generator) -> dict:
    leaves = []
    for _ in range(int(rng.integers(1, 4))):
        shape = SHAPES[rng.integers(len(SHAPES))]
        dtype = "float32" if rng.random() < 0.35 else "float64"
        value = rng.uniform(-1.5, 1.5, shape)
        leaves.append((value, dtype, bool(rng.random() < 0.8)))
    shapes = [v.shape for v, _, _ in leaves]
    steps: list[tuple[Any, ...]] = []
    made_by: list[int] = [-1] * len(shapes)  # the step that made each entry of the pool
    req = [r for _, _, r in leaves]  # whether it requires grad (roughly: for drawing the loss)
    n_fn = 0
    for _ in range(int(rng.integers(1, 6))):
        nograd = bool(rng.random() < 0.07)
        tensors = [i for i, s in enumerate(shapes) if s is not None]
        if rng.random() < 0.55:
            refs = [
                tensors[int(rng.integers(len(tensors)))] for _ in range(int(rng.integers(1, 4)))
            ]
            spec = _draw_function(rng, [shapes[r] for r in refs], n_fn)
            n_fn += 1
            steps.append(("fn", spec, refs, nograd))
            made_by.extend([len(steps) - 1] * len(spec["outputs"]))
            wanted = not nograd and any(req[r] for r in refs)
            req.extend(wanted and o[0] not in ("nondiff", "number") for o in spec["outputs"])
            for kind, a, b, _c in spec["outputs"]:
                if kind in ("mul", "sin_add"):
                    shapes.append(_bshape(shapes[refs[a]], shapes[refs[b]]))
                elif kind == "sum":
                    shapes.append(())
                elif kind == "number":
                    shapes.append(None)  # type: ignore[arg-type]
                else:
                    shapes.append(shapes[refs[a]])
        else:
            a, b = (tensors[int(rng.integers(len(tensors)))] for _ in range(2))
            op = ["mul", "add", "sin", "tanh", "scale", "sum0", "sum1k", "sumall", "detach"][
                rng.integers(9)
            ]
            sa = shapes[a]
            if (op == "sum0" and len(sa) == 0) or (op == "sum1k" and len(sa) != 2):
                op = "sin"
            steps.append(("op", op, a, b, nograd))
            made_by.append(-1)
            req.append(
                not nograd and op != "detach" and (req[a] or (op in ("mul", "add") and req[b]))
            )
            shapes.append(
                _bshape(sa, shapes[b])
                if op in ("mul", "add")
                else sa[1:]
                if op == "sum0"
                else (sa[0], 1)
                if op == "sum1k"
                else ()
                if op == "sumall"
                else sa
            )
    tensors = [i for i, s in enumerate(shapes) if s is not None]
    hooks = []
    for i in tensors:
        r = rng.random()
        if r < 0.2:
            hooks.append(("hook", i, ["record", "scale", "none"][rng.integers(3)]))
        elif r < 0.3:
            hooks.append(("retain", i, ""))
        elif r < 0.35 and i < len(leaves):
            hooks.append(("post", i, ""))
    inplace = None
    if rng.random() < 0.25:
        inplace = (tensors[int(rng.integers(len(tensors)))], ["mul_", "add_"][rng.integers(2)])
        for kind, spec, *_ in steps:  # no wrong gradient besides: which of two refusals comes
            if kind == "fn":  # first is each engine's order (see DIVERGENCES)
                for g in spec["grads"]:
                    if g is not None:
                        g["bad"] = False
    wanted = [i for i in tensors if req[i]] if rng.random() < 0.9 else tensors
    wanted = wanted or tensors  # mostly a loss that requires grad; sometimes maybe not
    loss_terms = [
        (i, rng.uniform(-1, 1, shapes[i]))
        for i in rng.choice(wanted, size=min(len(wanted), int(rng.integers(1, 4))), replace=False)
    ]
    mode = [
        "backward",
        "retain_twice",
        "twice",
        "inputs",
        "grad",
        "grad2",
        "grad2_grad",
        "create_graph",
    ][rng.choice(8, p=[0.2, 0.1, 0.08, 0.12, 0.12, 0.16, 0.1, 0.12])]
    picks = [int(i) for i in rng.choice(wanted, size=int(rng.integers(1, 4)))]
    if mode == "grad":  # no replacing hook on an input of grad() (see DIVERGENCES)
        hooks = [
            ("hook", i, "record") if h == "hook" and i in picks else (h, i, how)
            for h, i, how in hooks
        ]
    multi = {i for i, s in enumerate(made_by) if s != -1 and len(steps[s][1]["outputs"]) > 1}
    if mode == "grad":  # (see DIVERGENCES)
        picks = [i for i in picks if i not in multi] or [int(np.argmax(req))]
    if mode == "inputs":
        picks = [i for i in picks if made_by[i] == -1] or [int(np.argmax(req))]
    return {
        "leaves": leaves,
        "steps": steps,
        "hooks": hooks,
        "inplace": inplace,
        "loss": [(int(i), w) for i, w in loss_terms],
        "mode": mode,
        "picks": picks,
    }


# ----------------------------------------------------------------------------- running them


def _is_torch(lib: Any) -> bool:
    return lib is not tg


def _arr(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), copy=True)


def _dtype(lib: Any, name: str) -> Any:
    return getattr(lib, name)


class _Inner:
    """out = x²/2 through a Function of each library (backward g·x, saving x; None for a zero g
    where ``stop``: see DIVERGENCES)."""

    cache: ClassVar[dict[tuple[int, bool], Any]] = {}

    @classmethod
    def of(cls, lib: Any, stop: bool = False) -> Any:
        if (id(lib), stop) not in cls.cache:

            class Inner(lib.autograd.Function):  # type: ignore[misc, name-defined]
                @staticmethod
                def forward(ctx: Any, x: Any) -> Any:
                    ctx.save_for_backward(x)
                    return x * x * 0.5

                @staticmethod
                def backward(ctx: Any, g: Any) -> Any:
                    if stop and not _nonzero(g):
                        return None
                    (x,) = ctx.saved_tensors
                    return g * x

            cls.cache[(id(lib), stop)] = Inner
        return cls.cache[(id(lib), stop)]


def _make_function(lib: Any, spec: dict, stop: bool = False) -> Any:
    """The Function of ``spec`` (``stop``: its backward returns None where no adjoint is
    nonzero, as a None gradient stops here; see DIVERGENCES)."""
    inner = _Inner.of(lib, stop)
    outputs, saves = spec["outputs"], spec["saves"]
    scalars = [v for k, v in spec["args"] if k == "f"]
    scale = scalars[0] if scalars else 1.0

    def compute(args: tuple[Any, ...]) -> tuple[Any, ...]:
        xs = [a for a in args if isinstance(a, lib.Tensor)]
        outs: list[Any] = []
        for kind, a, b, c in outputs:
            x, y = xs[a], xs[b]
            if kind == "mul":
                outs.append(x * y * c)
            elif kind == "sin_add":
                outs.append(x.sin() + y)
            elif kind == "tanh":
                outs.append(x.tanh() * scale)
            elif kind == "exp":
                outs.append((x * 0.5).exp())
            elif kind == "sum":
                outs.append((x * c).sum())
            elif kind == "inner":
                outs.append(inner.apply(x))
            elif kind == "input":
                outs.append(x)
            elif kind == "nondiff":
                outs.append(x * 2)
            else:
                outs.append(c)
        return tuple(outs)

    def setup(ctx: Any, args: tuple[Any, ...], outs: tuple[Any, ...]) -> None:
        xs = [a for a in args if isinstance(a, lib.Tensor)]
        to_save = []
        for kind, i in saves:
            if kind == "in":
                to_save.append(xs[i])
            elif kind == "out":
                to_save.append(outs[i])
            elif kind == "mid":
                to_save.append(xs[i].cos())
            else:
                to_save.append(None)
        ctx.save_for_backward(*to_save)
        ctx.mark_non_differentiable(
            *(o for o, spec_o in zip(outs, outputs) if spec_o[0] == "nondiff")
        )
        ctx.set_materialize_grads(spec["materialize"])
        ctx.scale = scale
        ctx.positions = [p for p, a in enumerate(args) if isinstance(a, lib.Tensor)]
        ctx.n_args = len(args)
        ctx.shapes = [tuple(x.shape) for x in xs]
        ctx.out_shapes = [tuple(o.shape) if isinstance(o, lib.Tensor) else () for o in outs]
        ctx.saved_shapes = [() if t is None else tuple(t.shape) for t in to_save]

    def backward(ctx: Any, *gs: Any) -> Any:
        result: list[Any] = [None] * ctx.n_args
        if stop and not any(_nonzero(g) for g in gs):
            return tuple(result) if ctx.n_args > 1 else result[0]
        saved = ctx.saved_tensors if spec["read_saved"] else None
        xs_shapes = ctx.shapes
        for j, (pos, gspec) in enumerate(zip(ctx.positions, spec["grads"])):
            if gspec is None or (spec["needs"] and not ctx.needs_input_grad[pos]):
                continue
            total = None
            shape: tuple[int, ...] = ()  # of the sum of all the terms, None or not (DIVERGENCES)
            for k, coef, idx, c in gspec["terms"]:
                shape = np.broadcast_shapes(shape, ctx.out_shapes[k])
                if coef in ("saved", "inner") and saved is not None:
                    shape = np.broadcast_shapes(shape, ctx.saved_shapes[idx])
                g = gs[k]
                if g is None:
                    continue
                if coef == "saved" and saved is not None:
                    term = g * saved[idx]
                elif coef == "inner" and saved is not None:
                    term = g * inner.apply(saved[idx])
                elif coef == "scalar":
                    term = g * (c * ctx.scale)
                else:
                    term = g * c
                total = term if total is None else total + term
            if total is not None and tuple(total.shape) != shape:
                total = total + lib.zeros(shape, dtype=total.dtype)
            if total is not None and (gspec["widen"] or not _reduces(total.shape, xs_shapes[j])):
                total = total + lib.zeros(FULL, dtype=total.dtype)
            # refused by both (torch also calls backward with zeros: see DIVERGENCES)
            if total is not None and gspec["bad"] and any(_nonzero(g) for g in gs):
                total = total.sum() * lib.ones(5, dtype=total.dtype)
            result[pos] = total
        return tuple(result) if ctx.n_args > 1 else result[0]

    if spec["once"]:
        backward = lib.autograd.function.once_differentiable(backward)
    namespace: dict[str, Any] = {"backward": staticmethod(backward)}
    if spec["style"] == "setup":
        namespace["forward"] = staticmethod(lambda *args: _single(compute(args)))
        namespace["setup_context"] = staticmethod(
            lambda ctx, inputs, output: setup(ctx, inputs, _tuple(output))
        )
    else:

        def forward(ctx: Any, *args: Any) -> Any:
            outs = compute(args)
            setup(ctx, args, outs)
            return _single(outs)

        namespace["forward"] = staticmethod(forward)
    return type(spec["name"], (lib.autograd.Function,), namespace)


def _op(op: str, x: Any, y: Any) -> Any:
    """One of the ordinary ops of a program."""
    if op == "mul":
        return x * y
    if op == "add":
        return x + y
    if op == "scale":
        return x * 1.5
    if op == "sum0":
        return x.sum(0)
    if op == "sum1k":
        return x.sum(1, keepdim=True)
    if op == "sumall":
        return x.sum()
    return getattr(x, op)()  # sin, tanh, detach


def _nonzero(g: Any) -> bool:
    return g is not None and bool((g != 0).any())


def _reduces(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    """Whether a gradient of ``shape`` sums back to an input of shape ``to``."""
    lead = len(shape) - len(to)
    return lead >= 0 and all(s in (1, g) for s, g in zip(to, shape[lead:]))


def _single(outs: tuple[Any, ...]) -> Any:
    return outs[0] if len(outs) == 1 else outs


def _tuple(output: Any) -> tuple[Any, ...]:
    return output if isinstance(output, tuple) else (output,)


ERRORS = [
    ("inplace", r"modified by an inplace operation"),
    ("freed", r"second time|have already been freed"),
    ("no_grad", r"does not require grad|doesn't require grad|requires_grad=False"),
    ("shape", r"does not broadcast to the input's shape|expected shape compatible"),
    ("unused", r"not have been used|was not used"),
    ("once", r"once_differentiable"),
    ("view", r"is a view"),
]


def _category(e: Exception) -> str:
    return category(e, ERRORS)


def _run(lib: Any, prog: dict) -> list[Any]:
    log: list[Any] = []
    pool: list[Any] = []
    for value, dtype, req in prog["leaves"]:
        pool.append(lib.tensor(value, dtype=_dtype(lib, dtype), requires_grad=req))
    leaves = list(pool)
    try:
        for step in prog["steps"]:
            ctx = lib.no_grad() if step[-1] else _Null()
            with ctx:
                if step[0] == "fn":
                    _, spec, refs, _ng = step
                    fn = _make_function(lib, spec, prog.get("stop_zeros", False))
                    tensors = iter(pool[r] for r in refs)
                    args = [
                        next(tensors) if k == "t" else (None if k == "n" else v)
                        for k, v in spec["args"]
                    ]
                    pool.extend(_tuple(fn.apply(*args)))
                else:
                    _, op, a, b, _ng = step
                    pool.append(_op(op, pool[a], pool[b]))
    except Exception as e:
        log.append(("forward raised", _category(e)))
        return log
    for t in pool:
        if isinstance(t, lib.Tensor):
            log.append(("out", _arr(t), str(_arr(t).dtype), t.requires_grad, t.is_leaf))
        else:
            log.append(("number", t))
    seen: dict[int, list[Any]] = {}
    retained: list[int] = []
    try:
        for h, (kind, i, how) in enumerate(prog["hooks"]):
            t = pool[i]
            if not t.requires_grad:
                continue
            if kind == "hook":

                def hook(g: Any, h: int = h, how: str = how) -> Any:
                    if g is None:  # torch calls a hook with None where no gradient flows
                        return None
                    if _arr(g).any():  # torch also passes zeros where no gradient flows here
                        seen.setdefault(h, []).append(_arr(g))
                    return g * 2 if how == "scale" else None

                t.register_hook(hook)
            elif kind == "retain":
                t.retain_grad()
                retained.append(i)
            elif t.is_leaf:

                def post(leaf: Any, h: int = h) -> None:
                    # torch also runs it where no gradient came (.grad None or unchanged)
                    if leaf.grad is not None and _arr(leaf.grad).any():
                        kept = seen.setdefault(h, [])
                        if not kept or not np.array_equal(kept[-1], _arr(leaf.grad)):
                            kept.append(_arr(leaf.grad))

                t.register_post_accumulate_grad_hook(post)
    except Exception as e:
        log.append(("hooks raised", _category(e)))
        return log
    step = "inplace"
    try:
        if prog["inplace"] is not None:
            i, method = prog["inplace"]
            with lib.no_grad():
                getattr(pool[i], method)(1.25 if method == "mul_" else 0.5)
        step = "loss"
        loss = None
        for i, w in prog["loss"]:
            term = (pool[i] * lib.tensor(w, dtype=pool[i].dtype)).sum()
            loss = term if loss is None else loss + term
        mode = prog["mode"]
        picks = [pool[i] for i in prog["picks"] if pool[i].requires_grad]
        step = "first"
        if mode == "backward":
            loss.backward()
        elif mode in ("retain_twice", "twice"):
            loss.backward(retain_graph=mode == "retain_twice")
            step = "second"
            loss.backward()
        elif mode == "inputs":
            loss.backward(inputs=picks or leaves)
        elif mode == "grad":
            gs = lib.autograd.grad(loss, picks or leaves, allow_unused=True)
            log.append(("grad", [None if g is None else _arr(g) for g in gs]))
        elif mode in ("grad2", "grad2_grad"):
            xs = [t for t in leaves if t.requires_grad] or picks or leaves
            gs = lib.autograd.grad(loss, xs, create_graph=True, allow_unused=True)
            log.append(("grad", [None if g is None else _arr(g) for g in gs]))
            # (an all-zero gradient is torch's where no gradient flows here: see DIVERGENCES)
            gs = [g if g is not None and _arr(g).any() else None for g in gs]
            step = "second"
            loss2 = None
            for g in gs:
                if g is not None and g.requires_grad:
                    term = (g * g).sum()
                    loss2 = term if loss2 is None else loss2 + term
            if loss2 is not None:
                if mode == "grad2":
                    loss2.backward()
                else:
                    g2 = lib.autograd.grad(loss2, xs, allow_unused=True)
                    if any(g is not None and _arr(g).any() for g in g2):
                        log.append(("grad2", [None if g is None else _arr(g) for g in g2]))
        else:
            loss.backward(create_graph=True)
            step = "second"
            loss2 = None
            for t in leaves:
                if t.grad is not None and t.grad.requires_grad and _arr(t.grad).any():
                    term = (t.grad * t.grad).sum()
                    loss2 = term if loss2 is None else loss2 + term
            if loss2 is not None:
                loss2.backward()
        step = "done"
    except Exception as e:
        log.append((f"{step} raised", _category(e)))
        return log
    for i, t in enumerate(leaves):
        log.append(("leaf grad", i, None if t.grad is None else _arr(t.grad)))
    for i in retained:
        g = pool[i].grad
        log.append(("retained grad", i, None if g is None else _arr(g)))
    log.append(("hooks", sorted((h, v) for h, vs in seen.items() for v in [vs])))
    return log


class _Null:
    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass


# ----------------------------------------------------------------------------- comparing


def _same(a: Any, b: Any, path: str = "", tol: float = 1e-9) -> str | None:
    """Where two logs differ, or None (``tol``: relative and absolute)."""
    if a is None and isinstance(b, np.ndarray) and not b.any():
        return None  # torch passes zeros on where no gradient flows here (see DIVERGENCES)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return f"{path}: {type(a).__name__} vs {type(b).__name__}"
        if a.shape != b.shape:
            return f"{path}: shape {a.shape} vs {b.shape}"
        if not np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True):
            return f"{path}: values\n{a}\nvs\n{b}"
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        for i, (x, y) in enumerate(zip(a, b)):
            found = _same(x, y, f"{path}[{i}]", tol)
            if found:
                return found if path else f"{found}\n  ours:   {x!r:.400}\n  theirs: {y!r:.400}"
        if len(a) != len(b):
            extra = a[len(b)] if len(a) > len(b) else b[len(a)]
            return f"{path}: length {len(a)} vs {len(b)}, next: {extra!r:.400}"
        return None
    if isinstance(a, float) and isinstance(b, float):
        return None if np.isclose(a, b) else f"{path}: {a} vs {b}"
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def _case(seed: int, torch: Any) -> tuple[str, str | None]:
    """(outcome, where the logs differ or None) of the program drawn from ``seed``."""
    prog = _draw_program(np.random.default_rng(seed))
    outcome = "compared"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = _run(tg, prog)
        theirs = _run(torch, prog)
        raised = "raised" in theirs[-1][0]
        if raised and theirs[-1][1] == "view":
            return "skipped: torch's view+inplace refusal", None
        if ours[-1] == ("second raised", "freed") and theirs[-1][0] != "second raised":
            return "accepted: second backward refused at every node", None
        if ours[-1] == ("second raised", "once") and prog["mode"] == "grad2_grad":
            return "accepted: once_differentiable raises under grad()", None
        if theirs[-1] == ("second raised", "once") and "raised" not in ours[-1][0]:
            theirs = _run(torch, {**prog, "stop_zeros": True})  # (see DIVERGENCES)
            outcome = "compared with torch's run where a backward given only zeros returns None"
        if raised and theirs[-1][1] == "inplace":
            if "inplace" in ours[-1]:  # maybe later here, where a rule first reads the change
                return "both raised (inplace)", None
            theirs = _run(torch, {**prog, "inplace": None})
            outcome = "compared with torch's run without the in-place change"
    f32 = any(dtype == "float32" for _, dtype, _ in prog["leaves"])
    found = _same(ours, theirs, tol=1e-4 if f32 else 1e-9)
    if found is None and ours[-1][0].endswith("raised"):
        outcome = f"both raised ({ours[-1][1]})"
    return outcome, found


def test_random_functions_match_torch() -> None:
    assert_seeds_agree(_case, pytest.importorskip("torch"), CASES)


if __name__ == "__main__":
    import sys

    tally(_case, sys.argv, width=600)
