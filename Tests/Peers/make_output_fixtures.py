#!/usr/bin/env python3
"""Writes the PyTorch models check_outputs_binding.py reads (Tests/Peers/fixtures/outputs/).

Real torch.onnx.export models, made once and committed so that CI does not install torch:
- torch_logits.onnx: an MLP 4 → 8 → 3 ending in a Linear layer (logits), as a classifier
  trained with CrossEntropyLoss is exported;
- torch_logit_binary.onnx: the same ending in Linear(8, 1), one logit (BCEWithLogitsLoss);
- torch_two_inputs.onnx: forward(x_num [N, 30], cat [N] int64) with an Embedding for cat,
  ending in a softmax.
The weights are inline (TorchScript exporter), the batch axis dynamic. The check computes
onnxruntime's answers itself, so only the models are stored.

Needs torch and onnx.   python3 Tests/Peers/make_output_fixtures.py
"""
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "outputs")


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(4, 3)
        self.body = nn.Sequential(nn.Linear(33, 8), nn.ReLU(), nn.Linear(8, 3))

    def forward(self, x_num, cat):
        return torch.softmax(self.body(torch.cat([x_num, self.embed(cat)], dim=1)), dim=1)


def export(model, args, names, path):
    model.eval()
    axes = {name: {0: "N"} for name in names + ["output"]}
    torch.onnx.export(model, args, os.path.join(OUT, path), input_names=names, output_names=["output"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    print("wrote", path)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    # Larger weights than the default initialisation, so the logits spread over several units.
    logits = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    binary = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    with torch.no_grad():
        for model in (logits, binary):
            for p in model.parameters():
                p.mul_(3)
    export(logits, (torch.zeros(2, 4),), ["input"], "torch_logits.onnx")
    export(binary, (torch.zeros(2, 4),), ["input"], "torch_logit_binary.onnx")
    export(TwoInputs(), (torch.zeros(2, 30), torch.zeros(2, dtype=torch.int64)), ["x_num", "cat"], "torch_two_inputs.onnx")


if __name__ == "__main__":
    main()
