"""Reference implementations for lesson 02_activations (NumPy, numerically stable).

Every function takes an array of any shape, returns an array of the same shape in the
input's floating dtype (float64 for integer input), never modifies its input and never
overflows: no exp of a positive number is ever evaluated. At a kink (z = 0) the
derivatives return the left slope, as TensorFlow's gradients do.
"""
import numpy as np


def _float(z):
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def sigmoid(z):
    z = _float(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype)


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(_float(z))


def tanh_grad(z):
    t = np.tanh(_float(z))
    return 1.0 - t * t


def relu(z):
    z = _float(z)
    return np.maximum(z, np.zeros((), z.dtype))


def relu_grad(z):
    z = _float(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha=0.01):
    z = _float(z)
    return np.where(z > 0, z, alpha * z).astype(z.dtype)


def leaky_relu_grad(z, alpha=0.01):
    z = _float(z)
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)


def elu(z, alpha=1.0):
    z = _float(z)
    negative = np.minimum(z, 0)  # exp only ever sees z <= 0
    return np.where(z > 0, z, alpha * np.expm1(negative)).astype(z.dtype)


def elu_grad(z, alpha=1.0):
    z = _float(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))).astype(z.dtype)


def softplus(z):
    z = _float(z)
    return (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))).astype(z.dtype)


def softmax(z, axis=-1):
    z = _float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
