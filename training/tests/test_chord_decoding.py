"""The chord decoding that Java mirrors (dev.merlai.arranger.model.ChordDecoding)."""
import numpy as np

from merlai_training import data as song_data
from merlai_training.chord_decoding import decode, phrase_echo, PHRASE_ECHO

C, C7, CMAJ7, AM = song_data.chord_index(0, 'maj'), song_data.chord_index(0, '7'), song_data.chord_index(0, 'maj7'), song_data.chord_index(9, 'min')


def test_each_beat_takes_its_most_probable_chord_when_it_leads_its_group():
    lp = np.full((2, song_data.V), np.log(0.1 / (song_data.V - 1)))
    lp[0, C], lp[1, AM] = np.log(0.9), np.log(0.9)
    assert list(decode(lp)) == [C, AM]


def test_the_root_and_major_minor_group_is_chosen_before_the_chord():
    lp = np.full((1, song_data.V), -20.0)
    lp[0, [C, C7, CMAJ7]] = np.log([0.2, 0.15, 0.15])   # C major group: 0.5 in all
    lp[0, AM] = np.log(0.3)                               # the single most probable chord
    assert decode(lp)[0] == C


def test_group_log_probabilities_sum_the_probabilities_of_each_groups_chords():
    import torch
    from merlai_training.chord_decoding import group_log_probs
    groups = torch.tensor(song_data.majmin_table())
    logp = torch.log_softmax(torch.randn(3, song_data.V, generator=torch.Generator().manual_seed(0)), -1)
    summed = group_log_probs(logp, groups).exp()
    assert torch.allclose(summed.sum(-1), torch.ones(3), atol=1e-5)
    c_major = groups == groups[C]
    assert torch.allclose(summed[:, groups[C]], logp.exp()[:, c_major].sum(-1), atol=1e-6)


def _echo_song(middle, sung=()):
    """17 one-beat bars, all unsure between C and G but bars 0 and 16 (sure C) and bar 8 (`middle`); `sung`: the
    bars whose beat has melody."""
    p = np.full((17, song_data.V), 1e-6)
    p[:, [C, song_data.chord_index(7, 'maj')]] = 0.5
    p[[0, 16], C], p[[0, 16], song_data.chord_index(7, 'maj')] = 0.9, 0.1
    p[8, C], p[8, song_data.chord_index(7, 'maj')] = middle
    sounding = np.isin(np.arange(17), sung)
    return phrase_echo(np.log(p), np.arange(17), np.zeros(17, int), sounding, **PHRASE_ECHO)


def test_where_the_melody_rests_a_beat_takes_the_harmony_of_the_phrases_around_it():
    echoed = _echo_song((0.3, 0.7))
    assert np.isclose(np.exp(echoed[8, C]), (0.3 + 0.9 + 0.9) / 3)
    assert decode(echoed)[8] == C


def test_where_the_melody_sings_a_beat_mostly_keeps_its_own_answer():
    echoed = _echo_song((0.3, 0.7), sung=[6])                # two beats before bar 8's beat
    assert np.isclose(np.exp(echoed[8, C]), (0.3 + 0.1 * 0.9 * 2) / 1.2)
    assert decode(echoed)[8] == song_data.chord_index(7, 'maj')


def test_a_beat_near_the_songs_edge_hears_the_one_echo_it_has():
    echoed = _echo_song((0.3, 0.7))
    assert np.isclose(np.exp(echoed[0, C]), (0.9 + 0.3) / 2)
