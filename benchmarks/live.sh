#!/usr/bin/env bash
# Live accompaniment (issue 20), two parts.
# 1. Timing over the live API on loopback: merlai serve (S3Proxy, Redis, the functions), a tenant, then SESSIONS
#    replays at once of POP909 validation songs through `merlai live --replay --url` (each its own WebSocket
#    session, played in real time). Prints late events / events (by kind, and the latest), the engine's p50/p99 per
#    melody event and per clock step (the worst session's), stuck notes, minutes billed, and the machine.
# 2. Harmony (--eval N): replays N tune + N held validation songs in process (the same engine; the notes do not
#    depend on the replay's speed) and scores the recorded MIDI with ../shared/eval (valid, PCS, MCTR, chord accuracy)
#    and the note-in-chord ratio (merlai_training.evaluation.note_in_chord), tune and held apart, and where the
#    chords lose against the human's (benchmarks/live-chords.py: by beat of the bar, early bars, repeated melody, rate
#    of change; give it the offline arranger's files of the same songs as well to compare).
# Usage: benchmarks/live.sh [--smoke] [SONGS, default 8] [SESSIONS, default 8]     (timing)
#        benchmarks/live.sh --eval [N, default 12] [merlai live options, e.g. --lookahead 1]   (harmony)
# --smoke: two sessions of the first 20 s of one song at double speed (a few seconds of play).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${MERLAI_DATA:-$root/../shared/data}"
cd "$root"
[ -f cli/target/merlai-cli.jar ] && [ -f functions/live/target/quarkus-app/quarkus-run.jar ] || scripts/build
. benchmarks/lib/serve.bash
machine="$(machine_line)"
work="$(mktemp -d "${TMPDIR:-/tmp}/merlai-live.XXXXXX")"

if [ "${1:-}" = "--eval" ]; then
  n="${2:-12}"
  shift $(( $# < 2 ? $# : 2 ))
  trap 'rm -rf "$work"' EXIT
  # tune and held scored apart: settings are chosen on tune, held shows whether the choice carries over
  for part in tune held; do
    head -n "$n" "training/split/pop909-validation-$part.txt" > "$work/$part.txt"
    /usr/bin/python3 ../shared/eval/make_inputs.py "$work/$part/inputs" --data "$data_dir" --only "$work/$part.txt" >/dev/null
    mkdir -p "$work/$part/out/pop909"
    # four replays at a time: each is one JVM playing as fast as its engine goes (the notes do not depend on the speed)
    ls "$work/$part"/inputs/pop909/*.mid | grep -v '\.ref\.mid$' | xargs -P 4 -I{} sh -c \
      'out="$1"; shift; bin/merlai live --replay "$0" -o "$out/$(basename "$0")" --speed 1000 --threads 1 "$@" > "$out/$(basename "$0" .mid).json"' \
      {} "$work/$part/out/pop909" "$@"
    echo "pop909-validation-$part, the first $n songs:"
    /usr/bin/python3 ../shared/eval/run.py --inputs "$work/$part/inputs" --system-dir "$work/$part/out" --out "$work/$part/scores" --sets pop909
    (cd training && /usr/bin/python3 -m merlai_training.evaluation.note_in_chord "$work/$part"/out/pop909/*.mid) \
      | /usr/bin/python3 -c 'import json, sys; print("note-in-chord: %s" % json.load(sys.stdin)["note_in_chord"])'
    # where the live chords lose: by beat of the bar, early bars, repeated melody, and their rate of change
    /usr/bin/python3 benchmarks/live-chords.py "$work/$part/inputs" "$work/$part/out"
  done
  echo "machine: $machine; merlai live options: ${*:-none}"
  exit 0
fi

smoke=false
if [ "${1:-}" = "--smoke" ]; then smoke=true; shift; fi
songs="${1:-8}"; sessions="${2:-8}"
$smoke && { songs=1; sessions=2; }
serve_start "$work"
key=$(tenant_key live-bench pro)

ls "$data_dir"/pop909 > /dev/null
mapfile -t ids < <(head -n "$songs" training/split/pop909-validation-tune.txt)
if $smoke; then
  # the first 20 seconds of the song's melody, at double speed
  /usr/bin/python3 - "$data_dir/pop909/${ids[0]}/${ids[0]}.mid" "$work/song0.mid" <<'PY'
import sys, mido
song = mido.MidiFile(sys.argv[1])
tempo = next((m.tempo for t in song.tracks for m in t if m.type == 'set_tempo'), 500000)
limit = mido.second2tick(20, song.ticks_per_beat, tempo)
cut = mido.MidiFile(type=1, ticks_per_beat=song.ticks_per_beat)
for track in song.tracks:
    kept, tick, written = mido.MidiTrack(), 0, 0
    for msg in track:
        tick += msg.time
        if msg.type == 'note_on' and msg.velocity > 0 and tick > limit:
            continue
        kept.append(msg.copy(time=tick - written))
        written = tick
    cut.tracks.append(kept)
cut.save(sys.argv[2])
PY
  speed=2
else
  for i in "${!ids[@]}"; do cp "$data_dir/pop909/${ids[$i]}/${ids[$i]}.mid" "$work/song$i.mid"; done
  speed=1
fi
pids=()
for s in $(seq 0 $((sessions - 1))); do
  song="$work/song$((s % ${#ids[@]})).mid"
  bin/merlai live --replay "$song" -o "$work/played$s.mid" --speed "$speed" --url "$live" --key "$key" --threads 1 > "$work/session$s.json" 2> "$work/session$s.err" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
[ "$failed" = 0 ] || { cat "$work"/session*.err >&2; echo "$failed sessions failed" >&2; exit 1; }
/usr/bin/python3 - "$work" "$sessions" <<'PY'
import glob, json, sys
runs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + '/session*.json'))]
events = sum(r['events'] for r in runs); late = sum(r['lateEvents'] for r in runs)
print('sessions at once: %s; late events: %d / %d; stuck notes: %d; minutes billed: %d' % (sys.argv[2], late, events,
      sum(r['stuckNotes'] for r in runs), sum(r['minutesBilled'] for r in runs)))
kinds = sorted({kind for r in runs for kind in r['lateByType']})
print('late by kind: %s; the latest by %.1f ms' % (', '.join('%s %d' % (k, sum(r['lateByType'].get(k, 0) for r in runs)) for k in kinds) or 'none',
      max(r['mostLateMillis'] for r in runs)))
print('engine per melody event, ms: p50 %.3f, p99 %.3f (worst session)' % (max(r['engineMillisPerMelodyEvent']['p50'] for r in runs),
      max(r['engineMillisPerMelodyEvent']['p99'] for r in runs)))
print('engine per clock step (plans the next beat), ms: p50 %.1f, p99 %.1f (worst session)' % (max(r['engineMillisPerClockStep']['p50'] for r in runs),
      max(r['engineMillisPerClockStep']['p99'] for r in runs)))
PY
echo "machine: $machine"
