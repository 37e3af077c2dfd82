# make run: set up .venv and process the bundled sample in inputs/.
# make test: set up .venv with the test extras and run every test.
# make mutation: mutation-test the evaluation stage (not part of make test: about 14 minutes on two cores).
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

# One zip for an office without internet: dist/excel-balance-离线安装包-<version>.zip with the
# wheels (Windows and Linux, Python 3.11-3.13), excel-balance.bat and 安装说明.txt; checked by
# installing from it with --no-index and processing the sample before it is written.
bundle: setup
	$(BIN)/python tools/bundle.py
