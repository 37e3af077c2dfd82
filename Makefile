# make run: set up .venv and process the bundled sample in inputs/.
# make test: set up .venv with the test extras and run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup clean sample bundle

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
	rm -rf $(VENV) build *.egg-info

# Regenerate the bundled synthetic sample (same script, same bytes).
sample: setup
	$(BIN)/python -m excel_balance.sample inputs

# One zip for an office without internet: dist/excel-balance-离线安装包-<version>.zip with the
# wheels (Windows and Linux, Python 3.11-3.13), excel-balance.bat and 安装说明.txt; checked by
# installing from it with --no-index and processing the sample before it is written.
bundle: setup
	$(BIN)/python tools/bundle.py
