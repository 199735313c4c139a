package dev.merlai.functions.train;

/**
 * What validation made of one file of a training set.
 *
 * @param file     the file name inside the set
 * @param accepted whether it is trained on
 * @param bars     its number of bars (0 when it could not be read)
 * @param reason   why it was rejected; empty when accepted
 */
public record PieceReport(String file, boolean accepted, int bars, String reason) {

    static PieceReport accepted(String file, int bars) {
        return new PieceReport(file, true, bars, "");
    }

    static PieceReport rejected(String file, int bars, String reason) {
        return new PieceReport(file, false, bars, reason);
    }
}
