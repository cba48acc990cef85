"""Checks that `distill export --format pmml` answers every row as `distill predict` does,
in a real PMML evaluator: JPMML (the jpmml_evaluator package, over JPype, on a Java runtime).

For each sample (breast-cancer, penguins, diabetes) and a hostile case whose names are XML
syntax (quotes, `<b>&amp;`, a line break, non-ASCII), it fits a tree (--max-leaves 8), a
linear model (--max-features 5) and a rule list (from the tree), exports each as PMML and
evaluates it on the rows of export_rows.py (the sample's test rows plus 10,000 generated
ones: values on and around every tree threshold, missing values as None, unseen levels).
Every row must get the same class (or value, within 1e-6 relative), leaf or rule, and
probabilities within 1e-6.

Each document must also parse as XML with a PMML 4.4 root and validate against the PMML
schema JPMML ships (its copy of the PMML 4.4 XSD, which adds JPMML's own x- extensions),
checked with the Java runtime's XML Schema validator.

A self-test then nudges one threshold of the first tree to the Float32 threshold itself
(the plain `x <= t` the midpoint exists to avoid) and expects mismatches, so the check is
shown able to fail.

Java or jpmml_evaluator missing is a failure, not a skip: `make test` installs both.

Usage: check_export_pmml.py PATH_TO_DISTILL
"""
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
import zipfile

import numpy as np

from export_rows import cases, compare, run

NAMESPACE = "http://www.dmg.org/PMML-4_4"

try:
    import jpmml_evaluator
    import jpype
    import pandas
except ImportError as error:
    sys.exit(f"check_export_pmml needs jpmml_evaluator, JPype1 and pandas ({error}); run `make python-deps`")


def start_java():
    """Starts the JVM with JPMML's classes; exits with the reason when there is no Java."""
    try:
        from jpmml_evaluator.jpype import JPypeBackend
        JPypeBackend.ensureJVM()
    except Exception as error:
        sys.exit(f"check_export_pmml needs a Java runtime (Debian: default-jre-headless): {error}")


def schema_validator(work):
    """A validator for the PMML XSD found in JPMML's pmml-model jar."""
    jars = os.path.join(os.path.dirname(jpmml_evaluator.__file__), "dependencies")
    for jar in sorted(os.listdir(jars)):
        if jar.startswith("pmml-model-") and jar.endswith(".jar"):
            with zipfile.ZipFile(os.path.join(jars, jar)) as archive:
                if "pmml.xsd" in archive.namelist():
                    path = archive.extract("pmml.xsd", work)
                    break
    else:
        sys.exit("check_export_pmml: no pmml.xsd in jpmml_evaluator's pmml-model jar")
    File = jpype.JClass("java.io.File")
    factory = jpype.JClass("javax.xml.validation.SchemaFactory").newInstance("http://www.w3.org/2001/XMLSchema")
    schema = factory.newSchema(File(path))
    StreamSource = jpype.JClass("javax.xml.transform.stream.StreamSource")

    def validate(document):
        try:
            schema.newValidator().validate(StreamSource(File(document)))
        except jpype.JException as error:
            return str(error.getMessage())
        return None
    return validate


def check_document(path, validate):
    """Problems with the document as XML and as PMML 4.4, as text; empty when none."""
    problems = []
    root = ElementTree.parse(path).getroot()
    if root.tag != f"{{{NAMESPACE}}}PMML" or root.get("version") != "4.4":
        problems.append(f"root is {root.tag} version {root.get('version')}")
    invalid = validate(path)
    if invalid:
        problems.append(f"not valid against the PMML schema: {invalid}")
    return problems


def evaluate(path, case):
    """The evaluator's answers by row, in `distill predict`'s columns."""
    evaluator = jpmml_evaluator.make_evaluator(path, backend="jpype").verify()
    frame = pandas.DataFrame(case.values(), columns=case.features, dtype=object)
    results = evaluator.evaluateAll(frame)
    answers = {}
    for i, record in enumerate(results.to_dict("records")):
        if record.get("errors"):
            print(f"     {case.name} row {i}: the evaluator failed: {record['errors']}")
            continue
        answers[i] = record
    return answers


def nudged(text):
    """The document with its first threshold compared as the Float32 threshold itself."""
    match = re.search(r'operator="less(?:OrEqual|Than)" value="([^"]+)"', text)
    midpoint = float(match.group(1))
    threshold = np.float32(midpoint)
    if float(threshold) > midpoint:
        threshold = np.nextafter(threshold, np.float32(-np.inf))
    return text[:match.start(1)] + repr(float(threshold)) + text[match.end(1):]


def main():
    distill = os.path.abspath(sys.argv[1])
    start_java()
    rng = np.random.default_rng(20240603)
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as work:
        validate = schema_validator(work)
        first_tree = None
        for case in cases(distill, work, rng):
            for kind, path, predicted in case.students:
                document = os.path.join(work, f"{case.name}-{kind}.pmml")
                run(distill, "export", "--student", path, "--format", "pmml", "--out", document)
                label = f"{case.name} {kind} pmml"
                problems = check_document(document, validate)
                for problem in problems:
                    print(f"FAIL {label}: {problem}")
                compared += len(predicted)
                failures += bool(problems) + (not case.report(label, predicted, evaluate(document, case)))
                if kind == "tree" and first_tree is None:
                    first_tree = (case, document, predicted)

        case, document, predicted = first_tree
        broken = os.path.join(work, "broken.pmml")
        with open(document, encoding="utf-8") as f, open(broken, "w", encoding="utf-8") as out:
            out.write(nudged(f.read()))
        print(f"     self-test: {case.name} tree with one threshold compared as x <= t (mismatches expected):")
        caught = compare(f"{case.name} broken tree", predicted, evaluate(broken, case), case.classes)
        if caught:
            print(f"ok   self-test: the nudged threshold gives {caught} mismatches")
        else:
            print("FAIL self-test: a document with a nudged threshold matched every row, so this check cannot fail")
            failures += 1
    print(f"export pmml checks: {compared} rows compared, " + ("all passed" if failures == 0 else f"{failures} failed"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
