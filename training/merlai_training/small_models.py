"""The command line the small models (drums, dynamics) share: train for some minutes, or a few seconds with --quick
(tests); keep the full run's state in the cache; export ONNX and its JSON."""
import argparse
import os

import torch

from .common import CACHE_DIR, DEFAULT_DATA, MODELS_DIR


def main(name, description, train, export, default_minutes, quick_help, quick_options, argv=None):
    """`train(minutes, seed, data, **options)` returns (model, info); `export(model, info, out_dir)` writes it."""
    ap = argparse.ArgumentParser(prog='merlai_training.' + name, description=description)
    ap.add_argument('--minutes', type=float, default=default_minutes)
    ap.add_argument('--quick', action='store_true', help=quick_help)
    ap.add_argument('--out', default=MODELS_DIR)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--data', default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    if args.quick:
        model, info = train(0.05, args.seed, args.data, **quick_options)
    else:
        model, info = train(args.minutes, args.seed, args.data)
        torch.save({'state': model.state_dict(), 'info': info}, os.path.join(CACHE_DIR, name + '.pt'))
    export(model, info | {'size': 'quick' if args.quick else 'full'}, args.out)
