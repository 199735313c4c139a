package dev.merlai.functions.train;

import dev.merlai.arranger.grid.MeterInference;
import dev.merlai.arranger.model.DownbeatModel;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.Scores;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.ObjectTooLargeException;
import dev.merlai.storage.StoredObject;
import dev.merlai.storage.StorageLayout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a training set: every file is read through the music module (MIDI, MusicXML or Merlai JSON), must have
 * a melody and accompaniment (notes on a piano, bass, counter-melody or other pitched track) and at least
 * {@code merlai.training.min-bars} bars. Files that fail are reported with the reason and left out; the set is
 * usable when at least {@code merlai.training.min-pieces} pieces pass. Each piece is put on the bar lines the arranger
 * would use for it ({@link MeterInference}: the file's own when they fit the melody), so that performed MIDI with a
 * wrong meter trains on the right bars.
 */
@ApplicationScoped
public class TrainingSets {

    /** The accepted pieces as Merlai JSON (file name -> bytes), and a report for every file of the set. */
    public record Validation(Map<String, byte[]> accepted, List<PieceReport> report) {
    }

    @Inject
    ObjectStore store;

    @Inject
    TrainingSettings settings;

    /** The shipped downbeat model, loaded on the first set checked and kept: the arranger's bar lines for every piece. */
    private DownbeatModel downbeats;

    private synchronized DownbeatModel downbeats() {
        if (downbeats == null) {
            try {
                downbeats = DownbeatModel.loadShipped();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("the arranger jar's downbeat model cannot be loaded", e);
            }
        }
        return downbeats;
    }

    @jakarta.annotation.PreDestroy
    synchronized void close() {
        if (downbeats != null) downbeats.close();
    }

    public Validation validate(String tenant, String set) {
        String prefix = StorageLayout.trainingSet(tenant, set);
        Map<String, byte[]> accepted = new LinkedHashMap<>();
        List<PieceReport> report = new ArrayList<>();
        List<String> keys = store.list(prefix).stream().filter(k -> !k.endsWith("/")).sorted().toList();
        for (String key : keys) {
            String file = key.substring(prefix.length());
            if (report.size() >= settings.maxPieces()) {
                report.add(PieceReport.rejected(file, 0, "the set holds more than " + settings.maxPieces() + " files; this one was not read"));
                continue;
            }
            byte[] bytes;
            try {
                bytes = store.getAtMost(key, TrainingRoutes.PIECE_LIMIT).map(StoredObject::bytes).orElse(null);
            } catch (ObjectTooLargeException e) {
                report.add(PieceReport.rejected(file, 0, e.getMessage()));
                continue;
            }
            if (bytes == null) continue; // deleted while listing
            Checked checked = check(file, bytes);
            report.add(checked.report());
            if (checked.report().accepted()) accepted.put(jsonName(file), ScoreJson.write(checked.score()));
        }
        return new Validation(accepted, report);
    }

    /** Why a set that passed file by file still cannot be trained on, or empty when it can. */
    public String setProblem(Validation validation) {
        if (validation.report().isEmpty()) return "the training set is empty: upload pieces first";
        if (validation.accepted().size() < settings.minPieces()) {
            return "only " + validation.accepted().size() + " of " + validation.report().size() + " pieces can be trained on; at least "
                    + settings.minPieces() + " are needed";
        }
        return "";
    }

    /** One file's verdict, and its score on the arranger's bar lines when it could be read. */
    public record Checked(PieceReport report, Score score) {
    }

    /** Reads and checks one file of a set. */
    public Checked check(String file, byte[] bytes) {
        try {
            Score score = onArrangerBars(Scores.read(bytes, file, ReadOptions.DEFAULT).score());
            return new Checked(check(file, score), score);
        } catch (ScoreReadException e) {
            return new Checked(PieceReport.rejected(file, 0, "unreadable: " + e.getMessage()), null);
        }
    }

    private Score onArrangerBars(Score score) {
        return score.melody().filter(m -> !m.notes().isEmpty())
                .map(m -> score.withMeter(MeterInference.decide(score.meter(), m.notes(), downbeats()).meter()))
                .orElse(score);
    }

    PieceReport check(String file, Score score) {
        int bars = score.meter().bars(score.endTick()).size();
        if (score.melody().map(t -> t.notes().isEmpty()).orElse(true)) return PieceReport.rejected(file, bars, "no melody found");
        long accompaniment = score.tracks().stream().filter(t -> t.role().isAccompaniment()).mapToLong(t -> t.notes().size()).sum();
        if (accompaniment == 0) return PieceReport.rejected(file, bars, "no accompaniment found: only the melody has notes");
        if (bars < settings.minBars()) return PieceReport.rejected(file, bars, bars + " bars; a piece needs at least " + settings.minBars());
        return PieceReport.accepted(file, bars);
    }

    /** {@code song.mxl -> song.json}; a nested path keeps its folders joined by '_' so names stay unique. */
    static String jsonName(String file) {
        String flat = file.replace('/', '_');
        int dot = flat.lastIndexOf('.');
        return (dot > 0 ? flat.substring(0, dot) : flat) + ".json";
    }
}
