package dev.symgrad.compiler.ir;

/** One position of an {@link Element}: an {@link Index} or a fixed position. */
public sealed interface IndexTerm permits Index, FixedIndex {
}
