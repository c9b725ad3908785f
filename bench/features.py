"""Shared text featurisers for the baseline model specs in ``models/``.

Hyperparameters are fixed a priori, not tuned on the test split:
- word 1-2-grams, sublinear TF, min_df=2: readout sentences are short and
  formulaic, so bigrams ("called on", "need to", "will not") carry the act;
  min_df=2 drops one-off names.
- character 2-4-grams within word boundaries (``char_wb``): robust to
  inflection ("condemn", "condemned", "condemnation") and to unseen names.

**Shared featurisation.** Splitting a sentence into n-grams does not depend on
the training set, and a vectoriser does not look at the labels. So inside
:func:`sharing` — the harness opens it around each run of the protocol — the
kit's :class:`TfidfVectorizer` works from a per-process store of n-gram counts:

1. each distinct text is analysed once per process and analyser setting
   (:class:`Analysis`), whichever run, fold, model or task first needs it;
2. fitting on a set of texts selects their rows of the store, keeps the n-grams
   with the document frequency the parameters ask for (``min_df``, ``max_df``,
   ``max_features``, as scikit-learn does) in alphabetical order, and fits the
   idf weights on them; transforming selects rows and those columns;
3. within one run, a fit or transform already done for another model is reused.

The matrices are exactly those of scikit-learn's ``TfidfVectorizer`` fitted on
the same texts — same vocabulary, same columns, same values, bit for bit (a test
checks), because counts are integers and the tf-idf weighting is scikit-learn's
own ``TfidfTransformer``. One deviation from scikit-learn, on both paths: the
count matrix's column indices are sorted within each row before weighting, so
that the row norms (a sum in index order) do not depend on the order the
n-grams were first seen. Outside :func:`sharing` (released models, user code)
the vectoriser analyses the texts as scikit-learn does.
"""

import hashlib
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import text as sk_text
from sklearn.pipeline import FeatureUnion

_MEMO: dict | None = None       # active only inside sharing(); one run's fits and transforms
_ANALYSES: dict = {}            # analyser settings -> Analysis; lives as long as the process (see sharing)
_WEIGHTING_PARAMS = ("min_df", "max_df", "max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf", "binary")


@contextmanager
def sharing():
    """Share n-gram counts (per process) and fitted vectorisers (per run) between models."""
    global _MEMO
    previous, _MEMO = _MEMO, {}
    try:
        yield
    finally:
        _MEMO = previous


def clear_analyses():
    """Forget every analysed text of this process (the store otherwise grows with the texts seen)."""
    _ANALYSES.clear()


def _texts_key(texts) -> str:
    digest = hashlib.sha256()
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class Analysis:
    """The n-gram counts of every distinct text analysed so far, for one analyser setting.

    Rows are texts in order of first sight; columns are n-grams in order of first
    sight. :meth:`alphabetical` gives the column ids in scikit-learn's vocabulary
    order (code-point order of the n-gram strings).
    """

    def __init__(self, analyzer, dtype):
        self.analyze = analyzer
        self.dtype = dtype
        self.row_of: dict[str, int] = {}
        self.column_of: dict[str, int] = {}
        self.terms: list[str] = []
        self._blocks: list = []
        self._matrix = None
        self._alphabetical = None

    def rows(self, texts) -> np.ndarray:
        """Row ids of ``texts`` (a list), analysing the texts not seen before."""
        new = [t for t in dict.fromkeys(texts) if t not in self.row_of]
        if new:
            column_of, terms = self.column_of, self.terms
            indices, indptr = [], [0]
            for text in new:
                for term in self.analyze(text):
                    j = column_of.get(term)
                    if j is None:
                        j = column_of[term] = len(terms)
                        terms.append(term)
                    indices.append(j)
                indptr.append(len(indices))
            indices = np.asarray(indices, dtype=np.int64)
            block = sp.csr_matrix((np.ones(len(indices), dtype=self.dtype), indices, np.asarray(indptr)),
                                  shape=(len(new), len(terms)))
            block.sum_duplicates()          # counts, with sorted indices
            self._blocks.append(block)
            for text in new:
                self.row_of[text] = len(self.row_of)
            self._matrix = self._alphabetical = None
        return np.fromiter((self.row_of[t] for t in texts), dtype=np.int64, count=len(texts))

    def matrix(self):
        """Counts of every text analysed so far (CSR, texts × n-grams)."""
        if self._matrix is None:
            width = len(self.terms)
            blocks = [b if b.shape[1] == width else sp.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], width))
                      for b in self._blocks]
            self._matrix = sp.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]
            self._blocks = [self._matrix]
        return self._matrix

    def alphabetical(self) -> np.ndarray:
        if self._alphabetical is None:
            self._alphabetical = np.asarray(sorted(range(len(self.terms)), key=self.terms.__getitem__), dtype=np.int64)
        return self._alphabetical


def _select_columns(counts, columns):
    """``counts[:, columns]`` with sorted indices (vectorised; scipy's fancy indexing is slower here)."""
    remap = np.full(counts.shape[1], -1, dtype=np.int64)
    remap[columns] = np.arange(len(columns))
    new = remap[counts.indices]
    keep = new >= 0
    kept = np.concatenate(([0], np.cumsum(keep)))
    X = sp.csr_matrix((counts.data[keep], new[keep], kept[counts.indptr]), shape=(counts.shape[0], len(columns)))
    X.sort_indices()
    return X


class TfidfVectorizer(sk_text.TfidfVectorizer):
    """scikit-learn's ``TfidfVectorizer``, sharing its work across models inside :func:`sharing`.

    The parameters and fitted attributes are scikit-learn's; see the module
    docstring for what is shared and the one deviation (sorted indices).
    """

    def _params_key(self) -> str:
        return repr(sorted((k, repr(v)) for k, v in self.get_params().items()))

    def _analysis(self):
        """This vectoriser's :class:`Analysis` in the process store (None when it cannot be shared)."""
        if self.vocabulary is not None or self.input != "content":
            return None
        key = repr(sorted((k, repr(v)) for k, v in self.get_params().items() if k not in _WEIGHTING_PARAMS))
        if key not in _ANALYSES:
            _ANALYSES[key] = Analysis(self.build_analyzer(), self.dtype)
        return _ANALYSES[key]

    def _new_weighting(self):
        self._tfidf = sk_text.TfidfTransformer(norm=self.norm, use_idf=self.use_idf, smooth_idf=self.smooth_idf,
                                               sublinear_tf=self.sublinear_tf)

    def fit_transform(self, raw_documents, y=None):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        if _MEMO is None or self._analysis() is None:
            self._check_params()
            self._new_weighting()
            X = sk_text.CountVectorizer.fit_transform(self, raw_documents)
            X.sort_indices()
            self._tfidf.fit(X)
            return self._tfidf.transform(X, copy=False)
        texts = list(raw_documents)
        key = ("fit", self._params_key(), _texts_key(texts))
        if key not in _MEMO:
            _MEMO[key] = self._fit_shared(texts)
        state, X, columns = _MEMO[key]
        vars(self).update(state)
        self._shared_key = key
        return X

    def _fit_shared(self, texts):
        """(fitted state, tf-idf matrix, store columns): scikit-learn's fit, from the shared counts."""
        self._check_params()
        self._validate_ngram_range()
        self._warn_for_unused_params()
        self._validate_vocabulary()
        self.build_analyzer()                  # for its side effects on the fitted state, as in scikit-learn
        analysis = self._analysis()
        rows = analysis.rows(texts)
        counts = analysis.matrix()[rows]
        if self.binary:
            counts.data.fill(1)
        n_doc = len(texts)
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n_doc
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_doc
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        order = analysis.alphabetical()
        df = np.bincount(counts.indices, minlength=counts.shape[1])[order]
        mask = (df > 0) & (df >= low) & (df <= high)
        if self.max_features is not None and mask.sum() > self.max_features:
            seen = df > 0                      # scikit-learn ranks the training vocabulary, in its order
            present = order[seen]
            tfs = np.asarray(counts[:, present].sum(axis=0)).ravel()
            keep = mask[seen]
            chosen = np.zeros(len(present), dtype=bool)
            chosen[np.where(keep)[0][(-tfs[keep]).argsort()[:self.max_features]]] = True
            columns = present[chosen]
        else:
            columns = order[mask]
        if len(columns) == 0:
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        # scikit-learn's vocabulary holds ints, or numpy ints when max_features ranked the terms
        ids = np.arange(len(columns), dtype=np.int64) if self.max_features is not None else range(len(columns))
        self.vocabulary_ = dict(zip((analysis.terms[j] for j in columns), ids))
        X = _select_columns(counts, columns)
        self._new_weighting()
        self._tfidf.fit(X)
        X = self._tfidf.transform(X, copy=False)
        state = {k: v for k, v in vars(self).items() if k != "_shared_key"}
        return state, X, columns

    def fit(self, raw_documents, y=None):
        self.fit_transform(raw_documents, y)
        return self

    def transform(self, raw_documents):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        fitted = getattr(self, "_shared_key", None)
        if _MEMO is None or fitted not in _MEMO:      # fitted outside this run: compute as usual
            return super().transform(raw_documents)    # scikit-learn's counts already have sorted indices
        texts = list(raw_documents)
        key = ("transform", fitted, _texts_key(texts))
        if key not in _MEMO:
            columns = _MEMO[fitted][2]
            analysis = self._analysis()
            rows = analysis.rows(texts)          # analyses unseen texts first
            counts = _select_columns(analysis.matrix()[rows], columns)
            if self.binary:
                counts.data.fill(1)
            _MEMO[key] = self._tfidf.transform(counts, copy=False)
        return _MEMO[key]

    def __getstate__(self):
        """The fitted state with the vocabulary packed into three arrays (:func:`pack_vocabulary`).

        A vocabulary of 10^5 terms stored as a dict costs skops a node per term and
        seconds to load; packed, it loads in milliseconds. The run-local handle to the
        n-gram store is not part of the fitted model and is left out.
        """
        state = dict(super().__getstate__())     # scikit-learn returns the live __dict__ for subclasses
        state.pop("_shared_key", None)
        if isinstance(state.get("vocabulary_"), dict):
            state["vocabulary_"] = pack_vocabulary(state["vocabulary_"])
        return state

    def __setstate__(self, state):
        state = dict(state)
        if isinstance(state.get("vocabulary_"), (tuple, list)):     # packed by __getstate__
            state["vocabulary_"] = unpack_vocabulary(state["vocabulary_"])
        super().__setstate__(state)


def pack_vocabulary(vocabulary: dict) -> tuple:
    """``(terms, ends, ids)``: the terms joined into one UTF-8 ``uint8`` array, each term's end
    (in characters) and its column, in the dict's order. ``ids`` keeps numpy ints as numpy ints."""
    terms = list(vocabulary)
    ends = np.cumsum([len(t) for t in terms], dtype=np.int64)
    ids = list(vocabulary.values())
    numpy_ids = bool(ids) and isinstance(ids[0], np.integer)
    encoded = np.frombuffer("".join(terms).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    return (encoded, ends, np.asarray(ids, dtype=np.int64), numpy_ids)


def unpack_vocabulary(packed) -> dict:
    """The dict :func:`pack_vocabulary` packed; ValueError when the arrays do not describe one."""
    try:
        encoded, ends, ids, numpy_ids = packed
        encoded, ends, ids = np.asarray(encoded), np.asarray(ends), np.asarray(ids)
        if encoded.dtype != np.uint8 or encoded.ndim != 1:
            raise ValueError("the text is not a byte array")
        text = encoded.tobytes().decode("utf-8", "surrogatepass")
    except (TypeError, ValueError, OverflowError) as err:
        raise ValueError(f"malformed packed vocabulary ({err})") from None
    n = len(ids)
    bounds = ends.tolist() if ends.dtype.kind in "iu" and ends.shape == (n,) else None
    if (bounds is None or ids.dtype.kind not in "iu" or ids.shape != (n,)
            or any(b <= a for a, b in zip([0, *bounds], bounds))       # Python ints: no wrap-around
            or (bounds[-1] if n else 0) != len(text)
            or not np.array_equal(np.sort(ids), np.arange(n))):
        raise ValueError("malformed packed vocabulary (term ends or column ids do not fit)")
    terms = [text[a:b] for a, b in zip([0, *bounds[:-1]], bounds)]
    if len(set(terms)) != n:
        raise ValueError("malformed packed vocabulary (a term repeats)")
    return dict(zip(terms, ids.astype(np.int64) if numpy_ids else ids.tolist()))


def word_tfidf(**overrides) -> TfidfVectorizer:
    params = dict(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode",
                  lowercase=True, token_pattern=r"(?u)\b\w+\b", dtype=np.float64)
    return TfidfVectorizer(**{**params, **overrides})


def char_tfidf(**overrides) -> TfidfVectorizer:
    params = dict(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                  strip_accents="unicode", lowercase=True, dtype=np.float64)
    return TfidfVectorizer(**{**params, **overrides})


def word_char_union() -> FeatureUnion:
    return FeatureUnion([("word", word_tfidf()), ("char", char_tfidf())])
