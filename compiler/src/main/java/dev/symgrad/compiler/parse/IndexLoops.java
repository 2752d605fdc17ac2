package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.Statement;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Index;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Lowers a loop in the subset of {@link IndexableLoops} once, with its variable bound to a new
 * {@link Index} over {@code 0 .. N-1}, instead of N times: what the body computes are expressions in
 * that index. Each accumulation into a double declared outside becomes {@code Sum(index, value before,
 * term)}; a write to a local array makes it the comprehension over the loop indices (see
 * {@link ArrayElements#write}); the body's own locals disappear with the loop. The cost is one
 * iteration of lowering, whatever N.
 */
final class IndexLoops {

    private final ExprFactory factory;
    private final ForLoops iterations;
    private final Function<Locals, ExpressionLowering> expressions;
    private final BiConsumer<Statement, Locals> bodies;

    /**
     * @param iterations  counts this loop as one iteration against the bound of all loops together
     * @param expressions lowers expressions over the given variables
     * @param bodies      lowers one statement (a loop's body) over the given variables, updating them
     */
    IndexLoops(ExprFactory factory, ForLoops iterations, Function<Locals, ExpressionLowering> expressions,
               BiConsumer<Statement, Locals> bodies) {
        this.factory = factory;
        this.iterations = iterations;
        this.expressions = expressions;
        this.bodies = bodies;
    }

    /** Lowers {@code loop} as an index loop and returns true, or returns false if it must be unrolled. */
    boolean lower(ForStmt loop, Locals outer) {
        IndexableLoops.Plan plan = IndexableLoops.plan(loop, outer);
        if (plan == null) {
            return false;
        }
        Integer extent = constantBound(plan.header(), outer);
        if (extent == null || extent < 1) {
            // Unrolling reports a bound that is not constant, and runs a loop of no iteration zero times.
            return false;
        }
        iterations.countIteration(loop);
        Index index = factory.index(plan.header().variable(), extent);
        Locals body = outer.indexLoopBody(plan.header().variable(), index, plan.accumulators());
        bodies.accept(loop.getBody(), body);
        for (String name : plan.accumulators()) {
            Expr term = body.accumulated(name);
            if (term == null) {
                throw new IllegalStateException("the accumulation into '" + name + "' is a statement of the body");
            }
            outer.doubles().put(name, factory.sum(index, outer.doubles().get(name), term));
        }
        return true;
    }

    /** N in {@code j < N}, or null where it is not a constant int. */
    private Integer constantBound(IndexableLoops.Header header, Locals outer) {
        try {
            return expressions.apply(outer).lowerConstantInt(header.bound());
        } catch (CompileError e) {
            // The unrolled loop reports it, after its own checks, as it always has.
            return null;
        }
    }
}
