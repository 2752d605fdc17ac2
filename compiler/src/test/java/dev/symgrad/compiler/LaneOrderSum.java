package dev.symgrad.compiler;

/**
 * The summation order the generated reduce kernels document: four lanes by example index, the last
 * {@code (to - from) mod 4} examples into lane 0, combined as {@code (a0 + a1) + (a2 + a3)}. Tests use it
 * to expect sums bit for bit from per-example values.
 */
public final class LaneOrderSum {

    private LaneOrderSum() {
    }

    public static double of(double[] values, int from, int to) {
        double[] lanes = new double[4];
        int i = from;
        for (; i < to - 3; i += 4) {
            for (int lane = 0; lane < 4; lane++) {
                lanes[lane] += values[i + lane];
            }
        }
        for (; i < to; i++) {
            lanes[0] += values[i];
        }
        return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    }
}
