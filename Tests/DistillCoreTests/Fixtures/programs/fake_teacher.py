"""A teacher program for the tests; its first argument picks how it behaves.

good: two classes, p(yes) = sigmoid(first column), missing values count as 0.
regression: answers the sum of the numeric values.
crash: exits with status 3 on the second batch.
hang: never answers a batch.
malformed: answers a batch with text that is not JSON.
wrong-count: answers one output too few.
nan: answers NaN for the first row.
bad-greeting: greets with something that is neither classes nor regression.
not-distribution: answers [0.9, 0.9] for the second row (sums to 1.8).
negative: answers [-0.5, 1.5] for the second row.
rounded: answers probabilities rounded to 2 decimals (sums within 0.01 of 1).
slow: as good, but sleeps 30 s before answering the second batch.
A second argument, when given, names a file the program writes its process id to and,
when it receives a batch, appends "asked" to the file named by a third argument.
"""
import json
import math
import sys
import time

mode = sys.argv[1]
if len(sys.argv) > 2:
    with open(sys.argv[2], "w") as f:
        f.write(str(__import__("os").getpid()))
asked_file = sys.argv[3] if len(sys.argv) > 3 else None
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
    if asked_file:
        with open(asked_file, "a") as f:
            f.write("asked\n")
    if mode == "slow" and batches == 2:
        time.sleep(30)
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
    if mode == "not-distribution" and len(outputs) > 1:
        outputs[1] = [0.9, 0.9]
    if mode == "negative" and len(outputs) > 1:
        outputs[1] = [-0.5, 1.5]
    if mode == "rounded":
        outputs = [[max(round(p, 2) - 0.004, 0.0) for p in o] for o in outputs]
    print(json.dumps({"outputs": outputs}), flush=True)
