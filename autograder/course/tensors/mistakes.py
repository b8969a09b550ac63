"""Known mistakes and correct alternatives for lesson 00_tensors."""
from ...grading.mistakes import alternative, mistake

MISTAKES = [
    mistake("one_hot", "integer dtype",
            "the one-hot matrix must hold floats (0.0 and 1.0), as Keras' to_categorical returns.",
            """
            def one_hot(y, num_classes):
                out = np.zeros((len(y), num_classes), dtype=int)
                out[np.arange(len(y)), y] = 1
                return out
            """),
    mistake("one_hot", "classes from the data",
            "the number of columns must be num_classes, even when some classes do not occur in y.",
            """
            def one_hot(y, num_classes):
                k = int(np.max(y)) + 1
                out = np.zeros((len(y), k))
                out[np.arange(len(y)), y] = 1.0
                return out
            """),
    mistake("one_hot", "labels not flattened",
            "labels may come as a column of shape (N, 1), as Keras' to_categorical accepts: flatten them "
            "first (np.asarray(y).reshape(-1)); indexing with a column sets a whole N x N block of ones.",
            """
            def one_hot(y, num_classes):
                y = np.asarray(y).astype(int)
                out = np.zeros((len(y), num_classes))
                out[np.arange(len(y)), y] = 1.0
                return out
            """),
    mistake("one_hot", "transposed",
            "rows are samples: the result has shape (N, num_classes), not (num_classes, N).",
            """
            def one_hot(y, num_classes):
                return (np.arange(num_classes)[:, None] == np.asarray(y)[None, :]).astype(float)
            """),
    mistake("standardize", "sample std",
            "use the population standard deviation (ddof=0, NumPy's default), not the sample one.",
            """
            def standardize(X, mean=None, std=None):
                mean = X.mean(axis=0) if mean is None else mean
                std = X.std(axis=0, ddof=1) if std is None else std
                safe = np.where(std < 1e-12, 1.0, std)
                return (X - mean) / safe, mean, std
            """),
    mistake("standardize", "global statistics",
            "compute the mean and std per column (axis=0), one per feature, not over the whole array.",
            """
            def standardize(X, mean=None, std=None):
                mean = X.mean() if mean is None else mean
                std = X.std() if std is None else std
                return (X - mean) / max(std, 1e-12), mean, std
            """),
    mistake("standardize", "rows instead of columns",
            "features are columns: average over the samples (axis=0), not over each row.",
            """
            def standardize(X, mean=None, std=None):
                mean = X.mean(axis=1, keepdims=True) if mean is None else mean
                std = X.std(axis=1, keepdims=True) if std is None else std
                safe = np.where(std < 1e-12, 1.0, std)
                return (X - mean) / safe, mean, std
            """),
    mistake("standardize", "zero std not handled",
            "a constant column has std 0: treat a std below 1e-12 as 1 instead of dividing by zero.",
            """
            def standardize(X, mean=None, std=None):
                mean = X.mean(axis=0) if mean is None else mean
                std = X.std(axis=0) if std is None else std
                return (X - mean) / std, mean, std
            """),
    mistake("standardize", "ignores given statistics",
            "when mean and std are given (say, the training set's), use them instead of recomputing.",
            """
            def standardize(X, mean=None, std=None):
                mean, std = X.mean(axis=0), X.std(axis=0)
                safe = np.where(std < 1e-12, 1.0, std)
                return (X - mean) / safe, mean, std
            """),
    mistake("standardize", "in place",
            "the input array is modified in place; build a new array instead.",
            """
            def standardize(X, mean=None, std=None):
                mean = X.mean(axis=0) if mean is None else mean
                std = X.std(axis=0) if std is None else std
                safe = np.where(std < 1e-12, 1.0, std)
                X -= mean
                X /= safe
                return X, mean, std
            """, feedback_says="modified its input array in place"),
    mistake("flatten_images", "flattens the batch axis",
            "keep the batch axis: the result has one row per image, shape (N, H*W*...).",
            """
            def flatten_images(images):
                return images.ravel()
            """),
    mistake("flatten_images", "assumes 28x28",
            "do not hard-code the image size; compute it from the array's shape.",
            """
            def flatten_images(images):
                return images.reshape(-1, 784)
            """),
    mistake("flatten_images", "column-major order",
            "flatten in row-major (C) order, as Keras' Flatten layer does, not Fortran order.",
            """
            def flatten_images(images):
                return images.reshape(images.shape[0], -1, order="F")
            """),
    mistake("dense_layer", "transposed kernel",
            "compute X @ W as it is: in Keras' layout W is (D_in, D_out), so X (N, D_in) times W needs "
            "no transpose (W.T is the (out, in) layout of the lecture notes).",
            """
            def dense_layer(X, W, b):
                return X @ W.T + b
            """),
    mistake("dense_layer", "bias along the rows",
            "b has one entry per output unit (column): add it with shape (D_out,) or b[None, :], which "
            "repeats it for every row; b[:, None] is a column and broadcasts along the wrong axis.",
            """
            def dense_layer(X, W, b):
                return X @ W + b[:, None]
            """),
    mistake("dense_layer", "elementwise product",
            "X * W multiplies entry by entry; a dense layer needs the matrix product X @ W "
            "(np.matmul), which sums over the D_in axis.",
            """
            def dense_layer(X, W, b):
                return X * W + b
            """),
    mistake("dense_layer", "no bias",
            "the bias is missing: add b to every row of X @ W.",
            """
            def dense_layer(X, W, b):
                return X @ W
            """),
    mistake("dense_layer", "sums the wrong axis",
            "in X[:, :, None] * W[None, :, :] (shape (N, D_in, D_out)) the sum runs over the middle "
            "axis, D_in (axis=1); summing another axis mixes the units or the samples.",
            """
            def dense_layer(X, W, b):
                return np.sum(X[:, :, None] * W[None, :, :], axis=-1) + b
            """),
    mistake("dense_layer", "column-vector convention",
            "rows are samples: return shape (N, D_out). W.T @ X.T + b[:, None] is the column-vector "
            "form of the notes and gives the transpose; transpose back or compute X @ W + b.",
            """
            def dense_layer(X, W, b):
                return np.dot(W.T, X.T) + b[:, None]
            """),
]

ALTERNATIVES = [
    alternative("standardize", "a list of the three, the std as used", """
        def standardize(X, mean=None, std=None):
            mean = X.mean(axis=0) if mean is None else mean
            std = X.std(axis=0) if std is None else std
            std = np.where(std < 1e-12, 1.0, std)
            return [(X - mean) / std, mean, std]
        """),
    alternative("one_hot", "identity rows", """
        def one_hot(y, num_classes):
            return np.eye(num_classes)[np.ravel(y)]
        """),
    alternative("one_hot", "loop", """
        def one_hot(y, num_classes):
            out = np.zeros((len(y), num_classes), dtype=np.float32)
            for i, label in enumerate(np.ravel(y)):
                out[i, int(label)] = 1.0
            return out
        """),
    alternative("standardize", "returns the std as used", """
        def standardize(X, mean=None, std=None):
            if mean is None:
                mean = np.mean(X, axis=0)
            if std is None:
                std = np.sqrt(np.mean((X - np.mean(X, axis=0)) ** 2, axis=0))
            std = np.where(std < 1e-12, 1.0, std)
            return (X - mean) / std, mean, std
        """),
    alternative("flatten_images", "product of the shape", """
        def flatten_images(images):
            n = images.shape[0]
            return np.reshape(images, (n, int(np.prod(images.shape[1:]))))
        """),
    alternative("dense_layer", "np.dot", """
        def dense_layer(X, W, b):
            return np.dot(X, W) + b
        """),
    alternative("dense_layer", "einsum", """
        def dense_layer(X, W, b):
            return np.einsum("nd,dk->nk", X, W) + b
        """),
    alternative("dense_layer", "np.add, matmul and b[None, :]", """
        def dense_layer(X, W, b):
            return np.add(np.matmul(X, W), b[None, :])
        """),
    alternative("dense_layer", "loops", """
        def dense_layer(X, W, b):
            n, d_in = X.shape
            out = np.zeros((n, W.shape[1]))
            for i in range(n):
                for k in range(W.shape[1]):
                    out[i, k] = b[k] + sum(X[i, j] * W[j, k] for j in range(d_in))
            return out
        """),
]
