package dev.symgrad.runtime.optimize;

/** {@code out = ∇²f(x)·v}, the Hessian of an {@link Objective} applied to a vector, without forming the Hessian. */
@FunctionalInterface
public interface HessianVectorProduct {

    /** Writes {@code ∇²f(x)·v} to {@code out} (all of the length of x); must not keep the arrays. */
    void apply(double[] x, double[] v, double[] out);
}
