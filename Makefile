# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test bench clean catalogs

$(RUNTIME): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.runtime-*
	touch $(RUNTIME)

$(DEV): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.dev-*
	touch $(DEV)

## Set up (first time) and start the app on the embedded data: http://localhost:8501
run: $(RUNTIME)
	$(PY) -m streamlit run app.py

## Set up (first time) and run the whole test suite (unit, AppTest, browser) in two pytest-xdist workers:
## the browser tests in one (one app server, one Chromium), the rest shared out. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: $(DEV)
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),-p no:xdist,-n $(TEST_WORKERS) --dist loadgroup)

## Benchmarks: figures printed next to a floor measured in the same run
bench: $(DEV)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache tests/screenshots

## Translations: add new messages of the code to every catalog and compile them (dsdash/catalogs.py)
catalogs: $(RUNTIME)
	$(PY) -m dsdash.catalogs
