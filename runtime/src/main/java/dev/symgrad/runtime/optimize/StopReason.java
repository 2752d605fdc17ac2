package dev.symgrad.runtime.optimize;

/** Why a minimization stopped. */
public enum StopReason {
    /** The gradient's Euclidean norm fell to the tolerance: a minimum to that accuracy. */
    GRADIENT_TOLERANCE,
    /** The iteration limit was reached first. */
    MAX_ITERATIONS,
    /** The evaluation limit was reached first. */
    MAX_EVALUATIONS,
    /**
     * No step along the search direction satisfied the strong Wolfe conditions (usually the gradient is
     * inconsistent with the values, or rounding dominates near a minimum).
     */
    LINE_SEARCH_FAILED,
    /** The objective returned a NaN or infinite value or gradient at the starting point. */
    NOT_FINITE
}
