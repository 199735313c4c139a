import json
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from merlai_training.export import example_inputs
from merlai_training.finetune import base_architecture, base_from_onnx, read_score_json, bar_lines
from merlai_training.models import CHORD_INPUTS, TEXTURE_INPUTS


TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(os.path.dirname(TRAINING), 'models')


def piece(bars=12, tpq=480, chords=False, accompaniment=True, shift=0):
    """A small song: a stepwise tune over block chords and a bass note per bar, 4/4 with a pickup beat."""
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    mel = [{'pitch': scale[(i + shift) % 8] + 12, 'onset': tpq + i * tpq, 'duration': tpq} for i in range(bars * 4)]
    triads = [[48, 52, 55], [53, 57, 60], [55, 59, 62], [48, 52, 55]]
    piano = [{'pitch': p, 'onset': tpq + b * 4 * tpq + beat * tpq, 'duration': tpq // 2}
             for b in range(bars) for beat in range(4) for p in triads[b % 4]]
    tracks = [{'name': 'MELODY', 'role': 'melody', 'notes': [{'pitch': 72, 'onset': 0, 'duration': tpq}] + mel}]
    if accompaniment:
        tracks += [{'name': 'PIANO', 'role': 'piano', 'notes': piano},
                   {'name': 'BASS', 'role': 'bass', 'notes': [{'pitch': 36, 'onset': tpq + b * 4 * tpq, 'duration': 4 * tpq}
                                                              for b in range(bars)]}]
    score = {'format': 'merlai.score', 'version': 1, 'ticksPerQuarter': tpq,
             'meter': {'pickup': tpq, 'timeSignatures': [{'tick': 0, 'numerator': 4, 'denominator': 4}]},
             'tracks': tracks}
    if chords:
        score['chords'] = [{'onset': tpq + b * 4 * tpq, 'duration': 4 * tpq, 'label': ['C:maj', 'F:maj', 'G:7', 'C:maj'][b % 4]}
                           for b in range(bars)]
    return score


def shipped_base(kind):
    with open(os.path.join(MODELS, 'merlai-%s.json' % kind)) as f:
        architecture = base_architecture(kind, json.load(f))
    return base_from_onnx(kind, os.path.join(MODELS, 'merlai-%s.onnx' % kind), architecture)


@pytest.mark.parametrize('kind', ['chords', 'texture'])
def test_base_weights_come_back_from_the_shipped_onnx(kind):
    model = shipped_base(kind).eval()
    checkpoint = os.path.join(TRAINING, '.cache', kind + '.pt')
    if os.path.exists(checkpoint):     # the training checkpoint, where this machine has it
        state = torch.load(checkpoint, map_location='cpu')['state']
        for name, value in model.state_dict().items():
            assert torch.equal(value, state[name]), name
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    x = example_inputs(kind, T=96, seed=5)
    with torch.no_grad():
        y = model(*x).numpy()
    z = ort.InferenceSession(os.path.join(MODELS, 'merlai-%s.onnx' % kind), providers=['CPUExecutionProvider']).run(None, {n: v.numpy() for n, v in zip(names, x)})[0]
    assert np.abs(y - z).max() < 1e-4


def test_a_score_becomes_a_song_on_its_bar_lines(tmp_path):
    path = tmp_path / 'tune.json'
    path.write_text(json.dumps(piece(bars=4, tpq=96)))
    song = read_score_json(str(path), 'lied')
    assert song['style'] == 1
    assert song['T'] == 4 + 4 * 16                       # a one-beat pickup, then four 4/4 bars
    assert list(np.flatnonzero(song['metric_pos'] == 0)) == [0, 4, 20, 36, 52]
    assert song['mel_pitch'][4] == 72 and song['mel_onset'][4] == 1
    assert set(song['notes'][:, 3].tolist()) == {0}     # piano and bass are both accompaniment
    assert (song['chord'][4:] > 0).all()                 # template-matched chords without labels


def test_given_chord_labels_are_used(tmp_path):
    path = tmp_path / 'tune.json'
    path.write_text(json.dumps(piece(bars=4, chords=True)))
    song = read_score_json(str(path), 'pop')
    from merlai_training.data import VOCAB
    assert [VOCAB[song['chord'][t]] for t in (4, 20, 36)] == ['C:maj', 'F:maj', 'G:7']


def test_bar_lines_follow_meter_changes():
    meter = {'timeSignatures': [{'tick': 0, 'numerator': 3, 'denominator': 4}, {'tick': 1440, 'numerator': 6, 'denominator': 8}]}
    assert bar_lines(meter, 480, 40) == [0, 12, 24, 36, 48]


def run_finetune(pieces, out, *extra):
    proc = subprocess.run([sys.executable, '-m', 'merlai_training', 'finetune', str(pieces), '--out', str(out),
                           '--quick', '--threads', '1'] + list(extra),
                          cwd=TRAINING, capture_output=True, text=True, timeout=300)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith('{')]
    return proc.returncode, events


def test_quick_finetune_writes_a_model_and_reports_progress_as_json_lines(tmp_path):
    pieces = tmp_path / 'pieces'
    pieces.mkdir()
    for i in range(4):
        (pieces / ('song%d.json' % i)).write_text(json.dumps(piece(bars=10 + i, chords=i % 2 == 0, shift=i)))
    code, events = run_finetune(pieces, tmp_path / 'model', '--model-id', 'm-test', '--style', 'lied')
    assert code == 0
    kinds = [e['event'] for e in events]
    assert kinds[0] == 'started' and kinds[-1] == 'completed' and set(kinds[1:-1]) == {'progress'}
    assert events[0]['train'] + events[0]['validation'] == 4
    progress = [e for e in events if e['event'] == 'progress']
    assert {e['model'] for e in progress} == {'chords', 'texture'}
    epochs = [e for e in progress if not e.get('calibrated')]
    assert all('val_loss' in e and 'epoch' in e and 'loss' in e for e in epochs)
    # each line says how far the whole run is: of how many steps, and the share done (both models), rising to 1
    assert all(0 <= e['step'] <= e['steps'] for e in epochs)
    shares = [e['fraction'] for e in epochs]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1
    calibration = [e for e in progress if e.get('calibrated')]
    assert len(calibration) == 1 and calibration[0]['model'] == 'chords' and 'quality_bias' in calibration[0]
    for name in ('merlai-chords', 'merlai-texture'):
        onnx.checker.check_model(onnx.load(str(tmp_path / 'model' / (name + '.onnx'))))
        meta = json.load(open(tmp_path / 'model' / (name + '.json')))
        assert meta['version'].endswith('+m-test') and meta['base_model']['name'] == name
    assert (tmp_path / 'model' / 'merlai-downbeat.onnx').exists()
    assert 'song0' in (tmp_path / 'model' / 'MODEL_CARD.md').read_text()
    # lied has no bound in the base: the pieces' block chords plus bass (4 notes at most) give it one
    texture = json.load(open(tmp_path / 'model' / 'merlai-texture.json'))
    assert 1 <= texture['sampling']['lied']['max_sounding'] <= 4


def test_the_sounding_cap_follows_the_composer_and_only_tightens_the_base_bound():
    from merlai_training.finetune import sounding_cap
    song = {'T': 16, 'notes': np.array([(0, 16, 60, 0), (0, 16, 64, 0), (0, 16, 67, 0), (0, 8, 72, 1)])}
    assert sounding_cap([song], 0, 0) == 3        # three piano notes; the counter-melody does not count
    assert sounding_cap([song], 2, 2) == 2        # the base bound stays when it is tighter
    assert sounding_cap([song], 6, 2) == 3


def test_a_piece_without_accompaniment_fails_with_one_json_line(tmp_path):
    pieces = tmp_path / 'pieces'
    pieces.mkdir()
    (pieces / 'bare.json').write_text(json.dumps(piece(accompaniment=False)))
    code, events = run_finetune(pieces, tmp_path / 'model')
    assert code == 1
    assert events[-1]['event'] == 'failed' and 'bare.json' in events[-1]['error']


def test_calibration_gives_the_composers_own_mix_of_chord_qualities(tmp_path):
    from merlai_training.finetune import calibrate_chord_vocabulary, quality_of
    from merlai_training.metrics import beat_log_probs
    from merlai_training.chord_decoding import decode
    songs = []
    for i in range(3):
        path = tmp_path / ('song%d.json' % i)
        path.write_text(json.dumps(piece(bars=12, chords=True, shift=i)))    # C:maj F:maj G:7 C:maj, bar by bar
        songs.append(read_score_json(str(path), 'pop'))
    model = shipped_base('chords').eval()
    q = quality_of()

    def share_of_sevenths():
        decoded = np.concatenate([q[decode(beat_log_probs(model, s)[0])] for s in songs])
        return float(np.mean(decoded == 1 + 2))      # quality '7'

    before = share_of_sevenths()
    bias = calibrate_chord_vocabulary(model, songs)
    after = share_of_sevenths()
    assert abs(after - 0.25) < abs(before - 0.25)     # a quarter of the labelled beats are dominant sevenths
    assert bias['maj'] == 0.0 and bias['7'] > 0
