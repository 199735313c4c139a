import os
import pickle

PKG_DIR = os.path.dirname(os.path.abspath(__file__))
TRAINING_DIR = os.path.dirname(PKG_DIR)
REPO_ROOT = os.path.dirname(TRAINING_DIR)
# the shared data: MERLAI_DATA (as scripts/test and the eval scripts set it), else ../shared/data beside the repository
DEFAULT_DATA = os.environ.get('MERLAI_DATA') or os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared', 'data'))
CACHE_DIR = os.path.join(TRAINING_DIR, '.cache')
SPLIT_DIR = os.path.join(TRAINING_DIR, 'split')
MODELS_DIR = os.path.join(REPO_ROOT, 'models')


def split_ids(name):
    """The ids listed in training/split/<name> (one per line), as a set."""
    with open(os.path.join(SPLIT_DIR, name)) as f:
        return {line.strip() for line in f if line.strip()}


def save_pickle(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(obj, f, protocol=4)
    os.replace(tmp, path)


def load_pickle(path):
    with open(path, 'rb') as f:
        return pickle.load(f)
