import json
import os

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from merlai_training.models import build, CHORD_INPUTS, TEXTURE_INPUTS
from merlai_training.export import export_model, example_inputs, INPUT_SPECS

MODELS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'models')


@pytest.fixture(scope='module', params=['chords', 'texture'])
def exported(request, tmp_path_factory):
    kind = request.param
    torch.manual_seed(0)
    model, _ = build(kind, 'quick')
    model.eval()
    path = str(tmp_path_factory.mktemp('onnx') / ('%s.onnx' % kind))
    export_model(model, kind, path)
    return kind, model, path


def test_contract(exported):
    kind, _, path = exported
    m = onnx.load(path)
    onnx.checker.check_model(m)
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    assert [i.name for i in m.graph.input] == names
    types = {1: 'float32', 7: 'int64'}
    for i in m.graph.input:
        dt, shape = INPUT_SPECS[i.name]
        assert types[i.type.tensor_type.elem_type] == dt
        dims = [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]
        assert len(dims) == len(shape)
        assert dims[0] == 'B' and (len(dims) == 1 or dims[1] == 'T')
        assert dims[2:] == shape[2:]
    out = m.graph.output[0]
    assert out.name == ('chord_logits' if kind == 'chords' else 'note_logits')
    dims = [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]
    assert dims[:2] == ['B', 'T'] and dims[2:] == ([109] if kind == 'chords' else [4, 88])


@pytest.mark.parametrize('T', [37, 300])
def test_matches_torch(exported, T):
    kind, model, path = exported
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    x = example_inputs(kind, B=1, T=T, seed=T)
    with torch.no_grad():
        y = model(*x).numpy()
    z = sess.run(None, {n: v.numpy() for n, v in zip(names, x)})[0]
    assert z.shape == y.shape and z.shape[1] == T
    assert np.abs(y - z).max() < 1e-4


@pytest.mark.parametrize('name', ['merlai-chords', 'merlai-texture'])
def test_shipped_models(name):
    path = os.path.join(MODELS, name + '.onnx')
    if not os.path.exists(path):
        pytest.skip('no shipped model yet')
    assert os.path.getsize(path) <= 20e6
    onnx.checker.check_model(onnx.load(path))
    meta = json.load(open(os.path.join(MODELS, name + '.json')))
    for k in ('name', 'version', 'inputs', 'outputs', 'styles', 'steps_per_quarter', 'default_density',
              'trained', 'validation'):
        assert k in meta
    assert meta['styles'] == ['pop', 'lied'] and meta['steps_per_quarter'] == 4
    if name == 'merlai-chords':
        voc = meta['chord_vocabulary']
        assert voc[0] == 'N' and len(voc) == meta['outputs'][0]['shape'][2]
        assert len(meta['chord_groups']) == len(voc) and meta['chord_groups'][0] == 0
    else:
        assert meta['channels'] == ['piano_onset', 'piano_sounding', 'counter_onset', 'counter_sounding']
        assert meta['pitch_offset'] == 21 and meta['pitch_count'] == 88
    if ort is not None:
        kind = 'chords' if name == 'merlai-chords' else 'texture'
        sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
        names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
        for T in (16, 250):
            z = sess.run(None, {n: v.numpy() for n, v in zip(names, example_inputs(kind, T=T))})[0]
            assert z.shape[1] == T and np.isfinite(z).all()
