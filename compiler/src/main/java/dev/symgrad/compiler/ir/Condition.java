package dev.symgrad.compiler.ir;

/** A boolean node, used only as the test of a {@link Conditional}. */
public sealed interface Condition extends Node permits BooleanConstant, Comparison, Logical, Not, IndexComparison {

    /** Calls the visitor method for this node's kind. */
    <R> R accept(ConditionVisitor<R> visitor);
}
