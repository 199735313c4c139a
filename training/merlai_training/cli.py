import argparse
import os

from .common import DEFAULT_DATA, MODELS_DIR


def main(argv=None):
    ap = argparse.ArgumentParser(prog='merlai_training')
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('prepare', help='parse POP909 + Lieder into training/.cache, write training/split')
    p.add_argument('--data', default=DEFAULT_DATA)
    p.add_argument('--limit', type=int, default=None, help='only the first N songs of each set')
    p.add_argument('--force', action='store_true')
    t = sub.add_parser('train', help='train one model (chords|texture)')
    t.add_argument('model', choices=['chords', 'texture'])
    t.add_argument('--data', default=DEFAULT_DATA)
    t.add_argument('--minutes', type=float, default=30.0, help='training time budget')
    t.add_argument('--threads', type=int, default=2)
    t.add_argument('--size', choices=['full', 'quick'], default='full')
    t.add_argument('--limit', type=int, default=None)
    t.add_argument('--out', default=None, help='checkpoint path (default training/.cache/<model>.pt)')
    t.add_argument('--seed', type=int, default=0)
    t.add_argument('--init', default=None, help='start from this checkpoint (fine-tuning)')
    t.add_argument('--lr', type=float, default=None)
    t.add_argument('--layers', type=int, default=None, help='recurrent layers of the chord model (default 2)')
    t.add_argument('--pop-weight', type=float, default=None, help='share of POP909 windows')
    t.add_argument('--group-loss', type=float, default=0.5, help='weight of the root + maj/min cross-entropy (chord model)')
    e = sub.add_parser('export', help='export checkpoints to ONNX + JSON metadata')
    e.add_argument('--ckpt-dir', default=None)
    e.add_argument('--out', default=MODELS_DIR)
    q = sub.add_parser('quick', help='tiny end-to-end run (prepare subset + train + export), <= 3 min')
    q.add_argument('--data', default=DEFAULT_DATA)
    q.add_argument('--out', required=True, help='output dir for the ONNX + JSON files')
    q.add_argument('--seconds', type=float, default=40.0, help='training seconds per model')
    v = sub.add_parser('validate', help='chord accuracy per decoding weight + texture stats -> .cache/validation.json')
    v.add_argument('--ckpt-dir', default=None)
    f = sub.add_parser('finetune', help='personalise: fine-tune the shipped models on a composer\'s pieces')
    f.add_argument('pieces', help='folder of Merlai score JSON files (melody + accompaniment)')
    f.add_argument('--out', required=True, help='folder for the ONNX + JSON files and MODEL_CARD.md')
    f.add_argument('--style', choices=['pop', 'lied'], default='pop')
    f.add_argument('--base', default=MODELS_DIR, help='folder of the base ONNX models')
    f.add_argument('--quick', action='store_true', help='a few optimizer steps (CI)')
    f.add_argument('--threads', type=int, default=2)
    f.add_argument('--seed', type=int, default=0)
    f.add_argument('--model-id', default=None)
    lc = sub.add_parser('live-chords', help='fine-tune the shipped chord model for live sessions -> models/merlai-chords-live')
    lc.add_argument('--data', default=DEFAULT_DATA)
    lc.add_argument('--models', default=MODELS_DIR, help='folder of the shipped models, read and written')
    lc.add_argument('--minutes', type=float, default=30.0)
    lc.add_argument('--threads', type=int, default=2)
    lc.add_argument('--seed', type=int, default=0)
    sub.add_parser('job', help='one training Job in a cluster: pieces from and model to the object store (env MERLAI_*)')
    args = ap.parse_args(argv)
    if args.cmd == 'prepare':
        from .prepare import prepare
        prepare(args.data, limit=args.limit, force=args.force)
    elif args.cmd == 'train':
        from .train import train
        train(args.model, data_dir=args.data, minutes=args.minutes, threads=args.threads,
              size=args.size, limit=args.limit, out=args.out, seed=args.seed,
              init=args.init, lr=args.lr, pop_weight=args.pop_weight,
              arch={'layers': args.layers} if args.layers else None,
              group_loss=args.group_loss)
    elif args.cmd == 'export':
        from .export import export_all
        export_all(args.ckpt_dir, args.out)
    elif args.cmd == 'validate':
        from .validate import validate
        validate(args.ckpt_dir)
    elif args.cmd == 'finetune':
        from .finetune import run_cli
        run_cli(args)
    elif args.cmd == 'live-chords':
        from .live_chords import run_cli as run_live_chords
        run_live_chords(args)
    elif args.cmd == 'job':
        from .job import run_cli as run_job
        run_job(args)
    elif args.cmd == 'quick':
        from .train import quick
        quick(args.data, args.out, seconds=args.seconds)
