"""Training windows: cropping, transposition augmentation, piano rolls, infill masks."""
import numpy as np

from . import data as song_data
from .config import HIGHEST_PITCH, LOWEST_PITCH, PITCH_COUNT

CHROMA = song_data.chord_chroma_table()


def pick_shift(rng, lo_pitch, hi_pitch, lo=-5, hi=6):
    """Random transposition in lo..hi that keeps every pitch in 21..108 (0 if none fits)."""
    a = max(lo, LOWEST_PITCH - lo_pitch) if lo_pitch else lo
    b = min(hi, HIGHEST_PITCH - hi_pitch) if hi_pitch else hi
    if a > b:
        return 0
    return int(rng.integers(a, b + 1))


def crop(song, W, rng):
    """Random window of up to W steps starting on a bar line."""
    T = song['T']
    if T <= W:
        return 0, T
    bars = np.flatnonzero(song['metric_pos'][:T - W // 2] == 0)
    a = int(rng.choice(bars)) if len(bars) else int(rng.integers(0, T - W + 1))
    return a, min(T, a + W)


def window_arrays(song, a, b, shift):
    """Contract tensors (numpy, no batch axis) for steps a..b, transposed by `shift`."""
    mp = song['mel_pitch'][a:b].astype(np.int64)
    mp = np.where(mp > 0, np.clip(mp + shift, LOWEST_PITCH, HIGHEST_PITCH), 0)
    chord = song_data.transpose_chord(song['chord'][a:b].astype(np.int64), shift)
    bass = song['chord_bass'][a:b].astype(np.int64)
    bass = np.where(bass < 12, (bass + shift) % 12, 12)
    return {
        'melody_pitch': mp,
        'melody_onset': song['mel_onset'][a:b].astype(np.float32),
        'metric_pos': np.clip(song['metric_pos'][a:b], 0, 47).astype(np.int64),
        'bar_steps': np.clip(song['bar_steps'][a:b], 1, 48).astype(np.int64),
        'chord': chord,
        'chord_chroma': CHROMA[chord],
        'chord_bass': bass,
    }


def roll(song, a, b, shift):
    """[b-a, 4, PITCH_COUNT] float32 piano roll (piano onset, piano sounding, counter onset, counter sounding)."""
    L = b - a
    r = np.zeros((L, 4, PITCH_COUNT), np.float32)
    n = song['notes']
    if len(n):
        sel = n[(n[:, 1] > a) & (n[:, 0] < b)]
        for s, e, p, role in sel:
            p = int(p) + shift - LOWEST_PITCH
            if not 0 <= p < PITCH_COUNT:
                continue
            s0, e0 = max(s - a, 0), min(e - a, L)
            r[s0:e0, 2 * role + 1, p] = 1
            if s >= a:
                r[s - a, 2 * role, p] = 1
    return r


def window_range(song, a, b):
    n = song['notes']
    sel = n[(n[:, 1] > a) & (n[:, 0] < b)] if len(n) else n
    mp = song['mel_pitch'][a:b]
    ps = [int(x) for x in mp[mp > 0]] + ([int(sel[:, 2].min()), int(sel[:, 2].max())] if len(sel) else [])
    return (min(ps), max(ps)) if ps else (0, 0)


def make_mask(song, a, b, rng):
    """known_mask [L]: mixes all-unknown, random bars unknown, and contiguous unknown spans."""
    L = b - a
    bars = song['bar_index'][a:b]
    bars = bars - bars[0]
    nb = int(bars[-1]) + 1
    u = rng.random()
    if u < 0.3:
        known_bar = np.zeros(nb, bool)
    elif u < 0.7:
        p = rng.uniform(0.3, 0.7)
        known_bar = rng.random(nb) >= p
    else:
        known_bar = np.ones(nb, bool)
        span = int(rng.integers(1, max(2, nb)))
        s = int(rng.integers(0, nb - span + 1))
        known_bar[s:s + span] = False
    if known_bar.all():
        known_bar[int(rng.integers(0, nb))] = False
    return known_bar[bars].astype(np.float32)


def collate(items):
    """Pad a list of dicts of [L,...] arrays to the longest; adds 'valid' [B,L]."""
    L = max(len(it['melody_pitch']) for it in items)
    out = {}
    for k in items[0]:
        if k == 'style':
            out[k] = np.array([it[k] for it in items], np.int64)
            continue
        arrs = []
        for it in items:
            x = it[k]
            pad = [(0, L - len(x))] + [(0, 0)] * (x.ndim - 1)
            arrs.append(np.pad(x, pad))
        out[k] = np.stack(arrs)
    out['valid'] = np.stack([np.pad(np.ones(len(it['melody_pitch']), np.float32),
                                    (0, L - len(it['melody_pitch']))) for it in items])
    # padded steps: bar_steps 1 is the minimum legal value
    out['bar_steps'] = np.where(out['valid'] > 0, out['bar_steps'], 16)
    return out


def chord_item(song, W, rng, augment=True):
    a, b = crop(song, W, rng)
    shift = pick_shift(rng, *window_range(song, a, b)) if augment else 0
    w = window_arrays(song, a, b, shift)
    return {'melody_pitch': w['melody_pitch'], 'melody_onset': w['melody_onset'],
            'metric_pos': w['metric_pos'], 'bar_steps': w['bar_steps'], 'style': song['style'],
            'chord': w['chord']}


def texture_item(song, W, rng, augment=True, density=None):
    a, b = crop(song, W, rng)
    shift = pick_shift(rng, *window_range(song, a, b)) if augment else 0
    w = window_arrays(song, a, b, shift)
    target = roll(song, a, b, shift)
    km = make_mask(song, a, b, rng)
    dens = density if density is not None else song_data.bar_density(song)[0]
    return {'melody_pitch': w['melody_pitch'], 'melody_onset': w['melody_onset'],
            'metric_pos': w['metric_pos'], 'bar_steps': w['bar_steps'], 'style': song['style'],
            'chord_chroma': w['chord_chroma'], 'chord_bass': w['chord_bass'],
            'density': dens[a:b].astype(np.float32), 'known_notes': target * km[:, None, None],
            'known_mask': km, 'target': target}
