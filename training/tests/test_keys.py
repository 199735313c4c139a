"""The melody key finder (issue 19) on hand-made melodies whose key is known."""
import mido
import numpy as np

from merlai_training.evaluation import keys

TPQ = 480


def write_melody(path, pitches, key=None):
    """Quarter notes, a half-note rest after each phrase of four; an optional key signature in the conductor."""
    conductor = mido.MidiTrack([mido.MetaMessage('key_signature', key=key)] if key else [])
    track = mido.MidiTrack([mido.MetaMessage('track_name', name='MELODY')])
    gap = 0
    for i, pitch in enumerate(pitches):
        track.append(mido.Message('note_on', note=pitch, velocity=90, time=gap))
        track.append(mido.Message('note_off', note=pitch, velocity=0, time=TPQ))
        gap = 2 * TPQ if i % 4 == 3 else 0
    mf = mido.MidiFile(type=1, ticks_per_beat=TPQ)
    mf.tracks = [conductor, track]
    mf.save(str(path))
    return str(path)


D_FLAT_MAJOR = [61, 63, 65, 68, 70, 68, 65, 61, 66, 65, 63, 68, 65, 63, 60, 61]
A_MINOR = [69, 71, 72, 76, 74, 72, 71, 69, 72, 71, 69, 64, 71, 68, 71, 69]


def test_features_hear_the_histogram_the_phrase_ends_and_the_last_note(tmp_path):
    notes = keys.melody_notes(write_melody(tmp_path / 'm.mid', D_FLAT_MAJOR))
    rows = keys.features(notes)
    assert rows.shape == (3, 12) and np.allclose(rows.sum(axis=1), 1)
    assert rows[0, 1] == 3 / 16                        # Db sounds 3 of the 16 quarters
    assert np.isclose(rows[1, 8], 0.5) and np.isclose(rows[1, 1], 0.5)  # phrases end on Ab, Db, Ab, Db
    assert rows[2, 1] == 1                             # the last note is a Db


def test_the_shipped_profiles_find_d_flat_major_and_a_minor(tmp_path):
    profiles = keys.read_profiles()
    for pitches, key in ((D_FLAT_MAJOR, (1, 'maj')), (A_MINOR, (9, 'min'))):
        assert keys.best_key(keys.features(keys.melody_notes(write_melody(tmp_path / 'm.mid', pitches))), profiles) == key


def test_fitting_learns_the_keys_it_is_shown():
    rows = [keys.features([(i, i + 1, 60 + p) for i, p in enumerate(scale)])
            for scale in ([0, 2, 4, 5, 7, 9, 11, 0], [9, 11, 0, 2, 4, 5, 8, 9])]
    profiles = keys.fit(rows, [(0, 'maj'), (9, 'min')], steps=300)
    assert keys.best_key(rows[0], profiles) == (0, 'maj')
    assert keys.best_key(rows[1], profiles) == (9, 'min')


def test_the_products_key_signature_is_read_and_compared(tmp_path):
    assert keys.product_key(write_melody(tmp_path / 'a.mid', A_MINOR, key='Am')) == (9, 'min')
    assert keys.product_key(write_melody(tmp_path / 'b.mid', D_FLAT_MAJOR, key='Db')) == (1, 'maj')
    share, misses = keys.agreement({'1': (1, 'maj'), '2': (9, 'maj')}, {'1': (1, 'maj'), '2': (9, 'min')})
    assert share == 0.5 and misses == ['2']
