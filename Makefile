# Two commands set up everything on a fresh machine:
#   make demo   create the venv, install, run the bundled example end to end
#   make test   create the venv, install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXTRAS ?= dev,video,asr
EXAMPLE = examples/task
OUT     = out/example

.PHONY: install demo test bench schemas clean

$(BIN)/redline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	touch $(BIN)/redline

install: $(BIN)/redline

demo: install
	$(BIN)/python -m redline.example $(EXAMPLE)
	$(BIN)/redline run $(EXAMPLE) --out $(OUT)
	@echo "outputs: $(OUT)/ (original.md final.md comparison.txt findings.json events.jsonl trace.json)"

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench.hops
	$(BIN)/python -m bench.chain

schemas: install
	$(BIN)/python -m shared.schema_export

clean:
	rm -rf $(VENV) out build *.egg-info
