"""ONNX export + JSON metadata for the Java side."""
import json
import os

import numpy as np
import torch

from . import data as song_data
from .chord_decoding import PHRASE_ECHO
from .common import CACHE_DIR
from .config import LOWEST_PITCH, ONNX_OPSET, PITCH_COUNT, PRETRAINING, STEPS_PER_QUARTER
from .models import from_config, CHORD_INPUTS, TEXTURE_INPUTS

VERSION = '1.3.0'
# The texture model's own version: 1.3.1 is 1.3.0's network with lied's sampling settings of 2026-12-07
TEXTURE_VERSION = '1.3.1'
CHANNELS = ['piano_onset', 'piano_sounding', 'counter_onset', 'counter_sounding']
# How Java samples the texture model, per style (dev.merlai.arranger.model.Sampling). Chosen on the validation
# split with ../shared/eval (texture overlap with the human arrangements); see models/MODEL_CARD.md.
SAMPLING = {
    'pop': {'density_scale': 1.0, 'density_spread': 0.3, 'phrase_bars': 4, 'repeat_bias': 0.25, 'hold_threshold': 0.5,
            'max_sounding': 3, 'min_sounding': 2, 'min_sounding_probability': 0.1},
    'lied': {'density_scale': 0.85, 'density_spread': 0.3, 'phrase_bars': 4, 'repeat_bias': 1.0, 'hold_threshold': 0.8,
             'max_sounding': 0, 'min_sounding': 0, 'min_sounding_probability': 1.0},
}
# The chord model hears the melody transposed by -4..+4 semitones; Java averages the rotated answers.
TRANSPOSITIONS = 4

INPUT_SPECS = {
    'melody_pitch': ('int64', ['B', 'T']),
    'melody_onset': ('float32', ['B', 'T']),
    'metric_pos': ('int64', ['B', 'T']),
    'bar_steps': ('int64', ['B', 'T']),
    'style': ('int64', ['B']),
    'chord_chroma': ('float32', ['B', 'T', 12]),
    'chord_bass': ('int64', ['B', 'T']),
    'density': ('float32', ['B', 'T']),
    'known_notes': ('float32', ['B', 'T', 4, PITCH_COUNT]),
    'known_mask': ('float32', ['B', 'T']),
}


def example_inputs(kind, B=1, T=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = {
        'melody_pitch': torch.randint(0, 100, (B, T), generator=g),
        'melody_onset': (torch.rand(B, T, generator=g) < 0.3).float(),
        'metric_pos': torch.arange(T).remainder(16).unsqueeze(0).repeat(B, 1),
        'bar_steps': torch.full((B, T), 16, dtype=torch.long),
        'style': torch.randint(0, 2, (B,), generator=g),
    }
    if kind == 'texture':
        x.update({
            'chord_chroma': (torch.rand(B, T, 12, generator=g) < 0.25).float(),
            'chord_bass': torch.randint(0, 13, (B, T), generator=g),
            'density': torch.rand(B, T, generator=g) * 6,
            'known_notes': (torch.rand(B, T, 4, PITCH_COUNT, generator=g) < 0.02).float(),
            'known_mask': (torch.rand(B, T, generator=g) < 0.5).float(),
        })
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    return [x[n] for n in names]


def load_checkpoint(path):
    ck = torch.load(path, map_location='cpu')
    meta = ck['meta']
    model = from_config(meta['kind'], {k: (tuple(v) if isinstance(v, list) else v) for k, v in meta['cfg'].items()})
    model.load_state_dict(ck['state'])
    model.eval()
    return model, meta


def export_model(model, kind, path):
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    out_name = 'chord_logits' if kind == 'chords' else 'note_logits'
    dyn = {n: ({0: 'B'} if n == 'style' else {0: 'B', 1: 'T'}) for n in names}
    dyn[out_name] = {0: 'B', 1: 'T'}
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, tuple(example_inputs(kind, B=1, T=64)), path, input_names=names,
                          output_names=[out_name], dynamic_axes=dyn, opset_version=ONNX_OPSET,
                          do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return path


def approx_epochs(meta):
    """optimizer steps x batch x window / 16th steps in the training songs (approximate:
    windows are random crops, short songs fill less than a window)."""
    try:
        from .prepare import cache_path
        from .common import load_pickle
        from .data import is_validation
        path = cache_path(None)
        if meta['size'] != 'full' or not os.path.exists(path):
            return None
        total = sum(s['T'] for s in load_pickle(path) if not is_validation(s['id']))
        settings = PRETRAINING[(meta['kind'], meta['size'])]
        return round(meta['steps'] * settings['batch_songs'] * settings['window_steps'] / total, 2)
    except Exception:  # noqa: BLE001
        return None


def summarize_validation(meta):
    h = meta['history'][-1] if meta['history'] else {}
    return {k: v for k, v in h.items() if k not in ('step',)}


def metadata(kind, meta):
    names = CHORD_INPUTS if kind == 'chords' else TEXTURE_INPUTS
    out_name = 'chord_logits' if kind == 'chords' else 'note_logits'
    out_shape = ['B', 'T', song_data.V] if kind == 'chords' else ['B', 'T', 4, PITCH_COUNT]
    j = {
        'name': 'merlai-chords' if kind == 'chords' else 'merlai-texture',
        'version': VERSION if kind == 'chords' else TEXTURE_VERSION,
        'file': 'merlai-chords.onnx' if kind == 'chords' else 'merlai-texture.onnx',
        'opset': ONNX_OPSET,
        'inputs': [{'name': n, 'dtype': INPUT_SPECS[n][0], 'shape': INPUT_SPECS[n][1]} for n in names],
        'outputs': [{'name': out_name, 'dtype': 'float32', 'shape': out_shape}],
        'styles': ['pop', 'lied'],
        'steps_per_quarter': STEPS_PER_QUARTER,
        'pitch_offset': LOWEST_PITCH,
        'pitch_count': PITCH_COUNT,
        'default_density': meta['default_density'],
        'trained': {'date': meta['date'], 'seconds': meta['seconds'], 'parameters': meta['parameters'],
                    'optimizer_steps': meta['steps'], 'epochs': approx_epochs(meta), 'size': meta['size'],
                    'data': meta['data'],
                    'split': 'song-level, 10% by SHA-1 of the song id; lists in training/split/'},
        'architecture': {k: (list(v) if isinstance(v, tuple) else v) for k, v in meta['cfg'].items()},
        'validation': summarize_validation(meta),
    }
    if kind == 'chords':
        chroma = song_data.chord_chroma_table()
        j['chord_vocabulary'] = song_data.VOCAB
        j['chord_pitch_classes'] = [[int(i) for i in np.flatnonzero(chroma[k])] for k in range(song_data.V)]
        j['chord_groups'] = [int(g) for g in song_data.majmin_table()]
        j['decoding'] = ('per beat: the mean log-softmax over the beat\'s steps; mixed with the same beat\'s '
                         'phrase_echo.bars bars earlier and later (weights in phrase_echo); the chord_groups group '
                         '(root + maj/min) of the largest summed probability, then the most probable chord inside it '
                         '(merlai_training/chord_decoding.py)')
        j['transpositions'] = TRANSPOSITIONS
        j['phrase_echo'] = PHRASE_ECHO
    else:
        j['channels'] = CHANNELS
        j['chord_bass_none'] = 12
        j['decoding'] = ('sigmoid(note_logits); sample onsets; a note lasts from its onset while the '
                         'sounding probability stays > 0.5 and no new onset of the pitch comes')
        j['sampling'] = SAMPLING
    return j


def export_all(ckpt_dir=None, out_dir='models', extra_validation=None):
    ckpt_dir = ckpt_dir or CACHE_DIR
    vpath = os.path.join(ckpt_dir, 'validation.json')
    if extra_validation is None and os.path.exists(vpath):
        extra_validation = json.load(open(vpath))
    os.makedirs(out_dir, exist_ok=True)
    for kind in ('chords', 'texture'):
        model, meta = load_checkpoint(os.path.join(ckpt_dir, kind + '.pt'))
        name = 'merlai-chords' if kind == 'chords' else 'merlai-texture'
        export_model(model, kind, os.path.join(out_dir, name + '.onnx'))
        j = metadata(kind, meta)
        if extra_validation and kind in extra_validation:
            j['validation'].update(extra_validation[kind])
        with open(os.path.join(out_dir, name + '.json'), 'w') as f:
            json.dump(j, f, indent=1)
        print('exported %s (%.2f MB)' % (name, os.path.getsize(os.path.join(out_dir, name + '.onnx')) / 1e6))
