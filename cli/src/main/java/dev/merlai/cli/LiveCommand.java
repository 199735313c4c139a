package dev.merlai.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.grid.MeterInference;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveEvent;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code merlai live}: the live engine in this process. {@code --replay} plays a file's melody into it in real time
 * and records what it answers; {@code --midi-in}/{@code --midi-out} let a keyboard or a DAW play into it.
 */
@Command(name = "live", mixinStandardHelpOptions = true,
        description = {"Accompanies a melody while it is played: chords, bass, piano and (pop) drums, planned one beat ahead from the melody played so far.",
                "--replay IN -o OUT.mid plays IN's melody in real time, writes melody + accompaniment and prints timing figures as JSON;",
                "--midi-in NAME --midi-out NAME plays along with a MIDI device (--list shows them) until Enter or Ctrl-C."},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL})
final class LiveCommand implements Callable<Integer> {

    @Option(names = "--replay", paramLabel = "IN", description = "play this file's melody into the engine (its tempo; its bar lines as the arranger hears them, as a musician counts in)")
    private Path replay;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "with --replay: where to write melody + accompaniment (.mid)")
    private Path output;

    @Option(names = "--speed", defaultValue = "1", description = "with --replay: play this many times faster (default: ${DEFAULT-VALUE})")
    private double speed;

    @Option(names = "--url", paramLabel = "URL", description = "with --replay: play to the live API at this base URL (ws://host:port) instead of in this process")
    private URI url;

    @Option(names = "--key", paramLabel = "KEY", description = "with --url: the API key (default: env MERLAI_API_KEY)")
    private String apiKey;

    @Option(names = "--model", paramLabel = "ID", description = "with --url: the tenant's personal model the live API plays with (default: the base models)")
    private String model;

    @Option(names = "--list", description = "list the MIDI devices")
    private boolean list;

    @Option(names = "--midi-in", paramLabel = "NAME", description = "the MIDI device the melody comes from")
    private String midiIn;

    @Option(names = "--midi-out", paramLabel = "NAME", description = "the MIDI device the accompaniment goes to")
    private String midiOut;

    @Option(names = "--tempo", defaultValue = "100", description = "with --midi-in: quarters per minute (default: ${DEFAULT-VALUE})")
    private double tempo;

    @Option(names = "--meter", defaultValue = "4/4", description = "with --midi-in: the time signature (default: ${DEFAULT-VALUE})")
    private String meter;

    @Mixin
    private ArrangementChoices choices;

    @Option(names = "--lookahead", paramLabel = "BEATS", defaultValue = "1", description = "beats ahead that are committed and sent (default: ${DEFAULT-VALUE})")
    private double lookaheadBeats;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE})")
    private int threads;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (MidiDevice.Info info : MidiSystem.getMidiDeviceInfo()) {
                MidiDevice device = MidiSystem.getMidiDevice(info);
                System.out.println(info.getName() + " (" + (device.getMaxTransmitters() != 0 ? "in" : "") + (device.getMaxReceivers() != 0 ? " out" : "") + "): "
                        + info.getDescription());
            }
            return 0;
        }
        ArrangeOptions options;
        try {
            options = choices.options().build();
            if (!(speed > 0)) throw new IllegalArgumentException("--speed must be above 0, was " + speed);
        } catch (IllegalArgumentException e) {
            return InputFailure.report("options", e.getMessage());
        }
        try {
            ChordSheet given = choices.givenChords();
            options = options.with(o -> o.chords(given));
        } catch (IllegalArgumentException | IOException e) {
            return InputFailure.report(choices.chordsSource(), e instanceof NoSuchFileException ? "no such file" : e.getMessage());
        }
        if (choices.modelDirProblem() != null) return InputFailure.report(choices.modelDir().toString(), choices.modelDirProblem());
        if (replay != null) {
            if (output == null) return InputFailure.report("options", "--replay needs -o OUT.mid");
            if (model != null && url == null) return InputFailure.report("--model", "--model names a model of the live API's tenant: give --url (in this process, --models FOLDER)");
            return replay(options);
        }
        if (midiIn != null && midiOut != null) return playAlong(options);
        return InputFailure.report("options", "give --replay IN -o OUT.mid, --midi-in NAME --midi-out NAME, or --list");
    }

    private int replay(ArrangeOptions options) throws IOException, InterruptedException {
        ReadResult read;
        try {
            read = Scores.read(replay, ReadOptions.DEFAULT);
        } catch (NoSuchFileException e) {
            return InputFailure.report(replay.toString(), "no such file");
        } catch (ScoreReadException e) {
            return InputFailure.report(replay.toString(), e.getMessage());
        }
        Score score = read.score();
        Track melody = score.melody().orElse(null);
        if (melody == null || melody.notes().isEmpty()) return InputFailure.report(replay.toString(), "the file has no melody");
        try (ArrangementModels models = choices.loadModels(threads)) {
            MeterMap heard = MeterInference.decide(score.meter(), melody.notes(), models::classifyBeats).meter();
            TimeSignature signature = heard.changes().get(0);
            MeterMap meterMap = new MeterMap(List.of(signature), heard.pickup() % signature.barTicks());
            double bpm = score.tempo().changeAt(melody.notes().get(0).onset()).bpm();
            LiveSettings settings;
            try {
                settings = new LiveSettings(bpm, meterMap, options, Math.round(lookaheadBeats * signature.beatTicks()), LiveSettings.DEFAULT_CONTEXT_BARS);
            } catch (IllegalArgumentException e) {
                return InputFailure.report("options", e.getMessage());
            }
            List<Track> tracks = new ArrayList<>();
            tracks.add(melody);
            List<ChordSpan> chordSpans;
            ObjectNode json;
            if (url != null) {
                String key = apiKey != null ? apiKey : System.getenv("MERLAI_API_KEY");
                if (key == null) return InputFailure.report("--key", "give the API key with --key or MERLAI_API_KEY");
                LiveApiReplay.Recording recording;
                try {
                    recording = new LiveApiReplay(url.resolve("/v1/live"), key, settings, speed, model).play(melody.notes());
                } catch (LiveApiReplay.Refused refused) {
                    return InputFailure.report(refused.field, "the live API refused the start: " + refused.getMessage());
                }
                tracks.addAll(recording.tracks());
                chordSpans = recording.chords();
                json = recording.figures();
            } else {
                LiveEngine engine = new LiveEngine(new Arranger(models), settings);
                try {
                    json = new LiveReplay(engine, speed).play(melody.notes()).toJson(JSON);
                } catch (ArrangeException e) {
                    return InputFailure.report(replay.toString(), e.getMessage());
                }
                tracks.addAll(engine.accompaniment());
                chordSpans = engine.chords();
            }
            Score recorded = new Score(score.tempo(), meterMap, List.of(), chordSpans, tracks);
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(output, Scores.write(recorded, ScoreFormat.MIDI));
            json.put("tempo", bpm).put("meter", signature.numerator() + "/" + signature.denominator()).put("pickupTicks", meterMap.pickup());
            System.out.println(JSON.writeValueAsString(json));
        }
        return 0;
    }

    /** Plays along with a MIDI device: its note on/off into the engine, the engine's events out at their time. */
    private int playAlong(ArrangeOptions options) throws Exception {
        String[] parts = meter.split("/");
        MeterMap meterMap;
        try {
            meterMap = MeterMap.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (RuntimeException e) {
            return InputFailure.report("--meter", "give a time signature such as 4/4, was '" + meter + "'");
        }
        MidiDevice in = device(midiIn, true), out = device(midiOut, false);
        if (in == null || out == null) return InputFailure.report(in == null ? "--midi-in" : "--midi-out", "no such MIDI device (see merlai live --list)");
        try (ArrangementModels models = choices.loadModels(threads)) {
            LiveSettings settings = new LiveSettings(tempo, meterMap, options, Math.round(lookaheadBeats * meterMap.changes().get(0).beatTicks()),
                    LiveSettings.DEFAULT_CONTEXT_BARS);
            in.open();
            out.open();
            Receiver sink = out.getReceiver();
            LiveClock clock = new LiveClock(new LiveEngine(new Arranger(models), settings), (event, atNanos) -> send(sink, event));
            in.getTransmitter().setReceiver(new Receiver() {
                @Override
                public void send(MidiMessage message, long timeStamp) {
                    if (message instanceof ShortMessage note) clock.melody(note.getCommand(), note.getData1(), note.getData2());
                }

                @Override
                public void close() {
                }
            });
            System.err.println("merlai live: playing along at " + tempo + " bpm in " + meter + "; Enter stops");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                clock.stop();
                stopped.countDown();
            }));
            clock.start();
            System.in.read();
            clock.stop();
            in.close();
            out.close();
        }
        return 0;
    }

    private static void send(Receiver sink, LiveEvent event) {
        try {
            if (event.type() == LiveEvent.Type.CHORD) return;
            int command = event.type() == LiveEvent.Type.ON ? ShortMessage.NOTE_ON : ShortMessage.NOTE_OFF;
            sink.send(new ShortMessage(command, event.channel(), event.pitch(), event.velocity()), -1);
        } catch (javax.sound.midi.InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MidiDevice device(String name, boolean input) throws MidiUnavailableException {
        for (MidiDevice.Info info : MidiSystem.getMidiDeviceInfo()) {
            MidiDevice device = MidiSystem.getMidiDevice(info);
            if (info.getName().equals(name) && (input ? device.getMaxTransmitters() != 0 : device.getMaxReceivers() != 0)) return device;
        }
        return null;
    }
}
