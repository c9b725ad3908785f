"""Shared featurisation changes nothing: a run's models fit together give the same bytes as fit alone."""

import json

from bench.corpus import load_all
from bench.harness import fit_predict, run_group
from bench.registry import select
from bench.tasks import TASKS


def test_sharing_vectorisers_across_models_and_tasks_gives_identical_outputs():
    corpus = load_all().where(provenance="constructed")
    docs = corpus.doc_ids
    train, evaluate = corpus.sentences_of(docs[:60]), corpus.sentences_of(docs[60:90])
    specs = select("tfidf_svm,tfidf_logreg,char_svm,word_char_svm,topic_only")
    items = [(spec, task) for spec in specs for task in TASKS]
    shared = run_group(items, train, evaluate, 7, True)
    for (spec, task), together in zip(items, shared):
        alone = fit_predict(spec, TASKS[task], train, evaluate, 7, explain=True)
        for key in ("predictions", "scores", "indicative_ngrams"):
            assert json.dumps(together[key]) == json.dumps(alone[key]), (spec.name, task, key)
