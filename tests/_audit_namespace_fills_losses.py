# ruff: noqa: E501
"""Bad-input and edge-case audit of einsum, tensordot, the torch namespace additions (cc35cfe),
the in-place and random fills, and the new losses and activations, against torch 2.13.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_namespace_fills_losses.py [-v] [--only SUBSTRING] [--json PATH]

Same method and outcome classes as ``tests/_audit_methods_layers.py`` (its helpers are imported):
each case is a template evaluated on both libraries with one slot varied at a time plus seeded
random mixes. Random results (random fills, dropout with 0 < p < 1, gumbel_softmax, rrelu in
training) are compared through ``S(out)``: zeros of the result's shape and dtype, so only
shape, dtype and errors count. In-place calls start from ``t(...).clone()`` (a non-leaf, so
the gradient flows through the in-place op) or from a leaf without grad.

On 2026-11-27: 5291 calls (15 random mixes per case). Before the fixes (main at 7de3d0a):
equal 1358, both-raise 2422, both-raise (kind) 660, ours-raises 585, torch-raises 210, leak 28,
differ 27, odd 1. After: equal 1368, both-raise 2504, both-raise (kind) 647, ours-raises 577,
torch-raises 166, differ 25, leak 4, odd 0. Fixed: unique merged nans; block_diag() was
float64; int in-place ops appended numpy's cast message; searchsorted's sorter (float or out of
range) leaked numpy's IndexError; histc's non-finite range and string bounds leaked numpy's
errors; fill_diagonal_ overflowed an int tensor and filled nan for None; the random fills took
strings and None, uniform_ an infinite range, random_ float bounds and bounds beyond the dtype;
tril/triu_indices took 2.5 rows and byte-string dtypes; isin took None and lists,
searchsorted/bucketize a string; sub_/add_ read alpha=None as 1; softshrink(inf) gave zeros;
cdist took any compute_mode; F.relu lacked input=/inplace=; select named a bad index "dim".
What remains:

* ours-raises (577): 510 are the in-place ops refusing, in grad mode, a tensor (or value) that
  requires grad, where torch records the in-place op (this library records no in-place graph,
  by design); 34 bools refused as numbers; 14 the legacy size_average/reduce arguments of the
  loss modules; 7 integer inputs to the float-only losses; 6 writes into an expanded tensor
  (which torch allows for tril_/triu_/fill_diagonal_/threshold_); 6 others (gumbel_softmax
  refuses tau <= 0 or nan, which torch turns into nan or inf; bincount of an empty input with
  weights of another length).
* torch-raises (166): torch wants a Tensor where we take numbers (fmax(x, 2.0), logical_and(x,
  2.0), the losses' targets), ints for bools (training=1, with_replacement=1, swap=1); our
  F.<act>(inplace=True) computes out of place, so torch's refusals of a leaf or an expanded
  tensor do not happen; mixed dtypes are promoted (einsum, tensordot, cdist, cartesian_prod);
  torch has no derivative for unique, bincount, dist(p=0); isin of bools; float tril_indices.
* both-raise (kind): mostly the order of checks (the in-place grad refusal before the argument
  types; reduction=None is a TypeError here, a ValueError in torch, as for every loss), and
  TypeError for an integer input to a float-only op where torch raises NotImplementedError.
* differ (25): 15 are asinh_/acosh_/atanh_ on a tensor requiring grad (torch fails in backward,
  having no in-place derivative; we refuse in the forward); torch's block_diag gradient for an
  empty block beside another is misplaced (ours is right); searchsorted of a sequence holding
  nan (not sorted, so undefined); cdist of an empty float32 with a float64 tensor (torch
  float32); float32 rounding of mixed float32/float64 inputs in poisson_nll_loss and
  cosine_similarity and of torch's in-place hardsigmoid backward (~1e-8); relu's and
  hardswish's gradient at nan (torch passes g at a nan input; ours 0, the relu primitive).
* leak (4): Tensor.hardshrink does not exist (torch has the method; F.hardshrink does).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from _audit_methods_layers import Lib, audit_main, case, tensors_like, to_np


def S(o: Any) -> Any:
    """A random result's shape and dtype only."""
    if isinstance(o, (tuple, list)):
        return [S(x) for x in o]
    return np.zeros_like(to_np(o))


_env = Lib.env


def env(self: Lib) -> dict[str, Any]:
    e = _env(self)
    e["S"] = S
    return e


Lib.env = env  # type: ignore[method-assign]

X = "t(2, 3)"
XC = "t(2, 3).clone()"
BAD = ["'a'", "None", "2.5", "True", "[1, 2]"]
DIMS = ["0", "1", "-1", "2", "-3", "True", "1.0", "None"]


def inplace_xs(base: str = "t(2, 3)") -> list[str]:
    b = base[:-1]
    return [
        f"{base}.clone()",
        f"{b}, grad=False)",
        f"{b}, dtype='i64')",
        f"{b}, dtype='bool')",
        f"{b}, dtype='f32').clone()",
        base,
        "t().clone()",
        "t(0).clone()",
        "t(3, grad=False).expand(2, 3)",
        "v([nan, inf, -inf, 0.0], grad=True).clone()",
    ]


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    C: list[tuple[str, dict[str, list[str]]]] = []
    # ------------------------------------------------------------------ einsum / tensordot
    C.append(
        case(
            "T.einsum({eq}, {a}, {b})",
            eq=[
                "'ij,jk->ik'",
                "'ij,jk'",
                "'ij,kj->ik'",
                "'...j,jk->...k'",
                "'ii,jk->ik'",
                "'ij,jk->ikk'",
                "'ij,jk->iz'",
                "'ij->ij'",
                "'i j , j k -> i k'",
                "'ij,jk->'",
                "'IJ,JK->IK'",
                "'ij,jk->ik->i'",
                "''",
                "3",
                "'i.j,jk->ik'",
                "'aa,ab->ab'",
            ],
            a=tensors_like("t(2, 3)", "t(3, 3)", "t(4, 2, 3)", "t(2, 3).t()"),
            b=tensors_like("t(3, 4)", "t(3, 3)", "t(2, 3)", "t(1, 4)"),
        )
    )
    C.append(
        case(
            "T.einsum({eq}, {ops})",
            eq=[
                "'ij,jk->ik'",
                "'ij,jk,kl->il'",
                "'i->'",
                "'ij'",
                "'ii->i'",
                "'bij,bjk->bik'",
                "'...,...->...'",
                "'i,i->i'",
            ],
            ops=[
                "[t(2, 3), t(3, 4)]",
                "(t(2, 3), t(3, 4))",
                "t(3, 3)",
                "[]",
                "[t(2, 3)]",
                "[t(2, 3), t(3, 4), t(4, 2)]",
                "[t(2, 3, 3), t(2, 3, 3)]",
                "[t(3), t(3)]",
                "[t(3), t(2)]",
                "[t(), t()]",
            ],
        )
    )
    C.append(
        case(
            "T.einsum({eq}, {a})",
            eq=[
                "'ii'",
                "'ii->i'",
                "'ij->ji'",
                "'i->'",
                "'...->'",
                "'ij->j'",
                "'iii->i'",
                "'ij->jj'",
            ],
            a=tensors_like("t(3, 3)", "t(3, 3, 3)", "t(0, 0)", "t(2, 3)"),
        )
    )
    C.append(
        case(
            "T.tensordot({a}, {b}, dims={d})",
            a=tensors_like("t(2, 3, 4)", "t(3, 4)", "t(2, 3, 4).transpose(0, 2)"),
            b=tensors_like("t(3, 4, 5)", "t(4, 5)", "t(2, 3)"),
            d=[
                "2",
                "1",
                "0",
                "3",
                "-1",
                "([1, 2], [0, 1])",
                "([1], [0])",
                "[[1, 2], [0, 1]]",
                "([2, 1], [1, 0])",
                "([1, 1], [0, 0])",
                "([3], [0])",
                "([-1], [1])",
                "([1],)",
                "t(2)",
                "2.0",
                "True",
                "None",
                "'a'",
                "(1, 0)",
                "([], [])",
            ],
        )
    )
    # ------------------------------------------------------------------ stacks and shapes
    for name in ["hstack", "vstack", "dstack", "column_stack", "row_stack"]:
        C.append(
            case(
                f"T.{name}({{ts}})",
                ts=[
                    "[t(2, 3), t(2, 3)]",
                    "(t(3), t(3))",
                    "[t(), t()]",
                    "[t(2, 3), t(4, 3)]",
                    "[t(2, 3), t(2, 4)]",
                    "[t(2, 3)]",
                    "[]",
                    "t(2, 3)",
                    "[t(2, 3), t(2, 3, dtype='i64')]",
                    "[t(2, 3), t(2, 3, dtype='f32')]",
                    "[t(2, 3), 1.0]",
                    "[t(2, 3), arr(2, 3)]",
                    "None",
                    "[t(0), t(0)]",
                    "[t(2, 0), t(2, 3)]",
                    "[t(3), t(2, 3)]",
                    "[t(2, 3, 4), t(2, 3, 4)]",
                    "[t(2, 3, dtype='bool'), t(2, 3, dtype='bool')]",
                ],
            )
        )
    for name in ["atleast_1d", "atleast_2d", "atleast_3d"]:
        C.append(
            case(
                f"T.{name}({{x}})",
                x=tensors_like(
                    "t()", "t(3)", "t(2, 3, 4, 5)", "[t(), t(3)]", "(t(), t(2, 3))", "[]"
                ),
            )
        )
        C.append(
            case(
                f"T.{name}({{x}}, {{y}})",
                x=["t()", "t(3)", "1.0", "None"],
                y=["t(2, 3)", "t()", "[t(3)]", "'a'"],
            )
        )
    C.append(
        case(
            "T.block_diag({a}, {b})",
            a=tensors_like("t(2, 3)", "t(3)", "t(2, 3, 4)", "t(0, 3)"),
            b=tensors_like("t(1, 2)", "t(2)", "t()", "t(0)"),
        )
    )
    C.append(case("T.block_diag({a})", a=["t(2, 3)", "[t(2, 3)]", "t()", "t(2, 2, 2)", "None"]))
    C.append(case("T.block_diag()", a=["0"]))
    C.append(
        case(
            "T.cartesian_prod({a}, {b})",
            a=tensors_like("t(3)", "t(2, 3)", "idx(3)", "t(1)"),
            b=tensors_like("t(2)", "t(2, 2)", "idx(2)"),
        )
    )
    C.append(case("T.cartesian_prod({a})", a=tensors_like("t(3)", "t(2, 3)", "idx(3)")))
    C.append(
        case(
            "T.combinations({x}, {r}, {w})",
            x=tensors_like("t(4)", "t(2, 3)", "idx(4)", "t(1)"),
            r=["2", "0", "1", "3", "4", "5", "-1", "2.0", "True", "None", "'a'"],
            w=["False", "True", "1", "None"],
        )
    )
    for name in ["tril_indices", "triu_indices"]:
        C.append(
            case(
                f"T.{name}({{r}}, {{c}}, {{o}})",
                r=["3", "0", "1", "-1", "4", "2.0", "True", "None", "'a'", "t()"],
                c=["4", "0", "3", "-2", "1.0", "None"],
                o=["0", "1", "-1", "5", "-7", "1.5", "True", "None"],
            )
        )
        C.append(
            case(
                f"T.{name}(3, 4, dtype={{d}})",
                d=["None", "i64", "f64", "f32", "'a'"],
            )
        )
    # ------------------------------------------------------------------ distances and searches
    C.append(
        case(
            "T.cdist({a}, {b}, p={p})",
            a=tensors_like(
                "t(3, 4)",
                "t(2, 3, 4)",
                "t(4)",
                "t(0, 4)",
                "t(3, 0)",
                "v([[0.0, 0.0], [1.0, 1.0]], grad=True)",
            ),
            b=tensors_like(
                "t(5, 4)",
                "t(2, 5, 4)",
                "t(5, 3)",
                "t(1, 5, 4)",
                "t(0, 4)",
                "v([[0.0, 0.0]], grad=True)",
            ),
            p=["2.0", "1.0", "0.0", "0.5", "3.0", "inf", "-1.0", "nan", "2", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "T.cdist(t(3, 4), t(5, 4), compute_mode={m})",
            m=[
                "None",
                "'use_mm_for_euclid_dist_if_necessary'",
                "'use_mm_for_euclid_dist'",
                "'donot_use_mm_for_euclid_dist'",
                "'bad'",
                "1",
            ],
        )
    )
    C.append(
        case(
            "T.dist({a}, {b}, {p})",
            a=tensors_like("t(2, 3)", "t(3)", "t(4)", "v([0.0, 0.0, 0.0], grad=True)"),
            b=tensors_like("t(2, 3)", "t(3)", "t(1)", "v([0.0, 0.0, 0.0], grad=True)"),
            p=["2", "1", "0", "inf", "-inf", "0.5", "3", "-1", "nan", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "{a}.dist({b})",
            a=["t(2, 3)", "t(2, 3, dtype='i64')", "t(0)"],
            b=["t(2, 3)", "t(4)", "2.0", "None"],
        )
    )
    C.append(
        case(
            "T.searchsorted({s}, {v}, right={r}, side={sd})",
            s=[
                "v([1.0, 2.0, 3.0, 4.0])",
                "v([[1.0, 3.0], [2.0, 4.0]])",
                "v([1, 2, 3])",
                "v([])",
                "v([1.0, nan, 3.0])",
                "t()",
                "v([3.0, 2.0, 1.0])",
                "t(2, 3)",
                "v([1.0, 2.0, 3.0], 'f32')",
                "[1.0, 2.0]",
                "None",
            ],
            v=[
                "v([0.5, 2.0, 5.0])",
                "v(2.0)",
                "2.0",
                "v([[0.5], [3.0]])",
                "v([nan, inf])",
                "v([1, 2])",
                "v([], 'f64')",
                "t(2, 3)",
                "'a'",
                "None",
                "True",
                "v([2.0], 'f32')",
            ],
            r=["False", "True", "1", "None"],
            sd=["None", "'left'", "'right'", "'bad'"],
        )
    )
    C.append(
        case(
            "T.searchsorted(v([1.0, 2.0, 3.0]), v([2.0, 1.5]), sorter={so}, out_int32={o})",
            so=[
                "None",
                "v([0, 1, 2])",
                "v([2, 1, 0])",
                "v([0, 1, 5])",
                "v([0, 1])",
                "v([0.0, 1.0, 2.0])",
                "[0, 1, 2]",
            ],
            o=["False", "True"],
        )
    )
    C.append(
        case(
            "T.bucketize({v}, {b}, right={r}, out_int32={o})",
            v=[
                "v([0.5, 2.0, 5.0])",
                "v(2.0)",
                "2.0",
                "t(2, 3)",
                "v([nan, inf, -inf])",
                "v([1, 2])",
                "v([])",
                "None",
                "'a'",
                "v([True, False])",
            ],
            b=[
                "v([1.0, 2.0, 3.0])",
                "v([[1.0, 2.0]])",
                "v([])",
                "v(1.0)",
                "v([1, 2])",
                "[1.0, 2.0]",
                "None",
                "v([3.0, 1.0])",
            ],
            r=["False", "True"],
            o=["False", "True", "1"],
        )
    )
    # ------------------------------------------------------------------ sets, counts, indices
    C.append(
        case(
            "T.unique({x}, sorted={s}, return_inverse={ri}, return_counts={rc}, dim={d})",
            x=[
                "v([3, 1, 2, 3, 1])",
                "v([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])",
                "v([nan, nan, 1.0])",
                "v([])",
                "v(5.0)",
                "v([True, False, True])",
                "t(2, 3)",
                "t(0, 3)",
                "v([-0.0, 0.0])",
                "None",
                "[1, 2]",
            ],
            s=["True", "False"],
            ri=["False", "True"],
            rc=["False", "True"],
            d=["None", "0", "1", "-1", "2", "-3", "True", "1.0"],
        )
    )
    C.append(case("{x}.unique()", x=["v([3, 1, 2, 3, 1])", "t(2, 3)", "v([nan, 1.0, nan])"]))
    C.append(
        case(
            "T.unique_consecutive({x}, return_inverse={ri}, return_counts={rc}, dim={d})",
            x=[
                "v([1, 1, 2, 2, 3, 1, 1])",
                "v([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])",
                "v([nan, nan, 1.0])",
                "v([])",
                "v(5.0)",
                "v([True, True, False])",
                "t(0, 3)",
                "None",
            ],
            ri=["False", "True"],
            rc=["False", "True"],
            d=["None", "0", "1", "-1", "2", "-3", "True", "1.0"],
        )
    )
    C.append(
        case(
            "T.bincount({x}, weights={w}, minlength={m})",
            x=[
                "v([0, 1, 1, 3])",
                "v([], 'i64')",
                "v([-1, 2])",
                "v([0.0, 1.0])",
                "v([[0, 1]])",
                "v(2)",
                "v([True, False, True])",
                "v([0, 1, 1, 3], 'f32')",
                "None",
                "[0, 1]",
                "idx(4, high=1000)",
            ],
            w=[
                "None",
                "v([1.0, 2.0, 3.0, 4.0])",
                "v([1.0, 2.0])",
                "v([1, 2, 3, 4])",
                "v([1.0, 2.0, 3.0, 4.0], 'f32')",
                "t(4)",
                "t(2, 2)",
                "'a'",
                "v([True, False, True, True])",
            ],
            m=["0", "5", "-1", "2", "2.0", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "T.histc({x}, bins={b}, min={lo}, max={hi})",
            x=[
                "v([1.0, 2.0, 1.0, 4.0])",
                "t(3, 4)",
                "v([])",
                "v([1.0, nan, 2.0])",
                "v([1.0, inf])",
                "v([1, 2, 2])",
                "v(3.0)",
                "v([1.0, 2.0], 'f32')",
                "v([2.0, 2.0])",
                "v([True, False])",
                "None",
            ],
            b=["4", "1", "0", "-1", "100", "2.5", "True", "None"],
            lo=["0", "1", "3", "-1.5", "nan", "inf", "None", "'a'"],
            hi=["0", "3", "1", "4", "nan", "inf", "None"],
        )
    )
    C.append(
        case(
            "T.isin({e}, {t}, assume_unique={u}, invert={i})",
            e=[
                "v([1, 2, 3, 4])",
                "t(2, 3)",
                "v([1.0, nan])",
                "2",
                "2.5",
                "v([])",
                "v(3)",
                "v([True, False])",
                "None",
                "[1, 2]",
            ],
            t=[
                "v([2, 4])",
                "v([2.0, nan])",
                "3",
                "v([])",
                "t(2, 2)",
                "v(4)",
                "None",
                "[1, 2]",
                "v([True])",
                "'a'",
            ],
            u=["False", "True"],
            i=["False", "True", "1", "None"],
        )
    )
    C.append(
        case(
            "T.argwhere({x})",
            x=tensors_like(
                "t(2, 3)", "v([0.0, 1.0, nan])", "v([[True, False]])", "v(0.0)", "v(1.0)"
            ),
        )
    )
    C.append(case("{x}.argwhere()", x=["t(2, 3)", "v([0, 1, 0])", "t()"]))
    C.append(
        case(
            "T.msort({x})",
            x=tensors_like(
                "t(3, 2)",
                "t(3)",
                "v([[nan, 1.0], [0.0, nan]], grad=True)",
                "v([[1.0, 1.0], [1.0, 0.0]], grad=True)",
                "t(2, 3).t()",
            ),
        )
    )
    C.append(
        case(
            "T.select({x}, {d}, {i})",
            x=tensors_like("t(2, 3)", "t(2, 3, 4)"),
            d=DIMS,
            i=["0", "1", "-1", "2", "-3", "5", "True", "1.0", "None", "t()", "idx()"],
        )
    )
    C.append(
        case(
            "{x}.select({d}, {i})",
            x=["t(2, 3)", "t()", "t(0, 3)"],
            d=["0", "1", "-1", "2"],
            i=["0", "-1", "2", "-3"],
        )
    )
    C.append(case("T.positive({x})", x=tensors_like(X)))
    C.append(case("{x}.positive()", x=tensors_like(X)))
    C.append(
        case(
            "T.vdot({a}, {b})",
            a=tensors_like("t(3)", "t(4)", "t(3, dtype='i64')", "v([1, 2, 3])"),
            b=tensors_like("t(3)", "t(4)", "t(2, 3)", "v([1, 2, 3])"),
        )
    )
    for name in ["fmax", "fmin"]:
        C.append(
            case(
                f"T.{name}({{a}}, {{b}})",
                a=tensors_like(
                    "t(2, 3)",
                    "v([nan, 1.0, nan, 2.0], grad=True)",
                    "v([1.0, 1.0, 2.0, 3.0], grad=True)",
                ),
                b=[
                    "t(2, 3)",
                    "t(3)",
                    "t(4)",
                    "v([1.0, nan, nan, 2.0], grad=True)",
                    "v([1.0, 2.0, 1.0, 3.0], grad=True)",
                    "2.0",
                    "nan",
                    "1",
                    "True",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='f32')",
                    "t(2, 3, dtype='bool')",
                    "None",
                    "'a'",
                    "arr(2, 3)",
                    "t()",
                ],
            )
        )
        C.append(
            case(
                f"{{a}}.{name}({{b}})",
                a=["t(2, 3)", "t(2, 3, dtype='i64')"],
                b=["t(2, 3)", "2.0", "t(4)"],
            )
        )
    for name in ["logical_and", "logical_or", "logical_xor"]:
        C.append(
            case(
                f"T.{name}({{a}}, {{b}})",
                a=tensors_like("t(2, 3)", "v([0.0, nan, 1.0, -0.0])"),
                b=[
                    "t(2, 3)",
                    "t(3)",
                    "t(4)",
                    "v([0.0, 0.0, 1.0, 1.0])",
                    "2.0",
                    "0",
                    "True",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='bool')",
                    "None",
                    "'a'",
                    "arr(2, 3)",
                    "t()",
                ],
            )
        )
        C.append(
            case(
                f"{{a}}.{name}_({{b}})",
                a=inplace_xs(),
                b=["t(2, 3)", "t(3)", "t(4)", "t(2, 3, dtype='bool')", "2.0", "True", "None"],
            )
        )
    C.append(case("T.logical_not({a})", a=tensors_like("t(2, 3)", "v([0.0, nan, -0.0])")))
    C.append(case("{a}.logical_not_()", a=inplace_xs()))
    C.append(
        case(
            "T.diag_embed({x}, offset={o}, dim1={d1}, dim2={d2})",
            x=tensors_like("t(2, 3)", "t(3)", "t(2, 3, 4)"),
            o=["0", "1", "-1", "5", "-5", "1.5", "True", "None"],
            d1=["-2", "0", "1", "2", "-3", "3", "-1", "None"],
            d2=["-1", "0", "1", "2", "-2", "3", "-4"],
        )
    )
    C.append(
        case(
            "T.diagflat({x}, {o})",
            x=tensors_like("t(3)", "t(2, 3)", "t(2, 3).t()", "idx(3)"),
            o=["0", "1", "-2", "4", "-4", "1.5", "True", "None", "'a'"],
        )
    )
    for name in ["baddbmm", "addbmm"]:
        C.append(
            case(
                f"T.{name}({{i}}, {{a}}, {{b}}, beta={{be}}, alpha={{al}})",
                i=tensors_like(
                    "t(2, 3, 5)" if name == "baddbmm" else "t(3, 5)",
                    "t(5)",
                    "t(3, 1)",
                    "t(4, 3, 5)",
                    "v(nan, grad=True)",
                ),
                a=tensors_like("t(2, 3, 4)", "t(3, 4)", "t(2, 3, 5)", "t(1, 3, 4)", "t(0, 3, 4)"),
                b=tensors_like("t(2, 4, 5)", "t(4, 5)", "t(3, 4, 5)", "t(2, 5, 5)"),
                be=["1", "0", "0.5", "-2", "True", "None", "'a'", "nan"],
                al=["1", "0", "2.5", "True", "None", "'a'", "nan"],
            )
        )
        C.append(
            case(
                f"{{i}}.{name}_({{a}}, {{b}}, beta={{be}})",
                i=inplace_xs("t(2, 3, 5)" if name == "baddbmm" else "t(3, 5)"),
                a=["t(2, 3, 4)", "t(2, 3, 4, dtype='i64')"],
                b=["t(2, 4, 5)", "t(2, 5, 5)"],
                be=["1", "0", "2.0"],
            )
        )
    C.append(
        case(
            "T.rsub({a}, {b}, alpha={al})",
            a=tensors_like(X),
            b=[
                "t(2, 3)",
                "2.0",
                "3",
                "True",
                "t(3)",
                "t(4)",
                "t(2, 3, dtype='i64')",
                "t(2, 3, dtype='bool')",
                "None",
                "'a'",
            ],
            al=["1", "2", "0.5", "True", "None", "'a'"],
        )
    )
    # ------------------------------------------------------------------ in-place forms
    for name in [
        "sinh_",
        "cosh_",
        "asin_",
        "acos_",
        "atan_",
        "asinh_",
        "acosh_",
        "atanh_",
        "sinc_",
        "sgn_",
        "deg2rad_",
        "rad2deg_",
        "logit_",
        "positive",
    ]:
        C.append(case(f"{{x}}.{name}()", x=inplace_xs()))
    C.append(
        case(
            "{x}.logit_({e})",
            x=["t(2, 3).clone()", "t(2, 3, dtype='i64')"],
            e=["None", "0.1", "0.0", "0.6", "-1", "'a'"],
        )
    )
    for name in ["cumsum_", "cumprod_"]:
        C.append(case(f"{{x}}.{name}({{d}})", x=inplace_xs(), d=DIMS))
    for name in [
        "atan2_",
        "hypot_",
        "copysign_",
        "fmod_",
        "remainder_",
        "xlogy_",
        "float_power_",
        "multiply_",
        "true_divide_",
        "floor_divide_",
        "subtract_",
        "eq_",
        "ne_",
        "lt_",
        "le_",
        "gt_",
        "ge_",
        "heaviside_",
    ]:
        C.append(
            case(
                f"{{x}}.{name}({{y}})",
                x=inplace_xs(),
                y=[
                    "t(2, 3)",
                    "t(3)",
                    "t(4)",
                    "t(2, 1, 3)",
                    "2.0",
                    "0",
                    "True",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='bool')",
                    "t(2, 3, dtype='f32')",
                    "None",
                    "'a'",
                    "arr(2, 3)",
                    "v([0.0, nan, inf])",
                ],
            )
        )
    C.append(
        case(
            "{x}.subtract_({y}, alpha={a})",
            x=["t(2, 3).clone()", "t(2, 3, dtype='i64')"],
            y=["t(2, 3)", "2"],
            a=["1", "2.5", "True", "None"],
        )
    )
    C.append(
        case(
            "{x}.divide_({y}, rounding_mode={m})",
            x=inplace_xs(),
            y=["t(2, 3)", "2", "0.0", "t(2, 3, dtype='i64')"],
            m=["None", "'floor'", "'trunc'", "'bad'", "1"],
        )
    )
    C.append(
        case(
            "{x}.lerp_({e}, {w})",
            x=inplace_xs(),
            e=[
                "t(2, 3)",
                "t(3)",
                "t(4)",
                "t(2, 3, dtype='f32')",
                "t(2, 3, dtype='i64')",
                "2.0",
                "None",
                "t(2, 1, 3)",
            ],
            w=[
                "0.5",
                "t(2, 3)",
                "t(3)",
                "t(4)",
                "0",
                "2",
                "True",
                "None",
                "'a'",
                "t(2, 3, dtype='f32')",
                "nan",
            ],
        )
    )
    for name in ["addcmul_", "addcdiv_"]:
        C.append(
            case(
                f"{{x}}.{name}({{a}}, {{b}}, value={{v}})",
                x=inplace_xs(),
                a=["t(2, 3)", "t(3)", "t(4)", "t(2, 1, 3)", "t(2, 3, dtype='i64')", "2.0", "None"],
                b=["t(2, 3)", "t(3)", "t(4)", "t(2, 3, dtype='i64')", "v(0.0)", "None"],
                v=["1", "0.5", "-2", "True", "None", "'a'", "t()"],
            )
        )
    C.append(
        case(
            "{x}.addmm_({a}, {b}, beta={be}, alpha={al})",
            x=inplace_xs("t(2, 4)"),
            a=["t(2, 3)", "t(3, 2)", "t(3)", "t(2, 3, dtype='i64')"],
            b=["t(3, 4)", "t(4, 3)", "t(3)"],
            be=["1", "0", "2.5", "True", "None"],
            al=["1", "0", "-1", "None"],
        )
    )
    C.append(
        case(
            "{x}.addmv_({a}, {b}, beta={be}, alpha={al})",
            x=inplace_xs("t(2)"),
            a=["t(2, 3)", "t(3, 2)", "t(3)"],
            b=["t(3)", "t(2)", "t(3, 1)"],
            be=["1", "0", "None"],
            al=["1", "2", "None"],
        )
    )
    C.append(
        case(
            "{x}.addr_({a}, {b}, beta={be}, alpha={al})",
            x=inplace_xs(),
            a=["t(2)", "t(3)", "t(2, 1)"],
            b=["t(3)", "t(2)", "t()"],
            be=["1", "0", "None"],
            al=["1", "2", "None"],
        )
    )
    for name in ["tril_", "triu_"]:
        C.append(
            case(
                f"{{x}}.{name}({{d}})",
                x=[*inplace_xs(), "t(2, 3, 4).clone()", "t(3).clone()"],
                d=["0", "1", "-1", "5", "-5", "1.5", "True", "None"],
            )
        )
    C.append(
        case(
            "{x}.index_add_({d}, {i}, {s}, alpha={a})",
            x=inplace_xs("t(3, 2)"),
            d=["0", "1", "-1", "2", "-3", "True", "None"],
            i=[
                "v([0, 2])",
                "v([0, 0])",
                "v([0, 5])",
                "v([-1, 0])",
                "v([0.0, 1.0])",
                "v([[0, 1]])",
                "v(1)",
                "[0, 2]",
                "v([], 'i64')",
                "None",
            ],
            s=[
                "t(2, 2)",
                "t(3, 2)",
                "t(2, 3)",
                "t(2)",
                "t(2, 2, dtype='i64')",
                "t(2, 2, dtype='f32')",
                "None",
                "2.0",
            ],
            a=["1", "2", "0.5", "True", "None"],
        )
    )
    C.append(
        case(
            "{x}.index_copy_({d}, {i}, {s})",
            x=inplace_xs("t(3, 2)"),
            d=["0", "1", "-1", "2", "None"],
            i=[
                "v([0, 2])",
                "v([0, 0])",
                "v([0, 5])",
                "v([-1, 0])",
                "v([0.0, 1.0])",
                "v([[0, 1]])",
                "[0, 2]",
                "None",
            ],
            s=["t(2, 2)", "t(3, 2)", "t(2)", "t(2, 2, dtype='i64')", "None", "2.0"],
        )
    )
    C.append(
        case(
            "{x}.index_fill_({d}, {i}, {v})",
            x=inplace_xs("t(3, 2)"),
            d=["0", "1", "-1", "2", "None"],
            i=[
                "v([0, 2])",
                "v([0, 0])",
                "v([0, 5])",
                "v([-1, 0])",
                "v([0.0, 1.0])",
                "v([[0, 1]])",
                "v(1)",
                "[0, 2]",
                "None",
            ],
            v=["1.5", "0", "True", "nan", "v(2.0)", "t()", "t(2)", "None", "'a'"],
        )
    )
    C.append(
        case(
            "{x}.scatter_({d}, {i}, {s})",
            x=inplace_xs("t(3, 4)"),
            d=["0", "1", "-1", "2", "None"],
            i=[
                "v([[0, 1, 2, 0]])",
                "v([[0, 1], [2, 0]])",
                "v([[0, 5, 0, 0]])",
                "v([[-1, 0, 0, 0]])",
                "v([[0.0, 1.0]])",
                "v([0, 1])",
                "v([[0, 1, 2, 0, 1]])",
                "None",
                "v([[[0]]])",
            ],
            s=[
                "t(2, 4)",
                "t(1, 4)",
                "t(1, 2)",
                "2.0",
                "t(1, 4, dtype='i64')",
                "t(1, 4, dtype='f32')",
                "None",
                "t(4)",
            ],
        )
    )
    C.append(
        case(
            "{x}.scatter_({d}, {i}, {s}, reduce={r})",
            x=["t(3, 4).clone()", "t(3, 4, dtype='i64')"],
            d=["0", "1"],
            i=["v([[0, 1, 2, 0]])"],
            s=["t(1, 4)", "2.0", "t(1, 4, dtype='i64')"],
            r=["'add'", "'multiply'", "'sum'", "'mean'", "None", "'bad'"],
        )
    )
    C.append(
        case(
            "{x}.scatter_add_({d}, {i}, {s})",
            x=inplace_xs("t(3, 4)"),
            d=["0", "1", "-1", "2"],
            i=[
                "v([[0, 1, 2, 0]])",
                "v([[0, 5, 0, 0]])",
                "v([[-1, 0, 0, 0]])",
                "v([[0.0, 1.0]])",
                "v([0, 1])",
            ],
            s=["t(2, 4)", "t(1, 4)", "t(1, 2)", "2.0", "t(1, 4, dtype='i64')", "None"],
        )
    )
    C.append(
        case(
            "{x}.fill_diagonal_({v}, {w})",
            x=[
                *inplace_xs("t(3, 3)"),
                "t(5, 2).clone()",
                "t(2, 5).clone()",
                "t(3, 3, 3).clone()",
                "t(3, 3, 4).clone()",
                "t(7, 3).clone()",
                "t(3).clone()",
            ],
            v=["1.5", "0", "True", "nan", "-inf", "None", "'a'", "t()"],
            w=["False", "True", "1", "None"],
        )
    )
    # ------------------------------------------------------------------ random fills
    for call, args in [
        (
            "uniform_",
            [
                "",
                "-1.0, 1.0",
                "2.0, 1.0",
                "1.0, 1.0",
                "0, inf",
                "nan, 1.0",
                "'a'",
                "None",
                "True, 2",
                "from_=1.0, to=3.0",
            ],
        ),
        (
            "normal_",
            [
                "",
                "1.0, 2.0",
                "0.0, 0.0",
                "0.0, -1.0",
                "0.0, inf",
                "nan",
                "None",
                "'a'",
                "mean=1.0, std=0.5",
                "0.0, True",
            ],
        ),
        ("log_normal_", ["", "1.0, 2.0", "0.0, 0.0", "0.0, -1.0", "None", "'a'", "mean=0.5"]),
        (
            "exponential_",
            ["", "2.0", "0.0", "-1.0", "inf", "nan", "None", "'a'", "lambd=0.5", "True"],
        ),
        ("cauchy_", ["", "1.0, 2.0", "0.0, 0.0", "0.0, -1.0", "None", "median=1.0, sigma=3.0"]),
        (
            "geometric_",
            ["0.5", "1.0", "0.0", "1.5", "-0.1", "nan", "None", "'a'", "", "p=0.2", "True"],
        ),
        (
            "bernoulli_",
            [
                "",
                "0.5",
                "0.0",
                "1.0",
                "1.5",
                "-0.1",
                "nan",
                "t(2, 3, pos=True) / 3",
                "t(3) * 0 + 0.5",
                "t(4)",
                "v([0.2, 0.8, 0.5])",
                "None",
                "'a'",
                "p=0.3",
                "True",
            ],
        ),
        (
            "random_",
            [
                "",
                "10",
                "2, 5",
                "5, 2",
                "0, 0",
                "-3, 3",
                "2.5",
                "None",
                "'a'",
                "0, 2**70",
                "to=4",
                "from_=1, to=3",
            ],
        ),
    ]:
        C.append(
            case(
                f"S({{x}}.{call}({{a}}))",
                x=[
                    "t(2, 3, grad=False)",
                    "t(2, 3, dtype='f32', grad=False)",
                    "t(2, 3, dtype='i64')",
                    "t(2, 3, dtype='bool')",
                    "t(2, 3)",
                    "t(2, 3).clone()",
                    "t(0, grad=False)",
                    "t(grad=False)",
                    "t(3, grad=False).expand(2, 3)",
                ],
                a=args,
            )
        )
    # ------------------------------------------------------------------ losses
    Y = [
        "v([1.0, -1.0, 1.0])",
        "v([1, -1, 1])",
        "v([1.0, 0.0, -1.0])",
        "v([2.0, -1.0, 1.0])",
        "v(1.0)",
        "t(3)",
        "v([1.0, -1.0])",
        "v([True, False, True])",
        "None",
        "1.0",
        "v([1.0, -1.0, 1.0], 'f32')",
    ]
    RED = ["'mean'", "'sum'", "'none'", "'bad'", "None", "1"]
    C.append(
        case(
            "F.cosine_embedding_loss({a}, {b}, {y}, margin={m}, reduction={r})",
            a=tensors_like(
                "t(3, 4)",
                "t(4)",
                "t(3, 5)",
                "t(2, 3, 4)",
                "t(3, 4).t().t()",
                "v([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], grad=True)",
            ),
            b=tensors_like(
                "t(3, 4)",
                "t(4)",
                "t(3, 5)",
                "t(1, 4)",
                "v([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], grad=True)",
            ),
            y=Y,
            m=["0.0", "0.5", "-0.5", "2.0", "True", "None", "'a'", "nan"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.margin_ranking_loss({a}, {b}, {y}, margin={m}, reduction={r})",
            a=tensors_like("t(3)", "t(2, 3)", "t(4)", "t(1)"),
            b=tensors_like("t(3)", "t(4)", "t(1)"),
            y=Y,
            m=["0.0", "0.5", "-1.0", "True", "None", "'a'", "nan"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.hinge_embedding_loss({a}, {y}, margin={m}, reduction={r})",
            a=tensors_like("t(3)", "t(2, 3)", "t(4)", "t(1)"),
            y=Y,
            m=["1.0", "0.0", "-1.0", "True", "None", "'a'", "nan"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.multilabel_margin_loss({a}, {y}, reduction={r})",
            a=tensors_like("t(2, 4)", "t(4)", "t(3, 2, 4)", "t(0, 4)", "t(2, 0)"),
            y=[
                "v([[3, 0, -1, 1], [1, 2, 3, -1]])",
                "v([3, 0, -1, 1])",
                "v([[4, 0, -1, 1], [0, -1, 0, 0]])",
                "v([[-2, 0, -1, 1], [0, -1, 0, 0]])",
                "v([[0, 0, -1, 1], [1, 1, -1, 0]])",
                "v([[3.0, 0.0, -1.0, 1.0], [1.0, 2.0, 3.0, -1.0]])",
                "v([[3, 0, -1], [1, 2, 3]])",
                "v([[-1, 0, 1, 2], [0, 1, 2, 3]])",
                "None",
                "[[0, -1, 0, 0], [0, -1, 0, 0]]",
            ],
            r=RED,
        )
    )
    C.append(
        case(
            "F.multilabel_soft_margin_loss({a}, {y}, weight={w}, reduction={r})",
            a=tensors_like("t(2, 4)", "t(4)", "t(3, 2, 4)", "t(0, 4)"),
            y=[
                "v([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]])",
                "v([[1, 0, 1, 0], [0, 0, 1, 1]])",
                "v([[2.0, -1.0, 0.5, 0.0], [0.0, 0.0, 1.0, 1.0]])",
                "t(2, 4)",
                "t(4)",
                "t(2, 3)",
                "None",
                "v([[True, False, True, False], [False, False, True, True]])",
            ],
            w=["None", "t(4)", "t(2, 4)", "t(3)", "v([1, 2, 3, 4])", "t(4, grad=False)", "'a'"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.poisson_nll_loss({a}, {y}, log_input={li}, full={fu}, eps={e}, reduction={r})",
            a=tensors_like(
                "t(2, 3)", "t(2, 3, pos=True)", "t(3)", "t(4)", "v([0.0, 1.0, -1.0], grad=True)"
            ),
            y=[
                "t(2, 3, pos=True)",
                "t(3, pos=True)",
                "t(4)",
                "v([0.0, 1.0, 3.0])",
                "v([0, 1, 3])",
                "t(2, 3)",
                "None",
                "2.0",
                "v([nan, inf, 0.5])",
                "t(2, 3, pos=True, dtype='f32')",
            ],
            li=["True", "False", "1", "None"],
            fu=["False", "True"],
            e=["1e-8", "0.0", "-1.0", "1.0", "None", "'a'"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.gaussian_nll_loss({a}, {y}, {var}, full={fu}, eps={e}, reduction={r})",
            a=tensors_like("t(2, 3)", "t(3)", "t(2, 4)", "t(0, 3)"),
            y=[
                "t(2, 3)",
                "t(3)",
                "t(2, 4)",
                "t(2, 3, dtype='i64')",
                "None",
                "2.0",
                "t(2, 3, dtype='f32')",
            ],
            var=[
                "t(2, 3, pos=True)",
                "t(2, 1, pos=True)",
                "t(2, pos=True)",
                "t(3, pos=True)",
                "t(1, pos=True)",
                "t(2, 3)",
                "v(0.5, grad=True)",
                "0.5",
                "-0.5",
                "t(2, 4, pos=True)",
                "t(2, 3, 1, pos=True)",
                "v([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], grad=True)",
                "None",
                "t(2, 3, pos=True, dtype='f32')",
            ],
            fu=["False", "True"],
            e=["1e-6", "0.0", "-1.0", "1.0", "None"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.triplet_margin_loss({a}, {p}, {n}, margin={m}, p={pp}, eps={e}, swap={s}, reduction={r})",
            a=tensors_like("t(3, 4)", "t(4)", "t(3, 5)", "t(2, 3, 4)", "t(1, 4)"),
            p=["t(3, 4)", "t(4)", "t(3, 5)", "t(1, 4)", "t(2, 3, 4)", "None"],
            n=["t(3, 4)", "t(4)", "t(3, 5)", "t(3, 4, dtype='i64')", "None"],
            m=["1.0", "0.0", "-1.0", "True", "None", "'a'"],
            pp=["2.0", "1.0", "0.0", "3.0", "inf", "-1.0", "0.5", "True", "None"],
            e=["1e-6", "0.0", "-1.0", "None"],
            s=["False", "True", "1"],
            r=RED,
        )
    )
    C.append(
        case(
            "F.triplet_margin_with_distance_loss({a}, {p}, {n}, distance_function={df}, margin={m}, swap={s}, reduction={r})",
            a=tensors_like("t(3, 4)", "t(4)", "t(3, 5)", "t(2, 3, 4)"),
            p=["t(3, 4)", "t(4)", "t(3, 5)", "None"],
            n=["t(3, 4)", "t(4)", "t(3, 5)", "None"],
            df=[
                "None",
                "F.pairwise_distance",
                "lambda a, b: 1.0 - F.cosine_similarity(a, b)",
                "lambda a, b: (a - b).abs().sum(-1)",
                "lambda a, b: 1.0",
                "lambda a, b: (a - b).abs()",
                "'a'",
                "1",
            ],
            m=["1.0", "0.0", "-1.0", "None"],
            s=["False", "True"],
            r=RED,
        )
    )
    # torch's pdist backward crashes (segfault) on empty inputs: those go forward only
    C.append(
        case(
            "F.pdist({x}.detach(), p={p})",
            x=["t(0, 3)", "t(4, 0)", "t(2, 0)", "t(0)"],
            p=["2.0", "1.0", "inf"],
        )
    )
    C.append(
        case(
            "F.pdist({x}, p={p})",
            x=[
                x
                for x in tensors_like(
                    "t(4, 3)",
                    "t(1, 3)",
                    "t(2, 4, 3)",
                    "v([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]], grad=True)",
                    "t(4, 3).t()",
                )
                if x not in ("t(0)", "t(2, 0)")
            ],
            p=["2.0", "1.0", "0.0", "0.5", "3.0", "inf", "-1.0", "nan", "2", "True", "None", "'a'"],
        )
    )
    C.append(
        case(
            "nn.CosineSimilarity(dim={d}, eps={e})({a}, {b})",
            d=["1", "0", "-1", "2", "-3", "None", "1.0"],
            e=["1e-8", "0.0", "-1.0", "1.0", "None"],
            a=tensors_like(
                "t(3, 4)", "t(4)", "t(2, 3, 4)", "v([[0.0, 0.0], [1.0, 1.0]], grad=True)"
            ),
            b=[
                "t(3, 4)",
                "t(4)",
                "t(1, 4)",
                "t(3, 5)",
                "t(3, 4, dtype='i64')",
                "v([[0.0, 0.0], [1.0, 1.0]], grad=True)",
                "None",
            ],
        )
    )
    C.append(
        case(
            "nn.PairwiseDistance(p={p}, eps={e}, keepdim={k})({a}, {b})",
            p=["2.0", "1.0", "0.0", "inf", "-1.0", "0.5", "True", "None"],
            e=["1e-6", "0.0", "-1.0", "None"],
            k=["False", "True"],
            a=tensors_like("t(3, 4)", "t(4)", "t(2, 3, 4)", "t(0, 4)"),
            b=[
                "t(3, 4)",
                "t(4)",
                "t(1, 4)",
                "t(3, 5)",
                "t(3, 4, dtype='i64')",
                "None",
                "t(3, 4) * 0",
            ],
        )
    )
    for mod, args in [
        ("CosineEmbeddingLoss", "t(3, 4), t(3, 4), v([1.0, -1.0, 1.0])"),
        ("MarginRankingLoss", "t(3), t(3), v([1.0, -1.0, 1.0])"),
        ("HingeEmbeddingLoss", "t(3), v([1.0, -1.0, 1.0])"),
        ("MultiLabelMarginLoss", "t(2, 4), v([[3, 0, -1, 1], [1, 2, 3, -1]])"),
        ("MultiLabelSoftMarginLoss", "t(2, 4), v([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]])"),
        ("PoissonNLLLoss", "t(2, 3), t(2, 3, pos=True)"),
        ("GaussianNLLLoss", "t(2, 3), t(2, 3), t(2, 3, pos=True)"),
        ("TripletMarginLoss", "t(3, 4), t(3, 4), t(3, 4)"),
        ("TripletMarginWithDistanceLoss", "t(3, 4), t(3, 4), t(3, 4)"),
    ]:
        C.append(
            case(
                f"nn.{mod}({{kw}})({args})",
                kw=[
                    "",
                    "reduction='sum'",
                    "reduction='none'",
                    "reduction='bad'",
                    "reduction=None",
                    "size_average=False",
                    "reduce=False",
                    "margin=0.5"
                    if "Margin" in mod or "Embedding" in mod or "Ranking" in mod
                    else "eps=0.5",
                ],
            )
        )
    # ------------------------------------------------------------------ activations
    for name in ["hardshrink", "softshrink"]:
        C.append(
            case(
                f"F.{name}({{x}}, {{l}})",
                x=tensors_like(
                    X, "v([-0.5, 0.5, 0.0, 1.0, -1.0], grad=True)", "v([-1.0, 1.0, 0.0], grad=True)"
                ),
                l=["0.5", "0.0", "-0.5", "1.0", "inf", "nan", "1", "True", "None", "'a'", "t()"],
            )
        )
        C.append(
            case(
                f"nn.{name.capitalize()}({{l}})({{x}})",
                x=["t(2, 3)", "t(2, 3, dtype='i64')", "t()"],
                l=["0.5", "-1.0", "None", "lambd=0.0"],
            )
        )
        C.append(
            case(f"{{x}}.{name}({{l}})", x=["t(2, 3)", "t(2, 3, dtype='i64')"], l=["0.5", "-1.0"])
        )
    C.append(case("F.tanhshrink({x})", x=tensors_like(X)))
    C.append(case("nn.Tanhshrink()({x})", x=["t(2, 3)", "t(2, 3, dtype='i64')", "t()"]))
    C.append(
        case(
            "F.glu({x}, {d})",
            x=tensors_like(
                "t(2, 4)",
                "t(2, 3)",
                "t(4)",
                "t(2, 4, 6)",
                "t(0, 4)",
                "v([[nan, inf, 1.0, -inf]], grad=True)",
            ),
            d=DIMS,
        )
    )
    C.append(
        case("nn.GLU({d})({x})", x=["t(2, 4)", "t(2, 3)", "t()"], d=["-1", "0", "1", "2", "None"])
    )
    C.append(
        case(
            "F.rrelu({x}, lower={lo}, upper={up}, training=False, inplace={ip})",
            x=tensors_like("t(2, 3)"),
            lo=["1/8", "0.0", "0.5", "-1.0", "None", "'a'", "0.3"],
            up=["1/3", "0.0", "0.2", "1.0", "None", "0.3"],
            ip=["False", "True"],
        )
    )
    C.append(
        case(
            "S(F.rrelu({x}, lower={lo}, upper={up}, training=True))",
            x=tensors_like("t(2, 3)"),
            lo=["1/8", "0.0", "0.5", "-1.0", "None"],
            up=["1/3", "0.0", "0.2", "1.0", "None", "0.3"],
        )
    )
    C.append(
        case(
            "F.rrelu_({x}, {lo}, {up}, training=False)",
            x=inplace_xs(),
            lo=["1/8", "0.5", "None"],
            up=["1/3", "0.2", "None"],
        )
    )
    C.append(
        case(
            "S(nn.RReLU({lo}, {up})({x}))",
            x=["t(2, 3)", "t(2, 3, dtype='i64')"],
            lo=["1/8", "0.5"],
            up=["1/3", "0.2"],
        )
    )
    C.append(
        case(
            "nn.RReLU({lo}, {up}).eval()({x})",
            x=["t(2, 3)", "t(2, 3, dtype='i64')", "t(0)"],
            lo=["1/8", "0.5", "-1.0", "None"],
            up=["1/3", "0.2", "2.0"],
        )
    )
    C.append(
        case(
            "S(F.gumbel_softmax({x}, tau={tau}, hard={h}, eps={e}, dim={d}))",
            x=tensors_like("t(2, 3)", "t(3)", "t(2, 3, 4)", "t(2, 0)"),
            tau=["1.0", "0.5", "0.0", "-1.0", "inf", "nan", "True", "None", "'a'"],
            h=["False", "True", "1", "None"],
            e=["1e-10", "0.0", "None"],
            d=DIMS,
        )
    )
    C.append(case("F.gumbel_softmax({x}, hard=True).sum({d})", x=["t(2, 3)", "t(4, 5)"], d=["-1"]))
    for name, shapes in [
        (
            "dropout1d",
            ["t(2, 3, 4)", "t(3, 4)", "t(4)", "t(2, 3, 4, 5)", "t(0, 3, 4)", "t(2, 3, 0)"],
        ),
        (
            "dropout2d",
            ["t(2, 3, 4, 5)", "t(3, 4, 5)", "t(4, 5)", "t(4)", "t(2, 3, 4, 5, 6)", "t(0, 3, 4, 5)"],
        ),
        (
            "dropout3d",
            ["t(2, 3, 4, 5, 6)", "t(3, 4, 5, 6)", "t(4, 5, 6)", "t(4)", "t(2, 3, 4, 5, 6, 7)"],
        ),
        ("alpha_dropout", ["t(2, 3)", "t()", "t(0)", "t(5)"]),
        ("feature_alpha_dropout", ["t(2, 3, 4)", "t(2, 3)", "t(3)", "t()", "t(0, 3)"]),
    ]:
        xs = [
            *shapes,
            shapes[0].replace(")", ", dtype='f32')"),
            shapes[0].replace(")", ", dtype='i64')"),
            shapes[0].replace(")", ", dtype='bool')"),
            "None",
            "arr(2, 3)",
            "2.0",
        ]
        C.append(
            case(
                f"F.{name}({{x}}, p={{p}}, training={{tr}}, inplace={{ip}})",
                x=xs,
                p=["0.0", "1.0", "1", "0", "-0.1", "1.5", "nan", "None", "'a'", "True"],
                tr=["True", "False", "1", "None"],
                ip=["False", "True"],
            )
        )
        C.append(case(f"S(F.{name}({{x}}, p={{p}}))", x=shapes[:3], p=["0.5", "0.2", "0.9"]))
        C.append(
            case(
                f"F.{name}({{x}}, p={{p}}, inplace=True)",
                x=[shapes[0], f"{shapes[0]}.clone()", f"{shapes[0][:-1]}, grad=False)"],
                p=["0.0", "1.0"],
            )
        )
        mod = {
            "dropout1d": "Dropout1d",
            "dropout2d": "Dropout2d",
            "dropout3d": "Dropout3d",
            "alpha_dropout": "AlphaDropout",
            "feature_alpha_dropout": "FeatureAlphaDropout",
        }[name]
        C.append(
            case(
                f"nn.{mod}({{p}})({{x}})",
                x=shapes[:4],
                p=["0.0", "1.0", "-0.1", "1.5", "None", "'a'"],
            )
        )
        C.append(case(f"nn.{mod}({{p}}).eval()({{x}})", x=shapes[:4], p=["0.5", "0.0"]))
    C.append(
        case(
            "F.bilinear({a}, {b}, {w}, {bias})",
            a=tensors_like("t(5, 3)", "t(3)", "t(2, 5, 3)", "t(5, 4)", "t(0, 3)"),
            b=tensors_like("t(5, 4)", "t(4)", "t(2, 5, 4)", "t(4, 4)", "t(5, 3)"),
            w=[
                "t(2, 3, 4)",
                "t(3, 4)",
                "t(2, 4, 3)",
                "t(2, 3, 4, dtype='f32')",
                "t(2, 3, 4, dtype='i64')",
                "t(0, 3, 4)",
                "None",
                "t(1, 3, 4)",
            ],
            bias=["None", "t(2)", "t(3)", "t(1)", "t(2, dtype='f32')", "2.0", "t(1, 2)", "t()"],
        )
    )
    C.append(
        case(
            "M(nn.Bilinear({i1}, {i2}, {o}, bias={b}))({a}, {c})",
            i1=["3", "0", "-1", "2.5", "None"],
            i2=["4", "0"],
            o=["2", "0", "-2"],
            b=["True", "False"],
            a=["t(5, 3)", "t(3)", "t(5, 4)", "t(2, 5, 3)"],
            c=["t(5, 4)", "t(4)", "t(2, 5, 4)", "t(6, 4)"],
        )
    )
    for name, extra in [
        ("relu_", ""),
        ("elu_", ", {a}"),
        ("leaky_relu_", ", {a}"),
        ("hardtanh_", ", {a}, 1.0"),
        ("selu_", ""),
        ("celu_", ", {a}"),
        ("threshold_", ", {a}, 0.0"),
    ]:
        C.append(
            case(
                f"F.{name}({{x}}{extra})",
                x=inplace_xs(),
                a=["0.5", "-0.5", "0.0", "2", "True", "None", "'a'", "t()"],
            )
        )
    for name in [
        "relu",
        "elu",
        "leaky_relu",
        "hardtanh",
        "selu",
        "celu",
        "rrelu",
        "hardsigmoid",
        "hardswish",
        "silu",
        "mish",
        "relu6",
    ]:
        C.append(case(f"F.{name}({{x}}, inplace=True)", x=inplace_xs()))
    C.append(
        case(
            "F.threshold({x}, {th}, {v}, inplace={ip})",
            x=inplace_xs(),
            th=["0.0", "1", "nan", "None", "True"],
            v=["0.0", "-1", "nan", "None", "'a'"],
            ip=["False", "True"],
        )
    )
    return C


if __name__ == "__main__":
    audit_main(build_cases, extra=15)
