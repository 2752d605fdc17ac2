package com.example;

public final class Losses {
    static double perExampleLoss(double w, double x) {
        double z = w * x;
        return Math.floor(z) * z;
    }
}
