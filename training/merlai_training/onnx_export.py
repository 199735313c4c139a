"""Writing a small model as ONNX with its metadata beside it: the one export the drum and downbeat models share."""
import json
import os

import torch

from .config import ONNX_OPSET


def export_onnx(model, example_inputs, out_dir, name, version, input_names, output_names, dynamic_axes, description):
    """Writes out_dir/name.onnx and out_dir/name.json: the metadata is name, version, file and opset, then
    `description` (inputs, outputs, what the arranger needs to read them, training facts). Returns the ONNX path."""
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    path = os.path.join(out_dir, name + '.onnx')
    torch.onnx.export(model, example_inputs, path, input_names=input_names, output_names=output_names,
                      opset_version=ONNX_OPSET, dynamic_axes=dynamic_axes)
    meta = {'name': name, 'version': version, 'file': name + '.onnx', 'opset': ONNX_OPSET, **description}
    with open(os.path.join(out_dir, name + '.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    print('exported ' + path)
    return path
