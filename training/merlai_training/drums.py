"""The drum model: the next bar of a drum part from the bar before it, on a 16th grid.

Trained on the Groove MIDI Dataset (`drum_data`). Input: the previous bar's hits and velocities (zeros before
the first bar) and the bar's conditions (style, meter, tempo, fill flag, energy). Output per step of the bar
(16; a 12-step bar uses the first 12) and per instrument (9): the hit logit, then mean and log-std of the hit's
velocity (0..1) and of its micro-timing offset (in 16ths). Java samples the hits of a bar independently from
their probabilities, then velocity and offset from their Gaussians, and feeds the bar back for the next one
(`dev.merlai.arranger.drums`): one ONNX call per bar.

    python -m merlai_training.drums --minutes 20 [--out ../models]     # train + export + validate
    python -m merlai_training.drums --quick --out /tmp/drums            # seconds, for tests
"""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import drum_data
from . import small_models
from .config import STEPS_PER_QUARTER
from .fit import fit
from .losses import gaussian_nll
from .onnx_export import export_onnx

INPUTS = ['prev_hits', 'prev_velocity', 'style', 'meter', 'tempo', 'fill', 'energy']
OUTPUT = 'drum_params'
PARAMS = ['hit_logit', 'velocity_mean', 'velocity_log_std', 'offset_mean', 'offset_log_std']
S, K = drum_data.MAX_STEPS, drum_data.N_INSTRUMENTS
# hit logits are divided by this when sampling: chosen on GMD validation by `drum_temperature` (mean per-bar feature
# overlap 0.739 at 1.0, 0.795 at 0.85, 0.805 at 0.7, 0.777 at 0.55): drawing every cell independently at 1.0 scatters
# stray hits that a drummer would not play
HIT_TEMPERATURE = 0.7
# fill bars are drawn at 1.0: on GMD validation, fill bars played after 4 groove bars look like fills (drum_stats'
# detector) 65% of the time at 1.0, 47% at 0.85, 32% at 0.7 (GMD's own fills: 77%)
FILL_HIT_TEMPERATURE = 1.0
# added to every drawn velocity (0..1): measured by `drum_velocity` on GMD train, where bars drawn one after another from
# the model's own previous bar play 5 MIDI velocity softer than the performances (+0.039)
VELOCITY_SHIFT = 0.039
# one draw per song, as if a different drummer played each: GMD's performances differ from each other in level, in
# how loosely they sit on the grid and in the contrast of a bar's velocities far more than the model's self-play does
# (it has no drummer to condition on);
# measured by `drum_velocity` on GMD train: the sd of a performance's mean velocity (0..1), of the log of its mean
# absolute offset (0.289) and of the log of its bars' mean velocity spread, less what the self-play already varies by
DRUMMER_LEVEL_SD = 0.113
DRUMMER_CONTRAST_LOG_SD = 0.212
# chosen on the tune half of GMD validation (drum_data.validation_halves; `drum_stats`' oa_gmd_tune on the 15 tune songs
# of POP909 validation), whose drummers play louder and looser than the train split's: the drummer's mean level
# (0.04: velocity mean 0.912, spread 0.830; 0.05: 0.920, 0.822; 0.07: 0.911, 0.802) and the sd of the log of its
# looseness (0.289 as measured on train: |offset| 0.760; 0.4: 0.800; 0.5: 0.824; 0.6: 0.823)
DRUMMER_LEVEL_MEAN = 0.05
DRUMMER_TIMING_LOG_SD = 0.5
# a drummer's hits depend on each other, where the model's cells are drawn each on its own: the share (of variance) of
# each cell's standard normal draw that a section's groove bars share (its figure repeated bar after bar), and the share
# of a ghost snare's (odds below even) that a bar's ghost snares share (all or none; GMD's bars have either no off-beat
# snare or several). Each cell keeps the model's odds. Chosen on the tune half of GMD validation (`drum_stats`'
# oa_gmd_tune, 15 tune songs of POP909 validation, seed 1; fills elsewhere must stay <= 15%), as
# (ghost, groove): snare / mean of kick, snare, hi-hat, cymbal, velocity mean and spread, offset / fills elsewhere:
# (0, 0) 0.830 / 0.868 / 8.4%; (0.3, 0) 0.889 / 0.862 / 13.6%; (0.5, 0) 0.885 / 0.876 / 15.6%;
# (0.3, 0.3) 0.908 / 0.880 / 13.2%; (0.5, 0.3) 0.907 / 0.879 / 17.1%; (0.2, 0.5) 0.877 / 0.877 / 12.9%
GHOST_COUPLING = 0.3
GROOVE_REPEAT = 0.3
# the hi-hat's and the ride's passing notes (odds below even) share this much of a draw per bar and instrument, as the
# ghost snares do: a bar plays its 16ths or not, where cells drawn alone scatter a few of them into most bars (groove
# bars with some but not all odd 16ths on the hi-hat: 51% drawn alone, 42% coupled, GMD validation's tune half 39%).
# Chosen on the tune half of GMD validation (evaluation.drums' per-bar hi-hat onsets against it, 42 tune songs of
# POP909 validation, seeds 1-5): alone 0.696, 0.7 0.744 (fills elsewhere 13.7% -> 14.2%); the same share on all
# hi-hat and ride cells gave 0.793 on seeds 1-3 but 15.5% fills elsewhere, over the 15% allowed
HAND_COUPLING = 0.7
# the mean of the drummer's contrast: the model spreads a bar's velocities less than GMD's validation drummers do
# (median per-bar spread 27 against 32 on the tune half); chosen on the tune half (evaluation.drums' velocity spread,
# 42 tune songs, seeds 1-3): 1.0 0.782, 1.1 0.884, 1.15 0.914, 1.2 0.919 (velocity mean 0.896 / 0.886 / 0.881 / 0.875)
DRUMMER_CONTRAST_MEAN = 1.15


class DrumNet(nn.Module):
    """An MLP over the flattened previous bar plus embedded conditions, out to [16, 9, 5] per bar."""

    def __init__(self, width=384, dropout=0.3):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.style = nn.Embedding(len(drum_data.STYLES), 16)
        self.meter = nn.Embedding(len(drum_data.METER_NAMES), 4)
        self.inp = nn.Linear(2 * S * K + 16 + 4 + 3, width)
        self.hidden = nn.Linear(width, width)
        self.out = nn.Linear(width, S * K * len(PARAMS))

    def forward(self, prev_hits, prev_velocity, style, meter, tempo, fill, energy):
        B = prev_hits.shape[0]
        x = torch.cat([prev_hits.reshape(B, -1), prev_velocity.reshape(B, -1), self.style(style), self.meter(meter),
                       tempo[:, None], fill[:, None], energy[:, None]], 1)
        h = self.dropout(F.relu(self.inp(x)))
        h = h + self.dropout(F.relu(self.hidden(h)))
        return self.out(h).reshape(B, S, K, len(PARAMS))


def bar_mask(meter):
    """1 for the steps a bar of this meter has."""
    steps = torch.tensor([drum_data.METERS[m] for m in drum_data.METERS])[meter]
    return (torch.arange(S)[None, :] < steps[:, None]).float()


def losses(model, batch, prev_dropout=0.0, gen=None):
    prev_h, prev_v = batch['prev_hits'], batch['prev_vel']
    if prev_dropout:
        # now and then no bar before: the first bar of a part
        keep = (torch.rand(prev_h.shape[0], 1, 1, generator=gen) >= prev_dropout).float()
        prev_h, prev_v = prev_h * keep, prev_v * keep
    out = model(prev_h, prev_v, batch['style'], batch['meter'], batch['tempo'], batch['fill'], batch['energy'])
    mask = bar_mask(batch['meter'])[:, :, None].expand_as(batch['hits'])
    hit_loss = (F.binary_cross_entropy_with_logits(out[..., 0], batch['hits'], reduction='none') * mask).sum() / mask.sum()
    hit = batch['hits'] * mask
    n = hit.sum().clamp(min=1)
    vel_nll = (gaussian_nll(batch['vel'], out[..., 1], out[..., 2].clamp(-5, 2)) * hit).sum() / n
    off_nll = (gaussian_nll(batch['off'], out[..., 3], out[..., 4].clamp(-5, 2)) * hit).sum() / n
    return hit_loss, vel_nll, off_nll


def tensors(ex, idx=None):
    idx = slice(None) if idx is None else idx
    return {k: torch.from_numpy(v[idx]) for k, v in ex.items()}


def evaluate(model, ex):
    model.eval()
    with torch.no_grad():
        hit, vel, off = losses(model, tensors(ex))
    model.train()
    return {'hit_bce': round(hit.item(), 4), 'velocity_nll': round(vel.item(), 4), 'offset_nll': round(off.item(), 4)}


def energy_quantiles(performances):
    """Per style, the 25/50/75% energy of groove bars (training split): low, medium and high sections."""
    result = {}
    for i, name in enumerate(drum_data.STYLES):
        e = [drum_data.energy_of(p['hits'][b], p['bar_steps']) for p in performances if p['style'] == i and not p['fill']
             for b in range(len(p['hits'])) if p['hits'][b].sum() > 0]
        result[name] = [round(float(q), 3) for q in np.percentile(e, [25, 50, 75])] if e else [2.6, 2.9, 3.2]
    return result


def train(minutes, seed=0, data=None, limit=None, batch_size=128):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    performances = drum_data.prepare_groove(data, limit=limit)
    tr_perf = [p for p in performances if p['split'] == 'train']
    tr = drum_data.bar_examples(tr_perf)
    va = drum_data.bar_examples([p for p in performances if p['split'] == 'validation'])
    # fills are 4% of the bars: drawn 4x as often, so the fill flag is learned
    weight = np.where(tr['fill'] > 0, 4.0, 1.0)
    weight /= weight.sum()
    model = DrumNet()

    def batch_loss():
        idx = rng.choice(len(weight), batch_size, p=weight)
        hit, vel, off = losses(model, tensors(tr, idx), prev_dropout=0.1, gen=gen)
        return hit + 0.05 * (vel + off), {'hit': hit.item(), 'vel': vel.item(), 'off': off.item()}

    def validate():
        # the validation split picks the state kept (early stopping): its velocity and timing overfit first
        v = evaluate(model, va)
        return v['hit_bce'] + 0.05 * (v['velocity_nll'] + v['offset_nll']), v

    run = fit(model, minutes, 1e-3, batch_loss, validate if len(va['hits']) else None, validate_every=250)
    result = evaluate(model, va) if len(va['hits']) else {}
    print('EVAL ' + json.dumps(result), flush=True)
    return model, {**run, 'validation': result,
                   'parameters': sum(p.numel() for p in model.parameters()),
                   'train_bars': int(len(tr['hits'])), 'validation_bars': int(len(va['hits'])),
                   'energy': energy_quantiles(tr_perf)}


def example_inputs(B=1):
    return (torch.zeros(B, S, K), torch.zeros(B, S, K), torch.zeros(B, dtype=torch.long),
            torch.zeros(B, dtype=torch.long), torch.zeros(B), torch.zeros(B), torch.full((B,), 2.9))


def export(model, info, out_dir, name='merlai-drums'):
    export_onnx(model, example_inputs(), out_dir, name, '1.5.0', INPUTS, [OUTPUT], {n: {0: 'B'} for n in INPUTS + [OUTPUT]}, {
        'inputs': {'prev_hits': {'dtype': 'float32', 'shape': ['B', S, K]},
                   'prev_velocity': {'dtype': 'float32', 'shape': ['B', S, K]},
                   'style': {'dtype': 'int64', 'shape': ['B']},
                   'meter': {'dtype': 'int64', 'shape': ['B']},
                   'tempo': {'dtype': 'float32', 'shape': ['B'], 'meaning': 'log2(bpm / 120)'},
                   'fill': {'dtype': 'float32', 'shape': ['B'], 'meaning': '1 = play a fill in this bar'},
                   'energy': {'dtype': 'float32', 'shape': ['B'], 'meaning': 'log(1 + hits per 16 steps)'}},
        'outputs': {OUTPUT: {'dtype': 'float32', 'shape': ['B', S, K, len(PARAMS)], 'params': PARAMS}},
        'steps_per_quarter': STEPS_PER_QUARTER, 'max_steps': S,
        'instruments': [{'name': n, 'note': note} for n, note, _ in drum_data.INSTRUMENTS],
        'styles': drum_data.STYLES, 'meters': [{'name': m, 'bar_steps': drum_data.METERS[k]} for m, k in zip(drum_data.METER_NAMES, drum_data.METERS)],
        'energy': info.get('energy', {}), 'sampling': {'hit_temperature': HIT_TEMPERATURE, 'fill_hit_temperature': FILL_HIT_TEMPERATURE,
                                                    'velocity_shift': VELOCITY_SHIFT, 'drummer_level_mean': DRUMMER_LEVEL_MEAN,
                                                    'drummer_level_sd': DRUMMER_LEVEL_SD,
                                                    'drummer_timing_log_sd': DRUMMER_TIMING_LOG_SD,
                                                    'drummer_contrast_log_sd': DRUMMER_CONTRAST_LOG_SD,
                                                    'drummer_contrast_mean': DRUMMER_CONTRAST_MEAN,
                                                    'ghost_coupling': GHOST_COUPLING, 'hand_coupling': HAND_COUPLING,
                                                    'groove_repeat': GROOVE_REPEAT},
        'trained': {k: v for k, v in info.items() if k not in ('validation', 'energy')},
        'validation': info.get('validation', {})})


def main(argv=None):
    small_models.main('drums', __doc__.split('\n\n')[0], train, export, 20.0, 'a few seconds on 40 performances (tests)', dict(limit=40, batch_size=16), argv)


if __name__ == '__main__':
    main()
