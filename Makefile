# make run: set up .venv and process the bundled sample in inputs/.
# make test: set up .venv with the test extras and run every test.
# make mutation: mutation-test the evaluation stage (not part of make test: about 11 minutes on two cores).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup clean sample bundle mutation

$(BIN)/excel-balance: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/excel-balance

run: setup
	$(BIN)/excel-balance run

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info mutants

# A fresh run each time (mutmut keeps earlier verdicts in mutants/ otherwise), then the score
# without the equivalent mutants listed in tests/mutation_equivalents.txt, and every survivor.
mutation: setup
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_score.py
	$(BIN)/python tests/hand_mutations.py

# Regenerate the bundled synthetic sample (same script, same bytes).
sample: setup
	$(BIN)/python -m excel_balance.sample inputs

# Wheels of the package and its dependencies for offline installation (Windows and Linux,
# Python 3.11 and 3.12) into dist/offline/.
bundle: setup
	rm -rf dist/offline && mkdir -p dist/offline
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist/offline .
	for py in 3.11 3.12; do \
	  for platform in win_amd64 manylinux2014_x86_64; do \
	    $(BIN)/python -m pip download --quiet --only-binary=:all: --platform $$platform \
	      --python-version $$py -d dist/offline dist/offline/excel_balance-*.whl || exit 1; \
	  done; \
	done
	@echo "离线安装包已放入 dist/offline/"
