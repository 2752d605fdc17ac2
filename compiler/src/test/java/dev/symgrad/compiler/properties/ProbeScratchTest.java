package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import java.util.*;

class ProbeScratchTest {
    @Test
    void probe() {
        String[] exprs = {
            "(x > 0 ? 1 : 2) / 2",
            "(true ? 1 : 2) / 2",
            "Math.log(w) * 0 == 0 ? 1.0 : 2.0",
            "x > 0 ? Math.sqrt(w) : 0",
            "Math.abs(w)",
            "Math.max(w, b)",
            "Math.pow(w, b)",
        };
        double[] params = {-1, -1};
        double[] ex = {-1, 0};
        for (String e : exprs) {
            try {
                CompiledLoss l = Symgrad.compile(e, List.of("w", "b"), List.of("x", "y"));
                System.out.println(e + " -> " + l.expression() + " loss=" + l.loss(params, ex) + " grad=" + Arrays.toString(l.gradient(params, ex)));
                System.out.println("   at 0,0: loss=" + l.loss(new double[]{0,0}, new double[]{1,1}) + " grad=" + Arrays.toString(l.gradient(new double[]{0,0}, new double[]{1,1})));
            } catch (RuntimeException ex2) { System.out.println(e + " -> " + ex2); }
        }
    }
}
