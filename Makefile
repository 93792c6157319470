# segkit: two commands on a fresh machine (Python 3.11 and make).
#   make demo   build .venv, generate the demo bank, run the main job
#   make test   build .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.segkit-installed
DEMO   := data/demo/customers.parquet
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: demo test lab notebooks bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name segkit --display-name "Python (segkit)" > /dev/null
	touch $(STAMP)

$(DEMO): $(STAMP)
	$(BIN)/segkit demo-data --out $(DEMO) --customers 200000 --branches 20 --seed 20260930

demo: $(DEMO)
	$(BIN)/segkit run --params params/default.yaml --data $(DEMO) --reports reports

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(DEMO)
	$(if $(wildcard reports/*/*/scored),,$(MAKE) demo)
	$(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks

# Re-execute the committed notebooks on the demo run, keeping their outputs (tests re-check them with nbval).
notebooks: $(DEMO)
	$(if $(wildcard reports/*/*/scored),,$(MAKE) demo)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 \
		--ExecutePreprocessor.record_timing=False notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) data/demo
