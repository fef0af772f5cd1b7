"""PyTorch's "Learn the Basics" series and "Deep Learning with PyTorch: A 60 Minute Blitz",
ported by changing the imports, run beside torch.

Each program is written as the tutorial publishes it, against a library passed by its package
name and imported by torch's paths (``<lib>.nn``, ``<lib>.nn.functional``, ``<lib>.optim``,
``<lib>.utils.data``), with smaller widths and synthetic data in place of the downloads
(FashionMNIST images drawn around ten templates, random CIFAR-sized images, a small VGG-like
model for ``vgg16``). Each test runs it on tinygrad_ed and checks what holds without torch (a
closed-form gradient, memory shared with numpy, a loss that falls); where torch is installed it
runs the same program on torch from the same weights and data and compares every value it
prints or uses (float32, as the tutorials: 1e-5 relative), every shape, dtype name and string.

Ported: Quickstart, Tensors, Datasets & DataLoaders, Transforms, Build the Model, Autograd,
Optimization, Save and Load; the blitz's tensor tutorial (its older form), Neural Networks and
Training a Classifier (CIFAR10). The blitz's autograd tutorial is "A Gentle Introduction to
torch.autograd", in ``test_tutorial_ports.py``.

What does not port, each a divergence documented where it lives, so the programs here spell
the line the documented way: ``Tensor.data`` is the numpy array (``f.data.sub_(f.grad.data *
learning_rate)`` becomes ``f.sub_(f.grad * learning_rate)`` under ``no_grad``, and
``torch.max(outputs.data, 1)`` ``torch.max(outputs, 1)``), no function takes ``out=``
(``torch.matmul(tensor, tensor.T, out=y3)``, ``torch.mul(..., out=z3)``, ``torch.add(x, y,
out=result)``), ``torch.save(model)`` of a whole module (save its ``state_dict()``). Printed
forms differ where documented, so they are compared as values: ``x.shape`` is a tuple (torch's
``torch.Size([3, 4])``), dtypes are numpy's (``float32``, torch's ``torch.float32``), floats print
with numpy's shortest digits (torch's four), a ``grad_fn`` prints as ``<AddBackward>`` (torch's
``<AddBackward0 object at 0x…>``), and a composed loss's ``grad_fn`` is its last op's
(``MeanBackward`` for ``mse_loss`` and ``binary_cross_entropy_with_logits``, torch's
``MseLossBackward0`` and ``BinaryCrossEntropyWithLogitsBackward0``).
"""

from __future__ import annotations

import functools
import itertools
import math
from pathlib import Path
from typing import Any

import _ports
import numpy as np
from _ports import lib, numpy_of

RTOL, ATOL = 1e-5, 1e-6  # float32, as the tutorials compute


assert_same = functools.partial(_ports.assert_same, rtol=RTOL, atol=ATOL)
run_beside_torch = functools.partial(_ports.run_beside_torch, rtol=RTOL, atol=ATOL)


def name(dtype: Any) -> str:
    """A dtype's name in either library: ``float32`` for tg.float32 and torch.float32."""
    return str(dtype).removeprefix("torch.")


def start_state(torch: Any, model: Any, seed: int) -> dict[str, Any]:
    """The same float32 weights for both libraries: uniform in ±1/√fan_in, as torch's init."""
    rng = np.random.default_rng(seed)
    state = {}
    for key, value in model.state_dict().items():
        shape = tuple(value.shape)
        bound = 1 / math.sqrt(math.prod(shape[1:])) if len(shape) > 1 else 0.05
        state[key] = torch.tensor(rng.uniform(-bound, bound, shape).astype(np.float32))
    return state


# ----------------------------------------------------------------------------- Tensors


def tensorqs(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    out: dict[str, Any] = {}
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)
    out["from data, numpy"] = [x_data.tolist(), name(x_data.dtype), x_np.tolist()]
    x_ones = torch.ones_like(x_data)  # retains the properties of x_data
    x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the datatype of x_data
    out["ones_like"] = [x_ones.tolist(), name(x_ones.dtype)]
    out["rand_like"] = [tuple(x_rand.shape), name(x_rand.dtype)]
    out["rand_like in [0, 1)"] = bool(((x_rand >= 0) & (x_rand < 1)).all())
    shape = (
        2,
        3,
    )
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)
    out["rand, ones, zeros"] = [
        tuple(rand_tensor.shape),
        ones_tensor.tolist(),
        zeros_tensor.tolist(),
    ]
    tensor = torch.rand(3, 4)
    out["attributes"] = [tuple(tensor.shape), name(tensor.dtype), str(tensor.device)]
    out["Device tensor is stored on"] = f"Device tensor is stored on: {tensor.device}"
    if torch.accelerator.is_available():
        tensor = tensor.to(torch.accelerator.current_accelerator())
    tensor = torch.ones(4, 4)
    out["first row, column, last column"] = [
        tensor[0].tolist(),
        tensor[:, 0].tolist(),
        tensor[..., -1].tolist(),
    ]
    tensor[:, 1] = 0
    out["tensor[:, 1] = 0"] = tensor.tolist()
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    out["cat"] = [tuple(t1.shape), t1.tolist()]
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.matmul(tensor, tensor.T)  # the tutorial: torch.matmul(tensor, tensor.T, out=y3)
    out["matrix product"] = [y1.tolist(), y2.tolist(), y3.tolist()]
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    z3 = torch.mul(tensor, tensor)  # the tutorial: torch.mul(tensor, tensor, out=z3)
    out["element-wise product"] = [z1.tolist(), z2.tolist(), z3.tolist()]
    agg = tensor.sum()
    agg_item = agg.item()
    out["agg_item"] = [agg_item, type(agg_item).__name__]
    before = tensor.tolist()
    returned = tensor.add_(5)
    out["add_"] = [before, returned.tolist(), tensor.tolist(), returned is tensor]
    out["print(tensor)"] = f"{tensor} \n"  # whole numbers print alike in both libraries
    t = torch.ones(5)
    n = t.numpy()
    out["t.numpy()"] = [t.tolist(), n.tolist(), name(n.dtype)]
    t.add_(1)
    out["t.add_(1) shows in n"] = [t.tolist(), n.tolist()]
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    out["np.add(n, 1, out=n) shows in t"] = [t.tolist(), n.tolist(), name(t.dtype)]
    return out


def test_tensors() -> None:
    out = run_beside_torch(tensorqs)
    assert out["from data, numpy"] == [[[1, 2], [3, 4]], "int64", [[1, 2], [3, 4]]]
    assert out["rand_like"] == [(2, 2), "float32"] and out["rand_like in [0, 1)"]
    assert out["tensor[:, 1] = 0"] == [[1.0, 0.0, 1.0, 1.0]] * 4
    assert out["matrix product"] == [[[3.0] * 4] * 4] * 3
    assert out["element-wise product"] == [out["tensor[:, 1] = 0"]] * 3
    assert out["agg_item"] == [12.0, "float"]
    assert out["add_"][2] == [[6.0, 5.0, 6.0, 6.0]] * 4 and out["add_"][3]
    assert out["print(tensor)"].startswith("tensor([[6., 5., 6., 6.],\n        [6., 5.,")
    assert out["t.add_(1) shows in n"] == [[2.0] * 5] * 2  # one memory
    assert out["np.add(n, 1, out=n) shows in t"] == [[2.0] * 5, [2.0] * 5, "float64"]


def blitz_tensor(root: str) -> dict[str, Any]:
    """The blitz's older "What is PyTorch?": empty, new_ones, randn_like, size, view, to."""
    torch = lib(root).torch
    out: dict[str, Any] = {}
    x = torch.empty(5, 3)
    out["empty"] = [tuple(x.shape), name(x.dtype)]
    x = torch.zeros(5, 3, dtype=torch.long)
    out["zeros long"] = [x.tolist(), name(x.dtype)]
    x = torch.tensor([5.5, 3])
    out["tensor"] = [x.tolist(), name(x.dtype)]
    x = x.new_ones(5, 3, dtype=torch.double)
    out["new_ones"] = [x.tolist(), name(x.dtype)]
    x = torch.randn_like(x, dtype=torch.float)
    out["randn_like"] = [name(x.dtype), tuple(x.size()), x.size() == (5, 3)]
    x = torch.tensor(np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3))
    y = torch.tensor(np.linspace(0, 2, 15, dtype=np.float32).reshape(5, 3))
    result = torch.add(x, y)  # the tutorial: torch.add(x, y, out=result)
    out["add"] = [(x + y).tolist(), result.tolist()]
    y.add_(x)
    out["y.add_(x)"] = y.tolist()
    out["x[:, 1]"] = x[:, 1].tolist()
    x = torch.tensor(np.arange(16, dtype=np.float32).reshape(4, 4))
    y = x.view(16)
    z = x.view(-1, 8)  # the size -1 is inferred from other dimensions
    out["view"] = [tuple(x.size()), tuple(y.size()), tuple(z.size()), z.tolist()]
    y[0] = -1.0
    out["a view shares memory"] = x[0, 0].item()
    x = torch.tensor([0.25])
    out["item"] = [x.item(), type(x.item()).__name__]
    a = torch.ones(5)
    b = a.numpy()
    a.add_(1)
    out["numpy bridge"] = [a.tolist(), b.tolist()]
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    y = torch.ones_like(x, device=device)
    x = x.to(device)
    z = x + y
    moved = z.to("cpu", torch.double)
    out["to"] = [str(z.device), name(moved.dtype), moved.tolist()]
    return out


def test_blitz_tensors() -> None:
    out = run_beside_torch(blitz_tensor)
    assert out["empty"] == [(5, 3), "float32"] and out["zeros long"][1] == "int64"
    assert out["tensor"] == [[5.5, 3.0], "float32"] and out["new_ones"][1] == "float64"
    assert out["randn_like"] == ["float32", (5, 3), True]
    assert out["view"][:3] == [(4, 4), (16,), (2, 8)] and out["a view shares memory"] == -1.0
    assert out["numpy bridge"] == [[2.0] * 5] * 2
    assert out["to"] == ["cpu", "float64", [1.25]]


# ----------------------------------------------------------------------------- Datasets &
# DataLoaders, and Transforms (read_image's uint8 images, ToTensor and a one-hot Lambda)

_rng_data = np.random.default_rng(0)
IMAGES = _rng_data.random((20, 28, 28)).astype(np.float32)
LABELS = _rng_data.integers(0, 10, 20)


def datasets_and_transforms(root: str) -> dict[str, Any]:
    m = lib(root)
    torch = m.torch
    Dataset, DataLoader = m.data.Dataset, m.data.DataLoader
    out: dict[str, Any] = {}

    class CustomImageDataset(Dataset):  # type: ignore[misc, name-defined]
        def __init__(
            self, labels: Any, images: Any, transform: Any = None, target_transform: Any = None
        ) -> None:
            self.img_labels = labels  # the tutorial reads a CSV file of file names and labels
            self.images = images
            self.transform = transform
            self.target_transform = target_transform

        def __len__(self) -> int:
            return len(self.img_labels)

        def __getitem__(self, idx: int) -> tuple[Any, Any]:
            # read_image(img_path): a uint8 tensor, channels first
            image = torch.tensor((self.images[idx] * 255).astype(np.uint8)).unsqueeze(0)
            label = self.img_labels[idx]
            if self.transform:
                image = self.transform(image)
            if self.target_transform:
                label = self.target_transform(label)
            return image, label

    training_data = CustomImageDataset(LABELS, IMAGES)
    image, label = training_data[3]
    out["example"] = [len(training_data), tuple(image.shape), name(image.dtype), int(label)]
    sample_idx = torch.randint(len(training_data), size=(1,)).item()
    out["randint().item()"] = type(sample_idx).__name__
    loader = DataLoader(training_data, batch_size=8, shuffle=False)
    out["batches"] = [
        [tuple(X.size()), name(X.dtype), tuple(y.shape), name(y.dtype), y.tolist()]
        for X, y in loader
    ]
    out["len(loader)"] = len(loader)
    train_dataloader = DataLoader(training_data, batch_size=8, shuffle=True)
    train_features, train_labels = next(iter(train_dataloader))
    img = train_features[0].squeeze()
    label = train_labels[0]
    out["Feature batch shape"] = [tuple(train_features.size()), tuple(train_labels.size())]
    out["squeeze, Label"] = [tuple(img.shape), f"Label: {label}" == f"Label: {int(label)}"]
    out["a shuffled epoch"] = sorted(y for _, ys in train_dataloader for y in ys.tolist())

    # Transforms: ToTensor (uint8 to float in [0, 1]) and the one-hot Lambda
    def to_tensor(image: Any) -> Any:
        return image.float() / 255

    def one_hot(y: Any) -> Any:
        return torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)

    ds = CustomImageDataset(LABELS, IMAGES, transform=to_tensor, target_transform=one_hot)
    x, y = ds[5]
    out["ToTensor"] = [name(x.dtype), x.numpy()]
    out["one-hot"] = [y.tolist(), name(y.dtype)]
    X, Y = next(iter(DataLoader(ds, batch_size=4)))
    out["one-hot batch"] = [tuple(X.shape), tuple(Y.shape), Y.tolist()]
    return out


def test_datasets_dataloaders_and_transforms() -> None:
    out = run_beside_torch(datasets_and_transforms)
    assert out["example"] == [20, (1, 28, 28), "uint8", LABELS[3]]
    assert out["randint().item()"] == "int" and out["len(loader)"] == 3
    assert [b[0] for b in out["batches"]] == [(8, 1, 28, 28)] * 2 + [(4, 1, 28, 28)]
    assert [b[3] for b in out["batches"]] == ["int64"] * 3
    assert [y for b in out["batches"] for y in b[4]] == LABELS.tolist()
    assert out["Feature batch shape"] == [(8, 1, 28, 28), (8,)] and out["squeeze, Label"][0]
    assert out["a shuffled epoch"] == sorted(LABELS.tolist())
    assert out["squeeze, Label"] == [(28, 28), True]
    np.testing.assert_array_equal(
        out["ToTensor"][1][0], (IMAGES[5] * 255).astype(np.uint8).astype(np.float32) / 255
    )
    assert out["one-hot"] == [np.eye(10)[LABELS[5]].tolist(), "float32"]
    assert out["one-hot batch"][:2] == [(4, 1, 28, 28), (4, 10)]
    assert out["one-hot batch"][2] == np.eye(10)[LABELS[:4]].tolist()


# ----------------------------------------------------------------------------- Build the Model
# and Autograd


def neural_network_class(nn: Any, width: int) -> Any:
    """The series' NeuralNetwork (its width 512)."""

    class NeuralNetwork(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, width),
                nn.ReLU(),
                nn.Linear(width, width),
                nn.ReLU(),
                nn.Linear(width, 10),
            )

        def forward(self, x: Any) -> Any:
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    return NeuralNetwork


def build_the_model(root: str) -> dict[str, Any]:
    m = lib(root)
    torch, nn = m.torch, m.nn
    out: dict[str, Any] = {}
    device = (
        torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    )
    out["device"] = f"Using {device} device"
    model = neural_network_class(nn, 512)().to(device)
    out["print(model)"] = str(model)
    model.load_state_dict(start_state(torch, model, 1))
    X = torch.tensor(IMAGES[:1], device=device)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    out["logits, probabilities"] = [numpy_of(logits), numpy_of(pred_probab)]
    out["Predicted class"] = [f"Predicted class: {y_pred}", name(y_pred.dtype)]
    input_image = torch.tensor(IMAGES[:3])
    flatten = nn.Flatten()
    flat_image = flatten(input_image)
    layer1 = nn.Linear(in_features=28 * 28, out_features=20)
    layer1.load_state_dict(start_state(torch, layer1, 2))
    hidden1 = layer1(flat_image)
    out["sizes"] = [tuple(input_image.size()), tuple(flat_image.size()), tuple(hidden1.size())]
    out["Before ReLU"] = numpy_of(hidden1)
    hidden1 = nn.ReLU()(hidden1)
    out["After ReLU"] = numpy_of(hidden1)
    seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10))
    seq_modules[3].load_state_dict(start_state(torch, seq_modules[3], 3))
    out["print(seq_modules)"] = str(seq_modules)
    logits = seq_modules(input_image)
    softmax = nn.Softmax(dim=1)
    pred_probab = softmax(logits)
    out["seq_modules probabilities"] = numpy_of(pred_probab)
    out["Model structure"] = f"Model structure: {model}\n\n"
    out["named_parameters"] = [
        [f"Layer: {n} | Size: {tuple(param.size())}", numpy_of(param[:2])]
        for n, param in model.named_parameters()
    ]
    return out


def test_build_the_model() -> None:
    out = run_beside_torch(build_the_model)
    assert out["device"] == "Using cpu device"
    assert out["print(model)"].startswith("NeuralNetwork(\n  (flatten): Flatten(start_dim=1")
    assert "(4): Linear(in_features=512, out_features=10, bias=True)" in out["print(model)"]
    logits, probabilities = out["logits, probabilities"]
    np.testing.assert_allclose(probabilities.sum(1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probabilities, np.exp(logits) / np.exp(logits).sum(), rtol=1e-5)
    assert out["Predicted class"] == [f"Predicted class: tensor([{logits.argmax()}])", "int64"]
    assert out["sizes"] == [(3, 28, 28), (3, 784), (3, 20)]
    np.testing.assert_array_equal(out["After ReLU"], np.maximum(out["Before ReLU"], 0))
    np.testing.assert_allclose(out["seq_modules probabilities"].sum(1), 1.0, rtol=1e-6)
    assert [row[0] for row in out["named_parameters"]] == [
        "Layer: linear_relu_stack.0.weight | Size: (512, 784)",
        "Layer: linear_relu_stack.0.bias | Size: (512,)",
        "Layer: linear_relu_stack.2.weight | Size: (512, 512)",
        "Layer: linear_relu_stack.2.bias | Size: (512,)",
        "Layer: linear_relu_stack.4.weight | Size: (10, 512)",
        "Layer: linear_relu_stack.4.bias | Size: (10,)",
    ]


W_START = np.random.default_rng(2).standard_normal((5, 3)).astype(np.float32)
B_START = np.random.default_rng(3).standard_normal(3).astype(np.float32)


def autogradqs(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    out: dict[str, Any] = {}
    x = torch.ones(5)  # input tensor
    y = torch.zeros(3)  # expected output
    w = torch.tensor(W_START, requires_grad=True)  # the tutorial: torch.randn(5, 3, ...)
    b = torch.tensor(B_START, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    out["grad_fn"] = [z.grad_fn is not None, loss.grad_fn is not None]
    loss.backward()
    out["loss, w.grad, b.grad"] = [loss.item(), numpy_of(w.grad), numpy_of(b.grad)]
    z = torch.matmul(x, w) + b
    requires = [z.requires_grad]
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    requires.append(z.requires_grad)
    z = torch.matmul(x, w) + b
    z_det = z.detach()
    requires.append(z_det.requires_grad)
    out["requires_grad"] = requires
    # Tensor gradients and Jacobian products
    inp = torch.eye(4, 5, requires_grad=True)
    out_ = (inp + 1).pow(2).t()
    out_.backward(torch.ones_like(out_), retain_graph=True)
    calls = [inp.grad.tolist()]
    printed = [f"First call\n{inp.grad}"]
    out_.backward(torch.ones_like(out_), retain_graph=True)
    calls.append(inp.grad.tolist())
    printed.append(f"\nSecond call\n{inp.grad}")
    inp.grad.zero_()
    out_.backward(torch.ones_like(out_), retain_graph=True)
    calls.append(inp.grad.tolist())
    printed.append(f"\nCall after zeroing gradients\n{inp.grad}")
    out["First call, Second call, Call after zeroing gradients"] = calls
    out["printed"] = printed  # whole numbers: printed alike
    return out


def test_autograd() -> None:
    out = run_beside_torch(autogradqs)
    assert out["grad_fn"] == [True, True] and out["requires_grad"] == [True, False, False]
    # loss = mean over 3 of ln(1 + e^z) (y = 0), z = 1ᵀW + b: z̄ = σ(z)/3, W̄ = 1 z̄ᵀ, b̄ = z̄
    z = W_START.astype(float).sum(0) + B_START
    loss, w_grad, b_grad = out["loss, w.grad, b.grad"]
    np.testing.assert_allclose(loss, np.log1p(np.exp(z)).mean(), rtol=1e-6)
    z_bar = 1 / (1 + np.exp(-z)) / 3
    np.testing.assert_allclose(b_grad, z_bar, rtol=1e-6)
    np.testing.assert_allclose(w_grad, np.tile(z_bar, (5, 1)), rtol=1e-6)
    # out = (inp + 1)²ᵀ: inp's gradient 2(inp + 1), twice after two calls
    once = (2 * (np.eye(4, 5) + 1)).tolist()
    assert out["First call, Second call, Call after zeroing gradients"] == [
        once,
        (2 * np.array(once)).tolist(),
        once,
    ]
    assert out["printed"][0].startswith("First call\ntensor([[4., 2., 2., 2., 2.],\n")


# ----------------------------------------------------------------------------- Quickstart,
# Optimization and Save and Load: the train/test loops on FashionMNIST-like data


def fashion_like(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n images of 1×28×28 in [0, 1], each one of ten fixed templates plus noise."""
    rng = np.random.default_rng(seed)
    templates = np.random.default_rng(99).random((10, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, n)
    x = np.clip(templates[y] + 0.5 * rng.standard_normal((n, 28, 28)), 0, 1).astype(np.float32)
    return x[:, None], y


TRAIN, TEST = fashion_like(256, 1), fashion_like(128, 2)
CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def quickstart(root: str, tmp: Path) -> dict[str, Any]:
    m = lib(root)
    torch, nn = m.torch, m.nn
    Dataset, DataLoader = m.data.Dataset, m.data.DataLoader
    out: dict[str, Any] = {}

    class FashionMNIST(Dataset):  # type: ignore[misc, name-defined]
        """datasets.FashionMNIST(..., transform=ToTensor()): (image tensor, int label)."""

        def __init__(self, data: tuple[np.ndarray, np.ndarray], transform: Any) -> None:
            self.images, self.labels = data
            self.transform = transform

        def __len__(self) -> int:
            return len(self.labels)

        def __getitem__(self, i: int) -> tuple[Any, int]:
            return self.transform(self.images[i]), int(self.labels[i])

    training_data = FashionMNIST(TRAIN, transform=torch.from_numpy)
    test_data = FashionMNIST(TEST, transform=torch.from_numpy)
    batch_size = 64
    train_dataloader = DataLoader(training_data, batch_size=batch_size)
    test_dataloader = DataLoader(test_data, batch_size=batch_size)
    for X, y in test_dataloader:
        out["Shape of X [N, C, H, W]"] = tuple(X.shape)
        out["Shape of y"] = [tuple(y.shape), name(y.dtype)]
        break
    device = (
        torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    )
    NeuralNetwork = neural_network_class(nn, 64)
    model = NeuralNetwork().to(device)
    model.load_state_dict(start_state(torch, model, 4))
    # Optimization's hyperparameters (its learning rate 1e-3 on 60000 images; 1e-1 on 256)
    learning_rate = 1e-1
    epochs = 5
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    printed: list[list[Any]] = []

    def train_loop(dataloader: Any, model: Any, loss_fn: Any, optimizer: Any) -> None:
        size = len(dataloader.dataset)
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            X, y = X.to(device), y.to(device)
            pred = model(X)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 2 == 0:  # the tutorial's batch % 100
                loss, current = loss.item(), batch * batch_size + len(X)
                printed.append([loss, f"[{current:>5d}/{size:>5d}]"])

    def test_loop(dataloader: Any, model: Any, loss_fn: Any) -> tuple[float, float]:
        model.eval()
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        test_loss, correct = 0, 0
        with torch.no_grad():
            for X, y in dataloader:
                X, y = X.to(device), y.to(device)
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        test_loss /= num_batches
        correct /= size
        printed.append([f"Accuracy: {(100 * correct):>0.1f}%", test_loss])
        return correct, test_loss

    results = []
    for _t in range(epochs):
        train_loop(train_dataloader, model, loss_fn, optimizer)
        results.append(test_loop(test_dataloader, model, loss_fn))
    out["printed"] = printed
    out["accuracy, test loss"] = results
    out["trained weight"] = numpy_of(model.linear_relu_stack[4].weight)
    path = str(tmp / f"{root}_model.pth")
    torch.save(model.state_dict(), path)
    model = NeuralNetwork().to(device)
    out["load_state_dict"] = repr(model.load_state_dict(torch.load(path, weights_only=True)))
    model.eval()
    x, y = test_data[0][0], test_data[0][1]
    with torch.no_grad():
        x = x.to(device)
        pred = model(x)
        predicted, actual = CLASSES[pred[0].argmax(0)], CLASSES[y]
        out["Predicted, Actual"] = f'Predicted: "{predicted}", Actual: "{actual}"'
    out["loaded weight"] = numpy_of(model.linear_relu_stack[4].weight)
    return out


def test_quickstart_optimization_and_save_load(tmp_path: Path) -> None:
    out = run_beside_torch(quickstart, tmp_path)
    assert out["Shape of X [N, C, H, W]"] == (64, 1, 28, 28)
    assert out["Shape of y"] == [(64,), "int64"]
    assert [p[1] for p in out["printed"][:2]] == ["[   64/  256]", "[  192/  256]"]
    assert len(out["printed"]) == 15 and out["printed"][2][0].startswith("Accuracy: ")
    losses = [r[1] for r in out["accuracy, test loss"]]
    accuracy = [r[0] for r in out["accuracy, test loss"]]
    assert all(b < a for a, b in itertools.pairwise(losses)) and accuracy[-1] > 0.4 > accuracy[0]
    assert out["load_state_dict"] == "<All keys matched successfully>"
    np.testing.assert_array_equal(out["loaded weight"], out["trained weight"])
    assert out["Predicted, Actual"].endswith(f'Actual: "{CLASSES[TEST[1][0]]}"')


def save_and_load(root: str, tmp: Path) -> dict[str, Any]:
    """torch.save/torch.load of a model's weights, then model.eval(); a small VGG-like model
    stands for ``models.vgg16(weights='IMAGENET1K_V1')``."""
    m = lib(root)
    torch, nn = m.torch, m.nn

    def vgg() -> Any:
        class VGG(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.features = nn.Sequential(
                    nn.Conv2d(3, 4, 3, padding=1),
                    nn.ReLU(inplace=True),
                    nn.MaxPool2d(kernel_size=2, stride=2),
                    nn.Conv2d(4, 8, 3, padding=1),
                    nn.ReLU(inplace=True),
                    nn.MaxPool2d(kernel_size=2, stride=2),
                )
                self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
                self.classifier = nn.Sequential(
                    nn.Linear(8 * 2 * 2, 16),
                    nn.ReLU(True),
                    nn.Dropout(p=0.5),
                    nn.Linear(16, 10),
                )

            def forward(self, x: Any) -> Any:
                x = self.features(x)
                x = self.avgpool(x)
                x = torch.flatten(x, 1)
                return self.classifier(x)

        return VGG()

    model = vgg()
    model.load_state_dict(start_state(torch, model, 5))  # the pretrained weights
    torch.save(model.state_dict(), str(tmp / f"{root}_model_weights.pth"))
    model = vgg()  # we do not specify ``weights``, i.e. create untrained model
    loaded = model.load_state_dict(
        torch.load(str(tmp / f"{root}_model_weights.pth"), weights_only=True)
    )
    evaluated = model.eval()
    x = torch.tensor(np.random.default_rng(6).random((2, 3, 12, 12)).astype(np.float32))
    with torch.no_grad():
        first, second = model(x), model(x)
    return {
        "load_state_dict": repr(loaded),
        "eval returns the model": evaluated is model,
        "training": [mod.training for mod in model.modules()],
        "eval is deterministic": bool(torch.equal(first, second)),
        "outputs": numpy_of(first),
        "state_dict": [(k, tuple(v.shape)) for k, v in model.state_dict().items()],
    }


def test_save_and_load_the_model(tmp_path: Path) -> None:
    out = run_beside_torch(save_and_load, tmp_path)
    assert out["load_state_dict"] == "<All keys matched successfully>"
    assert out["eval returns the model"] and not any(out["training"])
    assert out["eval is deterministic"] and np.all(np.isfinite(out["outputs"]))
    assert [k for k, _ in out["state_dict"]] == [
        "features.0.weight",
        "features.0.bias",
        "features.3.weight",
        "features.3.bias",
        "classifier.0.weight",
        "classifier.0.bias",
        "classifier.3.weight",
        "classifier.3.bias",
    ]


# ----------------------------------------------------------------------------- 60 Minute Blitz:
# Neural Networks (LeNet on one 32×32 image)


def neural_networks(root: str) -> dict[str, Any]:
    m = lib(root)
    torch, nn, F = m.torch, m.nn, m.F
    out: dict[str, Any] = {}

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super(Net, self).__init__()  # noqa: UP008 (the tutorial's spelling)
            # 1 input image channel, 6 output channels, 5x5 square convolution kernel
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # a square window: one number
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

        def num_flat_features(self, x: Any) -> int:
            size = x.size()[1:]  # all dimensions except the batch dimension
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    net = Net()
    out["print(net)"] = str(net)
    net.load_state_dict(start_state(torch, net, 7))
    params = list(net.parameters())
    out["params"] = [len(params), tuple(params[0].size())]
    rng = np.random.default_rng(8)
    input = torch.tensor(rng.standard_normal((1, 1, 32, 32)).astype(np.float32))
    out_ = net(input)
    out["out"] = numpy_of(out_)
    net.zero_grad()
    v = rng.standard_normal((1, 10)).astype(np.float32)
    out_.backward(torch.tensor(v))  # the tutorial: torch.randn(1, 10)
    out["v"] = v
    out["grads"] = [numpy_of(p.grad) for p in net.parameters()]
    output = net(input)
    target = torch.tensor(rng.standard_normal(10).astype(np.float32))  # a dummy target
    target = target.view(1, -1)  # make it the same shape as output
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    out["loss"] = [loss.item(), numpy_of(output), numpy_of(target)]
    chain, fn = [], loss.grad_fn
    while fn is not None and getattr(fn, "next_functions", ()):  # next_functions[0][0]…
        chain.append(len(fn.next_functions))
        fn = fn.next_functions[0][0]
    out["a grad_fn chain"] = bool(chain)
    net.zero_grad()  # zeroes the gradient buffers of all parameters
    out["conv1.bias.grad before backward"] = net.conv1.bias.grad is None
    loss.backward()
    out["conv1.bias.grad after backward"] = numpy_of(net.conv1.bias.grad)
    out["fc3.bias.grad"] = numpy_of(net.fc3.bias.grad)
    before = [numpy_of(p) for p in net.parameters()]
    out["before"] = before
    out["grad"] = [numpy_of(p.grad) for p in net.parameters()]
    learning_rate = 0.01
    with torch.no_grad():  # the tutorial: f.data.sub_(f.grad.data * learning_rate)
        for f in net.parameters():
            f.sub_(f.grad * learning_rate)
    out["after the manual update"] = [numpy_of(p) for p in net.parameters()]
    import_optim = m.optim
    optimizer = import_optim.SGD(net.parameters(), lr=0.01)
    losses = []
    for _ in range(3):  # in your training loop:
        optimizer.zero_grad()  # zero the gradient buffers
        output = net(input)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()  # does the update
        losses.append(loss.item())
    out["optim.SGD losses"] = losses
    out["parameters"] = [numpy_of(p) for p in net.parameters()]
    return out


def test_blitz_neural_networks() -> None:
    out = run_beside_torch(neural_networks)
    assert "(conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))" in out["print(net)"]
    assert "(fc1): Linear(in_features=400, out_features=120, bias=True)" in out["print(net)"]
    assert out["params"] == [10, (6, 1, 5, 5)] and out["a grad_fn chain"]
    # out.backward(v) after zero_grad: fc3's bias receives v itself
    np.testing.assert_array_equal(out["grads"][-1], out["v"][0])
    # MSELoss: fc3's bias receives 2(output − target)/10
    loss, output, target = out["loss"]
    np.testing.assert_allclose(loss, ((output - target) ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(out["fc3.bias.grad"], 2 * (output - target)[0] / 10, rtol=1e-5)
    assert out["conv1.bias.grad before backward"]
    np.testing.assert_array_equal(out["conv1.bias.grad after backward"], out["grad"][1])
    for before, grad, after in zip(out["before"], out["grad"], out["after the manual update"]):
        np.testing.assert_allclose(after, before - 0.01 * grad, rtol=1e-6, atol=1e-9)
    losses = out["optim.SGD losses"]
    assert losses[2] < losses[1] < losses[0] < loss  # each step, from the manual update on


# ----------------------------------------------------------------------------- 60 Minute Blitz:
# Training a Classifier (CIFAR10-sized random images)

_rng_cifar = np.random.default_rng(7)
CIFAR = _rng_cifar.random((24, 3, 32, 32)).astype(np.float32)
CIFAR_LABELS = _rng_cifar.integers(0, 10, 24)


def cifar10(root: str, tmp: Path) -> dict[str, Any]:
    m = lib(root)
    torch, nn, F, optim = m.torch, m.nn, m.F, m.optim
    out: dict[str, Any] = {}

    def normalize(t: Any) -> Any:  # transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
        return (t - 0.5) / 0.5

    images, labels = torch.tensor(CIFAR), torch.tensor(CIFAR_LABELS)
    trainset = m.data.TensorDataset(normalize(images[:16]), labels[:16])
    testset = m.data.TensorDataset(normalize(images[16:]), labels[16:])
    batch_size = 4
    trainloader = torch.utils.data.DataLoader(
        trainset, batch_size=batch_size, shuffle=False, num_workers=2
    )
    testloader = torch.utils.data.DataLoader(
        testset, batch_size=batch_size, shuffle=False, num_workers=2
    )
    classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    dataiter = iter(trainloader)
    images, labels = next(dataiter)
    img = images[0] / 2 + 0.5  # unnormalize, for imshow
    npimg = img.numpy()
    out["imshow"] = np.transpose(npimg, (1, 2, 0))
    out["labels"] = " ".join(f"{classes[labels[j]]:5s}" for j in range(batch_size))

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)  # flatten all dimensions except batch
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    net = Net()
    net.load_state_dict(start_state(torch, net, 9))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)  # the tutorial's lr 0.001
    running = []
    for epoch in range(3):  # loop over the dataset multiple times
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 4 == 3:  # the tutorial's i % 2000 == 1999
                running.append([f"[{epoch + 1}, {i + 1:5d}]", running_loss / 4])
                running_loss = 0.0
    out["running loss"] = running
    PATH = str(tmp / f"{root}_cifar_net.pth")
    torch.save(net.state_dict(), PATH)
    dataiter = iter(testloader)
    images, labels = next(dataiter)
    out["GroundTruth"] = "GroundTruth: " + " ".join(f"{classes[labels[j]]:5s}" for j in range(4))
    net = Net()
    net.load_state_dict(torch.load(PATH, weights_only=True))
    outputs = net(images)
    _, predicted = torch.max(outputs, 1)
    out["Predicted"] = "Predicted: " + " ".join(f"{classes[predicted[j]]:5s}" for j in range(4))
    correct = 0
    total = 0
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)  # calculate outputs by running images through the network
            # the class with the highest energy is what we choose as prediction
            _, predicted = torch.max(outputs, 1)  # the tutorial: torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    out["Accuracy"] = f"Accuracy of the network on the 8 test images: {100 * correct // total} %"
    out["correct, total"] = [correct, total]
    # prepare to count predictions for each class
    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predictions = torch.max(outputs, 1)
            # collect the correct predictions for each class
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    accuracy_per_class = []
    for classname, correct_count in correct_pred.items():
        if total_pred[classname]:  # (8 test images leave some classes out)
            accuracy = 100 * float(correct_count) / total_pred[classname]
            accuracy_per_class.append(f"Accuracy for class: {classname:5s} is {accuracy:.1f} %")
    out["per class"] = accuracy_per_class
    out["correct_pred, total_pred"] = [correct_pred, total_pred]
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    net.to(device)
    inputs, labels = data[0].to(device), data[1].to(device)
    out["outputs"] = numpy_of(net(inputs))
    return out


def test_blitz_training_a_classifier(tmp_path: Path) -> None:
    out = run_beside_torch(cifar10, tmp_path)
    np.testing.assert_allclose(out["imshow"], CIFAR[0].transpose(1, 2, 0), atol=1e-7)
    classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert out["labels"] == " ".join(f"{classes[k]:5s}" for k in CIFAR_LABELS[:4])
    losses = [r[1] for r in out["running loss"]]
    assert [r[0] for r in out["running loss"]] == ["[1,     4]", "[2,     4]", "[3,     4]"]
    assert losses[2] < losses[1] < losses[0]
    correct, total = out["correct, total"]
    correct_pred, total_pred = out["correct_pred, total_pred"]
    assert total == 8 and sum(total_pred.values()) == 8 and sum(correct_pred.values()) == correct
    assert total_pred == {k: int((CIFAR_LABELS[16:] == i).sum()) for i, k in enumerate(classes)}
