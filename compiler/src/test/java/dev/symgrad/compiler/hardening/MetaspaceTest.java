package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiling 100,000 distinct losses one after another in a JVM whose metaspace is capped at 64 MB
 * succeeds: generated classes are unloaded once unused, and the compile cache keeps only its bound. At
 * about 1.4 KB of metaspace per class, 100,000 classes that stayed loaded would need twice the cap.
 *
 * <p>The work runs in a child JVM ({@link ManyDistinctLosses}) started with the current {@code java} and
 * the test class path, since the cap must be set at JVM start. It takes about 50 s on a 2-core machine;
 * {@code -Dsymgrad.metaspace.losses=N} changes the count.
 */
class MetaspaceTest {

    private static final int LOSSES = Integer.getInteger("symgrad.metaspace.losses", 100_000);
    private static final long CAP = 64L * 1024 * 1024;
    private static final Pattern REPORT = Pattern.compile(
            "metaspace compiled=(\\d+) used=(\\d+) committed=(\\d+) loaded=(\\d+) unloaded=(\\d+)");

    private record Report(int compiled, long used, long committed, long loaded, long unloaded) {
    }

    @Test
    void compilesAHundredThousandDistinctLossesInSixtyFourMegabytesOfMetaspace(@TempDir Path directory)
            throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.run(directory, Duration.ofMinutes(10), List.of("-XX:MaxMetaspaceSize=64m", "-Xmx256m"),
                ManyDistinctLosses.class, Integer.toString(LOSSES));
        String log = child.output();
        System.out.println("child JVM (-XX:MaxMetaspaceSize=64m) compiling " + LOSSES + " losses:\n" + log);
        assertTrue(child.finished(), "the child JVM did not finish in 10 minutes:\n" + log);
        assertEquals(0, child.exitValue(), () -> "the child JVM failed:\n" + log);
        assertTrue(log.contains("done"), log);

        List<Report> reports = new ArrayList<>();
        Matcher matcher = REPORT.matcher(log);
        while (matcher.find()) {
            reports.add(new Report(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5))));
        }
        assertEquals(11, reports.size(), log);
        Report last = reports.get(reports.size() - 1);
        assertEquals(LOSSES, last.compiled());
        for (Report report : reports) {
            assertTrue(report.committed() <= CAP, () -> "metaspace committed beyond the cap: " + report);
        }
        // Each loss defines one class; most of them must have been unloaded for all to fit.
        assertTrue(last.loaded() >= LOSSES, log);
        assertTrue(last.unloaded() >= LOSSES / 2, () -> "only " + last.unloaded() + " classes were unloaded:\n" + log);
    }
}
