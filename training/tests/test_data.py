import os

import numpy as np
import pytest

from merlai_training import data as song_data
from merlai_training import batches
from merlai_training.common import DEFAULT_DATA

POP = os.path.join(DEFAULT_DATA, 'pop909')
LIED = os.path.join(DEFAULT_DATA, 'openscore-lieder', 'scores')
need_data = pytest.mark.skipif(not os.path.isdir(POP), reason='shared data not present')


def test_vocabulary():
    assert song_data.VOCAB[0] == 'N' and song_data.V == 109
    assert song_data.VOCAB[1] == 'C:maj' and song_data.VOCAB[song_data.chord_index(10, 'min7')] == 'Bb:min7'
    t = song_data.chord_chroma_table()
    assert t[0].sum() == 0 and list(np.flatnonzero(t[song_data.chord_index(9, 'min')])) == [0, 4, 9]


@pytest.mark.parametrize('label,expect,bass', [
    ('N', 'N', 12), ('B:maj', 'B:maj', 11), ('F#:maj7/5', 'F#:maj7', 1), ('C#:min7', 'C#:min7', 1),
    ('Bb:sus4(b7)', 'Bb:sus4', 10), ('E:hdim7', 'E:dim', 4), ('Ab:min6', 'Ab:min', 8),
    ('C:maj/3', 'C:maj', 4), ('D:7/b7', 'D:7', 0)])
def test_parse_harte(label, expect, bass):
    idx, b = song_data.parse_harte(label)
    assert song_data.VOCAB[idx] == expect and b == bass


def test_majmin_preserved():
    mm = song_data.majmin_table()
    for lab, minor in (('A:min', 1), ('A:hdim7', 1), ('A:dim7', 1), ('A:sus2', 0), ('A:aug', 0), ('A:7', 0)):
        assert mm[song_data.parse_harte(lab)[0]] == 1 + 2 * 9 + minor


def test_transpose_chord():
    c = np.array([0, song_data.chord_index(11, 'maj'), song_data.chord_index(0, 'dim')])
    t = song_data.transpose_chord(c, 2)
    assert [song_data.VOCAB[i] for i in t] == ['N', 'C#:maj', 'D:dim']
    assert (song_data.transpose_chord(t, -2) == c).all()


def test_split_deterministic_song_level():
    ids = ['%03d' % i for i in range(1, 910)]
    a = [i for i in ids if song_data.is_validation(i)]
    assert a == [i for i in ids if song_data.is_validation(i)]
    assert 0.06 < len(a) / len(ids) < 0.14


@need_data
def test_pop909_grid_and_chords():
    s = song_data.prepare_pop909_song(os.path.join(POP, '001'), 2)
    T = s['T']
    assert T % 16 == 0 and (s['bar_steps'] == 16).all()
    assert (s['metric_pos'] == np.arange(T) % 16).all()
    # first chord of 001 after the N intro starts on a downbeat-aligned beat
    first = int(np.flatnonzero(s['chord'] > 0)[0])
    assert first % 4 == 0
    # melody on grid: onsets only where a pitch sounds
    assert (s['mel_pitch'][s['mel_onset'] > 0] > 0).all()
    roles = set(s['notes'][:, 3].tolist())
    assert roles <= {0, 1} and 0 in roles
    assert (s['notes'][:, 1] > s['notes'][:, 0]).all()


@need_data
def test_lieder_song():
    s = song_data.prepare_lieder_song(os.path.join(LIED, 'lc6583477.mxl'))
    assert s['style'] == 1 and s['T'] > 100
    bars = np.flatnonzero(s['metric_pos'] == 0)
    assert len(bars) > 10
    assert (s['notes'][:, 3] == 0).all()
    assert (s['chord'] > 0).mean() > 0.5


def _fake_song(T=64):
    rng = np.random.default_rng(0)
    mel = [(i, i + 4, int(rng.integers(100, 109))) for i in range(0, T, 4)]
    notes = [(i, i + 2, 21 + (i % 5), 0) for i in range(0, T, 2)]
    ch = np.full(T, song_data.chord_index(0, 'maj'), np.int16)
    return song_data._finish('x', 0, T, mel, notes, list(range(0, T + 1, 16)), ch, np.zeros(T, np.int8))


def test_augmentation_keeps_range():
    s = _fake_song()
    rng = np.random.default_rng(1)
    for _ in range(50):
        lo, hi = batches.window_range(s, 0, s['T'])
        sh = batches.pick_shift(rng, lo, hi)
        assert -5 <= sh <= 6 and 21 <= lo + sh and hi + sh <= 108
        w = batches.window_arrays(s, 0, s['T'], sh)
        mp = w['melody_pitch'][w['melody_pitch'] > 0]
        assert mp.min() >= 21 and mp.max() <= 108
        r = batches.roll(s, 0, s['T'], sh)
        assert r.sum() > 0
        assert r[:, 0].sum() == len(s['notes'])     # no note dropped off the keyboard


def test_masks_mix():
    s = _fake_song(16 * 8)
    rng = np.random.default_rng(0)
    fr = [batches.make_mask(s, 0, s['T'], rng).mean() for _ in range(200)]
    assert min(fr) == 0.0 and max(fr) < 1.0 and any(0 < f < 1 for f in fr)


def test_density():
    s = _fake_song()
    d, per_bar = song_data.bar_density(s)
    assert np.allclose(per_bar, 2.0) and d.shape == (s['T'],)


def test_melody_bars_are_the_bars_where_the_melody_sounds():
    song = {'bar_index': np.repeat(np.arange(4), 16), 'mel_pitch': np.zeros(64, np.int16)}
    song['mel_pitch'][20:24] = 60      # bar 1
    song['mel_pitch'][50] = 62         # bar 3
    assert song_data.melody_bars(song).tolist() == [1, 3]
