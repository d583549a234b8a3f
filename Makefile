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

.PHONY: install demo test bench cluster faults hostile schemas clean

$(BIN)/redline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	case ',$(EXTRAS),' in *,local,*) $(BIN)/pip install --quiet --no-cache-dir --force-reinstall --no-deps \
	  "$$($(BIN)/pip freeze | grep -i '^llama.cpp.python=')" ;; esac  # built here with CMAKE_ARGS, never a cached wheel
	touch $(BIN)/redline

install: $(BIN)/redline

demo: install
	$(BIN)/python -m redline.example $(EXAMPLE)
	$(BIN)/redline run $(EXAMPLE) --out $(OUT) || [ $$? -eq 1 ]  # 1: finished, errors left (shown below)
	$(BIN)/redline diff $(OUT)
	@echo "outputs: $(OUT)/ (report.html original.md final.md comparison.md findings.json events.jsonl trace.json)"

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

# Every benchmark; figures go to bench/out/ and are summarised in bench/README.md.
BENCHES = hops chain objects ingest_pdf ingest_video speech draft_tokens retrieval validator_quality real_reports compare cluster local_writer
bench: install
	$(BIN)/pip install --quiet -e '.[$(EXTRAS),bench]'
	mkdir -p bench/out
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b > bench/out/$$b.txt || exit 1; done
	$(BIN)/python -m bench.chain --task reference > bench/out/chain_reference.txt

# Hostile input, each case its own task beside a normal one; ingest limits before and after; head-of-line wait.
hostile: install
	mkdir -p bench/out
	$(BIN)/python -m bench.hostile > bench/out/hostile.txt
	$(BIN)/python -m bench.ingest_limits > bench/out/ingest_limits.txt
	$(BIN)/python -m bench.headofline > bench/out/headofline.txt

cluster: install
	$(BIN)/python -m bench.cluster

# The reliability table (faults, load, hostile input), written into bench/README.md.
faults: install
	$(BIN)/python -m bench.faults --readme

schemas: install
	$(BIN)/python -m shared.schema_export

clean:
	rm -rf $(VENV) out build *.egg-info .mypy_cache
