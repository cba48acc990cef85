"""Runs every peer check (Tests/Peers/check_*.py, onnx_conformance.py, the corpus of real
exports, Tests/Corpus/check_corpus.py, and the fidelity benchmark's fast subset,
Tests/Fidelity/fidelity_bench.py --fast) against a built distill binary and prints one
closing line: 'peers: N passed, N failed'.

The fidelity subset guards the default students: it fails when one falls behind its
peers by more than the goal allows and more than its recorded shortfall (see
fidelity_bench.py).

Usage: run_peers.py PATH_TO_DISTILL
"""
import glob
import os
import subprocess
import sys


def main():
    distill = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    scripts = sorted(glob.glob(os.path.join(here, "check_*.py")))
    scripts.insert(0, os.path.join(here, "onnx_conformance.py"))
    scripts.append(os.path.join(here, "..", "Corpus", "check_corpus.py"))
    fidelity = os.path.join(here, "..", "Fidelity", "fidelity_bench.py")
    checks = [(script, []) for script in scripts] + [(fidelity, ["--fast"])]
    passed, failed = 0, 0
    for script, options in checks:
        name = " ".join([os.path.basename(script)] + options)
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, script, distill, *options])
        if result.returncode == 0:
            passed += 1
        else:
            failed += 1
            print(f"FAILED: {name} (exit {result.returncode})", flush=True)
    print(f"peers: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
