"""The note-in-chord ratio of issue 20 on a hand-made song whose answer is known."""
import mido

from merlai_training.evaluation.note_in_chord import chord_pitch_classes, note_in_chord
from merlai_training.evaluation.songs import metrics

TPQ = 480


def test_labels_in_both_spellings_name_their_pitch_classes():
    assert chord_pitch_classes('C:maj') == {0, 4, 7}
    assert chord_pitch_classes('Am7') == {9, 0, 4, 7}
    assert chord_pitch_classes('F#dim') == {6, 9, 0}
    assert chord_pitch_classes('G7/B') == {7, 11, 2, 5}
    assert chord_pitch_classes('Bbsus4') == {10, 3, 5}
    assert chord_pitch_classes('N.C.') == frozenset()


def test_counts_the_melody_notes_inside_the_chord_at_their_onset(tmp_path):
    # bar 1 under C: E (in) and F (out); bar 2 under Am: A (in); bar 3 under no chord: C (out)
    melody = [(0, 2, 64, 0, 90), (2, 4, 65, 0, 90), (4, 8, 69, 0, 90), (8, 12, 72, 0, 90)]
    mf = mido.MidiFile(type=1, ticks_per_beat=TPQ)
    mf.tracks = [mido.MidiTrack([mido.MetaMessage('time_signature', numerator=4, denominator=4)]),
                 metrics.make_track('MELODY', TPQ, melody),
                 metrics.make_track('CHORDS', TPQ, texts=[(0, 'C'), (4, 'Am'), (8, 'N.C.')])]
    path = str(tmp_path / 'song.mid')
    mf.save(path)
    assert note_in_chord(path) == (4, 2)
