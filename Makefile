# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: run test bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Set up (first time) and start the app on the embedded data: http://localhost:8501
run: $(STAMP)
	$(PY) -m streamlit run app.py

## Set up (first time) and run the whole test suite (unit, AppTest, browser)
test: $(STAMP)
	$(PY) -m pytest

## Benchmarks: figures printed next to a floor measured in the same run
bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache tests/screenshots
