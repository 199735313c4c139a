"""The prepared songs as training sees them: the train/validation split and the styles' typical densities."""
import numpy as np

from . import data as song_data


def split_songs(songs):
    train_songs = [s for s in songs if not song_data.is_validation(s['id'])]
    validation_songs = [s for s in songs if song_data.is_validation(s['id'])]
    return train_songs, validation_songs


def default_density(songs):
    out = {}
    for style, name in ((0, 'pop'), (1, 'lied')):
        vals = np.concatenate([song_data.bar_density(s)[1] for s in songs if s['style'] == style] or [np.zeros(1)])
        out[name] = round(float(np.median(vals)), 3)
    return out
