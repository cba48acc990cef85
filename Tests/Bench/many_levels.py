"""Data and a teacher for timing `distill linear` on a text column with many levels.

    python3 Tests/Bench/many_levels.py data LEVELS OUT.csv
        Writes LEVELS rows: the rows of Samples/penguins/train.csv repeated in order, with
        `island` made unique per row ("Biscoe #17"), so `island` has LEVELS levels and the
        linear student's text group LEVELS - 1 indicators. Same LEVELS, same bytes.

    distill linear --teacher-command 'python3 Tests/Bench/many_levels.py teacher' \
        --data OUT.csv --label species --out DIR
        The teacher: a program (the sample ONNX teacher refuses a changed column) answering
        three species probabilities, a softmax of fixed linear scores of the four numeric
        columns (a missing number counts as the sample's mean) and of the island the level
        was made from, so that the many-level column carries signal and enters the model.
"""
import csv
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "Samples", "penguins", "train.csv")
CLASSES = ["Adelie", "Chinstrap", "Gentoo"]
# Per class: weights of bill length, bill depth, flipper length, body mass (in thousands of
# grams), then a constant; centred near the penguins' means so all three classes occur.
MEANS = {"bill_length_mm": 44.0, "bill_depth_mm": 17.2, "flipper_length_mm": 201.0, "body_mass_g": 4200.0}
SCORES = [
    [-0.9, 0.8, 0.0, 0.0, 1.0],
    [0.6, 0.7, -0.05, -0.8, 0.0],
    [0.3, -1.2, 0.08, 0.9, 0.5],
]
# Per island the level was made from ("Dream #12" is from Dream), a score per class.
ISLANDS = {"Biscoe": [0.0, -1.0, 1.5], "Dream": [0.0, 1.5, -1.0], "Torgersen": [1.5, -1.0, -1.0]}


def write_data(levels, out):
    with open(SAMPLE, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    island = header.index("island")
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for i in range(levels):
            row = list(body[i % len(body)])
            row[island] = f"{row[island]} #{i}"
            writer.writerow(row)


def answer(columns, rows):
    index = {name: columns.index(name) for name in MEANS}
    island = columns.index("island")
    outputs = []
    for row in rows:
        x = []
        for name, mean in MEANS.items():
            value = row[index[name]]
            x.append((value if isinstance(value, (int, float)) else mean) - mean)
        x[3] /= 1000
        origin = ISLANDS.get(str(row[island]).split(" #")[0], [0.0, 0.0, 0.0])
        scores = [sum(w * v for w, v in zip(weights, x)) + weights[4] + bonus for weights, bonus in zip(SCORES, origin)]
        top = max(scores)
        e = [math.exp(s - top) for s in scores]
        total = sum(e)
        outputs.append([v / total for v in e])
    return outputs


def teacher():
    for line in sys.stdin:
        message = json.loads(line)
        if "distill" in message:
            reply = {"classes": CLASSES}
        else:
            reply = {"outputs": answer(message["columns"], message["rows"])}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "data":
        write_data(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 2 and sys.argv[1] == "teacher":
        teacher()
    else:
        sys.exit(__doc__)
