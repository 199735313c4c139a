"""A Python reference arranger over the exported ONNX models, for validation with the eval
harness (../shared/eval). It mirrors the planned Java flow: chords once, texture in a few
refinement passes with seeded sampling. It reads the bar grid the eval uses (POP909:
meta.json bars; Lieder: the input's time signatures), so its numbers are an upper bound for a
system that must infer the grid from the melody.

    python3 -m merlai_training arrange INPUTS_DIR OUT_DIR [--models ../models] [--seed 1]
then: python3 ../shared/eval/run.py --inputs INPUTS_DIR --system-dir OUT_DIR
"""
import json
import math
import os
import sys
import time

import numpy as np

for _p in (os.environ.get('MERLAI_ORT_PATH'), '/opt/ort'):
    if _p and os.path.isdir(_p) and _p not in sys.path:
        sys.path.append(_p)

VEL = 80


def read_midi(path):
    import mido
    mf = mido.MidiFile(path)
    tpq = mf.ticks_per_beat
    mel, ts, end = [], [], 0
    for tr in mf.tracks:
        tick, open_ = 0, {}
        name = tr.name.strip().upper()
        for msg in tr:
            tick += msg.time
            if msg.type == 'time_signature':
                ts.append((tick / tpq, msg.numerator, msg.denominator))
            elif msg.type == 'note_on' and msg.velocity > 0:
                open_.setdefault(msg.note, []).append(tick)
            elif msg.type in ('note_on', 'note_off') and open_.get(msg.note):
                s = open_[msg.note].pop(0)
                if name == 'MELODY':
                    mel.append((s / tpq, tick / tpq, msg.note))
        end = max(end, tick / tpq)
    return mf, mel, sorted(ts), end


def bars_from_ts(ts, end):
    ts = [t for t in ts if t[0] > 1e-6]
    first = (0.0, 4, 4)
    bars, q, k = [], 0.0, -1
    cur = first
    allts = ts
    while True:
        while k + 1 < len(allts) and allts[k + 1][0] <= q + 1e-6:
            k += 1
            cur = allts[k]
        bars.append(q)
        if q >= end - 1e-6:
            return bars
        nxt = q + cur[1] * 4 / cur[2]
        if k + 1 < len(allts) and allts[k + 1][0] < nxt - 1e-6:
            nxt = allts[k + 1][0]
        q = nxt


def grid_inputs(mel, bars):
    origin = bars[0]
    bsteps = [int(round((b - origin) * 4)) for b in bars]
    T = bsteps[-1]
    mp = np.zeros(T, np.int64)
    mo = np.zeros(T, np.float32)
    for s, e, p in sorted(mel, key=lambda n: n[2]):
        a = int(round((s - origin) * 4))
        b = max(a + 1, int(round((e - origin) * 4)))
        if 0 <= a < T:
            mp[a:min(b, T)] = np.maximum(mp[a:min(b, T)], p)
            mo[a] = 1
    metric = np.zeros(T, np.int64)
    blen = np.zeros(T, np.int64)
    bidx = np.zeros(T, np.int64)
    for i in range(len(bsteps) - 1):
        a, b = bsteps[i], bsteps[i + 1]
        metric[a:b] = np.arange(b - a)
        blen[a:b] = b - a
        bidx[a:b] = i
    return origin, T, mp, mo, np.clip(metric, 0, 47), np.clip(blen, 1, 48), bidx


class Arranger:
    def __init__(self, models_dir, threads=2):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self.chords = ort.InferenceSession(os.path.join(models_dir, 'merlai-chords.onnx'), so,
                                           providers=['CPUExecutionProvider'])
        self.texture = ort.InferenceSession(os.path.join(models_dir, 'merlai-texture.onnx'), so,
                                            providers=['CPUExecutionProvider'])
        self.cmeta = json.load(open(os.path.join(models_dir, 'merlai-chords.json')))
        self.tmeta = json.load(open(os.path.join(models_dir, 'merlai-texture.json')))
        self.vocab = self.cmeta['chord_vocabulary']
        self.chroma = np.zeros((len(self.vocab), 12), np.float32)
        for i, pcs in enumerate(self.cmeta['chord_pitch_classes']):
            self.chroma[i, pcs] = 1
        self.root = np.array([12] + [(i - 1) // 9 for i in range(1, len(self.vocab))])

    def run(self, mp, mo, metric, blen, bidx, style, seed=1, passes=4, density=None, temperature=1.0):
        T = len(mp)
        B = lambda x: x[None]  # noqa: E731
        st = np.array([style], np.int64)
        t0 = time.time()
        logits = self.chords.run(None, {'melody_pitch': B(mp), 'melody_onset': B(mo), 'metric_pos': B(metric),
                                        'bar_steps': B(blen), 'style': st})[0][0]
        lp = logits - np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1, keepdims=True)) - logits.max(-1, keepdims=True)
        chord = np.zeros(T, np.int64)
        beat_starts = np.flatnonzero(metric % 4 == 0)
        labels = []
        for i, b in enumerate(beat_starts):
            e = beat_starts[i + 1] if i + 1 < len(beat_starts) else T
            e = min(e, b + 4)
            k = int(lp[b:e].mean(0).argmax())
            nxt = beat_starts[i + 1] if i + 1 < len(beat_starts) else T
            chord[b:nxt] = k
            labels.append((int(b), self.vocab[k]))
        chroma = self.chroma[chord]
        bass = self.root[chord].astype(np.int64)
        dens_val = density if density is not None else self.tmeta['default_density']['pop' if style == 0 else 'lied']
        dens = np.full(T, dens_val, np.float32)
        rng = np.random.default_rng(seed)
        known = np.zeros((T, 4, 88), np.float32)
        kmask = np.zeros(T, np.float32)
        nb = int(bidx.max()) + 1
        unknown_bars = list(range(nb))
        for p in range(passes):
            out = self.texture.run(None, {'melody_pitch': B(mp), 'melody_onset': B(mo), 'metric_pos': B(metric),
                                          'bar_steps': B(blen), 'style': st, 'chord_chroma': B(chroma),
                                          'chord_bass': B(bass), 'density': B(dens), 'known_notes': B(known),
                                          'known_mask': B(kmask)})[0][0]
            prob = 1 / (1 + np.exp(-out / temperature))
            roll = sample_roll(prob, rng)
            if p == passes - 1:
                fix = unknown_bars
            else:
                rng.shuffle(unknown_bars)
                n = int(math.ceil(len(unknown_bars) / (passes - p)))
                fix, unknown_bars = unknown_bars[:n], unknown_bars[n:]
            sel = np.isin(bidx, fix)
            known[sel] = roll[sel]
            kmask[sel] = 1
        return known, labels, time.time() - t0


def sample_roll(prob, rng):
    """prob [T,4,88] -> roll [T,4,88] (onset + sounding channels) by Java's rule."""
    T = prob.shape[0]
    roll = np.zeros_like(prob)
    for role in (0, 1):
        on = rng.random((T, 88)) < prob[:, 2 * role]
        snd = prob[:, 2 * role + 1] > 0.5
        roll[:, 2 * role] = on
        active = np.zeros(88, bool)
        for t in range(T):
            active = on[t] | (active & snd[t])
            roll[t, 2 * role + 1] = active
    return roll


def roll_to_notes(roll, origin):
    notes = []
    T = roll.shape[0]
    for role in (0, 1):
        on = roll[:, 2 * role] > 0
        snd = roll[:, 2 * role + 1] > 0
        for t, k in zip(*np.nonzero(on)):
            e = t + 1
            while e < T and snd[e, k] and not on[e, k]:
                e += 1
            notes.append((origin + t / 4, origin + e / 4, int(k) + 21, 1 + role, VEL - 10 * role))
    return notes


def arrange_dir(inputs, out, models_dir, seed=1, passes=4):
    import mido
    sys.path.insert(0, os.path.join(os.path.dirname(inputs.rstrip('/')), 'eval'))
    arr = Arranger(models_dir)
    times = []
    for subset, style in (('pop909', 0), ('lieder', 1)):
        src = os.path.join(inputs, subset)
        if not os.path.isdir(src):
            continue
        os.makedirs(os.path.join(out, subset), exist_ok=True)
        for f in sorted(os.listdir(src)):
            if not f.endswith('.mid') or f.endswith('.ref.mid'):
                continue
            mf, mel, ts, end = read_midi(os.path.join(src, f))
            meta_path = os.path.join(src, f[:-4] + '.meta.json')
            if os.path.exists(meta_path):
                bars = json.load(open(meta_path))['bars']
            else:
                bars = bars_from_ts(ts, max(end, 1.0))
            origin, T, mp, mo, metric, blen, bidx = grid_inputs(mel, bars)
            roll, labels, dt = arr.run(mp, mo, metric, blen, bidx, style, seed=seed, passes=passes)
            times.append(dt)
            tpq = mf.ticks_per_beat
            acc = roll_to_notes(roll, origin)
            merged = []
            for b, lab in labels:
                if not merged or merged[-1][1] != lab:
                    merged.append((origin + b / 4, lab))
            outf = mido.MidiFile(type=1, ticks_per_beat=tpq)
            outf.tracks = [mf.tracks[0], next(t for t in mf.tracks if t.name.strip().upper() == 'MELODY'),
                           make_track('PIANO', tpq, [n for n in acc if n[3] == 1]),
                           make_track('COUNTER', tpq, [n for n in acc if n[3] == 2]),
                           make_track('CHORDS', tpq, texts=merged)]
            outf.save(os.path.join(out, subset, f))
    print('arranged %d songs, model time mean %.3f s, max %.3f s' % (len(times), np.mean(times), np.max(times)))


def make_track(name, tpq, notes=(), texts=()):
    import mido
    ev = [(max(0, round(q * tpq)), 0, mido.MetaMessage('text', text=t)) for q, t in texts]
    for s, e, p, c, v in notes:
        a, b = round(s * tpq), max(round(e * tpq), round(s * tpq) + 1)
        if a < 0:
            continue
        ev.append((a, 2, mido.Message('note_on', note=p, velocity=v, channel=c)))
        ev.append((b, 1, mido.Message('note_off', note=p, velocity=0, channel=c)))
    tr = mido.MidiTrack([mido.MetaMessage('track_name', name=name)])
    now = 0
    for tick, _, m in sorted(ev, key=lambda x: x[:2]):
        tr.append(m.copy(time=tick - now))
        now = tick
    tr.append(mido.MetaMessage('end_of_track', time=0))
    return tr
