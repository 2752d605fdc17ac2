package dev.symgrad.runtime.optimize;

/**
 * A step length along a descent direction satisfying the strong Wolfe conditions
 *
 * <pre>  φ(α) ≤ φ(0) + c₁·α·φ'(0)   and   |φ'(α)| ≤ c₂·|φ'(0)|,   φ(α) = f(x + α·d),</pre>
 *
 * by Nocedal and Wright's Algorithm 3.5 (bracketing, doubling the step) and 3.6 (zoom), with the cubic
 * interpolation of their equation 3.59 safeguarded by bisection. Every trial evaluates f and ∇f together
 * (as an {@link Objective} does), so φ' is known at every trial point.
 *
 * <p>Near a minimum the decrease c₁·α·φ'(0) falls below what f's rounding can show (a loss of 100 whose
 * gradient norm is 1e-9 is within 1e-18 of its minimum, far below its last bit), and a search on values
 * alone would fail. So, as Hager and Zhang's approximate Wolfe conditions do, a trial whose value is within
 * {@link #FLAT}·|φ(0)| of φ(0) counts as decreased, and the curvature condition decides.
 */
final class StrongWolfeLineSearch {

    /** Sufficient decrease, as in Nocedal and Wright and SciPy. */
    static final double C1 = 1e-4;
    /** Curvature, for quasi-Newton directions. */
    static final double C2 = 0.9;
    /** Relative change of f taken as rounding: values this close to φ(0) count as decreased. */
    static final double FLAT = 1e-12;
    /** Most trials in one search. */
    static final int MAX_TRIALS = 40;

    /** An accepted trial: its step, value, gradient and directional derivative. */
    record Trial(double alpha, double value, double[] gradient, double derivative) {
    }

    private final Objective objective;
    private final double[] x;
    private final double[] direction;
    private final double[] point;
    private final double value0;
    private final double derivative0;
    private int evaluations;

    StrongWolfeLineSearch(Objective objective, double[] x, double value0, double derivative0, double[] direction) {
        this.objective = objective;
        this.x = x;
        this.direction = direction;
        this.point = new double[x.length];
        this.value0 = value0;
        this.derivative0 = derivative0;
    }

    /** Calls of the objective so far. */
    int evaluations() {
        return evaluations;
    }

    /** A step satisfying the strong Wolfe conditions, trying {@code initial} first; null if none was found. */
    Trial search(double initial) {
        Trial previous = new Trial(0, value0, null, derivative0);
        double alpha = initial;
        for (int i = 1; evaluations < MAX_TRIALS; i++) {
            Trial trial = evaluate(alpha);
            if (!Double.isFinite(trial.value) || !Double.isFinite(trial.derivative)) {
                // Too far: the function overflowed or left its domain. Come back halfway.
                alpha = 0.5 * (previous.alpha + alpha);
                continue;
            }
            if (!decreased(trial) || i > 1 && trial.value >= previous.value && trial.value > flatLimit()) {
                return zoom(previous, trial);
            }
            if (Math.abs(trial.derivative) <= -C2 * derivative0) {
                return trial;
            }
            if (trial.derivative >= 0) {
                return zoom(trial, previous);
            }
            previous = trial;
            alpha *= 2;
        }
        return null;
    }

    /**
     * Algorithm 3.6: {@code low} satisfies sufficient decrease and has the lower value; the interval
     * between low and high contains steps satisfying the strong Wolfe conditions.
     */
    private Trial zoom(Trial low, Trial high) {
        while (evaluations < MAX_TRIALS) {
            double alpha = interpolate(low, high);
            Trial trial = evaluate(alpha);
            if (!Double.isFinite(trial.value) || !decreased(trial)
                    || trial.value >= low.value && trial.value > flatLimit()) {
                high = trial;
            } else {
                if (Math.abs(trial.derivative) <= -C2 * derivative0) {
                    return trial;
                }
                if (trial.derivative * (high.alpha - low.alpha) >= 0) {
                    high = low;
                }
                low = trial;
            }
            if (Math.abs(high.alpha - low.alpha) <= 1e-16 * Math.max(1, Math.abs(low.alpha))) {
                break;
            }
        }
        // The interval has collapsed: take the best point if it decreased f enough.
        return low.gradient != null && decreased(low) ? low : null;
    }

    /** Sufficient decrease, or a value within rounding of φ(0). */
    private boolean decreased(Trial trial) {
        return trial.value <= value0 + C1 * trial.alpha * derivative0 || trial.value <= flatLimit();
    }

    private double flatLimit() {
        return value0 + FLAT * Math.abs(value0) + Double.MIN_NORMAL;
    }

    /**
     * The minimizer of the cubic through both ends' values and derivatives (Nocedal and Wright, 3.59), or
     * the midpoint where that is undefined or within a tenth of the interval from either end.
     */
    static double interpolate(Trial a, Trial b) {
        double lo = Math.min(a.alpha, b.alpha);
        double hi = Math.max(a.alpha, b.alpha);
        double middle = 0.5 * (lo + hi);
        if (!Double.isFinite(b.value) || !Double.isFinite(b.derivative)) {
            return middle;
        }
        double d1 = a.derivative + b.derivative - 3 * (a.value - b.value) / (a.alpha - b.alpha);
        double discriminant = d1 * d1 - a.derivative * b.derivative;
        if (!(discriminant >= 0)) {
            return middle;
        }
        double d2 = Math.signum(b.alpha - a.alpha) * Math.sqrt(discriminant);
        double alpha = b.alpha - (b.alpha - a.alpha) * (b.derivative + d2 - d1) / (b.derivative - a.derivative + 2 * d2);
        double margin = 0.1 * (hi - lo);
        return alpha >= lo + margin && alpha <= hi - margin ? alpha : middle;
    }

    private Trial evaluate(double alpha) {
        for (int k = 0; k < x.length; k++) {
            point[k] = x[k] + alpha * direction[k];
        }
        double[] gradient = new double[x.length];
        double value = objective.valueAndGradient(point, gradient);
        evaluations++;
        double derivative = Vectors.allFinite(gradient) ? Vectors.dot(gradient, direction) : Double.NaN;
        return new Trial(alpha, value, gradient, derivative);
    }
}
