"""Regression tests for the findings of tests/_audit_multiclass_data.py, the differential audit of
``tinygrad_ed.multiclass`` against scikit-learn's ``sklearn.multiclass`` and of
``tinygrad_ed.data`` against ``torch.utils.data``: each test is one fix, one added sampler or
one kept divergence, checked without torch and scikit-learn; torch's values where given are its
outputs, written down. The differential tests at the end (skipped without them) compare the
reductions' logic with scikit-learn's on identical base-learner answers."""

from __future__ import annotations

import collections
import itertools
import math
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.data import (
    ConcatDataset,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)
from tinygrad_ed.multiclass import (
    OneVsOne,
    OneVsRest,
    OutputCode,
    SoftmaxRegression,
    dense_code,
)

NUMPY_WORDS = ("only integers, slices", "out of bounds", "cannot be interpreted", "has no len")


def _blobs(n: int = 30, C: int = 3) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % C
    X = np.eye(C, 3)[y] * 3 + np.random.default_rng(0).standard_normal((n, 3))
    return X, y


# ----------------------------------------------------------------------------- data: fixes


@pytest.mark.parametrize("index", ["a", 1.5, 5, -6, (0, 5)])
def test_tensor_dataset_bad_index_is_named(index: Any) -> None:
    # numpy's "only integers, slices (`:`), ellipsis ..." or "index 5 is out of bounds for axis
    # 0" came through unnamed; torch raises an IndexError (a TypeError for a string)
    ds = TensorDataset(tg.zeros(5, 2), tg.arange(5))
    with pytest.raises(IndexError, match=r"TensorDataset: index .* into 5 examples") as e:
        ds[index]
    assert not any(w in str(e.value) for w in NUMPY_WORDS)
    assert ds[-5][1].item() == 0 and ds[np.int64(4)][1].item() == 4  # valid ones still work
    assert ds[[0, 2]][1].tolist() == [0, 2] and ds[1:3][0].shape == (2, 2)


@pytest.mark.parametrize("index", [True, np.bool_(False), 1.5, "a", None, tg.tensor([1, 2])])
def test_concat_dataset_index_must_be_an_int(index: Any) -> None:
    # a float failed inside operator.index ("'float' object cannot be interpreted as an
    # integer", no op named); True read example 1 (torch indexes its tensors with the bool)
    cat = ConcatDataset([TensorDataset(tg.arange(3)), TensorDataset(tg.arange(3, 7))])
    with pytest.raises(TypeError, match="ConcatDataset: index must be an int"):
        cat[index]
    # integers of any kind, a 0-d integer Tensor included (torch takes one too)
    assert cat[np.int64(4)][0].item() == 4 and cat[tg.tensor(5)][0].item() == 5
    assert cat[np.array(3)][0].item() == 3 and cat[-1][0].item() == 6


@pytest.mark.parametrize("make", [SequentialSampler, RandomSampler])
@pytest.mark.parametrize("source", [None, 2.5, object()])
def test_sampler_of_something_without_a_length_is_named(make: Any, source: Any) -> None:
    # "TypeError: object of type 'NoneType' has no len()" named neither the sampler nor the
    # argument (torch says the same, unnamed)
    with pytest.raises(TypeError, match=f"{make.__name__}: expected a dataset") as e:
        make(source)
    assert "has no len" not in str(e.value)


# ----------------------------------------------------------------------------- data: new samplers


def test_subset_random_sampler_permutes_the_given_indices() -> None:
    s = SubsetRandomSampler([7, 3, 3, 9], seed=0)
    assert len(s) == 4
    epochs = [list(s) for _ in range(20)]
    for e in epochs:
        assert sorted(e) == [3, 3, 7, 9] and all(type(i) is int for i in e)
    assert len({tuple(e) for e in epochs}) > 1  # a fresh order each epoch
    assert [list(SubsetRandomSampler(range(6), seed=1)) for _ in range(2)] == [
        list(SubsetRandomSampler(range(6), seed=1))
    ] * 2  # an int seed is reproducible
    assert list(SubsetRandomSampler([])) == [] and len(SubsetRandomSampler(np.arange(3))) == 3
    assert SubsetRandomSampler(tg.tensor([4, 1])).subset.tolist() == [4, 1]
    # in a loader: each chosen example once per epoch
    ds = TensorDataset(tg.arange(10))
    rows = [
        b[0].tolist() for b in DataLoader(ds, batch_size=2, sampler=SubsetRandomSampler([8, 1, 5]))
    ]
    assert [len(r) for r in rows] == [2, 1] and sorted(i for r in rows for i in r) == [1, 5, 8]


@pytest.mark.parametrize(
    ("indices", "kind", "match"),
    [
        ([1.5, 2], TypeError, "indices must be integers, got 1.5"),
        ([True], TypeError, "indices must be integers, got True"),
        (5, TypeError, "must be an iterable of indices"),
        ("ab", TypeError, "must be an iterable of indices"),
    ],
)
def test_subset_random_sampler_refuses(indices: Any, kind: type, match: str) -> None:
    # torch takes any of these and yields whatever it holds (1.5, True, 'a', 'b'), or fails at
    # len() for an int
    with pytest.raises(kind, match=f"SubsetRandomSampler: .*{match}"):
        SubsetRandomSampler(indices)
    with pytest.raises(ValueError, match="seed or generator"):
        SubsetRandomSampler([1], seed=0, generator=np.random.default_rng(0))


def test_weighted_random_sampler_draws_in_proportion() -> None:
    w = np.array([1.0, 0.0, 3.0, 6.0])
    s = WeightedRandomSampler(w, 20_000, seed=0)
    draws = list(s)
    assert len(s) == len(draws) == 20_000 and all(type(i) is int for i in draws)
    counts = collections.Counter(draws)
    assert counts[1] == 0  # a zero weight is never drawn
    freq = np.array([counts[i] for i in range(4)]) / 20_000
    assert np.abs(freq - w / w.sum()).max() < 0.015  # ~5 standard deviations
    # without replacement: distinct indices, only those of positive weight
    for _ in range(20):
        no_rep = list(WeightedRandomSampler(w, 3, replacement=False))
        assert sorted(no_rep) == [0, 2, 3]
    # huge weights do not overflow the normalisation; a Tensor of weights works
    assert set(WeightedRandomSampler([1e308, 1e308], 50, seed=1)) == {0, 1}
    assert set(WeightedRandomSampler(tg.tensor([0.0, 2.0]), 5)) == {1}
    assert list(WeightedRandomSampler([1, 2], 6, seed=3)) == list(
        WeightedRandomSampler([1, 2], 6, seed=3)
    )
    batches = list(DataLoader(TensorDataset(tg.arange(4)), batch_size=4, sampler=s))
    assert len(batches) == 5000 and all(b[0].shape == (4,) for b in batches[:3])


@pytest.mark.parametrize(
    ("args", "kwargs", "kind", "match"),
    [
        # torch's ValueError texts for num_samples, replacement and the shape of weights
        (([1, 2, 3], 0), {}, ValueError, "num_samples should be a positive integer value"),
        (([1, 2, 3], 2.0), {}, ValueError, "num_samples should be a positive integer value"),
        (([1, 2, 3], True), {}, ValueError, "num_samples should be a positive integer value"),
        (([1, 2, 3], 2, 1), {}, ValueError, "replacement should be a boolean value"),
        (([[1, 2]], 2), {}, ValueError, r"weights should be a 1d sequence .* shape \(1, 2\)"),
        ((5, 2), {}, ValueError, r"weights should be a 1d sequence .* shape \(\)"),
        # torch's multinomial refuses these (RuntimeError) only when iterated
        (([1, -1], 2), {}, ValueError, "finite and non-negative"),
        (([1, math.nan], 2), {}, ValueError, "finite and non-negative"),
        (([1, math.inf], 2), {}, ValueError, "finite and non-negative"),
        (([0, 0], 2), {}, ValueError, "the weights sum to 0"),
        (([], 2), {}, ValueError, "the weights sum to 0"),
        (("ab", 2), {}, TypeError, "weights must be numbers"),
        # torch returns a zero-weight index here ([0, 1] for weights [1, 0, 0])
        (([1, 0, 0], 2, False), {}, ValueError, "cannot draw 2 samples without replacement"),
        (([1, 2], 2), {"seed": 0, "generator": np.random.default_rng(0)}, ValueError, "seed or"),
    ],
)
def test_weighted_random_sampler_refuses(
    args: tuple[Any, ...], kwargs: dict[str, Any], kind: type, match: str
) -> None:
    with pytest.raises(kind, match=f"WeightedRandomSampler: .*{match}"):
        WeightedRandomSampler(*args, **kwargs)


def test_new_samplers_match_torch_in_what_they_draw() -> None:
    torch = pytest.importorskip("torch")
    td = torch.utils.data
    g = torch.Generator().manual_seed(0)
    for indices in ([3, 1, 2], list(range(10)), [4, 4, 4], []):
        ref = list(td.SubsetRandomSampler(indices, generator=g))
        ours = list(SubsetRandomSampler(indices, seed=0))
        assert sorted(ref) == sorted(ours) and len(ref) == len(ours)
    for weights, k, rep in (
        ([1, 2, 3], 7, True),
        ([0.1] * 10, 10, False),
        ([0, 1, 0, 3], 2, False),
    ):
        ref = list(td.WeightedRandomSampler(weights, k, rep, generator=g))
        ours = list(WeightedRandomSampler(weights, k, rep, seed=0))
        assert len(ref) == len(ours) == k
        assert {i for i, w in enumerate(weights) if w > 0} >= set(ours) | set(ref)
        if not rep:
            assert len(set(ours)) == len(set(ref)) == k


# ----------------------------------------------------------------------------- multiclass: fixes


@pytest.mark.parametrize("code_size", [math.inf, -math.inf, math.nan, 0, -1, True, "a"])
def test_output_code_size_must_be_positive_and_finite(code_size: Any) -> None:
    # inf failed inside int(): "OverflowError: cannot convert float infinity to integer";
    # scikit-learn: InvalidParameterError (a ValueError), "in the range (0.0, inf)"
    X, y = _blobs()
    with pytest.raises(ValueError, match="code_size must be a positive finite number"):
        OutputCode(code_size=code_size).fit(X, y)


@pytest.mark.parametrize("make", [OneVsRest, OneVsOne, SoftmaxRegression])
def test_object_array_of_numbers_is_taken_as_float(make: Any) -> None:
    # X.astype(object) (a DataFrame's .values with mixed columns, say) was refused as "not
    # numbers"; scikit-learn converts it, as here, and refuses it only if that fails
    X, y = _blobs()
    kw = {"epochs": 2, "random_state": 0} if make is SoftmaxRegression else {}
    a = make(**kw).fit(X, y).predict_proba(X)
    b = make(**kw).fit(X.astype(object), y).predict_proba(X.astype(object))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match=r"X must hold numbers, got dtype object"):
        make(**kw).fit(np.array([["a", 1.0, 2.0]] * 30, dtype=object), y)


def test_score_refuses_labels_of_another_kind() -> None:
    # strings never equal numbers, so score() was a silent 0.0; scikit-learn raises
    # "Mix of label input types (string and number)"
    X, y = _blobs()
    m = OneVsRest().fit(X, y)
    with pytest.raises(
        ValueError, match=r"score\(\): y holds <U\d+ labels but the classes are int"
    ):
        m.score(X, y.astype(str))
    s = OneVsRest().fit(X, y.astype(str))
    with pytest.raises(ValueError, match=r"score\(\): y holds int64 labels"):
        s.score(X, y)
    assert s.score(X, y.astype(str)) == m.score(X, y)  # the same model either way
    assert m.score(X, y.astype(np.float64)) == m.score(X, y)  # numbers of any dtype compare


# ----------------------------------------------------------------------------- the reduction logic


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


class _ScriptedLogic:
    """A binary learner whose answers are injected through X (see
    tests/_audit_multiclass_data.py): column 0 of a training row is its class; a test row holds the
    one-vs-rest score of class k in column 1 + k and the score of the pair i < j (positive: j) in
    column 1 + C + p."""

    def __init__(self, C: int = 3) -> None:
        self.C = C

    def fit(self, X: Any, y: Any) -> Any:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_ = np.unique(y)
        ids = np.round(X[:, 0]).astype(int)
        pos, neg = np.unique(ids[y == self.classes_[1]]), np.unique(ids[y == self.classes_[0]])
        if len(pos) == 1 and len(neg) == 1:
            i, j = sorted([int(pos[0]), int(neg[0])])
            pairs = list(itertools.combinations(range(self.C), 2))
            self.col_, self.sign_ = 1 + self.C + pairs.index((i, j)), 1 if pos[0] == j else -1
        else:
            self.col_, self.sign_ = 1 + int(pos[0]), 1  # one class against the rest
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        return np.asarray(self.sign_ * np.asarray(X, dtype=np.float64)[:, self.col_])

    def predict_proba(self, X: Any) -> np.ndarray:
        p = _sigmoid(self.decision_function(X))
        return np.stack([1 - p, p], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_[(self.decision_function(X) > 0).astype(int)])


class _CentroidLogic:
    """Nearest centroid between the two classes, answering hard 0/1 probabilities only."""

    def fit(self, X: Any, y: Any) -> Any:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_ = np.unique(y)
        pos, neg = X[y == self.classes_[1]].mean(0), X[y == self.classes_[0]].mean(0)
        self.w_, self.b_ = pos - neg, -(pos - neg) @ (pos + neg) / 2
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        hard = (np.asarray(X) @ self.w_ + self.b_ > 0).astype(np.float64)
        return np.stack([1 - hard, hard], axis=1)


class _HardProba(_CentroidLogic):
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}


class _LabelsOnly:
    """The same learner answering with labels only (no probabilities, no scores)."""

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def fit(self, X: Any, y: Any) -> _LabelsOnly:
        self.inner_ = _HardProba().fit(X, y)
        self.classes_ = self.inner_.classes_
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_[self.inner_.predict_proba(X)[:, 1].astype(int)])


def _circle_data(C: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(12 * C) % C
    X = rng.standard_normal((len(y), 2)) + np.stack([np.cos(y), np.sin(y)], axis=1) * 2
    return X, y, rng.standard_normal((300, 2)) * 2


@pytest.mark.parametrize("learner", [_HardProba, _LabelsOnly])
@pytest.mark.parametrize("decoding", ["hamming", "loss"])
def test_output_code_ties_go_to_the_first_class(learner: type, decoding: str) -> None:
    # With learners that answer 0/1 only, equally near code words are common. They went to the
    # class whose loss sum rounded lower (its terms summed in another order), or, for 0/1
    # probabilities, to the class whose errors sat on one side (p clipped to 1e-12 and 1 − 1e-12
    # gave margins −27.631021 and +27.631110); documented, and scikit-learn's rule, is the first
    # class: 6–11% of predictions differed from scikit-learn's on its own codes.
    X, y, Xp = _circle_data(5, 2)
    code = dense_code(5, 15, random_state=0)
    ours = OutputCode(learner(), code=code, decoding=decoding).fit(X, y)
    if learner is _LabelsOnly:
        bits = np.stack([e.predict(Xp) == 1 for e in ours.estimators_], axis=1)
    else:
        bits = np.stack([e.predict_proba(Xp)[:, 1] for e in ours.estimators_], axis=1)
    H = np.abs(bits.astype(float)[:, None, :] - (code[None] > 0)).sum(axis=2)
    assert ((H.min(axis=1, keepdims=True) == H).sum(axis=1) > 1).sum() > 20  # many ties
    np.testing.assert_array_equal(ours.predict(Xp), H.argmin(axis=1))


class _RandomDirection:
    """Answers with labels only: the side of a random direction drawn from its training data
    (so that the pairwise answers of one-vs-one are not transitive and votes tie)."""

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def fit(self, X: Any, y: Any) -> _RandomDirection:
        self.classes_ = np.unique(y)
        rng = np.random.default_rng(int(abs(np.asarray(X).sum()) * 1000) % 2**32)
        self.w_ = rng.standard_normal(np.asarray(X).shape[1])
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_[(np.asarray(X) @ self.w_ > 0).astype(int)])


def test_one_vs_one_vote_ties_of_label_learners_go_to_the_first_class() -> None:
    # the same for the votes of one-vs-one: with ±1 answers every class's loss is a function of
    # its vote count, so tied votes must stay tied and go to the lowest class index
    X, y, Xp = _circle_data(6, 3)
    ours = OneVsOne(_RandomDirection()).fit(X, y)
    votes = np.zeros((len(Xp), 6))
    for (i, j), e in zip(itertools.combinations(range(6), 2), ours.estimators_):
        says_i = e.predict(Xp) == 1
        votes[says_i, i] += 1
        votes[~says_i, j] += 1
    assert ((votes == votes.max(axis=1, keepdims=True)).sum(axis=1) > 1).sum() > 20
    np.testing.assert_array_equal(ours.predict(Xp), votes.argmax(axis=1))


def _sklearn_learner(logic: type) -> Any:
    """``logic`` as a scikit-learn estimator (both libraries clone it through get_params)."""
    base = pytest.importorskip("sklearn.base")
    return type(logic.__name__, (base.ClassifierMixin, base.BaseEstimator, logic), {})


def _scripted_data(C: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    width = 1 + C + C * (C - 1) // 2
    X = rng.standard_normal((3 * C, width))
    X[:, 0] = np.arange(3 * C) % C
    return X, np.arange(3 * C) % C, rng.standard_normal((m, width))


@pytest.mark.parametrize("C", [3, 4, 6])
def test_reductions_match_sklearn_on_the_same_binary_answers(C: int) -> None:
    sk = pytest.importorskip("sklearn.multiclass")
    Scripted = _sklearn_learner(_ScriptedLogic)
    X, y, Xp = _scripted_data(C, 500, C)
    labels = np.array(["ant", "bee", "cat", "dog", "eel", "fox"])[:C][::-1]  # unsorted labels
    # one-vs-rest: the same predictions, scores and probabilities (normalised σ(m_k))
    ref = sk.OneVsRestClassifier(Scripted(C)).fit(X, labels[y])
    ours = OneVsRest(Scripted(C)).fit(X, labels[y])
    assert ours.classes_.tolist() == ref.classes_.tolist()
    np.testing.assert_array_equal(ours.predict(Xp), ref.predict(Xp))
    np.testing.assert_allclose(ours.decision_function(Xp), ref.decision_function(Xp), atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(Xp), ref.predict_proba(Xp), atol=1e-12)
    # one-vs-one: the same votes; the same prediction wherever the vote has a single winner
    ref_o = sk.OneVsOneClassifier(Scripted(C)).fit(X, labels[y])
    ours_o = OneVsOne(Scripted(C)).fit(X, labels[y])
    votes = np.floor(ref_o.decision_function(Xp) + 0.5)  # sklearn's votes + a term in (−⅓, ⅓)
    np.testing.assert_array_equal(np.round(ours_o.decision_function(Xp) + 0.25), votes)
    single = (votes == votes.max(axis=1, keepdims=True)).sum(axis=1) == 1
    assert single.sum() > 200
    np.testing.assert_array_equal(ours_o.predict(Xp)[single], ref_o.predict(Xp)[single])
    # ties in the vote are broken differently (documented in OneVsOne): by the logistic loss
    # of the pairwise margins here, by their sum in scikit-learn; they mostly agree
    agree = (ours_o.predict(Xp) == ref_o.predict(Xp))[~single].mean()
    assert agree > 0.75


@pytest.mark.parametrize(("C", "seed"), [(3, 0), (4, 1), (5, 2), (6, 3)])
def test_output_code_decodes_as_sklearn_on_its_code(C: int, seed: int) -> None:
    # scikit-learn's OutputCodeClassifier with a learner of hard 0/1 probabilities decodes by
    # Euclidean distance to 0/1 code words, which is Hamming decoding; given the code it drew,
    # ours predicts the same with either decoding (ties to the first class in both)
    sk = pytest.importorskip("sklearn.multiclass")
    Centroid = _sklearn_learner(_CentroidLogic)
    X, y, Xp = _circle_data(C, seed)
    ref = sk.OutputCodeClassifier(Centroid(), code_size=3, random_state=seed).fit(X, y)
    code = 2 * ref.code_book_.astype(np.int64) - 1
    # scikit-learn may draw a column with one class only (a constant classifier, at the same
    # distance from every code word); ours refuses such a code (documented), so leave it out
    code = code[:, (code > 0).any(axis=0) & (code < 0).any(axis=0)]
    for decoding in ("hamming", "loss"):
        ours = OutputCode(Centroid(), code=code, decoding=decoding).fit(X, y)
        np.testing.assert_array_equal(ours.predict(Xp), ref.predict(Xp))
