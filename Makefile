# Distill: `make demo` runs the main job on the bundled samples, `make test` passes the tests.
# Both install what they need first (Debian packages with apt-get, Python peers with pip).

SWIFT ?= swift
PYTHON ?= python3
APT_PACKAGES := graphviz libgraphviz-dev libopenblas-dev pkg-config
DEBUG_BIN := .build/debug/distill
RELEASE_DIR := .build/release

.PHONY: all build demo test bench samples fuzz deps python-deps clean

all: build

# Installs the Debian packages when one is missing: as root directly, otherwise it prints
# the command to run.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Distill needs:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

python-deps:
	@$(PYTHON) -c "import onnx, onnxruntime, sklearn, skl2onnx, pandas" 2>/dev/null || \
	  $(PYTHON) -m pip install -q -r Tests/Peers/requirements.txt

build: deps
	$(SWIFT) build --product distill

demo: build
	@for s in breast-cancer penguins diabetes; do \
	  echo "== $$s: the teacher"; \
	  $(DEBUG_BIN) teacher inspect --teacher Samples/$$s/teacher.onnx || exit 1; \
	done
	@mkdir -p out
	@echo "== penguins: the first rows with the teacher's answers"
	@$(DEBUG_BIN) label --teacher Samples/penguins/teacher.onnx --data Samples/penguins/test.csv \
	  --label species --out out/penguins-labelled.csv && head -n 6 out/penguins-labelled.csv
	@echo "== breast-cancer: the teacher's answers (last columns)"
	@$(DEBUG_BIN) label --teacher Samples/breast-cancer/teacher.onnx --data Samples/breast-cancer/test.csv \
	  --label diagnosis --out out/breast-cancer-labelled.csv && head -n 6 out/breast-cancer-labelled.csv | rev | cut -d, -f1-4 | rev

test: deps python-deps
	$(SWIFT) build
	$(SWIFT) test
	$(PYTHON) Tests/Peers/run_peers.py $(DEBUG_BIN)

bench: deps python-deps
	@$(PYTHON) -c "import lightgbm" 2>/dev/null || $(PYTHON) -m pip install -q -r Tests/Bench/requirements.txt
	$(SWIFT) build -c release --product distill-bench
	$(PYTHON) Tests/Bench/bench.py $(RELEASE_DIR)/distill-bench

samples:
	$(PYTHON) -m pip install -q -r Samples/requirements.txt
	$(PYTHON) Samples/make_samples.py

clean:
	rm -rf .build out bench-data
