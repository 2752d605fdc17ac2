package dev.symgrad.examples.data;

/**
 * Feature standardization {@code (x - mean) / std} with the mean and (population) standard deviation of
 * the training rows, applied unchanged to test rows, as scikit-learn's {@code StandardScaler} does.
 */
public final class Standardizer {

    private final double[] means;
    private final double[] deviations;

    private Standardizer(double[] means, double[] deviations) {
        this.means = means;
        this.deviations = deviations;
    }

    /** Fitted to {@code features[c][i]}; a constant column keeps scale 1. */
    public static Standardizer fit(double[][] features) {
        double[] means = new double[features.length];
        double[] deviations = new double[features.length];
        for (int c = 0; c < features.length; c++) {
            double[] column = features[c];
            double sum = 0;
            for (double value : column) {
                sum += value;
            }
            double mean = sum / column.length;
            double squares = 0;
            for (double value : column) {
                squares += (value - mean) * (value - mean);
            }
            double deviation = Math.sqrt(squares / column.length);
            means[c] = mean;
            deviations[c] = deviation > 0 ? deviation : 1;
        }
        return new Standardizer(means, deviations);
    }

    /** New standardized columns. */
    public double[][] apply(double[][] features) {
        double[][] scaled = new double[features.length][];
        for (int c = 0; c < features.length; c++) {
            scaled[c] = new double[features[c].length];
            for (int i = 0; i < features[c].length; i++) {
                scaled[c][i] = (features[c][i] - means[c]) / deviations[c];
            }
        }
        return scaled;
    }
}
