"""prepare: build the per-song arrays and the validation split files."""
import os
import time

from . import data as song_data
from .common import CACHE_DIR, SPLIT_DIR, save_pickle, load_pickle


def cache_path(limit=None, cache_dir=CACHE_DIR):
    return os.path.join(cache_dir, 'songs-%s.pkl' % ('all' if not limit else 'first%d' % limit))


def write_split(songs, split_dir=SPLIT_DIR):
    os.makedirs(split_dir, exist_ok=True)
    for style, name in ((0, 'pop909'), (1, 'lieder')):
        ids = sorted(s['id'] for s in songs if s['style'] == style and song_data.is_validation(s['id']))
        with open(os.path.join(split_dir, '%s-validation.txt' % name), 'w') as f:
            f.write(''.join(i + '\n' for i in ids))


def prepare(data_dir, limit=None, workers=2, force=False, cache_dir=CACHE_DIR, split_dir=SPLIT_DIR):
    path = cache_path(limit, cache_dir)
    if os.path.exists(path) and not force:
        return load_pickle(path)
    t = time.time()
    songs = song_data.prepare_corpus(data_dir, limit=limit, workers=workers)
    save_pickle(songs, path)
    if not limit and split_dir:
        write_split(songs, split_dir)
    print('prepare: %.1f s -> %s' % (time.time() - t, path))
    return songs
