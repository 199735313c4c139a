"""Measures how the shipped dynamics model's velocity noise is spread over bars (`dynamics.bar_noise`) on POP909's
training songs, without retraining: the `within_bar_share` and `bar_spread_log_sd` its JSON carries.

    python -m merlai_training.dynamics_noise [--model ../models/merlai-dynamics.onnx] [--songs N]
"""
import argparse
import json
import os

from . import dynamics, dynamics_data
from .common import DEFAULT_DATA, MODELS_DIR


def main(argv=None):
    import onnxruntime as ort
    ap = argparse.ArgumentParser(prog='merlai_training.dynamics_noise', description=__doc__.split('\n\n')[0])
    ap.add_argument('--model', default=os.path.join(MODELS_DIR, 'merlai-dynamics.onnx'))
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--songs', type=int, help='only the first N POP909 songs (their training-split ones); all by default')
    args = ap.parse_args(argv)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(args.model, options)
    train = dynamics_data.prepare(args.data, limit=args.songs)['train']
    noise = dynamics.bar_noise(lambda x: session.run(None, {dynamics.INPUT: x.astype('float32')})[0], train)
    print(json.dumps(dict(noise, songs=len(set(train['song'].tolist())), notes=len(train['velocity']))))


if __name__ == '__main__':
    main()
