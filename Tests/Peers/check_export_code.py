"""Checks that `distill export --format python|c` gives every row the answer `distill predict` gives.

For each sample (breast-cancer, penguins, diabetes) and a hostile case whose names are
syntax and keywords in the languages written, it fits a tree (--max-leaves 8) and a linear
model (--max-features 5), exports each, and runs the code on the rows of export_rows.py
(the sample's test rows plus 10,000 generated ones: values on and around every tree
threshold, missing values, unseen levels). Every row must get the same class (or value,
within 1e-6 relative) and leaf, and probabilities within 1e-6.

python: the module is imported and predict() called per row, missing values as None.
c: both students are exported (--name tree, --name linear) and compiled with gcc -O2 -Wall
-Werror with a driver written here that fills each input struct from a row file (fields
tab-separated, empty when missing, numbers as Python's repr, text as UTF-8 in hex) and
prints the outputs. The fields are found by their comments in the header, which must
decode back to the features' names.

Usage: check_export_code.py PATH_TO_DISTILL
"""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from export_rows import cases, run


def answers_as_columns(results, classes):
    """predict()'s dicts in the columns `distill predict` writes, by row."""
    answers = {}
    for i, result in enumerate(results):
        record = {"leaf": result["leaf"]} if "leaf" in result else {}
        if classes is None:
            record["student_value"] = result["value"]
        else:
            record["student_class"] = result["class"]
            record.update({f"student_p_{c}": p for c, p in result["probabilities"].items()})
        answers[i] = record
    return answers


def python_answers(case, path, work, kind):
    module_path = os.path.join(work, f"{case.name}_{kind}.py")
    with open(module_path, "w", encoding="utf-8") as f:
        f.write(run(case.distill, "export", "--student", path, "--format", "python"))
    spec = importlib.util.spec_from_file_location(f"student_{case.name}_{kind}".replace("-", "_"), module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return answers_as_columns([module.predict(row) for row in case.values()], case.classes)


def c_string(literal):
    """The text of a C string literal as the C export writes it (simple and octal escapes)."""
    body, out, i = literal[1:-1], bytearray(), 0
    while i < len(body):
        if body[i] != "\\":
            out += body[i].encode()
            i += 1
        elif body[i + 1] in "01234567":
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t"}.get(body[i + 1], body[i + 1].encode())
            i += 2
    return out.decode("utf-8")


def c_fields(header):
    """The input struct's fields by feature name, from the header's `type field; // "name"` lines."""
    fields = {}
    for match in re.finditer(r'^    (?:double |const char \*)(\w+); // (".*")$', header, re.M):
        fields[c_string(match.group(2))] = match.group(1)
    return fields


def c_answers(case, work):
    """Per student kind, its answers from one compiled driver over the case's rows."""
    directory = os.path.join(work, f"{case.name}-c")
    os.makedirs(directory)
    kinds = [kind for kind, _, _ in case.students]
    driver = ["#include <math.h>", "#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>"]
    driver += [f'#include "{kind}.h"' for kind in kinds]
    if any(case.kinds[name] != "numeric" for name in case.features):
        driver += ["", "static char *decode(const char *hex) {", "    size_t n = strlen(hex) / 2;",
                   "    char *text = malloc(n + 1);", "    for (size_t i = 0; i < n; i++) {",
                   "        char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};", "        text[i] = (char)strtol(pair, NULL, 16);",
                   "    }", "    text[n] = 0;", "    return text;", "}"]
    driver += ["", "int main(void) {", "    static char line[1 << 20];", f"    char *field[{len(case.features)}];",
               f"    char *text[{len(case.features)}];", f"    double number[{len(case.features)}];",
               "    while (fgets(line, sizeof line, stdin)) {", "        char *p = line;"]
    for j, name in enumerate(case.features):
        driver.append(f"        field[{j}] = p; p = strchr(p, '\\t'); *p++ = 0;")
        if case.kinds[name] == "numeric":
            driver.append(f"        number[{j}] = field[{j}][0] ? strtod(field[{j}], NULL) : NAN; text[{j}] = NULL;")
        else:
            driver.append(f"        text[{j}] = field[{j}][0] ? decode(field[{j}]) : NULL;")
    for kind, path, _ in case.students:
        run(case.distill, "export", "--student", path, "--format", "c", "--name", kind,
            "--out", os.path.join(directory, f"{kind}.c"))
        with open(os.path.join(directory, f"{kind}.h"), encoding="utf-8") as f:
            fields = c_fields(f.read())
        if sorted(fields) != sorted(case.features):
            raise RuntimeError(f"{case.name} {kind}: the header's fields name {sorted(fields)}, not the features")
        driver.append(f"        struct {kind}_input {kind}_in;")
        for j, name in enumerate(case.features):
            source = f"number[{j}]" if case.kinds[name] == "numeric" else f"text[{j}]"
            driver.append(f"        {kind}_in.{fields[name]} = {source};")
        driver += [f"        struct {kind}_output {kind}_out;", f"        {kind}_predict(&{kind}_in, &{kind}_out);"]
        if kind == "tree":
            driver.append(f'        printf("%d ", {kind}_out.leaf);')
        if case.classes is None:
            driver.append(f'        printf("%.17g\\n", {kind}_out.value);')
        else:
            driver += [f'        printf("%d", {kind}_out.class_index);',
                       f"        for (int k = 0; k < {len(case.classes)}; k++) printf(\" %.17g\", {kind}_out.probabilities[k]);",
                       '        printf("\\n");']
    driver += [f"        for (int j = 0; j < {len(case.features)}; j++) free(text[j]);", "    }", "    return 0;", "}", ""]
    with open(os.path.join(directory, "driver.c"), "w", encoding="utf-8") as f:
        f.write("\n".join(driver))
    program = os.path.join(directory, "driver")
    run("gcc", "-O2", "-Wall", "-Werror", "-o", program, *[os.path.join(directory, f"{k}.c") for k in kinds],
        os.path.join(directory, "driver.c"), "-lm")
    lines = []
    for row in case.values():
        fields = ["" if v is None else repr(v) if isinstance(v, float) else v.encode("utf-8").hex()
                  for v in (row[n] for n in case.features)]
        lines.append("".join(field + "\t" for field in fields) + "\n")
    output = subprocess.run([program], input="".join(lines), capture_output=True, text=True, check=True).stdout
    printed = output.splitlines()
    answers = {kind: {} for kind in kinds}
    for i in range(len(lines)):
        for s, kind in enumerate(kinds):
            parts = printed[i * len(kinds) + s].split()
            record = {}
            if kind == "tree":
                record["leaf"] = int(parts.pop(0))
            if case.classes is None:
                record["student_value"] = float(parts[0])
            else:
                record["student_class"] = case.classes[int(parts[0])]
                record.update({f"student_p_{c}": float(p) for c, p in zip(case.classes, parts[1:])})
            answers[kind][i] = record
    return answers


def main():
    distill = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20240602)
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as work:
        for case in cases(distill, work, rng):
            compiled = c_answers(case, work)
            for kind, path, predicted in case.students:
                for language, answers in [("python", python_answers(case, path, work, kind)), ("c", compiled[kind])]:
                    compared += len(predicted)
                    failures += not case.report(f"{case.name} {kind} {language}", predicted, answers)
    print(f"export code checks: {compared} rows compared, " + ("all passed" if failures == 0 else f"{failures} failed"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
