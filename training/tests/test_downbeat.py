import numpy as np
import torch

from merlai_training import downbeat as DB


def test_labels_mark_downbeats_beats_and_offbeats():
    pos = np.array([0, 1, 2, 3, 4, 5, 8, 12, 15, 0])
    assert DB.labels(pos).tolist() == [0, 2, 2, 2, 1, 2, 1, 1, 2, 0]


def test_decoding_finds_the_bar_lines_a_confident_model_implies():
    T = 64
    truth = DB.labels((np.arange(T) - 3) % 12)   # 3/4, first downbeat on step 3
    logp = np.full((T, 3), np.log(0.05))
    logp[np.arange(T), truth] = np.log(0.9)
    assert DB.best_candidate(logp) == (12, 3)


def test_the_model_does_not_care_which_key_the_melody_is_in():
    torch.manual_seed(0)
    model = DB.DownbeatNet().eval()
    pitch = torch.tensor([[60, 60, 0, 62, 64, 64, 64, 0, 67, 65, 64, 62] * 4])
    onset = (torch.rand(1, pitch.shape[1]) < 0.5).float()
    with torch.no_grad():
        a = model(pitch, onset)
        b = model(torch.where(pitch > 0, pitch + 5, pitch), onset)
    assert torch.allclose(a, b, atol=1e-5)
    assert torch.allclose(a.exp().sum(-1), torch.ones(1, pitch.shape[1]), atol=1e-5)


def test_export_writes_onnx_with_named_inputs_and_metadata(tmp_path):
    import json
    import onnx
    model = DB.DownbeatNet()
    DB.export(model, {'minutes': 0, 'steps': 0, 'validation': {}}, str(tmp_path))
    graph = onnx.load(str(tmp_path / 'merlai-downbeat.onnx')).graph
    assert [i.name for i in graph.input] == DB.INPUTS
    meta = json.load(open(tmp_path / 'merlai-downbeat.json'))
    assert meta['classes'] == DB.CLASSES
