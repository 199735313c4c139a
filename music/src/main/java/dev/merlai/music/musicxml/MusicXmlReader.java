package dev.merlai.music.musicxml;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import dev.merlai.music.io.ScoreReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads MusicXML {@code score-partwise} (3.x and 4.0), uncompressed ({@code .musicxml}, {@code .xml}) or
 * compressed ({@code .mxl}: a zip, recognised by its {@code PK} magic, whose {@code META-INF/container.xml}
 * names the score).
 *
 * <p>Times: MusicXML durations are in {@code <divisions>} per quarter note, which may change at any
 * {@code <attributes>}; they are summed exactly as fractions of a quarter and rounded to model ticks
 * ({@link Score#TICKS_PER_QUARTER} per quarter) only at the end, so no rounding error accumulates.
 * Measures follow each other; each lasts as long as its fullest part, as the evaluation's input builder does.
 *
 * <p>What becomes of the MusicXML:
 * <ul>
 *   <li>each {@code <part>} becomes one {@link Track} (a two-staff piano part stays one track);
 *       {@code <chord/>}, {@code <backup>}, {@code <forward>} and any number of voices are followed;
 *       tied notes ({@code <tie type="start|stop">}) become one note; a note's {@code attack} and
 *       {@code release} attributes move its onset and end from where it is notated to where it is played
 *       (Merlai's writer notates on a grid and keeps the played times so); same-pitch notes that overlap in a
 *       track are cut where the later one starts (same onset: the longer one stays);</li>
 *   <li>grace notes are skipped (they take no time in MusicXML); cue notes and unpitched (percussion)
 *       notes take their time but give no note;</li>
 *   <li>{@code <transpose>} is applied, so pitches sound as written for a concert-pitch score; keys are
 *       taken from the first part as written;</li>
 *   <li>the melody is the part {@link ReadOptions#melodyPart()} names (id or name, any case), else the part
 *       Merlai's writer marked (then no part it gave another role), else the first single-staff part named like a voice or with lyrics, else the
 *       first such part with more staves, else the first single-staff part, else none (a piano solo);
 *       other parts with two or more staves are {@link Role#PIANO}, the rest {@link Role#OTHER};</li>
 *   <li>the melody part keeps only its lowest-numbered voice, and of notes that start together only the
 *       highest; a note that still overlaps the next is cut where the next starts (a monophonic line);</li>
 *   <li>velocity: a note's {@code dynamics} attribute, else the part's last {@code <sound dynamics>}
 *       (percent of forte, forte = velocity 90), else {@value #DEFAULT_VELOCITY};</li>
 *   <li>tempo from every {@code <sound tempo>} (in a {@code <direction>} or alone); without one at the
 *       start, {@value #DEFAULT_BPM} quarter notes per minute, as the evaluation assumes;</li>
 *   <li>time signatures from the first part's {@code <time>} (values the model cannot hold, such as 3/3,
 *       are ignored). A first measure shorter than its time signature is a pickup. A shorter or longer
 *       measure inside the piece gets a time signature of its real length and the written one is restored
 *       after it, unless a new {@code <time>} follows anyway; a short last measure needs nothing;</li>
 *   <li>keys from the first part's {@code <key>} ({@code fifths}; mode {@code minor} is minor, every other
 *       mode major);</li>
 *   <li>{@code <harmony>} from every part becomes chord labels, each lasting until the next harmony or
 *       the end of the music; kind {@code none} ends a label; see {@link HarmonyKinds} for kinds;</li>
 *   <li>{@code <pedal>} directions become the track's sustain spans;</li>
 *   <li>MIDI program from {@code <midi-program>} (1-based in MusicXML), else 53 (voice) for a part named
 *       like a voice or with lyrics and 0 (piano) otherwise; MIDI channel from {@code <midi-channel>}.</li>
 * </ul>
 *
 * <p>Safety: the XML parser loads no DTD, expands no external entity and fetches nothing; the JDK's
 * secure-processing limits stop entity expansion bombs, and elements may nest at most
 * {@value XmlElement#MAX_DEPTH} deep. A {@code .mxl} is inflated with its unzipped size
 * held to {@link ReadLimits#maxBytes()} and at most {@value #MAX_ZIP_ENTRIES} entries.
 * Every problem with the input is a {@link ScoreReadException}.
 */
public final class MusicXmlReader implements ScoreReader {

    /** Velocity of notes without any dynamics, 1..127. */
    public static final int DEFAULT_VELOCITY = 80;
    /** Tempo before the first {@code <sound tempo>}, in quarter notes per minute. */
    public static final double DEFAULT_BPM = 100;
    /** Most entries a {@code .mxl} zip may have. */
    public static final int MAX_ZIP_ENTRIES = 1000;
    /** General MIDI program (0-based) for a voice part without {@code <midi-program>}: Voice Oohs. */
    public static final int VOICE_PROGRAM = 53;

    private static final Rational MAX_DIVISIONS = Rational.of(1_000_000, 1);
    /** Tied notes join when the second starts within this many ticks of the first one's end. */
    private static final long TIE_TOLERANCE = Score.TICKS_PER_QUARTER / 8;
    private static final int[] STEP_SEMITONES = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G
    private static final Set<String> VOICE_WORDS = Set.of("voice", "voices", "vocal", "vocals", "vox", "singstimme",
            "stimme", "gesang", "singer", "chant", "canto", "soprano", "sopran", "mezzo", "mezzo-soprano", "alto",
            "contralto", "tenor", "tenore", "baritone", "bariton", "bass", "basso");

    public MusicXmlReader() {
        // stateless: one instance may read many inputs, also concurrently
    }

    @Override
    public ReadResult read(byte[] data, ReadOptions options) throws ScoreReadException {
        ReadLimits limits = options.limits();
        limits.checkBytes(data.length);
        byte[] xml = isZip(data) ? unzip(data, limits) : data;
        return new Interpretation(XmlElement.parse(xml, ""), options).run();
    }

    private static boolean isZip(byte[] data) {
        return data.length >= 2 && data[0] == 'P' && data[1] == 'K';
    }

    /** The MusicXML file inside a {@code .mxl}. */
    private static byte[] unzip(byte[] data, ReadLimits limits) throws ScoreReadException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[8192];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES) {
                    throw new ScoreReadException(Kind.LIMIT_EXCEEDED, "", ".mxl has more than " + MAX_ZIP_ENTRIES + " entries");
                }
                String name = entry.getName();
                String lower = name.toLowerCase(Locale.ROOT);
                boolean keep = !entry.isDirectory() && (lower.endsWith(".xml") || lower.endsWith(".musicxml"));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    total += n;
                    if (total > limits.maxBytes()) {
                        throw new ScoreReadException(Kind.LIMIT_EXCEEDED, "entry " + name,
                                ".mxl unzips to more than the limit of " + limits.maxBytes() + " bytes");
                    }
                    if (keep) out.write(buffer, 0, n);
                }
                if (keep) files.put(name, out.toByteArray());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ScoreReadException(Kind.CORRUPT, "", "not a readable .mxl (zip) file: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new ScoreReadException(Kind.CORRUPT, "", ".mxl holds no MusicXML file");
        String rootfile = null;
        byte[] container = files.get("META-INF/container.xml");
        if (container != null) {
            XmlElement first = XmlElement.parse(container, "META-INF/container.xml").find("rootfile");
            if (first != null && !first.attribute("full-path").isEmpty()) rootfile = first.attribute("full-path");
        }
        if (rootfile == null) {
            rootfile = files.keySet().stream().filter(n -> !n.startsWith("META-INF/")).findFirst()
                    .orElseThrow(() -> new ScoreReadException(Kind.CORRUPT, "", ".mxl holds no MusicXML file"));
        }
        byte[] score = files.get(rootfile);
        if (score == null) {
            throw new ScoreReadException(Kind.CORRUPT, "META-INF/container.xml", ".mxl names a score file it does not hold: " + rootfile);
        }
        return score;
    }

    // ------------------------------------------------------------------ what one part holds

    /**
     * A pitched note as written, times in quarters from its measure's start: where it is notated, and where it
     * is played (the same unless {@code attack} or {@code release} say otherwise).
     */
    private record WrittenNote(Rational notatedOnset, Rational notatedEnd, Rational onset, Rational end, int pitch, String voice,
                               boolean tieStart, boolean tieStop, int velocity) {
    }

    private record Timed<T>(Rational at, T value) {
    }

    /** A key as written: fifths and mode. */
    private record WrittenKey(int fifths, KeySignature.Mode mode) {
    }

    private static final class Measure {
        final String number;
        Rational length = Rational.ZERO;
        int beats = 4;
        int beatType = 4;
        boolean timeChange;
        final List<WrittenNote> notes = new ArrayList<>();
        final List<Timed<Double>> tempos = new ArrayList<>();
        final List<Timed<WrittenKey>> keys = new ArrayList<>();
        /** A chord, or empty for kind {@code none}. */
        final List<Timed<Optional<Chord>>> harmonies = new ArrayList<>();
        /** true = pedal down, false = pedal up. */
        final List<Timed<Boolean>> pedals = new ArrayList<>();

        Measure(String number) {
            this.number = number;
        }

        Rational nominalLength() {
            return Rational.of(4L * beats, beatType);
        }
    }

    private static final class Part {
        final String id;
        final String name;
        final List<Measure> measures = new ArrayList<>();
        int staves = 1;
        boolean lyrics;
        Integer program;
        Integer channel;

        Part(String id, String name) {
            this.id = id;
            this.name = name;
        }

        boolean namedLikeVoice() {
            for (String word : name.toLowerCase(Locale.ROOT).split("[^\\p{L}-]+")) {
                if (VOICE_WORDS.contains(word)) return true;
            }
            return false;
        }

        String label() {
            return "part " + id + " \"" + name + "\"";
        }
    }

    /** The part chosen as the melody, and why, for {@link ReadResult#melodyChoice()}. */
    private record Choice(Part part, String reason) {
    }

    /** A note being assembled from written notes, in ticks. */
    private static final class Sound {
        long onset;
        long end;
        /** Where the note is notated: ties join notated pieces, whatever their played times. */
        final long notatedOnset;
        long notatedEnd;
        final int pitch;
        final int velocity;
        final String voice;
        final boolean tieStart;
        final boolean tieStop;

        Sound(long notatedOnset, long notatedEnd, long onset, long end, int pitch, int velocity, String voice, boolean tieStart, boolean tieStop) {
            this.notatedOnset = notatedOnset;
            this.notatedEnd = notatedEnd;
            this.onset = onset;
            this.end = end;
            this.pitch = pitch;
            this.velocity = velocity;
            this.voice = voice;
            this.tieStart = tieStart;
            this.tieStop = tieStop;
        }
    }

    // ------------------------------------------------------------------ one read

    private static final class Interpretation {
        private final XmlElement root;
        private final ReadOptions options;
        private String location = "";

        Interpretation(XmlElement root, ReadOptions options) {
            this.root = root;
            this.options = options;
        }

        ReadResult run() throws ScoreReadException {
            try {
                return interpret();
            } catch (ArithmeticException e) {
                throw new ScoreReadException(Kind.CORRUPT, location, "times too large or too finely divided: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new ScoreReadException(Kind.CORRUPT, location, "bad value: " + e.getMessage(), e);
            }
        }

        private ScoreReadException corrupt(String message) {
            return new ScoreReadException(Kind.CORRUPT, location, message);
        }

        private ReadResult interpret() throws ScoreReadException {
            switch (root.name()) {
                case "score-partwise" -> { }
                case "score-timewise" -> throw new ScoreReadException(Kind.UNSUPPORTED, "",
                        "score-timewise MusicXML is not supported; save the score as score-partwise");
                default -> throw new ScoreReadException(Kind.CORRUPT, "", "not a MusicXML score: the root element is <" + root.name() + ">");
            }
            List<Part> parts = readParts(root);
            Map<String, Role> marked = markedRoles(root);

            // Lay the measures end to end; each lasts as long as its fullest part.
            int measureCount = parts.stream().mapToInt(p -> p.measures.size()).max().orElse(0);
            Rational[] starts = new Rational[measureCount + 1];
            starts[0] = Rational.ZERO;
            Measure[] reference = new Measure[measureCount];
            Rational[] lengths = new Rational[measureCount];
            for (int i = 0; i < measureCount; i++) {
                Rational length = Rational.ZERO;
                for (Part part : parts) {
                    if (i >= part.measures.size()) continue;
                    Measure measure = part.measures.get(i);
                    if (reference[i] == null) reference[i] = measure;
                    if (measure.length.compareTo(length) > 0) length = measure.length;
                }
                if (length.signum() == 0) length = reference[i].nominalLength();
                lengths[i] = length;
                starts[i + 1] = starts[i].plus(length);
            }
            location = "";
            MeterMap meter = meter(reference, lengths, starts);
            long endTick = starts[measureCount].ticks();

            TreeMap<Long, Double> tempos = new TreeMap<>();
            TreeMap<Long, KeySignature> keys = new TreeMap<>();
            TreeMap<Long, Optional<Chord>> harmonies = new TreeMap<>();
            for (int p = 0; p < parts.size(); p++) {
                List<Measure> measures = parts.get(p).measures;
                for (int i = 0; i < measures.size(); i++) {
                    Measure measure = measures.get(i);
                    for (Timed<Double> tempo : measure.tempos) tempos.put(tick(starts[i], tempo.at()), tempo.value());
                    for (Timed<Optional<Chord>> harmony : measure.harmonies) {
                        harmonies.putIfAbsent(tick(starts[i], harmony.at()), harmony.value());
                    }
                    if (p > 0) continue;
                    for (Timed<WrittenKey> key : measure.keys) {
                        long tick = tick(starts[i], key.at());
                        keys.put(tick, KeySignature.fromFifths(tick, key.value().fifths(), key.value().mode()));
                    }
                }
            }
            List<TempoMap.Change> tempoChanges = new ArrayList<>();
            if (!tempos.containsKey(0L)) tempoChanges.add(TempoMap.Change.ofBpm(0, DEFAULT_BPM));
            tempos.forEach((tick, bpm) -> tempoChanges.add(TempoMap.Change.ofBpm(tick, bpm)));

            Choice choice = chooseMelody(parts, marked);
            Part melody = choice == null ? null : choice.part();

            List<Track> tracks = new ArrayList<>();
            int noteCount = 0;
            for (int p = 0; p < parts.size(); p++) {
                Part part = parts.get(p);
                location = "part " + part.id;
                Role role;
                if (part == melody) role = Role.MELODY;
                else if (marked.containsKey(part.id) && marked.get(part.id) != Role.MELODY) role = marked.get(part.id);
                else role = part.staves >= 2 ? Role.PIANO : Role.OTHER;
                List<Sound> sounds = new ArrayList<>();
                for (int i = 0; i < part.measures.size(); i++) {
                    for (WrittenNote note : part.measures.get(i).notes) {
                        sounds.add(new Sound(tick(starts[i], note.notatedOnset()), tick(starts[i], note.notatedEnd()),
                                tick(starts[i], note.onset()), tick(starts[i], note.end()), note.pitch(),
                                note.velocity(), note.voice(), note.tieStart(), note.tieStop()));
                    }
                }
                List<Note> notes;
                if (role == Role.MELODY) {
                    String voice = sounds.stream().map(s -> s.voice).min(MusicXmlReader::compareVoices).orElse("1");
                    sounds.removeIf(s -> !s.voice.equals(voice));
                    notes = monophonic(mergeTies(sounds));
                } else {
                    notes = dropOverlaps(mergeTies(sounds));
                }
                noteCount += notes.size();
                options.limits().checkNotes(noteCount);
                int program = part.program != null ? part.program
                        : part.namedLikeVoice() || part.lyrics ? VOICE_PROGRAM : 0;
                int channel = part.channel != null ? part.channel : (p < Track.DRUM_CHANNEL ? p : p + 1) % 16;
                tracks.add(new Track(part.name, role, program, channel, notes, sustain(part, starts, endTick)));
            }
            location = "";

            TempoMap tempo = new TempoMap(tempoChanges);
            Score score = new Score(tempo, meter, new ArrayList<>(keys.values()), chordSpans(harmonies, endTick), tracks);
            options.limits().checkDuration(score.durationSeconds());
            return new ReadResult(score, choice == null ? "" : melody.label() + " (" + choice.reason() + ")");
        }

        /** The melody part and why; null when no part qualifies (see the class comment for the order). */
        private Choice chooseMelody(List<Part> parts, Map<String, Role> marked) throws ScoreReadException {
            String wanted = options.melodyPart();
            if (wanted != null && !wanted.isBlank()) {
                for (Part part : parts) {
                    if (part.id.equalsIgnoreCase(wanted.trim()) || part.name.equalsIgnoreCase(wanted.trim())) {
                        return new Choice(part, "named by the user");
                    }
                }
                List<String> names = parts.stream().map(Part::label).toList();
                throw new ScoreReadException(Kind.NO_MELODY, "", "no part has the id or name \"" + wanted.trim()
                        + "\"; the parts are " + String.join(", ", names));
            }
            for (Part part : parts) {
                if (marked.get(part.id) == Role.MELODY) return new Choice(part, "marked as the melody by Merlai");
            }
            // Parts that Merlai's writer gave another role are not candidates.
            List<Part> candidates = parts.stream().filter(p -> !marked.containsKey(p.id)).toList();
            for (Part part : candidates) {
                if (part.staves == 1 && part.namedLikeVoice() && part.lyrics) return new Choice(part, "single-staff part named like a voice, with lyrics");
                if (part.staves == 1 && part.lyrics) return new Choice(part, "single-staff part with lyrics");
                if (part.staves == 1 && part.namedLikeVoice()) return new Choice(part, "single-staff part named like a voice");
            }
            for (Part part : candidates) {
                if (part.lyrics) return new Choice(part, part.staves + "-staff part with lyrics");
                if (part.namedLikeVoice()) return new Choice(part, part.staves + "-staff part named like a voice");
            }
            for (Part part : candidates) {
                if (part.staves == 1) return new Choice(part, "first single-staff part");
            }
            return null;
        }

        private static long tick(Rational measureStart, Rational at) {
            return Math.max(0, measureStart.plus(at).ticks());
        }

        /** Roles that Merlai's own writer recorded in {@code <miscellaneous-field>}s, by part id. */
        private static Map<String, Role> markedRoles(XmlElement root) {
            Map<String, Role> roles = new HashMap<>();
            XmlElement identification = root.child("identification");
            XmlElement miscellaneous = identification == null ? null : identification.child("miscellaneous");
            if (miscellaneous == null) return roles;
            for (XmlElement field : miscellaneous.children("miscellaneous-field")) {
                String name = field.attribute("name");
                if (!name.startsWith(MusicXmlWriter.ROLE_FIELD_PREFIX)) continue;
                try {
                    roles.put(name.substring(MusicXmlWriter.ROLE_FIELD_PREFIX.length()), Role.fromId(field.text()));
                } catch (IllegalArgumentException e) {
                    // not a role Merlai knows: the part gets its role from its shape
                }
            }
            return roles;
        }

        private List<Part> readParts(XmlElement root) throws ScoreReadException {
            Map<String, XmlElement> declared = new LinkedHashMap<>();
            XmlElement partList = root.child("part-list");
            if (partList != null) {
                for (XmlElement scorePart : partList.children("score-part")) declared.put(scorePart.attribute("id"), scorePart);
            }
            List<XmlElement> partElements = root.children("part");
            if (partElements.isEmpty()) throw new ScoreReadException(Kind.CORRUPT, "", "the score has no <part>");
            options.limits().checkTracks(partElements.size());
            List<Part> parts = new ArrayList<>();
            for (XmlElement element : partElements) {
                String id = element.attribute("id");
                location = "part " + id;
                XmlElement scorePart = declared.get(id);
                String name = scorePart == null ? null : scorePart.childText("part-name");
                Part part = new Part(id, name == null || name.isEmpty() ? id : name);
                if (scorePart != null) {
                    XmlElement instrument = scorePart.child("midi-instrument");
                    if (instrument != null) {
                        Integer program = integer(instrument, "midi-program");
                        if (program != null && program >= 1 && program <= 128) part.program = program - 1;
                        Integer channel = integer(instrument, "midi-channel");
                        if (channel != null && channel >= 1 && channel <= 16) part.channel = channel - 1;
                    }
                }
                readMeasures(element, part);
                parts.add(part);
            }
            return parts;
        }

        private Integer integer(XmlElement parent, String name) throws ScoreReadException {
            String value = parent.childText(name);
            if (value == null || value.isEmpty()) return null;
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw corrupt("<" + name + "> is not a whole number: '" + value + "'");
            }
        }

        private double decimal(String value, String what) throws ScoreReadException {
            try {
                double result = Double.parseDouble(value.trim());
                if (!Double.isFinite(result)) throw new NumberFormatException();
                return result;
            } catch (NumberFormatException e) {
                throw corrupt(what + " is not a number: '" + value + "'");
            }
        }

        private Rational rational(String value, String what) throws ScoreReadException {
            try {
                return Rational.parse(value);
            } catch (NumberFormatException | ArithmeticException e) {
                throw corrupt(what + " is not a usable number: '" + value + "'");
            }
        }

        private void readMeasures(XmlElement partElement, Part part) throws ScoreReadException {
            Rational divisions = Rational.of(1, 1);
            int beats = 4, beatType = 4, transpose = 0, velocity = DEFAULT_VELOCITY;
            List<XmlElement> measureElements = partElement.children("measure");
            for (int index = 0; index < measureElements.size(); index++) {
                XmlElement element = measureElements.get(index);
                String number = element.attribute("number");
                Measure measure = new Measure(number.isEmpty() ? "#" + (index + 1) : number);
                location = "part " + part.id + ", measure " + measure.number;
                measure.beats = beats;
                measure.beatType = beatType;
                Rational cursor = Rational.ZERO;
                Rational lastOnset = Rational.ZERO;
                for (XmlElement item : element.children()) {
                    if (cursor.compareTo(measure.length) > 0) measure.length = cursor; // measured before each element and after the last
                    switch (item.name()) {
                        case "attributes" -> {
                            String divisionsText = item.childText("divisions");
                            if (divisionsText != null) {
                                divisions = rational(divisionsText, "<divisions>");
                                if (divisions.signum() <= 0 || divisions.compareTo(MAX_DIVISIONS) > 0) {
                                    throw corrupt("<divisions> must be above 0 and at most " + MAX_DIVISIONS + ", was " + divisionsText);
                                }
                            }
                            for (XmlElement key : item.children("key")) {
                                Integer fifths = integer(key, "fifths");
                                if (fifths == null) continue; // a non-traditional key: no major/minor key to record
                                if (Math.abs(fifths) > 100) throw corrupt("<fifths> is out of range: " + fifths);
                                KeySignature.Mode mode = "minor".equals(key.childText("mode")) ? KeySignature.Mode.MINOR : KeySignature.Mode.MAJOR;
                                measure.keys.add(new Timed<>(cursor, new WrittenKey(fifths, mode)));
                            }
                            XmlElement time = item.child("time");
                            if (time != null && time.child("beats") != null && time.child("beat-type") != null) {
                                int written = 0;
                                for (String beat : time.childText("beats").split("\\+")) {
                                    Integer value = parseInt(beat, "<beats>");
                                    written = value > 64 || written > 64 ? 65 : written + value;
                                }
                                String[] types = time.childText("beat-type").split("\\+");
                                if (types.length == 0) throw corrupt("<beat-type> has no number");
                                int type = parseInt(types[0], "<beat-type>");
                                if (written >= 1 && written <= 64 && type >= 1 && type <= 64 && Integer.bitCount(type) == 1) {
                                    beats = written;
                                    beatType = type;
                                    measure.beats = beats;
                                    measure.beatType = beatType;
                                    measure.timeChange = true;
                                }
                            }
                            Integer staves = integer(item, "staves");
                            if (staves != null) part.staves = Math.max(part.staves, staves);
                            XmlElement transposeElement = item.child("transpose");
                            if (transposeElement != null) {
                                Integer chromatic = integer(transposeElement, "chromatic");
                                Integer octaves = integer(transposeElement, "octave-change");
                                transpose = (chromatic == null ? 0 : chromatic) + 12 * (octaves == null ? 0 : octaves);
                                if (Math.abs(transpose) > 127) throw corrupt("<transpose> is out of range: " + transpose);
                            }
                        }
                        case "backup" -> {
                            cursor = cursor.minus(duration(item, divisions));
                            // MuseScore sometimes backs up past the measure start (3 of 1,400 Lieder): clamp, as a reader should.
                            if (cursor.signum() < 0) cursor = Rational.ZERO;
                        }
                        case "forward" -> cursor = cursor.plus(duration(item, divisions));
                        case "direction" -> {
                            Rational at = nonNegative(cursor.plus(offset(item, divisions)));
                            XmlElement sound = item.child("sound");
                            if (sound != null) velocity = sound(sound, at, measure, velocity);
                            for (XmlElement type : item.children("direction-type")) {
                                for (XmlElement pedal : type.children("pedal")) {
                                    switch (pedal.attribute("type")) {
                                        case "start", "resume" -> measure.pedals.add(new Timed<>(at, true));
                                        case "stop", "discontinue" -> measure.pedals.add(new Timed<>(at, false));
                                        case "change" -> {
                                            measure.pedals.add(new Timed<>(at, false));
                                            measure.pedals.add(new Timed<>(at, true));
                                        }
                                        default -> { } // continue: nothing changes
                                    }
                                }
                            }
                        }
                        case "sound" -> velocity = sound(item, cursor, measure, velocity);
                        case "harmony" -> harmony(item, nonNegative(cursor.plus(offset(item, divisions))), measure);
                        case "note" -> {
                            if (item.child("grace") != null) continue;
                            Rational duration = item.child("duration") == null ? Rational.ZERO : duration(item, divisions);
                            Rational onset;
                            if (item.child("chord") != null) {
                                onset = lastOnset;
                            } else {
                                onset = cursor;
                                lastOnset = cursor;
                                cursor = cursor.plus(duration);
                            }
                            if (item.child("lyric") != null) part.lyrics = true;
                            XmlElement pitch = item.child("pitch");
                            if (pitch == null || item.child("cue") != null) continue;
                            int noteVelocity = velocity;
                            if (item.hasAttribute("dynamics")) noteVelocity = velocity(decimal(item.attribute("dynamics"), "dynamics"));
                            Set<String> ties = new HashSet<>();
                            for (XmlElement tie : item.children("tie")) ties.add(tie.attribute("type"));
                            String voice = item.childText("voice");
                            // attack and release: where the note was played against where it is notated
                            Rational attack = item.hasAttribute("attack") ? rational(item.attribute("attack"), "attack").dividedBy(divisions) : Rational.ZERO;
                            Rational release = item.hasAttribute("release") ? rational(item.attribute("release"), "release").dividedBy(divisions) : Rational.ZERO;
                            measure.notes.add(new WrittenNote(onset, onset.plus(duration), onset.plus(attack), onset.plus(duration).plus(release), midiPitch(pitch, transpose),
                                    voice == null || voice.isEmpty() ? "1" : voice, ties.contains("start"), ties.contains("stop"), noteVelocity));
                        }
                        default -> { } // print, barline, figured-bass, ...: no sound, no time
                    }
                }
                if (cursor.compareTo(measure.length) > 0) measure.length = cursor;
                part.measures.add(measure);
            }
        }

        private int parseInt(String value, String what) throws ScoreReadException {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw corrupt(what + " is not a whole number: '" + value + "'");
            }
        }

        private static Rational nonNegative(Rational value) {
            return value.signum() < 0 ? Rational.ZERO : value;
        }

        /** A {@code <duration>} in quarter notes. */
        private Rational duration(XmlElement element, Rational divisions) throws ScoreReadException {
            String value = element.childText("duration");
            if (value == null) throw corrupt("<" + element.name() + "> has no <duration>");
            Rational duration = rational(value, "<duration>");
            if (duration.signum() < 0) throw corrupt("negative <duration> " + value);
            return duration.dividedBy(divisions);
        }

        /** An {@code <offset>} in quarter notes, 0 when absent. */
        private Rational offset(XmlElement element, Rational divisions) throws ScoreReadException {
            String value = element.childText("offset");
            return value == null ? Rational.ZERO : rational(value, "<offset>").dividedBy(divisions);
        }

        /** Records a {@code <sound>}'s tempo; returns the velocity its dynamics set, or the current one. */
        private int sound(XmlElement sound, Rational at, Measure measure, int velocity) throws ScoreReadException {
            if (sound.hasAttribute("tempo")) {
                double bpm = decimal(sound.attribute("tempo"), "tempo");
                long micros = Math.round(60_000_000.0 / bpm);
                if (bpm > 0 && micros >= 1 && micros <= 0xFFFFFF) measure.tempos.add(new Timed<>(at, bpm));
            }
            return sound.hasAttribute("dynamics") ? velocity(decimal(sound.attribute("dynamics"), "dynamics")) : velocity;
        }

        /** MusicXML dynamics (percent of forte) to a MIDI velocity; forte is velocity 90. */
        private static int velocity(double dynamics) {
            return (int) Math.max(1, Math.min(127, Math.round(dynamics * 0.9)));
        }

        private int midiPitch(XmlElement pitch, int transpose) throws ScoreReadException {
            String step = pitch.childText("step");
            if (step == null || step.length() != 1 || step.charAt(0) < 'A' || step.charAt(0) > 'G') {
                throw corrupt("<step> must be A to G, was '" + step + "'");
            }
            Integer octave = integer(pitch, "octave");
            if (octave == null) throw corrupt("<pitch> has no <octave>");
            String alter = pitch.childText("alter");
            long semitones = alter == null || alter.isEmpty() ? 0 : Math.round(decimal(alter, "<alter>"));
            long midi = (octave + 1L) * 12 + STEP_SEMITONES[step.charAt(0) - 'A'] + semitones + transpose;
            if (midi < 0 || midi > 127) throw corrupt("pitch " + step + octave + " is outside the MIDI range");
            return (int) midi;
        }

        private void harmony(XmlElement harmony, Rational at, Measure measure) throws ScoreReadException {
            XmlElement root = harmony.child("root");
            String kind = harmony.childText("kind");
            if (root == null || kind == null) return; // numeral or function harmony: no root to label
            if (kind.equals("none")) {
                measure.harmonies.add(new Timed<>(at, Optional.empty()));
                return;
            }
            int rootClass = pitchClass(root, "root-step", "root-alter");
            String quality = HarmonyKinds.harteQuality(kind);
            List<String> degrees = new ArrayList<>();
            for (XmlElement degree : harmony.children("degree")) {
                Integer value = integer(degree, "degree-value");
                Integer alter = integer(degree, "degree-alter");
                String type = degree.childText("degree-type");
                if (value == null || value < 1 || value > 13 || alter == null || Math.abs(alter) > 2 || type == null) continue;
                String name = (alter < 0 ? "b".repeat(-alter) : "#".repeat(alter)) + value;
                switch (type) {
                    case "add" -> degrees.add(name);
                    case "subtract" -> degrees.add("*" + name);
                    case "alter" -> {
                        degrees.add("*" + value);
                        degrees.add(name);
                    }
                    default -> { }
                }
            }
            if (!degrees.isEmpty() && !quality.contains("(")) quality = quality + "(" + String.join(",", degrees) + ")";
            XmlElement bass = harmony.child("bass");
            String bassDegree = bass == null ? "" : HarmonyKinds.bassDegree(pitchClass(bass, "bass-step", "bass-alter") - rootClass);
            Chord chord;
            try {
                chord = new Chord(rootClass, quality, bassDegree);
            } catch (IllegalArgumentException e) {
                chord = new Chord(rootClass, HarmonyKinds.harteQuality(kind), bassDegree);
            }
            measure.harmonies.add(new Timed<>(at, Optional.of(chord)));
        }

        private int pitchClass(XmlElement parent, String stepName, String alterName) throws ScoreReadException {
            String step = parent.childText(stepName);
            if (step == null || step.length() != 1 || step.charAt(0) < 'A' || step.charAt(0) > 'G') {
                throw corrupt("<" + stepName + "> must be A to G, was '" + step + "'");
            }
            String alter = parent.childText(alterName);
            long semitones = alter == null || alter.isEmpty() ? 0 : Math.round(decimal(alter, "<" + alterName + ">"));
            return (int) Math.floorMod(STEP_SEMITONES[step.charAt(0) - 'A'] + semitones, 12L);
        }

        /** Time signatures and pickup from the measures as laid out (see the class comment). */
        private MeterMap meter(Measure[] reference, Rational[] lengths, Rational[] starts) throws ScoreReadException {
            TreeMap<Long, TimeSignature> signatures = new TreeMap<>();
            long pickup = 0;
            boolean restore = false;
            int count = reference.length;
            for (int i = 0; i < count; i++) {
                Measure measure = reference[i];
                long tick = starts[i].ticks();
                if (i == 0 || measure.timeChange || restore) {
                    signatures.put(tick, new TimeSignature(tick, measure.beats, measure.beatType));
                }
                restore = false;
                Rational nominal = measure.nominalLength();
                int comparison = lengths[i].compareTo(nominal);
                if (comparison == 0) continue;
                boolean last = i == count - 1;
                boolean nextChanges = !last && reference[i + 1].timeChange;
                if (comparison < 0 && i == 0 && !nextChanges) {
                    long ticks = lengths[i].ticks();
                    if (ticks > 0 && ticks < nominal.ticks()) {
                        pickup = ticks;
                        continue;
                    }
                }
                if (comparison < 0 && (last || nextChanges)) continue; // a short final bar, or cut short by the next <time>
                signatures.put(tick, fit(tick, lengths[i].ticks()));
                restore = !last;
            }
            if (pickup > 0 && signatures.size() > 1 && signatures.higherKey(0L) <= pickup) {
                // The measure after the pickup is itself irregular: the first measure gets its own signature.
                signatures.put(0L, fit(0, pickup));
                pickup = 0;
            }
            try {
                return new MeterMap(new ArrayList<>(signatures.values()), pickup);
            } catch (IllegalArgumentException e) {
                throw new ScoreReadException(Kind.CORRUPT, "", "the measures give no consistent meter: " + e.getMessage(), e);
            }
        }

        /** A time signature whose bar lasts the given ticks, or is the shortest one longer (then cut by the next). */
        private static TimeSignature fit(long tick, long ticks) {
            int[] denominators = {4, 8, 16, 32, 64};
            for (int denominator : denominators) {
                long beat = Score.TICKS_PER_QUARTER * 4L / denominator;
                if (ticks % beat == 0 && ticks / beat >= 1 && ticks / beat <= 64) {
                    return new TimeSignature(tick, (int) (ticks / beat), denominator);
                }
            }
            for (int denominator : denominators) {
                long beat = Score.TICKS_PER_QUARTER * 4L / denominator;
                long beats = Math.max(1, (ticks + beat - 1) / beat);
                if (beats <= 64) return new TimeSignature(tick, (int) beats, denominator);
            }
            return new TimeSignature(tick, 64, 1);
        }

        private static List<PedalSpan> sustain(Part part, Rational[] starts, long endTick) {
            List<PedalSpan> spans = new ArrayList<>();
            long down = -1;
            for (int i = 0; i < part.measures.size(); i++) {
                for (Timed<Boolean> pedal : part.measures.get(i).pedals) {
                    long tick = tick(starts[i], pedal.at());
                    if (down < 0) {
                        if (pedal.value()) down = tick;
                    } else if (tick > down) { // up, or down again (a pedal change): the held span ends here
                        spans.add(new PedalSpan(down, tick - down));
                        down = pedal.value() ? tick : -1;
                    } else if (!pedal.value()) {
                        down = -1;
                    }
                }
            }
            if (down >= 0 && endTick > down) spans.add(new PedalSpan(down, endTick - down));
            return spans;
        }

        private static List<ChordSpan> chordSpans(TreeMap<Long, Optional<Chord>> harmonies, long endTick) {
            List<ChordSpan> spans = new ArrayList<>();
            List<Map.Entry<Long, Optional<Chord>>> entries = new ArrayList<>(harmonies.entrySet());
            for (int i = 0; i < entries.size(); i++) {
                Optional<Chord> chord = entries.get(i).getValue();
                if (chord.isEmpty()) continue;
                long onset = entries.get(i).getKey();
                long end = i + 1 < entries.size() ? entries.get(i + 1).getKey() : endTick;
                if (end > onset) spans.add(new ChordSpan(onset, end - onset, chord.get()));
            }
            return spans;
        }
    }

    // ------------------------------------------------------------------ note clean-up

    /** Voice numbers in numeric order; voices that are not numbers after those, by name. */
    private static int compareVoices(String a, String b) {
        Integer x = voiceNumber(a), y = voiceNumber(b);
        if (x != null && y != null) return Integer.compare(x, y);
        if (x != null) return -1;
        if (y != null) return 1;
        return a.compareTo(b);
    }

    private static Integer voiceNumber(String voice) {
        try {
            return Integer.valueOf(voice.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Joins each tie-stop note to the open tie of the same pitch that ends where it starts (within 1/8 quarter). */
    private static List<Sound> mergeTies(List<Sound> sounds) {
        List<Sound> sorted = new ArrayList<>(sounds);
        sorted.sort(Comparator.comparingLong((Sound s) -> s.notatedOnset).thenComparingInt(s -> s.pitch));
        List<Sound> out = new ArrayList<>();
        Map<Integer, Sound> waiting = new HashMap<>();
        for (Sound sound : sorted) {
            Sound open = waiting.get(sound.pitch);
            Sound current;
            if (sound.tieStop && open != null && Math.abs(open.notatedEnd - sound.notatedOnset) <= TIE_TOLERANCE) {
                open.end = sound.end; // the chain is played until its last piece's end, release included
                open.notatedEnd = sound.notatedEnd;
                waiting.remove(sound.pitch);
                current = open;
            } else {
                out.add(sound);
                current = sound;
            }
            if (sound.tieStart) waiting.put(sound.pitch, current);
        }
        return out;
    }

    /** Same-pitch notes sounding at once become one at a time: same onset keeps the longer, else the earlier is cut. */
    private static List<Note> dropOverlaps(List<Sound> sounds) {
        List<Sound> sorted = new ArrayList<>(sounds);
        sorted.removeIf(s -> s.end <= s.onset);
        sorted.sort(Comparator.comparingInt((Sound s) -> s.pitch).thenComparingLong(s -> s.onset).thenComparingLong(s -> -s.end));
        List<Sound> kept = new ArrayList<>();
        for (Sound sound : sorted) {
            Sound previous = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (previous != null && previous.pitch == sound.pitch && sound.onset < previous.end) {
                if (sound.onset == previous.onset) continue;
                previous.end = sound.onset;
            }
            kept.add(sound);
        }
        return kept.stream().map(s -> new Note(s.pitch, s.velocity, s.onset, s.end - s.onset)).toList();
    }

    /** One note at a time: of notes starting together the highest, each cut where the next one starts. */
    private static List<Note> monophonic(List<Sound> sounds) {
        List<Sound> sorted = new ArrayList<>(sounds);
        sorted.removeIf(s -> s.end <= s.onset);
        sorted.sort(Comparator.comparingLong((Sound s) -> s.onset).thenComparingInt(s -> -s.pitch));
        List<Sound> kept = new ArrayList<>();
        for (Sound sound : sorted) {
            Sound previous = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (previous != null && previous.onset == sound.onset) continue;
            if (previous != null && previous.end > sound.onset) previous.end = sound.onset;
            kept.add(sound);
        }
        return kept.stream().map(s -> new Note(s.pitch, s.velocity, s.onset, s.end - s.onset)).toList();
    }
}
