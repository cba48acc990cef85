"""A teacher program for the tests; its first argument picks how it behaves.

good: two classes, p(yes) = sigmoid(first column), missing values count as 0.
regression: answers the sum of the numeric values.
crash: exits with status 3 on the second batch.
hang: never answers a batch.
malformed: answers a batch with text that is not JSON.
wrong-count: answers one output too few.
nan: answers NaN for the first row.
bad-greeting: greets with something that is neither classes nor regression.
"""
import json
import math
import sys
import time

mode = sys.argv[1]
batches = 0
for line in sys.stdin:
    message = json.loads(line)
    if "distill" in message:
        if mode == "bad-greeting":
            print(json.dumps({"hello": "world"}), flush=True)
        elif mode == "regression":
            print(json.dumps({"regression": True}), flush=True)
        else:
            print(json.dumps({"classes": ["no", "yes"]}), flush=True)
        continue
    batches += 1
    rows = message["rows"]
    if mode == "crash" and batches == 2:
        sys.stderr.write("fake teacher: crashing on purpose\n")
        sys.exit(3)
    if mode == "hang":
        time.sleep(60)
    if mode == "malformed":
        print("this is not json", flush=True)
        continue
    if mode == "regression":
        outputs = [sum(v for v in row if isinstance(v, (int, float))) for row in rows]
    else:
        outputs = []
        for row in rows:
            x = row[0] if isinstance(row[0], (int, float)) else 0.0
            p = 1 / (1 + math.exp(-x))
            outputs.append([1 - p, p])
    if mode == "wrong-count":
        outputs = outputs[:-1]
    if mode == "nan":
        outputs[0] = [float("nan"), 1.0]
    print(json.dumps({"outputs": outputs}), flush=True)
