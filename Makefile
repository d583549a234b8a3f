# Two commands set up everything on a fresh machine:
#   make demo   create the venv, install, run the bundled example end to end
#   make test   create the venv, install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXTRAS ?= dev,video,asr,local
# llama-cpp-python compiles at install (6.5-13.5 min on 2 cores); a portable AVX2 build, without the
# AMX kernels that crash on virtual machines which report AMX but do not grant it.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
EXAMPLE = examples/task
OUT     = out/example

.PHONY: install demo test bench cluster schemas clean

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
	$(BIN)/ruff check .
	$(BIN)/pytest -q

# Every benchmark; figures go to bench/out/ and are summarised in bench/README.md.
BENCHES = hops chain objects ingest_pdf ingest_video draft_tokens retrieval validator_quality compare cluster local_writer
bench: install
	$(BIN)/pip install --quiet -e '.[$(EXTRAS),bench]'
	mkdir -p bench/out
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b > bench/out/$$b.txt || exit 1; done
	$(BIN)/python -m bench.chain --task reference > bench/out/chain_reference.txt

cluster: install
	$(BIN)/python -m bench.cluster

schemas: install
	$(BIN)/python -m shared.schema_export

clean:
	rm -rf $(VENV) out build *.egg-info
