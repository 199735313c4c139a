package dev.merlai.music.musicxml;

import dev.merlai.music.Score;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact fraction of quarter notes, for MusicXML times whose unit ({@code <divisions>} per quarter) changes.
 * Arithmetic throws {@link ArithmeticException} on overflow instead of wrapping; the reader turns that into
 * a {@link dev.merlai.music.io.ScoreReadException}.
 */
final class Rational implements Comparable<Rational> {

    static final Rational ZERO = new Rational(0, 1);
    private static final BigDecimal MAX_DECIMAL = BigDecimal.valueOf(1_000_000_000_000L);

    private final long num;
    private final long den;

    private Rational(long num, long den) {
        this.num = num;
        this.den = den;
    }

    static Rational of(long num, long den) {
        if (den == 0) throw new ArithmeticException("zero denominator");
        if (den < 0) {
            num = Math.negateExact(num);
            den = Math.negateExact(den);
        }
        long g = gcd(Math.abs(num), den);
        return g <= 1 ? new Rational(num, den) : new Rational(num / g, den / g);
    }

    /**
     * Parses a MusicXML decimal such as {@code 2}, {@code 1.5} or {@code -0.25}.
     *
     * @throws NumberFormatException when it is not a decimal, has more than 9 decimal places, or is above 10^12
     */
    static Rational parse(String text) {
        BigDecimal value = new BigDecimal(text.trim());
        if (value.abs().compareTo(MAX_DECIMAL) > 0) throw new NumberFormatException("'" + text.trim() + "' is too large");
        value = value.stripTrailingZeros();
        if (value.scale() < 0) value = value.setScale(0);
        if (value.scale() > 9) throw new NumberFormatException("'" + text.trim() + "' has too many decimal places");
        return of(value.unscaledValue().longValueExact(), BigInteger.TEN.pow(value.scale()).longValueExact());
    }

    Rational plus(Rational other) {
        long g = gcd(den, other.den);
        long d = Math.multiplyExact(den / g, other.den);
        long n = Math.addExact(Math.multiplyExact(num, other.den / g), Math.multiplyExact(other.num, den / g));
        return of(n, d);
    }

    Rational minus(Rational other) {
        return plus(new Rational(Math.negateExact(other.num), other.den));
    }

    /** This divided by a non-zero fraction. */
    Rational dividedBy(Rational other) {
        long g1 = gcd(Math.abs(num), Math.abs(other.num));
        long g2 = gcd(den, other.den);
        return of(Math.multiplyExact(num / g1, other.den / g2), Math.multiplyExact(den / g2, other.num / g1));
    }

    int signum() {
        return Long.signum(num);
    }

    /** This many quarter notes in model ticks ({@link Score#TICKS_PER_QUARTER} per quarter), rounded half up. */
    long ticks() {
        long scaled = Math.multiplyExact(num, 2L * Score.TICKS_PER_QUARTER);
        return Math.floorDiv(Math.addExact(scaled, den), Math.multiplyExact(2L, den));
    }

    @Override
    public int compareTo(Rational other) {
        return minus(other).signum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Rational r && r.num == num && r.den == den;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(num) * 31 + Long.hashCode(den);
    }

    @Override
    public String toString() {
        return den == 1 ? Long.toString(num) : num + "/" + den;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
