"""Reference implementations for lesson 00_tensors."""
import numpy as np


def one_hot(y, num_classes):
    y = np.asarray(y).astype(np.int64).ravel()
    out = np.zeros((y.size, num_classes))
    out[np.arange(y.size), y] = 1.0
    return out


def standardize(X, mean=None, std=None):
    X = np.asarray(X)
    mean = X.mean(axis=0) if mean is None else np.asarray(mean)
    std = X.std(axis=0) if std is None else np.asarray(std)
    safe = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / safe, mean, std


def flatten_images(images):
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1)


def dense_layer(X, W, b):
    return np.matmul(np.asarray(X), np.asarray(W)) + np.asarray(b)[np.newaxis, :]
