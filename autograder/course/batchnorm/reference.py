"""NumPy reference implementations for lesson 08_batchnorm.

Conventions (COURSE.md, Keras 3's ``BatchNormalization``): ``X`` is ``(N, D)``, ``gamma``,
``beta`` and the running statistics are ``(D,)``. Training mode normalizes with the batch mean
and the *biased* batch variance and returns the running statistics updated as
``running * momentum + batch * (1 - momentum)``; inference mode normalizes with the running
statistics and returns them unchanged. ``eps`` is added to the variance under the square root.
Nothing passed in is modified. The cache is this module's own choice: ``batchnorm_backward``
only ever receives the cache of this module's ``batchnorm_forward``.
"""
import numpy as np


def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
    if training:
        mean = X.mean(axis=0)
        centred = X - mean
        var = np.mean(centred * centred, axis=0)  # biased: divides by N
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
    else:
        mean, var = running_mean, running_var
        centred = X - mean
        new_mean, new_var = running_mean.copy(), running_var.copy()
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = centred * inv_std
    out = gamma * x_hat + beta
    return out, (x_hat, inv_std, gamma), new_mean, new_var


def batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # The compact form: every sample's x_hat depends on the whole batch through mean and variance.
    dX = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dX, dgamma, dbeta
