"""The two-bar classifier (issue 17): a small CNN that sees two bars of accompaniment with the melody and is
trained to tell the system's bars from the human arrangement's. Songs are split into folds, so it is always
tested on songs it never saw; 0.5 accuracy means the system's bars pass for the human's."""
import hashlib
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from . import config

CHANNELS = 3   # accompaniment onsets, accompaniment sounding, melody sounding


def bar_rolls(song):
    """Per scored bar: a [CHANNELS, PITCH_COUNT, bar steps] uint8 piano roll."""
    grid, rolls = song.grid, []
    for bar in song.bars():
        rolls.append(np.zeros((CHANNELS, config.PITCH_COUNT, len(song.bar_steps(bar))), np.uint8))
    first = grid.bar[song.span[0]]

    def mark(notes, onset_channel, sounding_channel):
        for n in notes:
            if not config.LOWEST_PITCH <= n.pitch < config.LOWEST_PITCH + config.PITCH_COUNT:
                continue
            a = grid.step(n.start)
            for step in range(max(a, first), min(max(a + 1, grid.step(n.end)), grid.bar[song.span[1]])):
                bar = grid.bar_of(step)
                roll = rolls[bar - song.span[0]]
                column = step - grid.bar[bar]
                roll[sounding_channel, n.pitch - config.LOWEST_PITCH, column] = 1
                if step == a and onset_channel is not None:
                    roll[onset_channel, n.pitch - config.LOWEST_PITCH, column] = 1

    mark(song.accompaniment, 0, 1)
    mark(song.melody, None, 2)
    return rolls


def drum_rolls(bars):
    """Per drum bar ((hits, velocities, offsets) as drum_stats.midi_bars gives them, [16 steps, instruments]): a
    [CHANNELS, instruments, 16] float32 roll of hits, velocities (0..1) and micro-timing offsets (16ths)."""
    return [np.stack([hits.T, vel.T, off.T]).astype(np.float32) for hits, vel, off in bars]


def two_bar_windows(rolls, rows=config.PITCH_COUNT, dtype=np.uint8):
    """[windows, CHANNELS, ROWS, WINDOW_STEPS] of each bar with the next, padded with silence or cut (ROWS: pitches,
    or a drum roll's instruments)."""
    windows = np.zeros((max(len(rolls) - 1, 0), CHANNELS, rows, config.WINDOW_STEPS), dtype)
    for i in range(len(windows)):
        pair = np.concatenate([rolls[i], rolls[i + 1]], axis=2)[:, :, :config.WINDOW_STEPS]
        windows[i, :, :, :pair.shape[2]] = pair
    return windows


def spread_sample(count, limit):
    """Up to LIMIT indices evenly spread over range(count)."""
    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(int))


def fold_of(song_id, folds=config.CLASSIFIER_FOLDS):
    """A song's fold, by a hash of its id (stable across runs and systems)."""
    return int(hashlib.sha1(('merlai-eval-fold:' + song_id).encode()).hexdigest(), 16) % folds


class TwoBarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(CHANNELS, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1))
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.features(x).flatten(1)).squeeze(1)


@dataclass
class ClassifierResult:
    fold_accuracy: list    # per fold, on its test songs
    song_correct: dict     # song id -> (correct, tested windows), both classes together

    def accuracy(self, songs=None):
        """Accuracy over SONGS' windows (all tested songs by default)."""
        picked = [v for s, v in self.song_correct.items() if songs is None or s in songs]
        total = sum(n for _, n in picked)
        return sum(c for c, _ in picked) / total if total else None


def cross_validate(system_windows, human_windows, folds=config.CLASSIFIER_FOLDS, steps=config.CLASSIFIER_STEPS,
                   windows_per_song=config.CLASSIFIER_WINDOWS_PER_SONG, seed=config.CLASSIFIER_SEED):
    """system_windows, human_windows: {song id: windows} of the same songs. Trains one fresh classifier per
    fold on the other folds' songs (label 1 = system) and tests it on the fold's songs."""
    torch.set_num_threads(1)
    songs = sorted(set(system_windows) & set(human_windows))
    data = {}
    for song in songs:
        count = min(len(system_windows[song]), len(human_windows[song]))
        picked = spread_sample(count, windows_per_song)
        data[song] = (system_windows[song][picked], human_windows[song][picked])

    def split(fold):
        test = [s for s in songs if fold_of(s, folds) == fold]
        train = [s for s in songs if fold_of(s, folds) != fold]
        if not test or not train:
            return None
        x, y = _stack(data, test)
        sources = [s for s in test for _ in data[s][0]] + [s for s in test for _ in data[s][1]]
        return _stack(data, train), (x, y, sources)

    return _cross_validate(split, folds, steps, seed)


def cross_validate_sources(system_windows, human_windows, folds=config.CLASSIFIER_FOLDS, steps=config.CLASSIFIER_STEPS,
                           windows_per_source=config.CLASSIFIER_WINDOWS_PER_SONG, seed=config.CLASSIFIER_SEED):
    """system_windows, human_windows: {source id: windows} from different sources (Merlai's songs, GMD's
    performances). Each source lies in the fold its id hashes to; fold f's classifier is trained on the other folds'
    sources of both sides and tested on fold f's, each side cut to as many windows as the other so that 0.5 is
    chance. song_correct is keyed 'system:ID' and 'human:ID'."""
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    picked = {}
    for side, windows in (('system', system_windows), ('human', human_windows)):
        for source, w in windows.items():
            if len(w):
                picked[side + ':' + source] = w[spread_sample(len(w), windows_per_source)]

    def balanced(fold, fold_test):
        sides = {side: [k for k in sorted(picked) if k.startswith(side + ':')
                        and (fold_of(k.split(':', 1)[1], folds) == fold) == fold_test] for side in ('system', 'human')}
        counts = {side: sum(len(picked[k]) for k in keys) for side, keys in sides.items()}
        n = min(counts.values())
        rows = []   # (source, window index) pairs kept, the larger side thinned at random
        for side, keys in sides.items():
            all_rows = [(k, i) for k in keys for i in range(len(picked[k]))]
            keep = sorted(rng.choice(len(all_rows), n, replace=False)) if n else []
            rows += [all_rows[i] for i in keep]
        return rows

    def split(fold):
        train, test = balanced(fold, False), balanced(fold, True)
        if not train or not test:
            return None
        return _rows(picked, train), (*_rows(picked, test), [source for source, _ in test])

    return _cross_validate(split, folds, steps, seed)


def _cross_validate(split, folds, steps, seed):
    """split(fold) -> None for an empty fold, else ((x, y) to train on, (x, y, source of each row) to test on).
    Trains one fresh classifier per fold and counts, per source, how many of its windows it tells right."""
    fold_accuracy, song_correct = [], {}
    for fold in range(folds):
        parts = split(fold)
        if parts is None:
            continue
        (x_train, y_train), (x, y, sources) = parts
        model = _train(x_train, y_train, steps=steps, seed=seed + fold)
        with torch.no_grad():
            right = ((model(x) > 0).float() == y).numpy()
        for source, r in zip(sources, right):
            c, n = song_correct.get(source, (0, 0))
            song_correct[source] = (c + int(r), n + 1)
        fold_accuracy.append(float(right.mean()))
    return ClassifierResult(fold_accuracy, song_correct)


def _rows(picked, rows):
    x = np.stack([picked[k][i] for k, i in rows]).astype(np.float32)
    y = np.array([1.0 if k.startswith('system:') else 0.0 for k, _ in rows], np.float32)
    return torch.from_numpy(x), torch.from_numpy(y)


def _stack(data, songs):
    system = [data[s][0] for s in songs]
    human = [data[s][1] for s in songs]
    x = np.concatenate(system + human).astype(np.float32)
    y = np.concatenate([np.ones(sum(len(a) for a in system)), np.zeros(sum(len(a) for a in human))])
    return torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))


def _train(x, y, steps, seed):
    torch.manual_seed(seed)
    model = TwoBarNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.CLASSIFIER_LEARNING_RATE)
    loss_fn = nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(steps):
        batch = torch.randint(len(y), (config.CLASSIFIER_BATCH,), generator=generator)
        optimizer.zero_grad()
        loss_fn(model(x[batch]), y[batch]).backward()
        optimizer.step()
    model.eval()
    return model
