package dev.symgrad.runtime.optimize;

/** The few vector operations the optimizers need. */
final class Vectors {

    private Vectors() {
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }

    /** The Euclidean norm, scaled so that it neither overflows nor underflows. */
    static double norm(double[] a) {
        double scale = 0;
        for (double value : a) {
            scale = Math.max(scale, Math.abs(value));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double sum = 0;
        for (double value : a) {
            double scaled = value / scale;
            sum += scaled * scaled;
        }
        return scale * Math.sqrt(sum);
    }

    static boolean allFinite(double[] a) {
        for (double value : a) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }
}
