package com.example;

import java.util.Arrays;

public final class App {
    public static void main(String[] args) {
        double[] twoWays = LossesGradients.perExampleLossEquivalentTwoWays(1.0, new double[] {1.0, 2.0});
        double[] gradient = LossesGradients.squaredErrorGradientOfSum(1.0, 0.0, new double[] {1, 2}, new double[] {1, 1});
        if (!Arrays.equals(twoWays, new double[] {10.0, 10.0}) || !Arrays.equals(gradient, new double[] {4.0, 2.0})) {
            throw new AssertionError(Arrays.toString(twoWays) + " " + Arrays.toString(gradient));
        }
        System.out.println("APP OK equivalentTwoWays=" + Arrays.toString(twoWays) + " gradientOfSum=" + Arrays.toString(gradient));
    }
}
