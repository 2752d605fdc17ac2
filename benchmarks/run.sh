#!/usr/bin/env bash
# Runs the benchmark suite on JDK 17 and JDK 25, and PyTorch's digits rows if python3 with torch is installed
# (benchmarks/pytorch-digits.sh), and writes docs/benchmarks.md.
# Takes about 90 minutes; run it on an otherwise idle machine. Results go to benchmarks/target/results.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
results=benchmarks/target/results
jar=benchmarks/target/benchmarks.jar

mvn -B -q -Dstyle.color=never -DskipTests -Dinvoker.skip -pl benchmarks -am package
mkdir -p "$results"
{
    grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'
    echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
    uname -sr
} > "$results/machine.txt"
echo "every file: $(date -u +%F) (benchmarks/run.sh)" > "$results/dates.txt"

for version in 17 25; do
    jdk_var="JDK$version"
    java="${!jdk_var}/bin/java"
    run() { "$java" -jar "$jar" "$@"; }
    echo "=== JDK $version: routes (fast implementations, both N)"
    run RouteBenchmark -p implementation=symgradRuntime,symgradBuildTime,best,straightforward \
        -rf json -rff "$results/$version-routes.json"
    echo "=== JDK $version: routes (forward-mode AD and the interpreter, N = 1000)"
    run RouteBenchmark -p implementation=hipparchusGradient,hipparchusDerivativeStructure,interpreter -p n=1000 \
        -rf json -rff "$results/$version-slow.json"
    echo "=== JDK $version: map loops without SuperWord"
    run 'RouteBenchmark.perExampleGradients' -p implementation=symgradRuntime,best -p n=1000 \
        -jvmArgsAppend -XX:-UseSuperWord -rf json -rff "$results/$version-nosuperword.json"
    echo "=== JDK $version: compile latency"
    run CompileLatencyBenchmark -rf json -rff "$results/$version-compile.json"
    run ColdCompileBenchmark -rf json -rff "$results/$version-cold.json"
    echo "=== JDK $version: route (b) at N = 1,000, three forks, scalar and auto (issue 18)"
    run 'RouteBenchmark.gradientOfSum' -p n=1000 -p implementation=symgradRuntime,best -f 3 -wi 10 -i 10 \
        -rf json -rff "$results/$version-smallbatch.json"
    run 'RouteBenchmark.gradientOfSum' -p n=1000 -p implementation=symgradRuntime,best -f 3 -wi 10 -i 10 \
        -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms2g -Xmx2g" -rf json -rff "$results/$version-smallbatch-auto.json"
    echo "=== JDK $version: first calls per backend"
    "$java" -cp "$jar" dev.symgrad.benchmarks.WarmUpReport > "$results/$version-warmup.md"
    echo "=== JDK $version: route (b) on 1 and 2 threads, N = 10,000,000"
    run ParallelBenchmark -rf json -rff "$results/$version-parallel.json"
    echo "=== JDK $version: the SIMD backend against the scalar backend and the best loops"
    # A command-line -jvmArgsAppend replaces the benchmark's own, so the heap options are repeated.
    # Longer warm-up: C2 compiles the vector loops seconds later than the scalar ones, and until then they
    # run boxed, far slower than scalar code (W4's first 1,000,000-example call takes about 3 s).
    run RouteBenchmark -p implementation=symgradVector,symgradScalar,best -wi 5 -w 1s -i 5 \
        -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms2g -Xmx2g" -rf json -rff "$results/$version-vector.json"
    run ParallelBenchmark -p workload=W3,W4 -p n=1000000,10000000 -wi 5 -i 5 \
        -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g" -rf json -rff "$results/$version-vector-parallel.json"
    echo "=== JDK $version: a data-dependent conditional, masks against jumps"
    run ConditionalBenchmark -rf json -rff "$results/$version-conditional.json"
    echo "=== JDK $version: P = 31 logistic loss and fused clipping"
    run ClippingBenchmark -rf json -rff "$results/$version-clipping.json"
    echo "=== JDK $version: W6-W8 on the digits against hand-written Java (issue 15)"
    run DigitsModelBenchmark -rf json -rff "$results/$version-digits.json"
    echo "=== JDK $version: W5"
    "$java" -cp "$jar" dev.symgrad.benchmarks.LargeLossReport > "$results/$version-w5.txt"
    "$java" -XX:+PrintCompilation -cp "$jar" dev.symgrad.benchmarks.LargeLossReport \
        | grep -cE 'GeneratedLoss.*::(compute|example[0-9]+\$)' | sed 's/^/w5.jitCompiledKernelMethodEvents=/' >> "$results/$version-w5.txt" || true
done

echo "=== PyTorch: W6-W8 on the digits (issue 15)"
rm -f "$results/pytorch-digits.md"
benchmarks/pytorch-digits.sh "$results/pytorch-digits.md"

# The raw JMH results are kept beside the report.
mkdir -p docs/benchmark-results
cp "$results"/* docs/benchmark-results/
"$JDK17/bin/java" -cp "$jar" dev.symgrad.benchmarks.BenchmarkReport docs/benchmark-results docs/benchmarks.md
echo "wrote docs/benchmarks.md"
