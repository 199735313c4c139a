"""The arranger measures of issues 17 and 18 on hand-made songs whose answers are known."""
import math
import os

import mido
import numpy as np
import pytest

from merlai_training import drum_stats
from merlai_training.evaluation import classifier, drums, dynamics, fills, repeats
from merlai_training.evaluation.songs import load_song, metrics

TPQ = 480
BAR = 4.0   # quarters in a 4/4 bar


def write_midi(path, tracks):
    """tracks: {name: [(start_q, end_q, pitch, channel, velocity)]}, in 4/4."""
    mf = mido.MidiFile(type=1, ticks_per_beat=TPQ)
    conductor = mido.MidiTrack([mido.MetaMessage('time_signature', numerator=4, denominator=4)])
    mf.tracks = [conductor] + [metrics.make_track(name, TPQ, notes) for name, notes in tracks.items()]
    mf.save(str(path))
    return str(path)


def melody(phrases):
    """One note per bar on beat 1, lasting the whole bar; PHRASES: one pitch per bar."""
    return [(i * BAR, (i + 1) * BAR, p, 0, 90) for i, p in enumerate(phrases)]


def chord(bar, pitches, beats=(0, 1, 2, 3), velocity=70, channel=1):
    return [(bar * BAR + b, bar * BAR + b + 1, p, channel, velocity) for b in beats for p in pitches]


@pytest.fixture
def song_files(tmp_path):
    """Bars 1 and 3 share their melody (C5), bars 2 and 4 differ. The human repeats bar 1's accompaniment in
    bar 3 and plays on for two bars after the melody; the system plays other chords in bar 3 and stops."""
    inp = write_midi(tmp_path / 'song.mid', {'MELODY': melody([72, 74, 72, 76])})
    human = write_midi(tmp_path / 'song.ref.mid', {
        'MELODY': melody([72, 74, 72, 76]),
        'PIANO': chord(0, (48, 52)) + chord(1, (50, 53)) + chord(2, (48, 52)) + chord(3, (55, 59))
        + chord(4, (48, 52)) + chord(5, (48,), beats=(0,))})
    system = write_midi(tmp_path / 'system.mid', {
        'MELODY': melody([72, 74, 72, 76]),
        'PIANO': chord(0, (48, 52)) + chord(1, (48, 52)) + chord(2, (48, 55), beats=(0, 2))
        + chord(3, (48, 52))})
    return inp, human, system


def test_jaccard_compares_onset_sets_and_counts_two_silent_bars_alike():
    assert repeats.jaccard({(0, 60), (4, 64)}, {(0, 60), (8, 67)}) == pytest.approx(1 / 3)
    assert repeats.jaccard(set(), set()) == 1.0
    assert repeats.jaccard({(0, 60)}, set()) == 0.0


def test_bars_pair_up_only_where_the_melody_is_the_same_and_sounds():
    bars = [(16, frozenset({(0, 60, 4)})), (16, frozenset()), (16, frozenset({(0, 60, 4)})),
            (16, frozenset()), (12, frozenset({(0, 60, 4)})), (16, frozenset({(0, 60, 4)}))]
    assert repeats.repeated_melody_pairs(bars) == [(0, 2), (0, 5), (2, 5)]


def test_the_system_that_varies_where_the_human_repeats_gets_the_gap(song_files):
    inp, human_path, system_path = song_files
    system, human = load_song(inp, system_path), load_song(inp, human_path)
    assert [n.pitch for n in system.melody] == [72, 74, 72, 76]
    assert system.span == (0, 4)
    figures = repeats.repeat_figures(system, human)
    # bar 1: 4 beats x {48, 52}; system bar 3: beats 1 and 3 x {48, 55} -> 2 shared onsets of 10
    assert figures.repeat_human == [1.0]
    assert figures.repeat_system == [pytest.approx(2 / 10)]
    assert figures.consecutive_system == [1.0, pytest.approx(2 / 10), pytest.approx(2 / 10)]
    assert figures.consecutive_human == [0.0, 0.0, 0.0]
    assert (figures.outro_system, figures.outro_human) == (False, True)
    summary = repeats.summarize([figures])
    assert summary['repeat_gap'] == pytest.approx(0.8)
    assert summary['consecutive_system'] == pytest.approx(1.4 / 3)
    assert (summary['outro_system'], summary['outro_human']) == (0, 1)


def test_velocity_spread_is_per_bar_and_the_human_piano_is_the_reference(tmp_path, song_files):
    inp, human_path, _ = song_files
    played = write_midi(tmp_path / 'played.mid', {
        'MELODY': melody([72, 74, 72, 76]),
        'BASS': [(0, 1, 36, 2, 60), (1, 2, 36, 2, 80), (4, 5, 38, 2, 70), (8, 9, 36, 2, 70)]})
    song = load_song(inp, played)
    # bar 1: 60 and 80 (spread 10); bar 2: one onset (no spread); bar 3: one onset
    assert dynamics.velocity_spreads(song, song.accompaniment) == [10.0]
    human = load_song(inp, human_path)
    assert dynamics.velocity_spreads(human, human.accompaniment) == [0.0, 0.0, 0.0, 0.0]
    figures = dynamics.summarize([song], [human])
    assert figures['BASS']['spread'] == 10.0
    assert figures['BASS']['oa'] < 0.05
    assert dynamics.summarize([human], [human])['PIANO']['oa'] == pytest.approx(1.0)


def test_spread_variation_tells_songs_that_differ_from_songs_that_swing_bar_to_bar():
    # each song even in itself, the two songs apart by a factor of 4
    between, within = dynamics.spread_variation([[4, 4, 4, 4], [16, 16, 16, 16]])
    assert (between, within) == (pytest.approx(math.log(2)), 0.0)
    # the same pooled spreads, every song swinging between them
    between, within = dynamics.spread_variation([[4, 16, 4, 16], [16, 4, 16, 4]])
    assert (between, within) == (pytest.approx(0.0), pytest.approx(math.log(2)))
    # even bars and songs of too few bars are left out
    assert dynamics.spread_variation([[0, 0, 4, 4, 4, 4], [16, 16, 16, 16], [2, 50]]) == (pytest.approx(math.log(2)), 0.0)
    assert dynamics.spread_variation([[4, 4, 4, 4]]) == (None, None)


def test_drum_hits_land_on_the_nearest_sixteenth_of_their_bar_with_their_offset(tmp_path, song_files):
    inp = song_files[0]
    kit = [(0.0, 0.1, 36, 9, 100), (0.5 + 0.05, 0.6, 42, 9, 60), (1.0, 1.1, 38, 9, 110),
           (BAR - 0.03, BAR, 49, 9, 120), (BAR + 1.0, BAR + 1.1, 45, 9, 90)]
    song = load_song(inp, write_midi(tmp_path / 'drums.mid', {'MELODY': melody([72, 74, 72, 76]), 'DRUMS': kit}))
    assert song.accompaniment == []
    bars = drums.song_bars(song)
    assert [[(h.step, h.pitch) for h in bar] for bar in bars] == [[(0, 36), (2, 42), (4, 38)], [(0, 49), (4, 45)],
                                                                   [], []]
    assert bars[0][1].offset_steps == pytest.approx(0.2)
    assert bars[1][0].offset_steps == pytest.approx(-0.12, abs=0.01)   # a tick is 1/120 of a 16th
    features = drums.bar_features(bars[0])
    assert features == {'kick_onsets': 1, 'snare_onsets': 1, 'hihat_onsets': 1, 'cymbal_onsets': 0,
                        'velocity_mean': pytest.approx(90.0), 'velocity_spread': pytest.approx(np.std([100, 60, 110])),
                        'grid_offset_steps': pytest.approx(0.2 / 3)}
    assert not drums.is_fill(bars[0]) and drums.is_fill(bars[1])


def test_drum_timing_is_measured_on_the_grid_the_output_was_played_on(tmp_path, song_files):
    # the output's meter starts with a pickup a quarter of a 16th long: its grid lies that far after the input's
    pickup = metrics.STEP / 4
    kit = [(pickup + 0.5, pickup + 0.6, 42, 9, 60), (pickup + 1.0 + 0.025, pickup + 1.1, 38, 9, 100),
           (pickup + BAR - 0.025, pickup + BAR, 36, 9, 110)]
    mf = mido.MidiFile(type=1, ticks_per_beat=TPQ)
    mf.tracks = [mido.MidiTrack([mido.MetaMessage('time_signature', numerator=1, denominator=64),
                                 mido.MetaMessage('time_signature', numerator=4, denominator=4, time=round(pickup * TPQ))]),
                 metrics.make_track('MELODY', TPQ, melody([72, 74, 72, 76])), metrics.make_track('DRUMS', TPQ, kit)]
    mf.save(str(tmp_path / 'played.mid'))
    bars = drums.song_bars(load_song(song_files[0], str(tmp_path / 'played.mid')))
    # counted in the input's bars and steps, timed on the output's: on its 16th, a 10th of one late, one early
    assert [[(h.step, h.pitch) for h in bar] for bar in bars][:2] == [[(2, 42), (4, 38)], [(0, 36)]]
    assert [h.offset_steps for bar in bars for h in bar] == [pytest.approx(0.0, abs=0.01), pytest.approx(0.1, abs=0.01),
                                                            pytest.approx(-0.1, abs=0.01)]


def test_gmd_reference_reads_only_the_validation_performances_of_the_style(tmp_path):
    folder = tmp_path / 'groove'
    (folder / 'd1').mkdir(parents=True)
    groove = [(q * 0.5, q * 0.5 + 0.1, 42, 9, 80) for q in range(16)] + [(0, 0.1, 36, 9, 100), (4, 4.1, 36, 9, 100)]
    write_midi(folder / 'd1' / 'beat.mid', {'': groove})
    # a fill bar of toms, landed on the next bar's downbeat by a crash: that bar is no fill
    write_midi(folder / 'd1' / 'fill.mid', {'': [(q * 0.25, q * 0.25 + 0.1, 45, 9, 90) for q in range(16)]
                                                + [(4, 4.1, 49, 9, 110)]})
    write_midi(folder / 'd1' / 'train.mid', {'': [(0, 0.1, 36, 9, 100)]})
    (folder / 'info.csv').write_text(
        'drummer,session,id,style,bpm,beat_type,time_signature,midi_filename,audio_filename,duration,split\r\n'
        'drummer1,s,1,rock,120,beat,4-4,d1/beat.mid,x.wav,4.0,validation\r\n'
        'drummer1,s,2,rock/halftime,120,fill,4-4,d1/fill.mid,x.wav,2.0,validation\r\n'
        'drummer1,s,3,rock,120,beat,4-4,d1/train.mid,x.wav,2.0,train\r\n'
        'drummer1,s,4,funk,120,beat,4-4,d1/beat.mid,x.wav,2.0,validation\r\n')
    performances = drums.gmd_performances(str(folder), ('pop', 'rock'))
    assert [(kind, [len(bar) for bar in bars]) for kind, bars in performances] == [('beat', [9, 9]), ('fill', [16, 1])]
    beat_bars, fill_bar = performances[0][1], performances[1][1][0]
    figures = drums.summarize(beat_bars + [fill_bar], performances)
    assert figures['kick_onsets'] == pytest.approx(1.0) and figures['hihat_onsets'] == pytest.approx(1.0)
    assert figures['fill_onsets'] == pytest.approx(1.0)
    assert drums.summarize([[]], performances)['drum_bars'] == 0


def test_the_shared_drum_data_has_pop_and_rock_grooves_and_fills_for_validation():
    from merlai_training.common import DEFAULT_DATA
    performances = drums.gmd_performances(os.path.join(DEFAULT_DATA, 'groove'), ('pop', 'rock'))
    kinds = [kind for kind, _ in performances]
    assert kinds.count('beat') >= 20 and kinds.count('fill') >= 10


def windows(count, accompaniment_pitches, seed):
    """COUNT two-bar windows: a random melody over the given accompaniment on every beat."""
    rng = np.random.default_rng(seed)
    w = np.zeros((count, classifier.CHANNELS, 88, 32), np.uint8)
    for i in range(count):
        for step in range(0, 32, 2):
            w[i, 2, rng.integers(30, 60), step:step + 2] = 1
        for step in range(0, 32, 4):
            for p in accompaniment_pitches:
                w[i, 0, p, step] = w[i, 1, p, step:step + 4] = 1
    return w


def test_songs_are_tested_only_in_their_own_fold():
    songs = ['%03d' % i for i in range(40)]
    folds = [classifier.fold_of(s) for s in songs]
    assert set(folds) == set(range(5))
    assert folds == [classifier.fold_of(s) for s in songs]


def test_the_classifier_cannot_tell_the_human_from_itself_and_tells_block_chords_apart():
    human = {'%02d' % i: windows(12, (20, 24, 27), seed=i) for i in range(15)}
    itself = classifier.cross_validate(human, human, steps=40)
    assert itself.accuracy() == pytest.approx(0.5)
    sparse = {s: windows(12, (20,), seed=100 + i) for i, s in enumerate(human)}
    apart = classifier.cross_validate(sparse, human, steps=40)
    assert apart.accuracy() > 0.9
    assert len(apart.fold_accuracy) == 5
    assert apart.accuracy({'00', '01'}) == pytest.approx(
        sum(apart.song_correct[s][0] for s in ('00', '01')) / sum(apart.song_correct[s][1] for s in ('00', '01')))


def test_two_bar_windows_join_each_bar_with_the_next_and_pad_short_bars(song_files):
    inp, _, system_path = song_files
    song = load_song(inp, system_path)
    rolls = classifier.bar_rolls(song)
    assert [r.shape for r in rolls] == [(3, 88, 16)] * 4
    w = classifier.two_bar_windows(rolls)
    assert w.shape == (3, 3, 88, 32)
    assert w[0, 0, 48 - 21, [0, 4, 8, 12, 16, 20, 24, 28]].all()     # onsets of C3 on every beat of bars 1-2
    assert w[0, 2, 72 - 21, :16].all() and w[0, 2, 74 - 21, 16:].all()  # melody C5 then D5
    assert classifier.two_bar_windows(rolls[:1]).shape == (0, 3, 88, 32)
    short = classifier.two_bar_windows([rolls[0][:, :, :12], rolls[1][:, :, :12]])
    assert short.shape == (1, 3, 88, 32) and not short[0, :, :, 24:].any()


def test_the_report_prints_one_row_per_part_and_system_from_scripts_evaluate_layout(tmp_path, song_files, capsys):
    from merlai_training.evaluation import report
    inp, human_path, system_path = song_files
    for song in ('tuned', 'held'):
        folder = tmp_path / 'eval' / 'inputs' / 'lieder'
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (song + '.mid')).write_bytes(open(inp, 'rb').read())
        (folder / (song + '.ref.mid')).write_bytes(open(human_path, 'rb').read())
        for seed in ('1', '2'):
            out = tmp_path / 'eval' / 'merlai-lieder' / ('seed' + seed) / 'lieder'
            out.mkdir(parents=True, exist_ok=True)
            (out / (song + '.mid')).write_bytes(open(system_path if seed == '1' else human_path, 'rb').read())
    (tmp_path / 'split').mkdir()
    (tmp_path / 'split' / 'lieder-validation-tune.txt').write_text('tuned\n')
    (tmp_path / 'split' / 'lieder-validation-held.txt').write_text('held\n')
    report.main(['--eval-dir', str(tmp_path / 'eval'), '--sets', 'lieder', '--classifier-seeds', '',
                 '--split-dir', str(tmp_path / 'split')])
    rows = [line.split(' | ') for line in capsys.readouterr().out.splitlines() if line.startswith('| lieder')]
    assert [row[1:3] for row in rows] == [[p, s] for s in ('merlai seed 1', 'merlai seed 2', 'human', 'block')
                                          for p in ('tune', 'held')]
    gap = report.HEADS.index('repeat gap')
    assert [row[gap] for row in rows[:4]] == ['0.800', '0.800', '0.000', '0.000']
    outro = report.HEADS.index('outro')
    assert rows[0][outro] == '0 / 1 of 1' and rows[4][outro] == '1 / 1 of 1'
    # seed 2 plays the human's notes: 10 of the 50 onsets of both seeds are shared -> 40 / 50 differ
    assert rows[0][report.HEADS.index('div')] == '0.800'


def drum_bar(hits_at, velocity=0.6):
    """One [16, 9] bar (hits, velocities, offsets) with hits at (step, instrument) cells."""
    hits, vel, off = (np.zeros((16, 9), np.float32) for _ in range(3))
    for step, instrument in hits_at:
        hits[step, instrument], vel[step, instrument] = 1, velocity
    return hits, vel, off


GROOVE = [(s, 2) for s in range(0, 16, 2)] + [(0, 0), (8, 0), (4, 1), (12, 1)]   # hats on 8ths, kick 1/3, snare 2/4
TOM_FILL = GROOVE[:6] + [(s, 4 + s % 3) for s in range(8, 16)]
BREAK = [(0, 0), (0, 7)]


def test_section_ends_are_the_last_bars_of_sections_followed_by_another():
    log = 'melody: track 1\nform: intro(1-2) A(3-10) A(11-18) B(19) outro(20-21)\nintro: none\n'
    assert fills.form_line(log) == 'intro(1-2) A(3-10) A(11-18) B(19) outro(20-21)'
    assert fills.section_ends(fills.form_line(log)) == {2, 10, 18, 19}
    assert fills.section_ends("A(1-8) A'(9-16)") == {8}
    assert fills.form_line('no report') is None


def test_tom_fills_and_breaks_count_as_fills_and_grooves_do_not():
    bars = [drum_bar(GROOVE)] * 3 + [drum_bar(TOM_FILL)] + [drum_bar(GROOVE)] * 3 + [drum_bar(BREAK)]
    assert fills.fills_or_breaks([drum_stats.bar_features(*bar) for bar in bars]) == [False] * 3 + [True] + [False] * 3 + [True]


def test_fill_shares_count_section_ends_and_other_bars_apart():
    flags = [False, False, False, True, False, False, True, True]
    at_end, elsewhere = fills.fill_shares([(flags, {4, 8})])   # bar n is flags[n - 1]
    assert at_end == pytest.approx(1.0)
    assert elsewhere == pytest.approx(1 / 6)
    assert fills.fill_shares([(flags, {1})]) == (0.0, pytest.approx(3 / 7))


@pytest.mark.parametrize('numerator, denominator', [(1, 4), (57, 64)])   # 57/64: 14.25 16ths, as Merlai writes
def test_a_pickup_written_as_its_own_time_signature_is_not_a_drum_bar(tmp_path, numerator, denominator):
    mf = mido.MidiFile(type=1, ticks_per_beat=TPQ)
    pickup = numerator * 4 / denominator
    conductor = mido.MidiTrack([mido.MetaMessage('time_signature', numerator=numerator, denominator=denominator),
                                mido.MetaMessage('time_signature', numerator=4, denominator=4, time=round(pickup * TPQ))])
    mf.tracks = [conductor, metrics.make_track('DRUMS', TPQ, [(pickup, pickup + 0.1, 36, 9, 100),
                                                              (pickup + 4, pickup + 4.1, 38, 9, 100)])]
    mf.save(str(tmp_path / 'pickup.mid'))
    bars = drum_stats.midi_bars(str(tmp_path / 'pickup.mid'))
    assert len(bars) == 2
    assert bars[0][0][0, 0] == 1 and bars[1][0][0, 1] == 1   # bar 1: the kick on its downbeat; bar 2: the snare


def drum_windows(count, pattern, seed):
    """{source id: two-bar windows} of COUNT sources playing PATTERN with a little velocity noise."""
    rng = np.random.default_rng(seed)
    sources = {}
    for i in range(count):
        bars = []
        for _ in range(6):
            hits, vel, off = drum_bar(pattern)
            bars.append((hits, vel * rng.uniform(0.8, 1.2, vel.shape).astype(np.float32), off))
        sources['%s%02d' % (seed, i)] = classifier.two_bar_windows(classifier.drum_rolls(bars), rows=9, dtype=np.float32)
    return sources


def test_the_drum_classifier_splits_by_source_and_tells_a_four_on_the_floor_from_a_backbeat():
    human = drum_windows(15, GROOVE, seed=1)
    assert next(iter(human.values())).shape == (5, 3, 9, 32)
    same = classifier.cross_validate_sources(drum_windows(15, GROOVE, seed=2), human, steps=60)
    floor = [(s, 2) for s in range(0, 16, 2)] + [(s, 0) for s in (0, 4, 8, 12)]
    apart = classifier.cross_validate_sources(drum_windows(15, floor, seed=3), human, steps=60)
    assert apart.accuracy() > 0.9
    assert same.accuracy() < 0.7
    assert len(apart.fold_accuracy) == 5
    assert all(k.split(':')[0] in ('system', 'human') for k in apart.song_correct)
    # every source is tested once, in its own fold: all of its windows
    assert sorted(n for k, (_, n) in apart.song_correct.items() if k.startswith('system:')) != []
