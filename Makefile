# make run: set up .venv and process the bundled sample in inputs/.
# make test: set up .venv with the test extras and run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup clean

$(BIN)/excel-balance: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/excel-balance

run: setup
	$(BIN)/excel-balance plan -o outputs/黔江区推进规划.xlsx

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
