"""The black-box reductions of multiclass to binary classification, as code matrices.

Each reduction chooses a code matrix M ∈ {−1, 0, +1}^{C×P} (see :mod:`.codes`), trains P binary
classifiers — classifier p sees the examples of class k labelled M[k, p] and skips those with
M[k, p] = 0 — and decodes the P answers into a class:

=================  =============  ==========================================================
reduction          classifiers    prediction
=================  =============  ==========================================================
``OneVsRest``      C              highest score (or: a random class among those saying +1)
``OneVsOne``       C(C−1)/2       majority vote of the pairwise classifiers
``OutputCode``     P (any)        nearest code word (Hamming or loss-based decoding)
``TreeReduction``  C − 1          walk down a binary tree of classes: ⌈log₂ C⌉ evaluations
=================  =============  ==========================================================

With this package's :class:`LogisticRegression` as base learner (the default), the P problems
are trained *together*: one weight matrix W of shape (P, d+1), one matrix product per SGD step and
a mask for the examples a problem ignores (:func:`.linear.fit_logistic_problems`) — instead of P
separate fits in a Python loop. Any other scikit-learn-style binary classifier (``fit`` plus
``decision_function``, ``predict_proba`` or ``predict``; ``get_params``) also works: it is cloned
and fitted once per column, on labels −1/+1.

The *margin* of classifier p on x, m_p(x), is its signed score (wᵀx̃ for logistic regression):
positive means +1. Probabilities are σ(m_p) with σ the logistic function.

scikit-learn equivalents: ``OneVsRestClassifier``, ``OneVsOneClassifier``,
``OutputCodeClassifier`` (no tree reduction; no ``predict_proba`` for one-vs-one or output codes).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._base import (
    Estimator,
    NotFittedError,
    RandomState,
    binary_scores,
    check_random_state,
    clone,
    is_real,
)
from .codes import (
    Code,
    check_code,
    dense_code,
    exhaustive_code,
    min_hamming_distance,
    ovo_code,
    ovr_code,
    sparse_code,
)
from .linear import LogisticRegression, _sigmoid, _with_bias

__all__ = ["OneVsOne", "OneVsRest", "OutputCode", "TreeReduction", "pairwise_coupling"]

Array = NDArray[np.float64]


def _softplus(z: Array) -> Array:
    """ln(1 + eᶻ) = max(z, 0) + ln(1 + e^{−|z|}), finite for any z."""
    return np.asarray(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def _log_sigmoid(z: Array) -> Array:
    """ln σ(z) = −ln(1 + e^{−z})."""
    return -_softplus(-z)


def _code_losses(margins: Array, M: Array) -> Array:
    """L_k = Σ_p ln(1 + e^{−M_kp m_p}) over the non-zero entries of row k, shape (n, C).

    Two classes whose terms are the same numbers in other columns must get bit-identical
    losses, so that a tie (common with learners that answer only ±1 or 0/1) goes to the lowest
    class index, as documented and as in scikit-learn, and not to the rounding of sums taken in
    another order. Rows holding two nearly equal losses are therefore summed again with their
    terms sorted (sorting every row would slow prediction by a third).
    """
    terms = (M != 0) * _softplus(-margins[:, None, :] * M[None, :, :])
    L = terms.sum(axis=2)
    ordered = np.sort(L, axis=1)
    near = (np.diff(ordered, axis=1) <= 1e-9 * (1.0 + np.abs(ordered[:, 1:]))).any(axis=1)
    if near.any():
        L[near] = np.sort(terms[near], axis=2).sum(axis=2)
    return np.asarray(L)


# ----------------------------------------------------------------------------- the binary problems


class _Stacked:
    """P logistic regressions trained together: W of shape (P, d+1), bias in the last column."""

    def __init__(self, W: Array, template: LogisticRegression) -> None:
        self.W = W
        self.template = template

    def margins(self, X: Array) -> Array:
        return np.asarray(_with_bias(X) @ self.W.T)

    def margin_rows(self, X: Array, cols: NDArray[np.int64]) -> Array:
        """Row i scored by classifier ``cols[i]`` only: one dot product per row."""
        return np.asarray(np.einsum("nd,nd->n", _with_bias(X), self.W[cols]))

    def estimators(self) -> list[Any]:
        """One fitted LogisticRegression per problem, sharing the stacked weights' values."""
        out = []
        for p in range(self.W.shape[0]):
            est = clone(self.template)
            est._set_weights(self.W[p : p + 1])
            est._fitted(np.array([-1, 1]), self.W.shape[1] - 1)
            out.append(est)
        return out


class _Looped:
    """P clones of a duck-typed binary classifier, one per column of the code."""

    def __init__(self, fitted: list[Any]) -> None:
        self.fitted = fitted

    def margins(self, X: Array) -> Array:
        return np.stack([_binary_margin(est, X) for est in self.fitted], axis=1)

    def margin_rows(self, X: Array, cols: NDArray[np.int64]) -> Array:
        out = np.empty(X.shape[0])
        for p in np.unique(cols):  # each classifier once, on the rows that reached it
            rows = cols == p
            out[rows] = _binary_margin(self.fitted[int(p)], X[rows])
        return out

    def estimators(self) -> list[Any]:
        return list(self.fitted)


Problems = _Stacked | _Looped


def _binary_margin(est: Any, X: Array) -> Array:
    """A signed score of a fitted binary classifier (trained on −1/+1): positive means +1."""
    classes = list(np.asarray(est.classes_)) if hasattr(est, "classes_") else [-1, 1]
    if hasattr(est, "decision_function"):
        s = np.asarray(est.decision_function(X), dtype=np.float64)
        if s.ndim == 2:  # a multiclass-style model on two classes: one score per class
            s = s[:, 1] - s[:, 0]
        return s if classes[-1] == 1 else -s
    if hasattr(est, "predict_proba"):
        p = np.asarray(est.predict_proba(X), dtype=np.float64)[:, classes.index(1)]
        with np.errstate(divide="ignore"):
            m = np.log(p) - np.log1p(-p)  # the logit: σ(m) gives p back
        # Clipped after the logit, not p before it: 1 − 1e-12 is not exact in floats, and the
        # margins of p = 0 and p = 1 must be exact negatives for ties to stay ties.
        return np.asarray(np.clip(m, -30.0, 30.0))
    return np.where(np.asarray(est.predict(X)) == 1, 1.0, -1.0)


def _fit_problems(estimator: Any, X: Array, codes: Code, owner: str) -> Problems:
    """Train one binary classifier per column of ``codes`` (n × P over {−1, 0, +1})."""
    if isinstance(estimator, LogisticRegression):
        return _Stacked(estimator._fit_codes(X, codes), estimator)
    if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
        raise TypeError(
            f"{owner}: the base estimator must have fit() and get_params() (scikit-learn "
            f"style), got {type(estimator).__name__}"
        )
    if not any(hasattr(estimator, a) for a in ("decision_function", "predict_proba", "predict")):
        raise TypeError(
            f"{owner}: the base estimator {type(estimator).__name__} needs decision_function, "
            "predict_proba or predict"
        )
    fitted = []
    for p in range(codes.shape[1]):
        rows = codes[:, p] != 0
        fitted.append(clone(estimator).fit(X[rows], codes[rows, p].astype(np.int64)))
    return _Looped(fitted)


# ----------------------------------------------------------------------------- the common base


class _Reduction(Estimator):
    """Fit = code matrix + the binary problems; subclasses decode the margins."""

    estimator: Any

    def _code(
        self, n_classes: int, X: Array, y_idx: NDArray[np.int64]
    ) -> tuple[Code, dict[str, Any]]:
        """The code matrix, and the fitted attributes that describe it (set once fit succeeds)."""
        raise NotImplementedError

    def fit(self, X: Any, y: Any) -> Any:
        """Train the binary classifiers of the reduction on (X, y); returns self.

        Every fitted attribute is set only once training has succeeded, so a fit that raises
        leaves a fitted estimator as it was (never a new tree with the old classifiers).
        """
        X_arr, y_idx, classes = self._fit_data(X, y)
        self._check_options()
        base = LogisticRegression() if self.estimator is None else self.estimator
        code, described = self._code(len(classes), X_arr, y_idx)
        problems = _fit_problems(base, X_arr, code[y_idx], f"{type(self).__name__}")
        self.problems_: Problems = problems
        self.code_book_ = code
        for name, value in described.items():
            setattr(self, name, value)
        self._fitted(classes, X_arr.shape[1])
        return self

    def _check_options(self) -> None:
        """Raise for a string option out of range (called by fit and by predict & co.)."""

    @property
    def estimators_(self) -> list[Any]:
        """The fitted binary classifiers, one per column of ``code_book_``."""
        if not hasattr(self, "problems_"):
            raise NotFittedError(f"{type(self).__name__}: not fitted yet; call fit(X, y) first")
        return self.problems_.estimators()

    def _margins(self, X: Any, fn: str) -> Array:
        """m_p(x) for every row and column of ``code_book_``: shape (n, P)."""
        X_arr = self._predict_data(X, fn)
        self._check_options()  # set_params after fit may have changed one
        return self.problems_.margins(X_arr)

    def _scores(self, X: Any, fn: str) -> Array:
        """One score per class, shape (n, C), higher is more likely: what predict maximises."""
        raise NotImplementedError

    def decision_function(self, X: Any) -> Array:
        """The class scores, shape (n, C); for two classes, as scikit-learn, shape (n,): the
        score of ``classes_[1]`` minus that of ``classes_[0]`` (positive means ``classes_[1]``)."""
        return binary_scores(self._scores(X, "decision_function"))

    def predict(self, X: Any) -> NDArray[Any]:
        """The class with the highest score, as a label of ``classes_``."""
        best = self._scores(X, "predict").argmax(axis=1)
        return np.asarray(self.classes_[best])


def _decode(margins: Array, code: Code, decoding: str) -> Array:
    """Scores (n, C), higher is nearer: −Δ(M_k, sign m) (ties → loss) or −loss.

    Hamming: Δ_k = Σ_p (1 − M_kp sign(m_p))/2 (zeros count ½). Loss: L_k = Σ_p ln(1 + e^{−M_kp m_p})
    (zeros count ln 2: the logistic loss at 0). The Hamming score adds ½·L/(1 + L) ∈ [0, ½) so
    that ties in Δ, which moves in steps of ½, go to the class with the smaller loss.
    """
    M = code.astype(np.float64)
    L = _code_losses(margins, M)
    if decoding == "loss":
        return np.asarray(-L)
    H = (M.shape[1] - np.sign(margins) @ M.T) / 2.0
    return np.asarray(-(H + 0.5 * L / (1.0 + L)))


# ----------------------------------------------------------------------------- one-vs-rest


class OneVsRest(_Reduction):
    """One classifier per class, class k (+1) against all others (−1): C binary problems.

    ``prediction='argmax'`` returns argmaxₖ mₖ(x), the class whose classifier is most confident.
    ``prediction='random'`` is the lecture's variant: a class drawn uniformly among those whose
    classifier says +1 (mₖ > 0); if none does, uniformly among all classes. Draws use
    ``random_state``: with an int seed every call draws the same; with None or a Generator each
    call draws afresh.

    ``predict_proba`` normalises the classifiers' σ(mₖ) to sum to 1 (as scikit-learn does).

    scikit-learn equivalent: ``OneVsRestClassifier(LogisticRegression())``; given the same
    binary answers it predicts the same, with the same ``predict_proba`` and (C ≥ 3)
    ``decision_function``. For two classes scikit-learn trains one classifier, here there are
    two, and ``decision_function`` is m₁ − m₀.
    """

    def __init__(
        self,
        estimator: Any = None,
        prediction: str = "argmax",
        random_state: RandomState = None,
    ) -> None:
        self.estimator = estimator
        self.prediction = prediction
        self.random_state = random_state

    def _check_options(self) -> None:
        if self.prediction not in ("argmax", "random"):
            raise ValueError(
                f"OneVsRest(): prediction must be 'argmax' or 'random', got {self.prediction!r}"
            )

    def _code(
        self, n_classes: int, X: Array, y_idx: NDArray[np.int64]
    ) -> tuple[Code, dict[str, Any]]:
        return ovr_code(n_classes), {}

    def _scores(self, X: Any, fn: str) -> Array:
        """The C margins mₖ(x), shape (n, C)."""
        return self._margins(X, fn)

    def predict_proba(self, X: Any) -> Array:
        """σ(mₖ) / Σⱼ σ(mⱼ) per row, shape (n, C); normalised in logs, so that rows far from
        every class (all σ underflow to 0) still sum to 1."""
        log_p = _log_sigmoid(self._margins(X, "predict_proba"))
        p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def predict(self, X: Any) -> NDArray[Any]:
        """argmaxₖ mₖ(x), or a random class among those with mₖ(x) > 0 (``prediction``)."""
        m = self._margins(X, "predict")
        if self.prediction != "random":
            return np.asarray(self.classes_[m.argmax(axis=1)])
        rng = check_random_state(self.random_state)
        keys = rng.random(m.shape)
        says_yes = m > 0
        # The largest random key among the eligible classes is a uniform choice among them.
        eligible = np.where(says_yes.any(axis=1, keepdims=True), says_yes, True)
        return np.asarray(self.classes_[np.where(eligible, keys, -1.0).argmax(axis=1)])


# ----------------------------------------------------------------------------- one-vs-one


def pairwise_coupling(R: Array) -> Array:
    """Class probabilities from pairwise ones (Wu, Lin & Weng 2004, their method 2).

    ``R[:, i, j] = r_ij ≈ P(y = i | y ∈ {i, j}, x)`` (diagonal ignored, r_ji = 1 − r_ij). The
    probabilities p minimise Σᵢ Σ_{j≠i} (r_ji pᵢ − r_ij pⱼ)² subject to Σ p = 1, which is the
    linear system Q p = b·1, 1ᵀp = 1 with Q_ii = Σ_{j≠i} r_ji², Q_ij = −r_ji r_ij; its solution is
    non-negative. One batched ``np.linalg.solve`` for all rows. libsvm (``SVC(probability=True)``)
    solves the same problem iteratively.
    """
    n, C, _ = R.shape
    R = np.clip(R, 1e-7, 1 - 1e-7)  # keep Q positive definite when a classifier is certain
    Rt = np.swapaxes(R, 1, 2)
    off = ~np.eye(C, dtype=bool)
    Q = -Rt * R
    Q[:, np.arange(C), np.arange(C)] = (Rt**2 * off).sum(axis=2)
    A = np.zeros((n, C + 1, C + 1))
    A[:, :C, :C] = Q
    A[:, :C, C] = 1.0
    A[:, C, :C] = 1.0
    rhs = np.zeros((n, C + 1, 1))
    rhs[:, C] = 1.0
    p = np.clip(np.linalg.solve(A, rhs)[:, :C, 0], 0.0, None)  # clip rounding below 0
    return np.asarray(p / p.sum(axis=1, keepdims=True))


class OneVsOne(_Reduction):
    """One classifier per pair of classes i < j, trained on those two classes' examples only.

    C(C−1)/2 problems; classifier (i, j) says i when m_ij(x) > 0 and j when m_ij(x) < 0 (half a
    vote each at 0). Prediction is the majority vote; **tie-break**: among the classes with the
    most votes, the one whose pairwise classifiers agree with it most confidently, i.e. with the
    smallest total logistic loss Σ_{p ∋ k} ln(1 + e^{−M_kp m_p}) (then the lowest class index).
    This is exactly ``OutputCode(code=ovo_code(C), decoding='hamming')``.

    ``predict_proba``: ``proba='coupling'`` (default) combines the pairwise probabilities
    r_ij = σ(m_ij) by :func:`pairwise_coupling`; ``proba='votes'`` normalises the vote counts.

    scikit-learn equivalent: ``OneVsOneClassifier(LogisticRegression())``, which counts the same
    votes but breaks ties by summed margins (its ``decision_function`` is votes +
    Σm/(3(|Σm| + 1))), gives the whole vote of a margin of exactly 0 to i, and has no
    ``predict_proba``.
    """

    def __init__(self, estimator: Any = None, proba: str = "coupling") -> None:
        self.estimator = estimator
        self.proba = proba

    def _check_options(self) -> None:
        if self.proba not in ("coupling", "votes"):
            raise ValueError(f"OneVsOne(): proba must be 'coupling' or 'votes', got {self.proba!r}")

    def _code(
        self, n_classes: int, X: Array, y_idx: NDArray[np.int64]
    ) -> tuple[Code, dict[str, Any]]:
        return ovo_code(n_classes), {}

    def _votes(self, m: Array) -> tuple[Array, Array]:
        M = self.code_book_.astype(np.float64)
        votes = ((M != 0) * (1.0 + M * np.sign(m)[:, None, :]) / 2.0).sum(axis=2)
        loss = _code_losses(m, M)
        return votes, loss

    def _scores(self, X: Any, fn: str) -> Array:
        """Votes per class plus a tie-break in (−½, 0]: votes − ½·L/(1 + L), shape (n, C)."""
        votes, loss = self._votes(self._margins(X, fn))
        return np.asarray(votes - 0.5 * loss / (1.0 + loss))

    def predict_proba(self, X: Any) -> Array:
        """Pairwise coupling of σ(m_ij), or normalised votes (``proba``); shape (n, C)."""
        m = self._margins(X, "predict_proba")
        if self.proba == "votes":
            votes, _ = self._votes(m)
            return np.asarray(votes / votes.sum(axis=1, keepdims=True))
        C = len(self.classes_)
        i, j = np.triu_indices(C, k=1)  # the same order as the columns of ovo_code
        R = np.full((m.shape[0], C, C), 0.5)
        r = _sigmoid(m)
        R[:, i, j] = r
        R[:, j, i] = 1.0 - r
        return pairwise_coupling(R)


# ----------------------------------------------------------------------------- output codes


class OutputCode(_Reduction):
    """Error-correcting output codes: P binary problems given by a code matrix over {−1, 0, +1}.

    ``code``: ``'dense'`` (default; random ±1 codes, ``⌈10 log₂ C⌉`` columns), ``'random'``
    (sparse ternary codes, P(0) = ½, ``⌈15 log₂ C⌉`` columns), ``'exhaustive'`` (all 2^{C−1} − 1
    dichotomies) or a (C, P) array of your own (validated: every column a real binary problem,
    every two classes separated by some column). ``code_size`` sets the number of columns as a
    multiple of C, as in scikit-learn. Generated codes keep the best of 200 random draws: distinct
    columns, **every two classes on opposite sides of some column** (so no two classes share a
    code word — scikit-learn's random codes do not check this), and then the largest minimum
    distance, stored as ``min_hamming_distance_``. The code is ``code_book_``.

    ``decoding='loss'`` (default): the class with the smallest Σ_p ln(1 + e^{−M_kp m_p}), the
    logistic loss its code word would give the classifiers' margins (loss-based decoding; it uses
    how sure each classifier is, and beat Hamming decoding on digits by 1–2 points);
    ``decoding='hamming'``: the code word nearest to sign(m) in Allwein et al.'s Hamming distance
    (zeros count ½), ties to the smaller loss. ``predict_proba`` treats the classifiers as
    independent: P(k | x) ∝ Π_p σ(M_kp m_p) = e^{−L_k}, a softmax of the negated losses.

    ``OutputCode(code=ovr_code(C))`` predicts exactly as :class:`OneVsRest` (with either decoding),
    and ``OutputCode(code=ovo_code(C), decoding='hamming')`` as :class:`OneVsOne`.

    Ties (equally near code words, common with learners that answer only 0/1) go to the lowest
    class index.

    scikit-learn equivalent: ``OutputCodeClassifier(LogisticRegression(), code_size=…)``, which
    decodes by the Euclidean distance between the binary scores and the code words (the same
    prediction as here for answers of 0/1 only) and may draw codes that leave two classes
    indistinguishable.
    """

    min_hamming_distance_: float

    def __init__(
        self,
        estimator: Any = None,
        code: Any = "dense",
        code_size: float | None = None,
        decoding: str = "loss",
        random_state: RandomState = None,
    ) -> None:
        self.estimator = estimator
        self.code = code
        self.code_size = code_size
        self.decoding = decoding
        self.random_state = random_state

    def _check_options(self) -> None:
        if self.decoding not in ("hamming", "loss"):
            raise ValueError(
                f"OutputCode(): decoding must be 'hamming' or 'loss', got {self.decoding!r}"
            )

    def _code(
        self, n_classes: int, X: Array, y_idx: NDArray[np.int64]
    ) -> tuple[Code, dict[str, Any]]:
        width = None
        if self.code_size is not None:
            if not (is_real(self.code_size) and 0 < self.code_size < math.inf):
                raise ValueError(
                    "OutputCode(): code_size must be a positive finite number, got "
                    f"{self.code_size!r}"
                )
            width = max(1, int(self.code_size * n_classes))
        if isinstance(self.code, str):
            if self.code == "exhaustive":
                code = exhaustive_code(n_classes)
            elif self.code == "dense":
                code = dense_code(n_classes, width, self.random_state)
            elif self.code == "random":
                code = sparse_code(n_classes, width, self.random_state)
            else:
                raise ValueError(
                    "OutputCode(): code must be 'dense', 'random', 'exhaustive' or a "
                    f"(n_classes, P) array, got {self.code!r}"
                )
        else:
            code = check_code(self.code, n_classes, "OutputCode.fit()")
        return code, {"min_hamming_distance_": min_hamming_distance(code)}

    def _scores(self, X: Any, fn: str) -> Array:
        """Nearness of each class's code word, shape (n, C): −Δ − ½·L/(1+L) or −L (``decoding``)."""
        return _decode(self._margins(X, fn), self.code_book_, self.decoding)

    def predict_proba(self, X: Any) -> Array:
        """softmax(−L): P(k | x) ∝ Π_p σ(M_kp m_p(x)), shape (n, C)."""
        L = -_decode(self._margins(X, "predict_proba"), self.code_book_, "loss")
        e = np.exp(-(L - L.min(axis=1, keepdims=True)))
        return np.asarray(e / e.sum(axis=1, keepdims=True))


# ----------------------------------------------------------------------------- trees


def _along_principal_axis(means: Array, group: list[int]) -> list[int]:
    """The classes of ``group`` sorted by where their means lie along the direction in which
    those means spread most (their first principal axis): cutting this order in halves puts
    nearby classes on the same side, which a linear classifier separates more easily."""
    centred = means[group] - means[group].mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    along = centred @ vt[0]
    return [group[i] for i in np.argsort(along, kind="stable")]


class TreeReduction(_Reduction):
    """A binary tree over the classes; one classifier per internal node (C − 1 in all).

    The root splits the classes into two halves, and so on recursively down to single classes:
    ``tree='balanced'`` cuts them in the order of ``classes_``; ``tree='random'`` after a random
    permutation drawn from ``random_state``; ``tree='means'`` orders each node's classes along
    the first principal axis of their mean feature vectors before cutting, so that classes that
    look alike share a subtree (digits: 0.92 test accuracy instead of 0.86). Node p's classifier
    learns left (−1) against right (+1) on the examples of its classes only. Prediction walks
    from the root, going right when m_p(x) > 0: ⌈log₂ C⌉ classifier evaluations per example
    instead of C or C(C−1)/2.

    ``predict_proba`` multiplies the branch probabilities along the path to each leaf,
    P(k | x) = Π_{p on the path to k} σ(M_kp m_p(x)); the rows sum to 1 because σ(m) + σ(−m) = 1 at
    every node. (Its argmax may differ from the greedy walk of ``predict``.)

    Fitted: ``code_book_`` (C × (C−1)), ``children_`` (node p's left and right child: a node index
    ≥ 0, or −1 − k for the leaf of class k). scikit-learn has no equivalent.
    """

    children_: NDArray[np.int64]
    depth_: int

    def __init__(
        self, estimator: Any = None, tree: str = "balanced", random_state: RandomState = None
    ) -> None:
        self.estimator = estimator
        self.tree = tree
        self.random_state = random_state

    def _check_options(self) -> None:
        if self.tree not in ("balanced", "random", "means"):
            raise ValueError(
                f"TreeReduction(): tree must be 'balanced', 'random' or 'means', got {self.tree!r}"
            )

    def _code(
        self, n_classes: int, X: Array, y_idx: NDArray[np.int64]
    ) -> tuple[Code, dict[str, Any]]:
        order = list(range(n_classes))
        if self.tree == "random":
            order = [int(k) for k in check_random_state(self.random_state).permutation(n_classes)]
        means = None
        if self.tree == "means":
            means = np.stack([X[y_idx == k].mean(axis=0) for k in range(n_classes)])
        code = np.zeros((n_classes, n_classes - 1), dtype=np.int8)
        children = np.zeros((n_classes - 1, 2), dtype=np.int64)
        # Breadth-first: node p's children get the next free indices; the root is node 0.
        queue: list[list[int]] = [order]
        nodes = 0
        while queue:
            group = queue.pop(0)
            if means is not None:
                group = _along_principal_axis(means, group)
            p = nodes
            nodes += 1
            half = len(group) // 2
            for side, part in enumerate((group[:half], group[half:])):
                code[part, p] = 2 * side - 1
                if len(part) == 1:
                    children[p, side] = -1 - part[0]
                else:
                    children[p, side] = nodes + len(queue)
                    queue.append(part)
        return code, {"children_": children, "depth_": math.ceil(math.log2(n_classes))}

    def _walk(self, X_arr: Array) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(path, leaf class index) of every row; only the rows still walking are scored."""
        n = X_arr.shape[0]
        path = np.full((n, self.depth_), -1, dtype=np.int64)
        node = np.zeros(n, dtype=np.int64)
        active = np.arange(n)
        for level in range(self.depth_):
            if not len(active):
                break
            path[active, level] = node[active]
            m = self.problems_.margin_rows(X_arr[active], node[active])
            nxt = self.children_[node[active], (m > 0).astype(np.int64)]
            node[active] = nxt
            active = active[nxt >= 0]
        return path, -1 - node

    def decision_path(self, X: Any) -> NDArray[np.int64]:
        """The nodes whose classifier each row evaluates, root first, shape (n, depth_); −1 pads."""
        return self._walk(self._predict_data(X, "decision_path"))[0]

    def predict(self, X: Any) -> NDArray[Any]:
        """Walk the tree from the root: ⌈log₂ C⌉ classifier evaluations per row."""
        leaves = self._walk(self._predict_data(X, "predict"))[1]
        return np.asarray(self.classes_[leaves])

    def _scores(self, X: Any, fn: str) -> Array:
        """ln P(k | x) from the branch probabilities, shape (n, C)."""
        return self._log_proba(self._margins(X, fn))

    def _log_proba(self, m: Array) -> Array:
        M = self.code_book_.astype(np.float64)
        return np.asarray(((M != 0) * _log_sigmoid(m[:, None, :] * M)).sum(axis=2))

    def predict_proba(self, X: Any) -> Array:
        """Π of σ(±m_p) along each leaf's path, shape (n, C); rows sum to 1."""
        p = np.exp(self._log_proba(self._margins(X, "predict_proba")))
        return np.asarray(p / p.sum(axis=1, keepdims=True))  # divides by 1 up to rounding
