"""Data preparation: POP909 (MIDI + beat/chord annotations) and OpenScore Lieder (MusicXML)
onto one 16th-note grid.

A prepared song is a dict of numpy arrays (T = number of 16th steps):
  id, style (0 pop, 1 lied), T
  mel_pitch int16 [T]   highest melody pitch sounding in the step, 0 = rest
  mel_onset uint8 [T]   1 where a melody note starts
  metric_pos int16 [T]  steps since the bar line (unclipped)
  bar_steps int16 [T]   length of the current bar in steps (unclipped)
  bar_index int32 [T]   index of the bar of the step
  chord int16 [T]       chord vocabulary index of the chord sounding at the step (0 = N)
  chord_bass int8 [T]   bass pitch class, 12 = none
  notes int32 [N,4]     accompaniment notes: onset step, end step (exclusive), MIDI pitch, role
                        (0 piano, 1 counter)
"""
import bisect
import hashlib
import math
import os
import zipfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np

from .config import HIGHEST_PITCH, LOWEST_PITCH

# ------------------------------------------------------------------ chord vocabulary

ROOT_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B']
QUALITIES = {            # intervals above the root
    'maj': (0, 4, 7),
    'min': (0, 3, 7),
    '7': (0, 4, 7, 10),
    'maj7': (0, 4, 7, 11),
    'min7': (0, 3, 7, 10),
    'sus2': (0, 2, 7),
    'sus4': (0, 5, 7),
    'dim': (0, 3, 6),
    'aug': (0, 4, 8),
}
QUALITY_NAMES = list(QUALITIES)
VOCAB = ['N'] + ['%s:%s' % (r, q) for r in ROOT_NAMES for q in QUALITY_NAMES]
V = len(VOCAB)
MINOR_QUALITIES = {'min', 'min7', 'dim'}

# POP909 qualities -> vocabulary quality (keeps the root + maj/min class of every label)
QUALITY_MAP = {
    'maj': 'maj', 'min': 'min', '7': '7', 'maj7': 'maj7', 'min7': 'min7', 'maj6': 'maj',
    'min6': 'min', 'dim': 'dim', 'dim7': 'dim', 'hdim7': 'dim', 'aug': 'aug', 'minmaj7': 'min',
    'sus2': 'sus2', 'sus4': 'sus4', 'sus4(b7)': 'sus4', '9': '7', 'maj9': 'maj7', 'min9': 'min7',
}
BASS_INTERVALS = {'1': 0, 'b2': 1, '2': 2, 'b3': 3, '3': 4, '4': 5, '#4': 6, 'b5': 6, '5': 7,
                  '#5': 8, 'b6': 8, '6': 9, 'bb7': 9, 'b7': 10, '7': 11}
ROOT_PC = {'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}


def chord_index(root_pc, quality):
    return 1 + (root_pc % 12) * len(QUALITY_NAMES) + QUALITY_NAMES.index(quality)


def chord_root_quality(idx):
    """vocabulary index -> (root pc, quality) or None for N."""
    if idx == 0:
        return None
    return (idx - 1) // len(QUALITY_NAMES), QUALITY_NAMES[(idx - 1) % len(QUALITY_NAMES)]


def chord_chroma_table():
    """[V,12] float32 pitch-class template of every vocabulary chord (N = zeros)."""
    t = np.zeros((V, 12), np.float32)
    for i in range(1, V):
        r, q = chord_root_quality(i)
        for iv in QUALITIES[q]:
            t[i, (r + iv) % 12] = 1
    return t


def majmin_table():
    """[V] int: 0 for N, else 1 + 2*root + (1 if minor) -- the eval's root + maj/min class."""
    t = np.zeros(V, np.int64)
    for i in range(1, V):
        r, q = chord_root_quality(i)
        t[i] = 1 + 2 * r + (1 if q in MINOR_QUALITIES else 0)
    return t


def transpose_chord(idx, shift):
    """Vectorised: shift the roots of vocabulary indices by `shift` semitones."""
    idx = np.asarray(idx)
    q = (idx - 1) % len(QUALITY_NAMES)
    r = (idx - 1) // len(QUALITY_NAMES)
    out = 1 + ((r + shift) % 12) * len(QUALITY_NAMES) + q
    return np.where(idx == 0, 0, out).astype(idx.dtype)


def parse_harte(label):
    """Harte label -> (vocab index, bass pc or 12). Unknown qualities fall back on maj/min by
    the third; unreadable labels are N."""
    s = label.strip()
    if not s or s[0] not in ROOT_PC or s.upper() in ('N', 'X'):
        return 0, 12
    root, i = ROOT_PC[s[0]], 1
    while i < len(s) and s[i] in '#b':
        root += 1 if s[i] == '#' else -1
        i += 1
    rest = s[i:].lstrip(':')
    qual, _, bass = rest.partition('/')
    qual = qual or 'maj'
    q = QUALITY_MAP.get(qual)
    if q is None:
        base = qual.split('(')[0]
        q = QUALITY_MAP.get(base)
    if q is None:
        q = 'min' if qual.startswith(('min', 'dim', 'hdim')) else 'maj'
    bass_pc = (root + BASS_INTERVALS.get(bass, 0)) % 12 if bass else root % 12
    return chord_index(root % 12, q), bass_pc


# ------------------------------------------------------------------ split

def is_validation(song_id, fraction=0.1):
    """Deterministic song-level split: 10% of songs by a hash of the id."""
    h = int(hashlib.sha1(('merlai-split:' + song_id).encode()).hexdigest()[:8], 16)
    return (h % 1000) < fraction * 1000


# ------------------------------------------------------------------ helpers

def _finish(song_id, style, T, mel, notes, bar_starts, chord, chord_bass):
    """mel: list of (onset, end, pitch) in steps; notes: list of (onset, end, pitch, role);
    bar_starts: sorted bar line steps (first is 0, last one = T)."""
    mel_pitch = np.zeros(T, np.int16)
    mel_onset = np.zeros(T, np.uint8)
    for s, e, p in sorted(mel, key=lambda n: n[2]):      # higher pitches written last win
        s, e = max(0, s), min(T, max(e, s + 1))
        if s >= T:
            continue
        mel_pitch[s:e] = np.maximum(mel_pitch[s:e], p)
        mel_onset[s] = 1
    metric = np.zeros(T, np.int16)
    bsteps = np.zeros(T, np.int16)
    bidx = np.zeros(T, np.int32)
    for i in range(len(bar_starts) - 1):
        a, b = bar_starts[i], min(bar_starts[i + 1], T)
        if b <= a:
            continue
        metric[a:b] = np.arange(b - a)
        bsteps[a:b] = bar_starts[i + 1] - bar_starts[i]
        bidx[a:b] = i
    arr = np.array([(max(0, s), min(T, max(e, s + 1)), p, r) for s, e, p, r in notes
                    if 0 <= s < T and LOWEST_PITCH <= p <= HIGHEST_PITCH], np.int32).reshape(-1, 4)
    return {'id': song_id, 'style': style, 'T': T, 'mel_pitch': mel_pitch, 'mel_onset': mel_onset,
            'metric_pos': metric, 'bar_steps': bsteps, 'bar_index': bidx,
            'chord': chord.astype(np.int16), 'chord_bass': chord_bass.astype(np.int8), 'notes': arr}


# ------------------------------------------------------------------ POP909

def read_midi_notes(path, velocity=False):
    """-> (ticks_per_beat, tempos [(tick, us_per_quarter)], {track name: [(on, off, pitch)] in ticks}), each note
    with its velocity last where `velocity`."""
    import mido
    mf = mido.MidiFile(path)
    tempos, tracks = [], {}
    for tr in mf.tracks:
        tick, open_notes, notes = 0, defaultdict(list), []
        for msg in tr:
            tick += msg.time
            if msg.type == 'set_tempo':
                tempos.append((tick, msg.tempo))
            elif msg.type == 'note_on' and msg.velocity > 0:
                open_notes[(msg.channel, msg.note)].append((tick, msg.velocity))
            elif msg.type in ('note_off', 'note_on'):
                lst = open_notes.get((msg.channel, msg.note))
                if lst:
                    on, on_velocity = lst.pop(0)
                    notes.append((on, tick, msg.note, on_velocity) if velocity else (on, tick, msg.note))
        tracks[tr.name.strip()] = notes
    tempos.sort(key=lambda t: t[0])
    if not tempos or tempos[0][0] > 0:
        tempos.insert(0, (0, 500000))
    return mf.ticks_per_beat, tempos, tracks


def seconds_to_quarters_fn(tpq, tempos):
    starts_sec, sec = [], 0.0
    for i, (tick, tempo) in enumerate(tempos):
        if i:
            sec += (tick - tempos[i - 1][0]) * tempos[i - 1][1] / 1e6 / tpq
        starts_sec.append(sec)

    def f(s):
        k = max(0, bisect.bisect_right(starts_sec, s) - 1)
        return tempos[k][0] / tpq + (s - starts_sec[k]) * 1e6 / tempos[k][1]
    return f


def read_pop909_index(root):
    meter = {}
    path = os.path.join(root, 'index.tsv')
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            next(f)
            for line in f:
                c = line.rstrip('\n').split('\t')
                if len(c) >= 5 and c[4].strip():
                    meter[c[0].strip().zfill(3)] = int(float(c[4]))
    return meter


def pop909_bars(song_dir, tpq, tempos, beats_per_measure=None):
    """A POP909 song's bars -> (seconds to quarters, quarters per bar, the quarter of a bar line at or before 0).
    Bars: 4/4 (two-beat songs: downbeat phase from beat_midi column 3, like the eval) or 3/4 (three-beat songs:
    phase from column 2)."""
    to_q = seconds_to_quarters_fn(tpq, tempos)
    with open(os.path.join(song_dir, 'beat_midi.txt')) as f:
        beats = [ln.split() for ln in f.read().split('\n') if ln.strip()]
    col2 = [float(b[1]) for b in beats]
    col3 = [float(b[2]) for b in beats]
    if beats_per_measure is None:   # guess from column 2's period
        ones = [i for i, v in enumerate(col2) if v == 1]
        gaps = Counter(b - a for a, b in zip(ones, ones[1:]))
        beats_per_measure = 3 if gaps and gaps.most_common(1)[0][0] == 3 else 2
    if beats_per_measure == 3:
        bar_q = 3
        cand = [i % 3 for i, v in enumerate(col2) if v == 1]
    else:
        bar_q = 4
        cand = [i % 4 for i, v in enumerate(col3) if v == 1]
    phase = Counter(cand).most_common(1)[0][0] if cand else 0
    first = to_q(float(beats[0][0]))
    downbeat = first + phase
    origin = downbeat - bar_q * math.ceil(downbeat / bar_q - 1e-9)   # bar line at or before 0
    return to_q, bar_q, origin


def prepare_pop909_song(song_dir, beats_per_measure=None, midi=None):
    """One POP909 folder -> prepared song (bars as `pop909_bars` lays them); MIDI is its `read_midi_notes` where the
    caller has read it already."""
    song = os.path.basename(song_dir.rstrip('/'))
    tpq, tempos, tracks = midi or read_midi_notes(os.path.join(song_dir, song + '.mid'))
    to_q, bar_q, origin = pop909_bars(song_dir, tpq, tempos, beats_per_measure)

    def step(q):
        return int(round((q - origin) * 4))

    mel = [(step(a / tpq), step(b / tpq), p) for a, b, p, *_ in tracks.get('MELODY', [])]
    acc = [(step(a / tpq), step(b / tpq), p, 0) for a, b, p, *_ in tracks.get('PIANO', [])]
    acc += [(step(a / tpq), step(b / tpq), p, 1) for a, b, p, *_ in tracks.get('BRIDGE', [])]
    with open(os.path.join(song_dir, 'chord_midi.txt')) as f:
        rows = [ln.split('\t') for ln in f.read().split('\n') if ln.strip()]
    segs = [(step(to_q(float(r[0]))), step(to_q(float(r[1]))), r[2].strip()) for r in rows]
    end = max([e for _, e, _ in mel] + [n[1] for n in acc] + [e for _, e, _ in segs] + [1])
    bar = bar_q * 4
    T = int(math.ceil(end / bar) * bar)
    chord = np.zeros(T, np.int16)
    bass = np.full(T, 12, np.int8)
    for s, e, lab in segs:
        ci, bp = parse_harte(lab)
        s, e = max(0, s), min(T, e)
        if e > s:
            chord[s:e] = ci
            bass[s:e] = bp
    bar_starts = list(range(0, T + 1, bar))
    return _finish(song, 0, T, mel, acc, bar_starts, chord, bass)


# ------------------------------------------------------------------ OpenScore Lieder

STEP_PC = {'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}


def _read_mxl(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        name = None
        if 'META-INF/container.xml' in names:
            rf = ET.fromstring(z.read('META-INF/container.xml')).find('.//{*}rootfile')
            if rf is not None:
                name = rf.get('full-path')
        if name is None:
            name = next(n for n in names if n.endswith(('.xml', '.musicxml')) and not n.startswith('META-INF'))
        return ET.fromstring(z.read(name))


def _part_measures(part):
    """-> list of measures: {'len': Fraction quarters, 'nominal': Fraction, 'notes':
    [(onset, end, pitch, voice, tie_start, tie_stop)]} with times in quarters from the bar line."""
    divisions, nominal, transpose = Fraction(1), Fraction(4), 0
    out = []
    for m in part.findall('measure'):
        cur = Fraction(0)
        length = Fraction(0)
        last_onset = Fraction(0)
        notes = []
        for el in m:
            tag = el.tag
            if tag == 'attributes':
                d = el.findtext('divisions')
                if d:
                    divisions = Fraction(int(float(d)))
                t = el.find('time')
                if t is not None and t.findtext('beats'):
                    try:
                        beats = sum(int(x) for x in t.findtext('beats').split('+'))
                        nominal = Fraction(4 * beats, int(t.findtext('beat-type')))
                    except ValueError:
                        pass
                tr = el.find('transpose')
                if tr is not None:
                    transpose = int(tr.findtext('chromatic') or 0) + 12 * int(tr.findtext('octave-change') or 0)
            elif tag in ('backup', 'forward'):
                dur = Fraction(int(float(el.findtext('duration') or 0))) / divisions
                cur = cur - dur if tag == 'backup' else cur + dur
                length = max(length, cur)
            elif tag == 'note':
                if el.find('grace') is not None:
                    continue
                dur = Fraction(int(float(el.findtext('duration') or 0))) / divisions
                if el.find('chord') is not None:
                    onset = last_onset
                else:
                    onset = last_onset = cur
                    cur += dur
                length = max(length, cur)
                p = el.find('pitch')
                if p is None or el.find('cue') is not None:
                    continue
                midi = ((int(p.findtext('octave')) + 1) * 12 + STEP_PC[p.findtext('step')]
                        + int(round(float(p.findtext('alter') or 0))) + transpose)
                ties = {t.get('type') for t in el.findall('tie')}
                notes.append((onset, onset + dur, midi, (el.findtext('voice') or '1').strip(),
                              'start' in ties, 'stop' in ties))
        out.append({'len': length, 'nominal': nominal, 'notes': notes})
    return out


def _merge_ties(notes):
    out, waiting = [], {}
    for s, e, p, _v, ts, tp in sorted(notes, key=lambda n: (n[0], n[2])):
        i = waiting.get(p)
        if tp and i is not None and abs(out[i][1] - s) <= Fraction(1, 8):
            out[i][1] = e
            del waiting[p]
        else:
            out.append([s, e, p])
            i = len(out) - 1
        if ts:
            waiting[p] = i
    return out


def template_chords(T, notes, beat_starts):
    """Per-beat chord labels by template matching on the accompaniment notes.
    notes: [(onset, end, pitch, role)] steps; beat_starts: sorted step indices of beats (last = T).
    -> chord [T] vocabulary indices, bass [T] pitch classes."""
    table = chord_chroma_table()
    sizes = table.sum(1)
    sizes[0] = 1
    prior = np.zeros(V, np.float32)      # prefer plain triads a little
    for i in range(1, V):
        q = chord_root_quality(i)[1]
        prior[i] = {'maj': 0.06, 'min': 0.05, '7': 0.0, 'min7': -0.02, 'maj7': -0.04}.get(q, -0.08)
    nb = len(beat_starts) - 1
    chroma = np.zeros((nb, 12), np.float32)
    low = np.full(nb, 200, np.int32)
    starts = np.asarray(beat_starts)
    for s, e, p, _r in notes:
        b0 = max(0, np.searchsorted(starts, s, 'right') - 1)
        b1 = np.searchsorted(starts, e, 'left')
        for b in range(b0, min(b1, nb)):
            ov = min(e, starts[b + 1]) - max(s, starts[b])
            if ov > 0:
                w = ov * (1.5 if s >= starts[b] else 1.0)      # fresh notes weigh more
                chroma[b, p % 12] += w
                low[b] = min(low[b], p)
    for b in range(nb):
        if low[b] < 200:
            chroma[b, low[b] % 12] += 0.5 * chroma[b].max()   # bass emphasis
    # context: neighbours of the beat help on sparse beats
    ctx = chroma.copy()
    ctx[1:] += 0.35 * chroma[:-1]
    ctx[:-1] += 0.35 * chroma[1:]
    chord = np.zeros(T, np.int16)
    bass = np.full(T, 12, np.int8)
    for b in range(nb):
        if chroma[b].sum() <= 0:
            continue
        c = ctx[b] / (np.linalg.norm(ctx[b]) + 1e-6)
        score = (table @ c) / np.sqrt(sizes) + prior
        score[0] = -1
        k = int(np.argmax(score))
        a, z = beat_starts[b], beat_starts[b + 1]
        chord[a:z] = k
        r = chord_root_quality(k)[0]
        lp = low[b] % 12
        bass[a:z] = lp if table[k, lp] > 0 else r
    return chord, bass


def prepare_lieder_song(path):
    """One .mxl -> prepared song (voice 1 of the voice part = melody, the 2-staff part = piano)."""
    name = os.path.basename(path)[:-4]
    root = _read_mxl(path)
    parts = root.findall('part')
    pianos = [p for p in parts if any((s.text or '').strip() == '2' for s in p.iter('staves'))]
    if len(parts) != 2 or len(pianos) != 1:
        raise ValueError('not voice + piano')
    voice = _part_measures(next(p for p in parts if p is not pianos[0]))
    piano = _part_measures(pianos[0])
    if len(voice) != len(piano):
        raise ValueError('measure counts differ')
    start = Fraction(0)
    vnotes, pnotes, bar_q = [], [], []
    for mv, mp in zip(voice, piano):
        length = max(mv['len'], mp['len']) or mp['nominal']
        for n in mv['notes']:
            vnotes.append((start + n[0], start + n[1]) + n[2:])
        for n in mp['notes']:
            pnotes.append((start + n[0], start + n[1]) + n[2:])
        bar_q.append(start)
        start += length
    bar_q.append(start)
    voices = {n[3] for n in vnotes}
    if not voices:
        raise ValueError('no melody')
    keep = '1' if '1' in voices else min(voices)
    mel = _merge_ties([n for n in vnotes if n[3] == keep])
    acc = _merge_ties(pnotes)

    def step(q):
        return int(round(q * 4))

    bar_starts = []
    for q in bar_q:
        s = step(q)
        if not bar_starts or s > bar_starts[-1]:
            bar_starts.append(s)
    T = bar_starts[-1]
    if T < 16:
        raise ValueError('too short')
    mel_s = [(step(s), step(e), p) for s, e, p in mel]
    acc_s = [(step(s), step(e), p, 0) for s, e, p in acc]
    beat_starts = []
    for a, b in zip(bar_starts, bar_starts[1:]):
        beat_starts += list(range(a, b, 4))
    beat_starts.append(T)
    chord, bass = template_chords(T, [n for n in acc_s if n[0] < T], beat_starts)
    return _finish(name, 1, T, mel_s, acc_s, bar_starts, chord, bass)


# ------------------------------------------------------------------ corpus

def _pop_job(args):
    d, bpm = args
    try:
        return prepare_pop909_song(d, bpm)
    except Exception as e:  # noqa: BLE001
        return 'skip %s: %s' % (d, e)


def _lied_job(path):
    try:
        return prepare_lieder_song(path)
    except Exception as e:  # noqa: BLE001
        return 'skip %s: %s' % (path, e)


def list_sources(data_dir, limit=None):
    pop_root = os.path.join(data_dir, 'pop909')
    meter = read_pop909_index(pop_root)
    pops = sorted(d for d in os.listdir(pop_root) if os.path.isdir(os.path.join(pop_root, d)))
    lied_root = os.path.join(data_dir, 'openscore-lieder', 'scores')
    lieds = sorted(f for f in os.listdir(lied_root) if f.endswith('.mxl'))
    if limit:
        pops, lieds = pops[:limit], lieds[:limit]
    return ([(os.path.join(pop_root, d), meter.get(d)) for d in pops],
            [os.path.join(lied_root, f) for f in lieds])


def prepare_corpus(data_dir, limit=None, workers=2, log=print):
    pops, lieds = list_sources(data_dir, limit)
    songs = []
    if workers > 1:
        from multiprocessing import Pool
        with Pool(workers) as pool:
            res = pool.map(_pop_job, pops, chunksize=8) + pool.map(_lied_job, lieds, chunksize=8)
    else:
        res = [_pop_job(a) for a in pops] + [_lied_job(p) for p in lieds]
    skipped = 0
    for r in res:
        if isinstance(r, str):
            skipped += 1
        else:
            songs.append(r)
    log('prepared %d songs (%d pop909, %d lieder), skipped %d' % (
        len(songs), sum(s['style'] == 0 for s in songs), sum(s['style'] == 1 for s in songs), skipped))
    return songs


def melody_bars(song):
    """Sorted indices of the bars in which the melody sounds (where the chord and texture figures are taken)."""
    return np.unique(song['bar_index'][song['mel_pitch'] > 0])


def bar_density(song):
    """Per step: accompaniment onsets per beat (quarter) in the step's bar, all roles."""
    T = song['T']
    nbars = int(song['bar_index'].max()) + 1 if T else 0
    counts = np.zeros(nbars, np.float32)
    if len(song['notes']):
        np.add.at(counts, song['bar_index'][song['notes'][:, 0]], 1)
    beats = np.zeros(nbars, np.float32)
    np.add.at(beats, song['bar_index'], 0.25)
    dens = counts / np.maximum(beats, 0.25)
    return dens[song['bar_index']], dens
