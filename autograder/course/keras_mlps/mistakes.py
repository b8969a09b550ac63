"""Known mistakes and correct alternatives for lesson 09_keras_mlps.

All cases of this lesson are property-judged (the models are judged in the TensorFlow process),
so the grader never replays these variants: each one's ``feedback_says`` is a piece of the
message the hidden tests' checks give for it (tests/test_mistake_library.py checks that it
appears in the feedback).
"""
from ...grading.mistakes import mistake

HEAD = "import keras\n"


def _m(exercise, name, says, body):
    return mistake(exercise, name, hint="", feedback_says=says, code=HEAD + body)


def _a(exercise, name, body):
    from ...grading.mistakes import alternative
    return alternative(exercise, name, HEAD + body)


def _regression(hidden="keras.layers.Dense(50, activation='relu'), keras.layers.Dense(50, activation='relu'),",
                out="keras.layers.Dense(1)", loss="'mse'", n="n_features", optimizer="'adam'",
                metrics="[keras.metrics.RootMeanSquaredError()]"):
    return f"""
def build_regression_mlp(n_features):
    model = keras.Sequential([keras.Input(shape=({n},)), {hidden} {out}])
    model.compile(optimizer={optimizer}, loss={loss}, metrics={metrics})
    return model
"""


def _fashion(layers="keras.layers.Flatten(), keras.layers.Dense(300, activation='relu'), "
                    "keras.layers.Dense(100, activation='relu'), keras.layers.Dense(10, activation='softmax')",
             loss="'sparse_categorical_crossentropy'", optimizer="'adam'", metrics="['accuracy']"):
    return f"""
def build_fashion_classifier():
    model = keras.Sequential([keras.Input(shape=(28, 28)), {layers}])
    model.compile(optimizer={optimizer}, loss={loss}, metrics={metrics})
    return model
"""


def _binary(out="keras.layers.Dense(1, activation='sigmoid')", loss="'binary_crossentropy'", optimizer="'adam'",
            n="n_features"):
    return f"""
def build_binary_classifier(n_features):
    model = keras.Sequential([keras.Input(shape=({n},)), keras.layers.Dense(16, activation='relu'), {out}])
    model.compile(optimizer={optimizer}, loss={loss}, metrics=['accuracy'])
    return model
"""


def _multiclass(out="keras.layers.Dense(n_classes, activation='softmax')",
                loss="'sparse_categorical_crossentropy'", optimizer="'adam'"):
    return f"""
def build_multiclass_classifier(n_features, n_classes):
    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(32, activation='relu'), {out}])
    model.compile(optimizer={optimizer}, loss={loss}, metrics=['accuracy'])
    return model
"""


def _callbacks(early="monitor='val_loss', patience=patience, restore_best_weights=True",
               checkpoint="checkpoint_path, monitor='val_loss', save_best_only=True",
               reduce="monitor='val_loss', factor=0.5, patience=max(1, patience // 2)",
               extra="keras.callbacks.CSVLogger('training_log.csv'), keras.callbacks.TerminateOnNaN()"):
    return f"""
def make_callbacks(checkpoint_path, patience):
    return [keras.callbacks.EarlyStopping({early}),
            keras.callbacks.ModelCheckpoint({checkpoint}),
            keras.callbacks.ReduceLROnPlateau({reduce}),
            {extra}]
"""


MISTAKES = [
    # -- build_regression_mlp ------------------------------------------------------------------
    _m("build_regression_mlp", "ReLU output", "a regression output is one linear unit (a ReLU output",
       _regression(out="keras.layers.Dense(1, activation='relu')")),
        _m("build_regression_mlp", "loss for classification", "does not fit a regression output",
       _regression(loss="'binary_crossentropy'")),
    _m("build_regression_mlp", "input size hard-coded", "take the size from the function's argument",
       _regression(n="8")),
    _m("build_regression_mlp", "loss name with spaces (the notes)", "is not a Keras name",
       _regression(loss="'mean squared error'")),
        _m("build_regression_mlp", "a Lambda layer", "Lambda layer",
       _regression(hidden="keras.layers.Lambda(lambda x: x * 1.0), keras.layers.Dense(50, activation='relu'),")),
    # -- build_fashion_classifier --------------------------------------------------------------
    _m("build_fashion_classifier", "no Flatten", "there is no Flatten layer",
       _fashion(layers="keras.layers.Dense(300, activation='relu'), keras.layers.Dense(100, activation='relu'), "
                       "keras.layers.Dense(10, activation='softmax')")),
    _m("build_fashion_classifier", "wrong sizes", "the exercise fixes 300, 100 and 10",
       _fashion(layers="keras.layers.Flatten(), keras.layers.Dense(256, activation='relu'), "
                       "keras.layers.Dense(128, activation='relu'), keras.layers.Dense(10, activation='softmax')")),
    _m("build_fashion_classifier", "softmax with from_logits=True", "the loss has from_logits=True but",
       _fashion(loss="keras.losses.SparseCategoricalCrossentropy(from_logits=True)")),
                _m("build_fashion_classifier", "a custom layer", "a custom object defined in your notebook", """
class Scale(keras.layers.Layer):
    def call(self, x):
        return x * 1.0

def build_fashion_classifier():
    model = keras.Sequential([keras.Input(shape=(28, 28)), Scale(), keras.layers.Flatten(),
                              keras.layers.Dense(300, activation='relu'), keras.layers.Dense(100, activation='relu'),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    return model
"""),
    _m("build_fashion_classifier", "learning rate far too large", "the test accuracy is",
       _fashion(optimizer="keras.optimizers.SGD(learning_rate=5.0)")),
    # -- build_wide_and_deep -------------------------------------------------------------------
    _m("build_wide_and_deep", "a Sequential stack", "a Sequential stack cannot send the input", """
def build_wide_and_deep(n_features):
    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(30, activation='relu'),
                              keras.layers.Dense(30, activation='relu'), keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse', metrics=[keras.metrics.RootMeanSquaredError()])
    return model
"""),
    _m("build_wide_and_deep", "no wide path", "the input does not reach the output layer directly", """
def build_wide_and_deep(n_features):
    inputs = keras.Input(shape=(n_features,))
    hidden1 = keras.layers.Dense(30, activation='relu')(inputs)
    hidden2 = keras.layers.Dense(30, activation='relu')(hidden1)
    concat = keras.layers.Concatenate()([hidden1, hidden2])
    output = keras.layers.Dense(1)(concat)
    model = keras.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='adam', loss='mse', metrics=[keras.metrics.RootMeanSquaredError()])
    return model
"""),
    _m("build_wide_and_deep", "ReLU output", "a regression output is one linear unit", """
def build_wide_and_deep(n_features):
    inputs = keras.Input(shape=(n_features,))
    hidden = keras.layers.Dense(30, activation='relu')(inputs)
    output = keras.layers.Dense(1, activation='relu')(keras.layers.Concatenate()([inputs, hidden]))
    model = keras.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='adam', loss='mse', metrics=[keras.metrics.RootMeanSquaredError()])
    return model
"""),
    # -- build_binary_classifier ---------------------------------------------------------------
    _m("build_binary_classifier", "softmax over one unit", "softmax over 1 unit, which always outputs 1",
       _binary(out="keras.layers.Dense(1, activation='softmax')")),
    _m("build_binary_classifier", "MSE loss", "use binary cross-entropy", _binary(loss="'mse'")),
    _m("build_binary_classifier", "two units with binary cross-entropy", "does not fit a softmax output",
       _binary(out="keras.layers.Dense(2, activation='softmax')")),
    _m("build_binary_classifier", "input size hard-coded", "take the size from the function's argument",
       _binary(n="30")),
    _m("build_binary_classifier", "ReLU output", "a binary output is one sigmoid unit",
       _binary(out="keras.layers.Dense(1, activation='relu')")),
    # -- build_multiclass_classifier -----------------------------------------------------------
    _m("build_multiclass_classifier", "number of classes hard-coded", "one output unit per class",
       _multiclass(out="keras.layers.Dense(3, activation='softmax')")),
    _m("build_multiclass_classifier", "sigmoid output", "class probabilities come from a softmax",
       _multiclass(out="keras.layers.Dense(n_classes, activation='sigmoid')")),
    _m("build_multiclass_classifier", "categorical cross-entropy with integer labels",
       "categorical_crossentropy expects one-hot labels", _multiclass(loss="'categorical_crossentropy'")),
    _m("build_multiclass_classifier", "logits without from_logits", "the output layer is linear (logits)",
       _multiclass(out="keras.layers.Dense(n_classes)")),
    _m("build_multiclass_classifier", "binary cross-entropy", "does not fit a softmax output",
       _multiclass(loss="'binary_crossentropy'")),
    # -- make_callbacks ------------------------------------------------------------------------
    _m("make_callbacks", "EarlyStopping on the training loss", "it must watch the validation loss",
       _callbacks(early="monitor='loss', patience=patience, restore_best_weights=True")),
    _m("make_callbacks", "no restore of the best weights", "does not restore the best weights",
       _callbacks(early="monitor='val_loss', patience=patience")),
    _m("make_callbacks", "monitor with a space (the notes)", "it must watch the validation loss",
       _callbacks(early="monitor='val loss', patience=patience, restore_best_weights=True")),
    _m("make_callbacks", "ReduceLROnPlateau too patient", "never lowers the learning rate before",
       _callbacks(reduce="monitor='val_loss', factor=0.5, patience=patience")),
        _m("make_callbacks", "no TerminateOnNaN", "there is no TerminateOnNaN callback",
       _callbacks(extra="keras.callbacks.CSVLogger('training_log.csv')")),
    ]

ALTERNATIVES = [
    _a("build_regression_mlp", "model.add, names as strings", """
def build_regression_mlp(n_features):
    model = keras.Sequential()
    model.add(keras.Input(shape=(n_features,)))
    model.add(keras.layers.Dense(64, activation='relu'))
    model.add(keras.layers.Dense(32, activation='relu'))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='mean_squared_error',
                  metrics=['root_mean_squared_error'])
    return model
"""),
    _a("build_regression_mlp", "functional API, Activation layer, Huber loss", """
def build_regression_mlp(n_features):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Dense(40)(inputs)
    x = keras.layers.Activation('relu')(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.002), loss=keras.losses.Huber(),
                  metrics=[keras.metrics.RootMeanSquaredError(name='rmse')])
    return model
"""),
    _a("build_fashion_classifier", "logits with from_logits=True, SGD", _fashion(
        layers="keras.layers.Flatten(), keras.layers.Dense(300, activation='relu'), "
               "keras.layers.Dense(100, activation='relu'), keras.layers.Dense(10)",
        loss="keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        optimizer="keras.optimizers.SGD(learning_rate=0.05)",
        metrics="[keras.metrics.SparseCategoricalAccuracy()]")),
    _a("build_fashion_classifier", "Activation('softmax') after a linear Dense, model.add", """
def build_fashion_classifier():
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28)))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(300, activation='relu'))
    model.add(keras.layers.Dense(100, activation='relu'))
    model.add(keras.layers.Dense(10))
    model.add(keras.layers.Activation('softmax'))
    model.compile(optimizer=keras.optimizers.Nadam(), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    return model
"""),
    _a("build_wide_and_deep", "concatenate function, deeper path, input first", """
def build_wide_and_deep(n_features):
    inputs = keras.Input(shape=(n_features,))
    x = inputs
    for units in (64, 32, 16):
        x = keras.layers.Dense(units, activation='relu')(x)
    merged = keras.layers.concatenate([x, inputs])
    output = keras.layers.Dense(1)(merged)
    model = keras.Model(inputs=[inputs], outputs=[output])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss='mse',
                  metrics=[keras.metrics.RootMeanSquaredError()])
    return model
"""),
    _a("build_binary_classifier", "logits with from_logits=True, RMSprop", _binary(
        out="keras.layers.Dense(1)", loss="keras.losses.BinaryCrossentropy(from_logits=True)",
        optimizer="keras.optimizers.RMSprop()")),
    _a("build_binary_classifier", "two softmax units with sparse categorical cross-entropy", _binary(
        out="keras.layers.Dense(2, activation='softmax')", loss="'sparse_categorical_crossentropy'")),
    _a("build_multiclass_classifier", "logits with from_logits=True", _multiclass(
        out="keras.layers.Dense(n_classes)", loss="keras.losses.SparseCategoricalCrossentropy(from_logits=True)")),
    _a("build_multiclass_classifier", "Activation('softmax'), SGD with momentum", _multiclass(
        out="keras.layers.Dense(n_classes), keras.layers.Activation('softmax')",
        optimizer="keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)")),
    _a("make_callbacks", "another order, a tuple, more settings", """
def make_callbacks(checkpoint_path, patience):
    return (keras.callbacks.TerminateOnNaN(),
            keras.callbacks.CSVLogger('history.csv', append=False),
            keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=0.2, patience=patience - 1, min_lr=1e-5),
            keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, monitor='val_loss', save_best_only=True),
            keras.callbacks.EarlyStopping(monitor='val_loss', patience=patience, min_delta=1e-4,
                                          restore_best_weights=True))
"""),
]
