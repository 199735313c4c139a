package dev.merlai.arranger.live;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.model.TensorLayout;
import dev.merlai.music.Bar;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.Track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accompanies a melody as it is played. Melody notes arrive as on/off events in ticks of the session's clock; the
 * driver calls {@link #advance} as its clock moves (at least once a beat). Whenever the look-ahead reaches a new beat
 * the engine plans the bars just ahead with the {@link Arranger}'s stages, hearing only the melody played before now
 * (a note still held counts up to now) with a guess of what comes next ({@link RepeatedMelody}), and keeping what it
 * already sent: those chords are given to the harmony stage, those notes kept as the input's accompaniment. What
 * starts before now + the look-ahead is committed and sent, never revised; the rest is planned again on the next
 * beat. Every note-on sent gets its note-off, also from {@link #stop}. Not thread-safe: one session drives one engine,
 * from one thread; only a {@link Plan}'s computing may run on another, so that commits are not held up by planning.
 */
public final class LiveEngine {

    /** Planned or committed accompaniment: a note of a role with the channel and program its track plays on. */
    private record Voice(Role role, int channel, int program, Note note) {
    }

    private final Arranger arranger;
    private final TensorLayout keys;
    private final LiveSettings settings;
    private final MeterMap meter;
    private final long beat;
    private final TempoMap tempo;
    private final List<Note> melody = new ArrayList<>();
    private final Map<Integer, Note> held = new HashMap<>();
    private final List<Voice> committed = new ArrayList<>();
    private final List<Voice> unsentOffs = new ArrayList<>();
    private final List<ChordSpan> chords = new ArrayList<>();
    private List<Voice> planned = List.of();
    private List<ChordSpan> plannedChords = List.of();
    private long now = -1;
    private long committedUntil = 0;
    private long plannedBeat = -1;
    private boolean stopped;

    /** An engine that plans with {@code arranger}'s models, the chord model for live sessions where they have one ({@link Arranger#forLive()}). */
    public LiveEngine(Arranger arranger, LiveSettings settings) {
        this.arranger = arranger.forLive();
        this.keys = this.arranger.keys();
        this.settings = settings;
        this.meter = settings.meter();
        this.beat = settings.beatTicks();
        this.tempo = TempoMap.constant(settings.bpm());
    }

    public LiveSettings settings() {
        return settings;
    }

    /** The versions of the models this engine plans with (its chord model the live one, where there is one). */
    public String modelVersion() {
        return arranger.modelVersion();
    }

    /** A melody note starts; a second note-on of a sounding pitch ends the first. */
    public void noteOn(long tick, int pitch, int velocity) {
        if (pitch < 0 || pitch > 127) throw new IllegalArgumentException("pitch must be 0..127, was " + pitch);
        if (velocity < 1 || velocity > 127) throw new IllegalArgumentException("velocity must be 1..127, was " + velocity);
        if (tick < 0) throw new IllegalArgumentException("tick must not be negative, was " + tick);
        noteOff(tick, pitch);
        held.put(pitch, new Note(pitch, velocity, tick, 1));
    }

    /** A melody note ends (ignored when the pitch is not sounding). */
    public void noteOff(long tick, int pitch) {
        Note started = held.remove(pitch);
        if (started != null) melody.add(started.withDuration(Math.max(1, tick - started.onset())));
    }

    /**
     * The melody heard by {@code until}: the notes that started before it, each cut off there if it sounds on (a
     * client may send events a little early; they are not heard before their time).
     */
    public List<Note> melody(long until) {
        List<Note> heard = new ArrayList<>();
        for (Note note : melody) if (note.onset() < until) heard.add(note.withDuration(Math.min(note.end(), until) - note.onset()));
        for (Note note : held.values()) if (note.onset() < until) heard.add(note.withDuration(until - note.onset()));
        heard.sort(Comparator.comparingLong(Note::onset).thenComparingInt(Note::pitch));
        return heard;
    }

    /** The chords committed so far. */
    public List<ChordSpan> chords() {
        return List.copyOf(chords);
    }

    /**
     * The clock reads {@code tick}: on a new beat the bars ahead are planned again; everything that starts before
     * {@code tick} + the look-ahead is committed. Returns the events committed by this call, in time order. The same
     * as {@link #planDue}, {@link Plan#compute} and {@link #adopt} then {@link #commit}, all on this thread.
     */
    public List<LiveEvent> advance(long tick) throws ArrangeException {
        Plan plan = planDue(tick);
        if (plan != null) {
            plan.compute();
            adopt(plan);
        }
        return commit(tick);
    }

    /**
     * The plan due at {@code tick}, or null: the bars ahead are planned again when the look-ahead reaches a new beat
     * (the plan that commits a beat's chord hears the melody up to then, the more of it the shorter the look-ahead).
     * It holds what it needs from the engine as it is now; {@link Plan#compute} may then run on another thread while
     * this one goes on committing from the previous plan, and {@link #adopt} takes it back.
     */
    public Plan planDue(long tick) {
        if (stopped) return null;
        long beatIndex = Math.floorDiv(tick + settings.lookahead() - meter.pickup(), beat);
        if (beatIndex == plannedBeat) return null;
        plannedBeat = beatIndex;
        return new Plan(tick);
    }

    /** Plans from now on with {@code plan} (computed); what it planned before the end of what was sent is dropped. */
    public void adopt(Plan plan) {
        if (stopped || plan.voices == null) return;
        planned = plan.voices;
        plannedChords = plan.chords;
    }

    /** The clock reads {@code tick}: commits what the plan has that starts before {@code tick} + the look-ahead. */
    public List<LiveEvent> commit(long tick) {
        if (stopped) return List.of();
        if (tick < now) throw new IllegalArgumentException("the clock went back from " + now + " to " + tick);
        now = tick;
        return commitBefore(tick + settings.lookahead());
    }

    /**
     * Ends the session at {@code tick}: note-offs for every note still sounding; nothing more is sent. They come where
     * what was sent ends (the look-ahead past the last clock step), not at {@code tick}: a client that plays ahead has
     * already scheduled the notes sent up to there, and an off due now would reach it late.
     */
    public List<LiveEvent> stop(long tick) {
        List<LiveEvent> offs = new ArrayList<>();
        if (stopped) return offs;
        stopped = true;
        // every note in unsentOffs started before committedUntil
        long release = Math.max(tick, committedUntil);
        for (Voice voice : unsentOffs) offs.add(LiveEvent.off(release, voice.channel(), voice.note().pitch()));
        unsentOffs.clear();
        offs.sort(Comparator.comparingLong(LiveEvent::tick));
        return offs;
    }

    /** The accompaniment committed so far as tracks, one per role (for recording what was played). */
    public List<Track> accompaniment() {
        return tracks(committed, 0);
    }

    private List<LiveEvent> commitBefore(long horizon) {
        List<LiveEvent> events = new ArrayList<>();
        if (horizon <= committedUntil) return events;
        for (Voice voice : planned) {
            long onset = voice.note().onset();
            if (onset >= committedUntil && onset < horizon) {
                committed.add(voice);
                unsentOffs.add(voice);
                events.add(LiveEvent.on(onset, voice.channel(), voice.note().pitch(), voice.note().velocity()));
            }
        }
        followTheChords(horizon, events);
        for (var it = unsentOffs.iterator(); it.hasNext(); ) {
            Voice voice = it.next();
            if (voice.note().end() < horizon) {
                events.add(LiveEvent.off(voice.note().end(), voice.channel(), voice.note().pitch()));
                it.remove();
            }
        }
        for (ChordSpan span : plannedChords) {
            long from = Math.max(span.onset(), committedUntil), to = Math.min(span.end(), horizon);
            if (from >= to) continue;
            ChordSpan last = chords.isEmpty() ? null : chords.get(chords.size() - 1);
            if (last != null && last.end() == from && last.chord().equals(span.chord())) {
                chords.set(chords.size() - 1, new ChordSpan(last.onset(), to - last.onset(), last.chord()));
            } else {
                chords.add(new ChordSpan(from, to - from, span.chord()));
                events.add(LiveEvent.chord(from, span.chord().toString()));
            }
        }
        committedUntil = horizon;
        // offs before ons at the same tick: a repeated pitch is released before it sounds again
        events.sort(Comparator.comparingLong(LiveEvent::tick).thenComparing(event -> event.type() != LiveEvent.Type.OFF));
        return events;
    }

    /**
     * A note sent whose note-off is not yet sent is still the engine's to end: the plan that sent it may hold it into
     * a chord without its pitch class (a later plan, hearing more of the melody, chose another chord). There it ends,
     * and, unless the plan starts a note of its own on that channel there, its voice moves on to the new chord's
     * nearest tone (the bass: the nearest of the chord's bass) for the rest of its length, as a player's hand follows
     * the harmony. Up to {@code horizon}.
     */
    private void followTheChords(long horizon, List<LiveEvent> events) {
        for (int i = 0; i < unsentOffs.size(); i++) {   // a voice moved on is appended, and followed on in turn
            Voice voice = unsentOffs.get(i);
            if (voice.role() == Role.DRUMS) continue;
            Note note = voice.note();
            ChordSpan change = changeWithout(note, horizon);
            if (change == null) continue;
            Voice ended = new Voice(voice.role(), voice.channel(), voice.program(), note.withDuration(change.onset() - note.onset()));
            unsentOffs.set(i, ended);
            committed.set(committed.lastIndexOf(voice), ended);
            if (startsOn(voice.channel(), change.onset())) continue;
            int nearest = voice.role() == Role.BASS ? nearestBass(change.chord(), note.pitch()) : nearestTone(change.chord(), note.pitch());
            int pitch = nearest < keys.lowestPitch() ? nearest + 12 : nearest > keys.highestPitch() ? nearest - 12 : nearest;
            if (sounds(voice.channel(), pitch, change.onset())) continue;
            Voice moved = new Voice(voice.role(), voice.channel(), voice.program(), new Note(pitch, note.velocity(), change.onset(), note.end() - change.onset()));
            committed.add(moved);
            unsentOffs.add(moved);
            events.add(LiveEvent.on(change.onset(), moved.channel(), pitch, note.velocity()));
        }
    }

    /** The first planned change before {@code horizon}, while {@code note} sounds, to a chord without its pitch class; null if none. */
    private ChordSpan changeWithout(Note note, long horizon) {
        long from = Math.max(note.onset() + 1, committedUntil), until = Math.min(note.end(), horizon);
        Chord sounding = chordAt(from - 1);
        for (ChordSpan span : plannedChords) {
            if (span.onset() >= until) break;
            if (span.onset() < from || span.chord().isNone() || span.chord().equals(sounding)) continue;
            if (!span.chord().hasPitchClass(note.pitch() % 12)) return span;
            sounding = span.chord();
        }
        return null;
    }

    /** The chord at {@code tick}: sent before what was committed, planned from there on (N where there is none). */
    private Chord chordAt(long tick) {
        return ChordSpan.at(tick >= committedUntil ? plannedChords : chords, tick).map(ChordSpan::chord).orElse(Chord.NONE);
    }

    /** The pitch nearest {@code pitch} (the lower one of two as near) whose pitch class the chord has. */
    private static int nearestTone(Chord chord, int pitch) {
        for (int step = 1; step < 12; step++) {
            if (chord.hasPitchClass(Math.floorMod(pitch - step, 12))) return pitch - step;
            if (chord.hasPitchClass(Math.floorMod(pitch + step, 12))) return pitch + step;
        }
        return pitch;
    }

    /** The pitch nearest {@code pitch} (the lower one of two as near) of the chord's bass pitch class. */
    private static int nearestBass(Chord chord, int pitch) {
        int up = Math.floorMod(chord.bassPitchClass() - pitch, 12);
        return up <= 6 ? pitch + up - (up == 6 ? 12 : 0) : pitch + up - 12;
    }

    /** Whether a note sent on {@code channel} starts at {@code tick}. */
    private boolean startsOn(int channel, long tick) {
        for (Voice voice : unsentOffs) if (voice.channel() == channel && voice.note().onset() == tick) return true;
        return false;
    }

    /** Whether a note sent on {@code channel} sounds {@code pitch} at {@code tick}. */
    private boolean sounds(int channel, int pitch, long tick) {
        for (Voice voice : unsentOffs) {
            Note note = voice.note();
            if (voice.channel() == channel && note.pitch() == pitch && note.onset() <= tick && tick < note.end()) return true;
        }
        return false;
    }

    /**
     * A plan of everything not yet sent, from where the commits had got to through the bar after the one where the
     * look-ahead ends, from the melody before its tick (and the guess of what follows it) and the last
     * {@link LiveSettings#contextBars()} bars. It copies what it needs when made, so that {@link #compute} touches
     * nothing of the engine's. The arranger works on a window of bars moved to start at tick 0.
     */
    public final class Plan {

        private final long tick;
        private final long unsent;
        private final List<Note> heard;
        private final List<ChordSpan> sentChords;
        private final List<Voice> sent;
        private final Bar first;
        private List<Voice> voices;
        private List<ChordSpan> chords;

        private Plan(long tick) {
            this.tick = tick;
            this.unsent = committedUntil;
            this.heard = melody(tick);
            this.first = firstBar(meter.barAt(unsent), heard);
            // only what was sent inside the window the arranger sees: the session's whole history grows with the song
            long windowStart = first.start();
            this.sentChords = LiveEngine.this.chords.stream().filter(span -> span.end() > windowStart).toList();
            this.sent = committed.stream().filter(voice -> voice.note().onset() >= windowStart).toList();
        }

        /**
         * The window's first bar: the context bars before {@code firstTarget}, from the song's first bar on; in a rest
         * longer than those, the bar of the last note heard, so that the accompaniment plays on through an interlude
         * (in a window of rests the arranger would hear no melody, and nothing would be played).
         */
        private Bar firstBar(Bar firstTarget, List<Note> heard) {
            Bar context = meter.bar(Math.max(meter.barAt(0).number(), firstTarget.number() - settings.contextBars()));
            if (heard.isEmpty()) return context;
            Bar lastHeard = meter.barAt(heard.get(heard.size() - 1).onset());
            return lastHeard.start() < context.start() ? lastHeard : context;
        }

        /** Runs the arranger (the slow part); nothing is planned before a melody note is heard. */
        public void compute() throws ArrangeException {
            if (heard.isEmpty()) return;
            Bar firstTarget = meter.barAt(unsent);
            Bar lastTarget = meter.bar(meter.barAt(tick + settings.lookahead()).number() + 1);
            long offset = Math.max(0, first.start());
            boolean fromStart = offset == 0;
            MeterMap window = fromStart ? meter : MeterMap.of(settings.signature().numerator(), settings.signature().denominator());
            int numberShift = fromStart ? 0 : first.number() - 1;

            List<Note> heardAndGuessed = new ArrayList<>(heard);
            heardAndGuessed.addAll(RepeatedMelody.after(heard, tick, lastTarget.end(), meter));
            List<Note> windowMelody = shifted(heardAndGuessed.stream().filter(note -> note.onset() >= offset).toList(), offset);
            if (windowMelody.isEmpty()) return;
            List<Track> tracks = new ArrayList<>();
            tracks.add(new Track(Role.MELODY.trackName(), Role.MELODY, 0, 0, windowMelody));
            tracks.addAll(tracks(sent.stream().filter(voice -> voice.note().onset() >= offset).toList(), offset));
            // the sent chords are given; the last one holds to the end of its beat (the harmony stage decides whole
            // beats, so a beat partly sent keeps its chord rather than being left without one)
            long beatEnd = meter.pickup() + Math.floorDiv(unsent - meter.pickup() + beat - 1, beat) * beat;
            List<ChordSpan> givenChords = new ArrayList<>();
            for (int i = 0; i < sentChords.size(); i++) {
                ChordSpan span = sentChords.get(i);
                long from = Math.max(span.onset(), offset);
                long end = i == sentChords.size() - 1 && span.end() == unsent ? Math.max(span.end(), beatEnd) : span.end();
                if (end > from) givenChords.add(new ChordSpan(from - offset, end - from, span.chord()));
            }
            Score input = new Score(tempo, window, List.of(), givenChords, tracks);
            BarRange target = new BarRange(firstTarget.number() - numberShift, lastTarget.number() - numberShift);
            ChordSheet chordsAhead = chordsWithin(settings.options().chords(), first.number(), lastTarget.number(), numberShift);
            ArrangeOptions options = settings.options().with(o -> o.intro(0).ending(false).bars(target).chords(chordsAhead).reharmonize(null));
            Arrangement arrangement = arranger.arrangeAhead(input, options, lastTarget.end() - offset);

            List<Voice> planned = new ArrayList<>();
            for (Track track : arrangement.score().tracks()) {
                if (track.role() == Role.MELODY || track.role() == Role.CHORDS) continue;
                for (Note note : track.notes()) {
                    long onset = note.onset() + offset;
                    if (onset >= unsent && onset < lastTarget.end()) planned.add(new Voice(track.role(), track.channel(), track.program(),
                            new Note(note.pitch(), note.velocity(), onset, note.duration())));
                }
            }
            planned.sort(Comparator.comparingLong((Voice voice) -> voice.note().onset()));
            List<ChordSpan> ahead = new ArrayList<>();
            for (ChordSpan span : arrangement.score().chords()) {
                long from = Math.max(span.onset() + offset, unsent), to = Math.min(span.end() + offset, lastTarget.end());
                if (from < to) ahead.add(new ChordSpan(from, to - from, span.chord()));
            }
            voices = planned;
            chords = ahead;
        }
    }

    /** The voices as one track per role (on its channel and program), moved {@code offset} ticks earlier. */
    private static List<Track> tracks(List<Voice> voices, long offset) {
        Map<Role, List<Voice>> byRole = new EnumMap<>(Role.class);
        for (Voice voice : voices) byRole.computeIfAbsent(voice.role(), role -> new ArrayList<>()).add(voice);
        List<Track> tracks = new ArrayList<>();
        byRole.forEach((role, list) -> tracks.add(new Track(role.trackName(), role, list.get(0).program(), list.get(0).channel(),
                shifted(list.stream().map(Voice::note).toList(), offset))));
        return tracks;
    }

    private static List<Note> shifted(List<Note> notes, long offset) {
        return notes.stream().map(note -> new Note(note.pitch(), note.velocity(), note.onset() - offset, note.duration())).toList();
    }

    /** The given chords of the window's bars, numbered as the window counts them. */
    private static ChordSheet chordsWithin(ChordSheet sheet, int firstBar, int lastBar, int numberShift) {
        if (sheet.isEmpty()) return sheet;
        Map<Integer, List<Chord>> bars = new LinkedHashMap<>();
        sheet.bars().forEach((bar, list) -> {
            if (bar >= firstBar && bar <= lastBar) bars.put(bar - numberShift, list);
        });
        return new ChordSheet(bars);
    }
}
