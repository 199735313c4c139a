package dev.merlai.render;

import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.Track;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("AudioPreview renders a score to WAV")
class AudioPreviewTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    /** RMS (fraction of full scale) above which a stretch of audio counts as sound, below which as silence. */
    private static final double SOUND = 0.01, SILENCE = 0.001;

    private static AudioPreview shared;

    /** The SoundFont the specs use; skips the calling spec when there is none on this machine. */
    private static Path soundFont() {
        Path soundFont = AudioPreview.soundFontPath();
        assumeTrue(Files.isRegularFile(soundFont), "no SoundFont at " + soundFont + " (install timgm6mb-soundfont)");
        return soundFont;
    }

    /** The instance the audio specs share (see {@link #soundFont()}). */
    private static synchronized AudioPreview preview() throws IOException {
        if (shared == null) shared = new AudioPreview(soundFont());
        return shared;
    }

    /** Decoded audio: samples per channel, interleaved, as fractions of full scale. */
    private record Audio(AudioFormat format, double[] samples) {
        double seconds() {
            return samples.length / (double) format.getChannels() / format.getSampleRate();
        }

        double rms(double fromSeconds, double toSeconds) {
            int channels = format.getChannels();
            int from = (int) (fromSeconds * format.getSampleRate()) * channels;
            int to = Math.min(samples.length, (int) (toSeconds * format.getSampleRate()) * channels);
            double sum = 0;
            for (int i = from; i < to; i++) sum += samples[i] * samples[i];
            return Math.sqrt(sum / Math.max(1, to - from));
        }
    }

    private static Audio decode(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat format = in.getFormat();
            byte[] bytes = in.readAllBytes();
            double[] samples = new double[bytes.length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8)) / 32768.0;
            }
            return new Audio(format, samples);
        }
    }

    private static Track piano(List<Note> notes, List<PedalSpan> pedal) {
        return new Track("Piano", Role.PIANO, 0, 0, notes, pedal);
    }

    private static Score at60(Track... tracks) {
        return new Score(TempoMap.constant(60), MeterMap.of(4, 4), List.of(), List.of(), List.of(tracks));
    }

    @Test
    void theWavIs16BitPcmAt22050HzStereo() throws Exception {
        byte[] wav = preview().wav(at60(piano(List.of(new Note(60, 100, 0, Q)), List.of())));
        AudioFormat format = decode(wav).format();
        assertEquals(AudioFormat.Encoding.PCM_SIGNED, format.getEncoding());
        assertEquals(16, format.getSampleSizeInBits());
        assertEquals(22_050f, format.getSampleRate());
        assertEquals(2, format.getChannels());
        assertEquals('R', wav[0]);
        assertEquals('W', wav[8]);
    }

    @Test
    void eightQuartersAt60BpmLastEightSecondsPlusTheTail() throws Exception {
        Score score = at60(piano(List.of(new Note(60, 100, 0, 2 * Q), new Note(67, 100, 6 * Q, 2 * Q)), List.of()));
        assertEquals(8 + AudioPreview.TAIL_SECONDS, decode(preview().wav(score)).seconds(), 0.001);
    }

    @Test
    void theTempoMapIsFollowed() throws Exception {
        // 4 quarters at 60 bpm (4 s), then 4 at 120 bpm (2 s); the second note starts at 5 s.
        TempoMap tempo = new TempoMap(List.of(TempoMap.Change.ofBpm(0, 60), TempoMap.Change.ofBpm(4 * Q, 120)));
        Track track = piano(List.of(new Note(60, 100, 0, Q / 2), new Note(64, 100, 6 * Q, 2 * Q)), List.of());
        Audio audio = decode(preview().wav(new Score(tempo, MeterMap.of(4, 4), List.of(), List.of(), List.of(track))));
        assertEquals(6 + AudioPreview.TAIL_SECONDS, audio.seconds(), 0.001);
        assertTrue(audio.rms(3.5, 4.9) < SILENCE, "silent before the second note: " + audio.rms(3.5, 4.9));
        assertTrue(audio.rms(5.0, 5.5) > SOUND, "sound from 5 s: " + audio.rms(5.0, 5.5));
    }

    @Test
    void thereIsSoundWhereNotesAreAndSilenceWhereTheScoreIsSilent() throws Exception {
        Score score = at60(piano(List.of(new Note(60, 100, 0, 2 * Q), new Note(64, 100, 0, 2 * Q), new Note(67, 100, 7 * Q, Q)), List.of()));
        Audio audio = decode(preview().wav(score));
        assertTrue(audio.rms(0, 1) > SOUND, "first second: " + audio.rms(0, 1));
        assertTrue(audio.rms(5, 6.9) < SILENCE, "5..6.9 s: " + audio.rms(5, 6.9));
        assertTrue(audio.rms(7, 7.5) > SOUND, "7..7.5 s: " + audio.rms(7, 7.5));
    }

    @Test
    void louderVelocitiesSoundLouder() throws Exception {
        double soft = decode(preview().wav(at60(piano(List.of(new Note(60, 30, 0, Q)), List.of())))).rms(0, 1);
        double loud = decode(preview().wav(at60(piano(List.of(new Note(60, 120, 0, Q)), List.of())))).rms(0, 1);
        assertTrue(loud > 2 * soft, "loud " + loud + " vs soft " + soft);
    }

    @Test
    void theSustainPedalHoldsNotesAfterTheirEnd() throws Exception {
        List<Note> staccato = List.of(new Note(60, 100, 0, Q / 4), new Note(72, 100, 8 * Q, Q));
        double dry = decode(preview().wav(at60(piano(staccato, List.of())))).rms(2, 3);
        double held = decode(preview().wav(at60(piano(staccato, List.of(new PedalSpan(0, 4 * Q)))))).rms(2, 3);
        assertTrue(held > 10 * dry && held > SILENCE, "pedal held " + held + " vs dry " + dry);
    }

    @Test
    void drumsPlayOnChannel9() throws Exception {
        Track drums = new Track("Drums", Role.DRUMS, 0, Track.DRUM_CHANNEL, List.of(new Note(38, 110, 0, Q), new Note(36, 110, Q, Q)));
        assertTrue(decode(preview().wav(at60(drums))).rms(0, 1) > SOUND);
    }

    @Test
    void tracksThatShareAChannelButNotAProgramEachKeepTheirInstrument() throws Exception {
        List<Note> chord = List.of(new Note(60, 100, 0, 2 * Q), new Note(64, 100, 0, 2 * Q));
        List<Note> line = List.of(new Note(72, 100, Q, 2 * Q));
        Track piano = new Track("Piano", Role.PIANO, 0, 0, chord);
        Track organOnPianoChannel = new Track("Organ", Role.COUNTER_MELODY, 19, 0, line);
        Track organOnChannel1 = new Track("Organ", Role.COUNTER_MELODY, 19, 1, line);
        assertArrayEquals(preview().wav(at60(piano, organOnChannel1)), preview().wav(at60(piano, organOnPianoChannel)));
    }

    @Test
    void theLengthIsCappedAtMaxSeconds() throws Exception {
        AudioPreview capped = new AudioPreview(soundFont(), 3);
        Score score = at60(piano(List.of(new Note(60, 100, 0, 100 * Q)), List.of()));
        assertEquals(3, decode(capped.wav(score)).seconds(), 0.001);
    }

    @Test
    void oneInstanceRendersOnSeveralThreadsAtOnce() throws Exception {
        Score score = at60(piano(List.of(new Note(60, 100, 0, 2 * Q), new Note(64, 90, Q, 2 * Q)), List.of(new PedalSpan(0, 3 * Q))));
        AudioPreview preview = preview();
        byte[] alone = preview.wav(score);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> renders = pool.invokeAll(List.of(() -> preview.wav(score), () -> preview.wav(score), () -> preview.wav(score)));
            for (Future<byte[]> render : renders) assertArrayEquals(alone, render.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theStemsAreOneWavPerTrackOfTheMixLengthThatAddUpToTheMix() throws Exception {
        // Two tracks share channel 0 (one pedal, one program) so that a stem must carry its channel's pedal to add up.
        Track piano = new Track("Piano", Role.PIANO, 0, 0, List.of(new Note(60, 100, 0, Q / 2), new Note(64, 90, 2 * Q, Q)), List.of(new PedalSpan(0, 3 * Q)));
        Track pianoToo = new Track("Piano", Role.COUNTER_MELODY, 0, 0, List.of(new Note(72, 80, Q, Q / 2)));
        Track bass = new Track("Bass / low", Role.BASS, 33, 1, List.of(new Note(36, 110, 0, 4 * Q)));
        Track drums = new Track("Drums", Role.DRUMS, 0, Track.DRUM_CHANNEL, List.of(new Note(38, 110, Q, Q), new Note(36, 110, 2 * Q, Q)));
        Track silent = new Track("", Role.OTHER, 48, 2, List.of());
        Score score = at60(piano, pianoToo, bass, drums, silent);
        Audio mix = decode(preview().wav(score));
        List<AudioPreview.Stem> stems = preview().stems(score);

        assertEquals(List.of("piano.wav", "piano-2.wav", "bass-low.wav", "drums.wav", "track-5.wav"), stems.stream().map(AudioPreview.Stem::name).toList());
        double[] sum = new double[mix.samples().length];
        for (AudioPreview.Stem stem : stems) {
            Audio audio = decode(stem.wav());
            assertEquals(mix.format().toString(), audio.format().toString());
            assertEquals(mix.samples().length, audio.samples().length, stem.name());
            for (int i = 0; i < sum.length; i++) sum[i] += audio.samples()[i];
        }
        for (int i = 0; i < 4; i++) assertTrue(decode(stems.get(i).wav()).rms(0, 4) > SILENCE, stems.get(i).name());
        assertEquals(0, decode(stems.get(4).wav()).rms(0, mix.seconds()));
        // Each 16-bit stem is rounded on its own: the sum may be off by one step per stem.
        double worst = 0;
        for (int i = 0; i < sum.length; i++) worst = Math.max(worst, Math.abs(sum[i] - mix.samples()[i]));
        assertTrue(worst <= stems.size() / 32768.0, "largest difference between the stems' sum and the mix: " + worst * 32768 + " steps");
    }

    @Test
    void anEmptyScoreIsRejected() throws IOException {
        AudioPreview preview = preview();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> preview.wav(Score.of(List.of())));
        assertTrue(e.getMessage().contains("no notes"));
    }

    @Test
    void aMissingSoundFontIsAClearIOException() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> new AudioPreview(Path.of("/nonexistent/gm.sf2")));
        assertTrue(e.getMessage().contains("SoundFont not found"), e.getMessage());
    }

    @Test
    void aFileThatIsNoSoundFontIsAnIOException(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.sf2"), "not a soundfont");
        assertThrows(IOException.class, () -> new AudioPreview(bogus));
    }
}
