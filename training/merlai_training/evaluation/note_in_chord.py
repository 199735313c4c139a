"""The note-in-chord ratio (ReaLchords' measure of live accompaniment): the share of melody notes whose pitch
class belongs to the chord labelled at the note's onset. A note under no chord (or N) counts as outside.

    python -m merlai_training.evaluation.note_in_chord OUT.mid [OUT2.mid ...]   # JSON per file and overall
"""
import json
import sys

from merlai_training.evaluation.songs import metrics

ROOTS = {'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}


def chord_pitch_classes(label):
    """Pitch classes of a Harte (C:min7) or common (Cm7, F#dim, Bbsus4, G7/B) label; empty for N or unreadable."""
    text = (label or '').strip()
    if not text or text[0].upper() not in ROOTS:
        return frozenset()
    root, i = ROOTS[text[0].upper()], 1
    while i < len(text) and text[i] in '#b':
        root += 1 if text[i] == '#' else -1
        i += 1
    quality = text[i:].lstrip(':').split('/')[0].split('(')[0]
    if quality.startswith('hdim') or quality.startswith('m7b5'):
        steps = (0, 3, 6, 10)
    elif quality.startswith('dim'):
        steps = (0, 3, 6, 9) if '7' in quality else (0, 3, 6)
    elif quality.startswith('aug') or quality.startswith('+'):
        steps = (0, 4, 8)
    elif quality.startswith('sus2'):
        steps = (0, 2, 7)
    elif quality.startswith('sus'):
        steps = (0, 5, 7, 10) if '7' in quality else (0, 5, 7)
    else:
        minor = quality.startswith('min') or (quality[:1] == 'm' and not quality.startswith('maj'))
        steps = (0, 3, 7) if minor else (0, 4, 7)
        if 'maj7' in quality or 'M7' in quality:
            steps += (11,)
        elif '7' in quality or '9' in quality:
            steps += (10,)
        elif '6' in quality:
            steps += (9,)
    return frozenset((root + step) % 12 for step in steps)


def note_in_chord(path):
    """(melody notes, notes inside their chord) of one MIDI file with a MELODY track and CHORDS labels."""
    midi = metrics.read_midi(path)
    labels = midi['chords']
    melody = metrics.melody_notes(midi)
    inside = 0
    for note in melody:
        label = None
        for onset, text in labels:
            if onset <= note.start + 1e-6:
                label = text
            else:
                break
        if note.pitch % 12 in chord_pitch_classes(label):
            inside += 1
    return len(melody), inside


def main(paths):
    total = inside = 0
    songs = {}
    for path in paths:
        notes, hits = note_in_chord(path)
        songs[path] = round(hits / notes, 4) if notes else None
        total += notes
        inside += hits
    print(json.dumps({'songs': songs, 'note_in_chord': round(inside / total, 4) if total else None}, indent=1))


if __name__ == '__main__':
    main(sys.argv[1:])
