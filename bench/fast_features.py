"""Prediction-time transforms that run at the speed of the model.

scikit-learn's ``TfidfVectorizer.transform`` builds every n-gram as a string and
counts it in a Python dict, one document at a time: for word 1-2-grams that is
about 20 times slower than the linear model that follows. :func:`fast_transformer`
compiles a *fitted* word n-gram vectoriser into :class:`WordNgramTransform`,
which tokenises each text with the vectoriser's own preprocessor and tokenizer,
maps tokens to integer ids with one dict lookup each, and finds the bigram
columns with numpy (``searchsorted`` over integer pair keys) for a whole batch
at once. The counts are then weighted by the vectoriser's own fitted
``TfidfTransformer``, so the matrix is identical, bit for bit, to the
vectoriser's ``transform`` (a property-based test checks this on arbitrary
text). Character analysers and anything unusual fall back to scikit-learn.
"""

from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp

# Token patterns whose tokens can never contain a space: only then does "a b" split back into (a, b).
_SAFE_PATTERNS = {r"(?u)\b\w\w+\b", r"(?u)\b\w+\b"}
# ASCII batches: word bytes ([A-Za-z0-9_]) and the separator stay, every other byte becomes a space.
_SEPARATOR_BYTE = "\x01"
_SEPARATOR = f" {_SEPARATOR_BYTE} "
# Bytes >= 128 stay too: in a joined string they only occur inside tokens the tokenizer produced.
_WORD_BYTES = bytes(b if b >= 128 or chr(b).isalnum() or chr(b) in ("_", _SEPARATOR_BYTE) else 32 for b in range(256))


class WordNgramTransform:
    """A fitted word 1- or 2-gram TF-IDF vectoriser's ``transform``, vectorised over a batch.

    Parameters
    ----------
    vectorizer : a fitted ``sklearn.feature_extraction.text.TfidfVectorizer``
        With ``analyzer="word"``, ``ngram_range`` within (1, 2), no stop words,
        no custom tokenizer, a token pattern from :data:`_SAFE_PATTERNS` and
        ``input="content"`` (:func:`fast_transformer` checks this).
    """

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self.preprocess = vectorizer.build_preprocessor()
        self.tokenize = vectorizer.build_tokenizer()
        self.min_n, self.max_n = vectorizer.ngram_range
        token_id, unigram_col, pairs = {}, [], []
        for term, col in vectorizer.vocabulary_.items():
            parts = term.split(" ")
            ids = []
            for part in parts:
                if part not in token_id:
                    token_id[part] = len(token_id)
                    unigram_col.append(-1)
                ids.append(token_id[part])
            if len(parts) == 1:
                unigram_col[ids[0]] = int(col)
            else:
                pairs.append((ids[0], ids[1], int(col)))
        self.token_id = token_id
        self.token_id_bytes = {t.encode("utf-8", "surrogatepass"): i for t, i in token_id.items()}
        self.token_id_bytes[_SEPARATOR_BYTE.encode()] = -2
        self.min_token_length = 2 if vectorizer.token_pattern == r"(?u)\b\w\w+\b" else 1
        self.batchable = vectorizer.preprocessor is None and vectorizer.strip_accents in (None, "unicode", "ascii")
        self.n_tokens = len(token_id)
        self.unigram_col = np.asarray(unigram_col, dtype=np.int64)
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 3)
        keys = pairs[:, 0] * self.n_tokens + pairs[:, 1]
        order = np.argsort(keys, kind="stable")
        self.pair_keys, self.pair_cols = keys[order], pairs[order, 2]
        self.n_features = len(vectorizer.vocabulary_)
        self.dtype = vectorizer.dtype

    def _ids(self, texts):
        """(token id per token, document of each token), tokenised in one pass over one joined string.

        On ASCII text ``\\w`` is ``[A-Za-z0-9_]`` and the vectoriser's preprocessor
        is just ``lower()`` (accent stripping leaves ASCII unchanged), so such a text
        needs no regex: its bytes other than word bytes become spaces. Any other
        text is preprocessed and tokenised as the vectoriser does, and its tokens
        joined by spaces. The texts are joined with a separator token, mapped, and
        split once: the same tokens, in the same order, as the vectoriser's.
        """
        preprocess, tokenize = self.preprocess, self.tokenize
        lower = self.vectorizer.lowercase
        pieces = []
        for text in texts:
            if self.batchable and text.isascii() and _SEPARATOR_BYTE not in text:
                pieces.append(text.lower() if lower else text)
            else:
                pieces.append(" ".join(tokenize(preprocess(text))))
        tokens = _SEPARATOR.join(pieces).encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()
        ids = np.fromiter(map(self.token_id_bytes.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        if self.min_token_length > 1:     # only ASCII single characters can be this short
            short = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens)) < self.min_token_length
            ids[short & (ids != -2)] = -3
            ids = ids[ids != -3]
        boundary = ids == -2
        doc = np.cumsum(boundary)[~boundary]
        return ids[~boundary], doc

    def counts(self, texts) -> sp.csr_matrix:
        """The n-gram count matrix of ``texts`` (CSR, sorted indices), as the vectoriser counts them."""
        texts = list(texts)
        ids, doc = self._ids(texts)
        rows, cols = [], []
        known = ids >= 0
        if self.min_n == 1:
            col = np.where(known, self.unigram_col[np.where(known, ids, 0)], -1)
            hit = col >= 0
            rows.append(doc[hit])
            cols.append(col[hit])
        if self.max_n == 2 and len(ids) > 1 and len(self.pair_keys):
            same_doc = doc[1:] == doc[:-1]
            both = known[:-1] & known[1:] & same_doc
            keys = ids[:-1][both] * self.n_tokens + ids[1:][both]
            where = np.searchsorted(self.pair_keys, keys)
            where[where == len(self.pair_keys)] = 0
            hit = self.pair_keys[where] == keys
            rows.append(doc[:-1][both][hit])
            cols.append(self.pair_cols[where[hit]])
        rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        X = sp.csr_matrix((np.ones(len(rows), dtype=self.dtype), (rows, cols)),
                          shape=(len(texts), self.n_features), dtype=self.dtype)
        X.sum_duplicates()
        X.sort_indices()
        return X

    def transform(self, texts):
        """TF-IDF features of ``texts``: equal to ``vectorizer.transform(texts)``."""
        X = self.counts(texts)
        if self.vectorizer.binary:
            X.data.fill(1)
        return self.vectorizer._tfidf.transform(X, copy=False)


def _compilable(vectorizer) -> bool:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (isinstance(vectorizer, TfidfVectorizer) and hasattr(vectorizer, "vocabulary_")
            and hasattr(vectorizer, "_tfidf") and vectorizer.analyzer == "word" and vectorizer.input == "content"
            and vectorizer.tokenizer is None and vectorizer.stop_words is None
            and vectorizer.token_pattern in _SAFE_PATTERNS
            and tuple(vectorizer.ngram_range) in ((1, 1), (1, 2), (2, 2))
            and not any(" " in t and len(t.split(" ")) != 2 for t in vectorizer.vocabulary_))


class _Union:
    """A fitted ``FeatureUnion`` of vectorisers, each part fast where it can be (weights applied as scikit-learn does)."""

    def __init__(self, union, parts):
        self.union = union
        self.parts = parts          # (name, fast stand-in or the fitted transformer itself)

    def transform(self, texts):
        weights = self.union.transformer_weights or {}
        blocks = []
        for name, part in self.parts:
            X = part.transform(texts)
            blocks.append(X * weights[name] if name in weights else X)
        return sp.hstack(blocks).tocsr()


def fast_transformer(step):
    """A fast stand-in for a fitted pipeline step's ``transform``, or None to use the step itself."""
    from sklearn.pipeline import FeatureUnion

    if isinstance(step, FeatureUnion):
        parts = [(name, t) for name, t in step.transformer_list if t != "drop"]
        if step.n_jobs not in (None, 1) or any(isinstance(t, str) for _, t in parts):
            return None
        fast = [(name, fast_transformer(t)) for name, t in parts]      # each part compiled once
        if all(f is None for _, f in fast):
            return None
        return _Union(step, [(name, f or t) for (name, f), (_, t) in zip(fast, parts)])
    return WordNgramTransform(step) if _compilable(step) else None
