package dev.symgrad.cli;

/** A batch as columns, one per input of the loss, in the loss's input order. */
record Batch(double[][] columns, int size) {
}
