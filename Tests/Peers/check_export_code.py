"""Checks that `distill export --format python|c|swift` gives every row the answer `distill predict` gives.

For each sample (breast-cancer, penguins, diabetes) and a hostile case whose names are
syntax and keywords in the languages written, it fits a tree (--max-leaves 8), a linear
model (--max-features 5) and a rule list (the tree rewritten), and writes a rule list by
hand (export_rows.hand_rules: the tests a list from a tree never has), exports each, and
runs the code on the rows of export_rows.py (the sample's test rows plus 10,000 generated
ones: values on and around every threshold, missing values, unseen levels). Every row must
get the same class (or value, within 1e-6 relative), leaf or rule, and probabilities
within 1e-6.

python: the module is imported and predict() called per row, missing values as None.
c: a case's students are exported (--name tree, linear, rules) and compiled with gcc -O2 -Wall
-Werror with a driver written here that fills each input struct from a row file (fields
tab-separated, empty when missing, numbers as Python's repr, text as UTF-8 in hex) and
prints the outputs. The fields are found by their comments in the header, which must
decode back to the features' names.
swift: every case's students are exported (one enum each) and compiled with swiftc -O into
one program with a driver written here likewise, run once per case.

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

# What the code of each kind of student says besides its answer: the tree's leaf, the rule list's rule.
WHERE = {"tree": "leaf", "rules": "rule"}


def answers_as_columns(results, classes):
    """predict()'s dicts in the columns `distill predict` writes, by row."""
    answers = {}
    for i, result in enumerate(results):
        record = {where: result[where] for where in WHERE.values() if where in result}
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


def swift_string(literal):
    """The text of a Swift string literal as the Swift export writes it."""
    simple = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}
    return re.sub(r'\\(u\{([0-9a-f]+)\}|.)', lambda m: chr(int(m.group(2), 16)) if m.group(2) else simple[m.group(1)],
                  literal[1:-1])


def row_lines(case):
    """The case's rows for a driver: per row one line of tab-terminated fields, empty when
    missing, numbers as repr, text as its UTF-8 in hex (so no field holds a tab or line break)."""
    lines = []
    for row in case.values():
        fields = ["" if v is None else repr(v) if isinstance(v, float) else v.encode("utf-8").hex()
                  for v in (row[n] for n in case.features)]
        lines.append("".join(field + "\t" for field in fields) + "\n")
    return "".join(lines)


def parse_printed(case, kinds, printed):
    """Per kind, by row, the answers a driver printed: one line per row and student, the
    tree's leaf or the rule list's rule first, then the class index and probabilities, or the value."""
    answers = {kind: {} for kind in kinds}
    for index, line in enumerate(printed):
        i, k = divmod(index, len(kinds))
        parts = line.split()
        record = {}
        if kinds[k] in WHERE:
            record[WHERE[kinds[k]]] = int(parts.pop(0))
        if case.classes is None:
            record["student_value"] = float(parts[0])
        else:
            record["student_class"] = case.classes[int(parts[0])]
            record.update({f"student_p_{c}": float(p) for c, p in zip(case.classes, parts[1:])})
        answers[kinds[k]][i] = record
    return answers


def check_fields(case, kind, fields):
    """Raises unless the generated code declares one field per feature, found by its name."""
    if sorted(fields) != sorted(case.features):
        raise RuntimeError(f"{case.name} {kind}: the declared fields name {sorted(fields)}, not the features")


def swift_answers(cases, work):
    """Per case, per student kind, the answers of one Swift program holding every case's students."""
    directory = os.path.join(work, "swift")
    os.makedirs(directory)
    sources = []
    driver = ["import Foundation", "",
              "func text(_ hex: Substring) -> String? {",
              "    if hex.isEmpty { return nil }",
              "    let digits = Array(hex.utf8)",
              "    let bytes = stride(from: 0, to: digits.count, by: 2).map {",
              "        UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!",
              "    }",
              "    return String(decoding: bytes, as: UTF8.self)",
              "}", "",
              "func number(_ field: Substring) -> Double? { field.isEmpty ? nil : Double(field)! }", ""]
    calls = []
    for c, case in enumerate(cases):
        driver.append(f"func case{c}(_ fields: [Substring]) {{")
        for kind, path, _ in case.students:
            name = f"case{c}{kind}"
            source = os.path.join(directory, f"{name}.swift")
            code = run(case.distill, "export", "--student", path, "--format", "swift", "--name", name)
            with open(source, "w", encoding="utf-8") as f:
                f.write(code)
            fields = {swift_string(m.group(2)): m.group(1)
                      for m in re.finditer(r'^        var (\w+): (?:Double|String)\? = nil // (".*")$', code, re.M)}
            check_fields(case, kind, fields)
            sources.append(source)
            enum = name[0].upper() + name[1:]
            driver.append(f"    var {kind}In = {enum}.Input()")
            for j, feature in enumerate(case.features):
                reader = "number" if case.kinds[feature] == "numeric" else "text"
                driver.append(f"    {kind}In.{fields[feature]} = {reader}(fields[{j}])")
            driver.append(f"    let {kind}Out = {enum}.predict({kind}In)")
            parts = [f"String({kind}Out.{WHERE[kind]})"] if kind in WHERE else []
            if case.classes is None:
                parts.append(f"String({kind}Out.value)")
            else:
                parts += [f"String({kind}Out.classIndex)", f'{kind}Out.probabilities.map {{ String($0) }}.joined(separator: " ")']
            driver.append(f"    print([{', '.join(parts)}].joined(separator: \" \"))")
        driver += ["}", ""]
        calls.append(f'    case "{c}": case{c}(fields)')
    driver += ["let which = CommandLine.arguments[1]", "while let line = readLine() {",
               '    let fields = line.split(separator: "\\t", omittingEmptySubsequences: false)', "    switch which {"]
    driver += calls + ["    default: fatalError(which)", "    }", "}", ""]
    main = os.path.join(directory, "main.swift")
    with open(main, "w", encoding="utf-8") as f:
        f.write("\n".join(driver))
    program = os.path.join(directory, "driver")
    run("swiftc", "-O", "-o", program, main, *sources)
    answers = []
    for c, case in enumerate(cases):
        output = subprocess.run([program, str(c)], input=row_lines(case), capture_output=True, text=True, check=True).stdout
        answers.append(parse_printed(case, [kind for kind, _, _ in case.students], output.splitlines()))
    return answers


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
        check_fields(case, kind, fields)
        driver.append(f"        struct {kind}_input {kind}_in;")
        for j, name in enumerate(case.features):
            source = f"number[{j}]" if case.kinds[name] == "numeric" else f"text[{j}]"
            driver.append(f"        {kind}_in.{fields[name]} = {source};")
        driver += [f"        struct {kind}_output {kind}_out;", f"        {kind}_predict(&{kind}_in, &{kind}_out);"]
        if kind in WHERE:
            driver.append(f'        printf("%d ", {kind}_out.{WHERE[kind]});')
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
    output = subprocess.run([program], input=row_lines(case), capture_output=True, text=True, check=True).stdout
    return parse_printed(case, kinds, output.splitlines())


def main():
    distill = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20240602)
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as work:
        every = list(cases(distill, work, rng))
        compiled_swift = swift_answers(every, work)
        for case, swift in zip(every, compiled_swift):
            compiled_c = c_answers(case, work)
            for kind, path, predicted in case.students:
                for language, answers in [("python", python_answers(case, path, work, kind)), ("c", compiled_c[kind]),
                                          ("swift", swift[kind])]:
                    compared += len(predicted)
                    failures += not case.report(f"{case.name} {kind} {language}", predicted, answers)
    print(f"export code checks: {compared} rows compared, " + ("all passed" if failures == 0 else f"{failures} failed"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
