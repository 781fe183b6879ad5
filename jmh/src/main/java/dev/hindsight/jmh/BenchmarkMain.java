package dev.hindsight.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the suite: {@code java -jar jmh/target/benchmarks.jar [smoke|quick|full] [include-regex ...] [options]}.
 *
 * <ul>
 *   <li>{@code quick} (default): 1 fork, 2 x 1 s warm-up, 4 x 2 s measurement; the whole suite in about 3 minutes.</li>
 *   <li>{@code full}: 3 forks, 3 x 2 s warm-up, 5 x 5 s measurement.</li>
 *   <li>{@code smoke}: 1 fork, one 0.3 s warm-up, one 0.5 s measurement: checks the suite runs, measures nothing.</li>
 *   <li>include regexes: JMH include patterns (default: the whole suite, {@code dev.hindsight.jmh.*}).</li>
 *   <li>{@code -prof NAME[:opts]}: add a JMH profiler (e.g. {@code stack}, {@code jfr}); {@code gc} is always on
 *       unless {@code --no-gc}.</li>
 *   <li>{@code --json FILE}: also write JMH's JSON result.</li>
 * </ul>
 *
 * <p>Forks get the JVM flags Chronicle and Agrona need ({@code hindsight.jvm.flags} in the parent POM,
 * filtered into {@code dev/hindsight/jmh/jvm-flags.txt}); JMH forks do not inherit surefire's argLine.
 * After the run it prints a compact table and the ratios the targets are stated in.
 */
public final class BenchmarkMain {
    static final String FLAGS_RESOURCE = "/dev/hindsight/jmh/jvm-flags.txt";
    static final double TARGET_THROUGHPUT = 1_000_000;
    static final double TARGET_RATIO = 0.5;
    static final double TARGET_P50_US = 1.5;
    static final double TARGET_P99_US = 5.0;
    static final double TARGET_REPLAY = 5_000_000;
    static final double TARGET_DELIVERY_P50_US = 10.0;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String profile = "quick";
        List<String> includes = new ArrayList<>();
        List<String> extraJvmArgs = new ArrayList<>();
        List<String> profilers = new ArrayList<>();
        boolean gc = true;
        String json = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "smoke":
                case "quick":
                case "full":
                    profile = a;
                    break;
                case "-prof":
                    profilers.add(args[++i]);
                    break;
                case "--no-gc":
                    gc = false;
                    break;
                case "--json":
                    json = args[++i];
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: java -jar benchmarks.jar [smoke|quick|full] [include-regex ...] [-Dprop=value ...] [-prof NAME] [--no-gc] [--json FILE]");
                    return;
                default:
                    if (a.startsWith("-D")) {
                        extraJvmArgs.add(a); // passed to the forks, e.g. -Dhindsight.sequencerSpins=5000
                    } else {
                        includes.add(a);
                    }
            }
        }
        if (includes.isEmpty()) {
            includes.add("dev\\.hindsight\\.jmh\\..*");
        }
        List<String> jvmArgs = new ArrayList<>(jvmFlags());
        jvmArgs.addAll(extraJvmArgs);
        // a fixed heap (less noise), and Chronicle's INFO chatter (file growth, announcer) kept out of the output
        jvmArgs.addAll(List.of("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dchronicle.announcer.disable=true"));

        ChainedOptionsBuilder opts = new OptionsBuilder().jvmArgsAppend(jvmArgs.toArray(new String[0]));
        for (String inc : includes) {
            opts.include(inc);
        }
        if (profile.equals("full")) {
            opts.forks(3).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(5));
        } else if (profile.equals("smoke")) {
            opts.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(500));
        } else {
            opts.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(4).measurementTime(TimeValue.seconds(2));
        }
        if (gc) {
            opts.addProfiler(GCProfiler.class);
        }
        for (String p : profilers) {
            int colon = p.indexOf(':');
            if (colon < 0) {
                opts.addProfiler(p);
            } else {
                opts.addProfiler(p.substring(0, colon), p.substring(colon + 1));
            }
        }
        if (json != null) {
            opts.resultFormat(ResultFormatType.JSON).result(json);
        }
        System.out.println("# Hindsight JMH, profile " + profile + ", includes " + includes + ", fork flags " + jvmArgs);
        Collection<RunResult> results = new Runner(opts.build()).run();
        System.out.println();
        System.out.print(report(results, profile));
    }

    /** @return the fork flags from the filtered resource, split on white space */
    static List<String> jvmFlags() throws IOException {
        try (InputStream in = BenchmarkMain.class.getResourceAsStream(FLAGS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(FLAGS_RESOURCE + " is missing from the jar; rebuild with ./mvnw -pl jmh -am package");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.contains("${")) {
                throw new IllegalStateException(FLAGS_RESOURCE + " was not filtered (" + text + "); build the jar with Maven");
            }
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        }
    }

    // ------------------------------------------------------------------ report

    static String report(Collection<RunResult> results, String profile) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Results (profile ").append(profile).append("; throughput in ops/s, latency in us/op)\n\n");
        sb.append(String.format(Locale.ROOT, "| %-44s | %-6s | %3s | %13s | %11s | %13s | %8s | %8s | %8s | %10s |%n",
                "benchmark", "mode", "thr", "score", "error", "median", "p50", "p99", "p99.9", "alloc B/op"));
        sb.append("|").append("-".repeat(46)).append("|--------|-----|---------------|-------------|---------------|----------|----------|----------|------------|\n");
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            String mode = r.getParams().getMode().shortLabel();
            boolean sample = r.getParams().getMode() == org.openjdk.jmh.annotations.Mode.SampleTime;
            double scale = toStandardUnit(primary.getScoreUnit());
            String p50 = "", p99 = "", p999 = "", median = "";
            if (sample) {
                p50 = fmt(primary.getStatistics().getPercentile(50) * scale);
                p99 = fmt(primary.getStatistics().getPercentile(99) * scale);
                p999 = fmt(primary.getStatistics().getPercentile(99.9) * scale);
            } else {
                median = fmt(primary.getStatistics().getPercentile(50) * scale);
            }
            sb.append(String.format(Locale.ROOT, "| %-44s | %-6s | %3d | %13s | %11s | %13s | %8s | %8s | %8s | %10s |%n",
                    shortName(r), mode, r.getParams().getThreads(), fmt(primary.getScore() * scale),
                    Double.isNaN(primary.getScoreError()) ? "" : "±" + fmt(primary.getScoreError() * scale),
                    median, p50, p99, p999, alloc(r).map(BenchmarkMain::fmt).orElse("")));
        }
        sb.append('\n');
        sb.append("## Ratios and targets\n\n");
        Optional<RunResult> raw = find(results, "rawAppend1P", "thrpt");
        Optional<RunResult> any1 = find(results, "appendAny1P", "thrpt");
        Optional<RunResult> any2 = find(results, "appendAny2P", "thrpt");
        Optional<RunResult> exact1 = find(results, "appendExact1P", "thrpt");
        Optional<RunResult> exact2 = find(results, "appendExact2P", "thrpt");
        for (Optional<RunResult> h : List.of(any1, any2, exact1, exact2)) {
            if (h.isEmpty()) {
                continue;
            }
            double ops = opsPerSecond(h.get());
            sb.append(String.format(Locale.ROOT, "- %s: %s ops/s = %.2fx the 1M ops/s target (%s)",
                    shortName(h.get()), fmt(ops), ops / TARGET_THROUGHPUT, ops >= TARGET_THROUGHPUT ? "met" : "MISSED"));
            if (raw.isPresent()) {
                double ratio = ops / opsPerSecond(raw.get());
                sb.append(String.format(Locale.ROOT, "; / raw Chronicle %s ops/s = %.3f (target >= %.2f: %s)",
                        fmt(opsPerSecond(raw.get())), ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "MISSED"));
            }
            sb.append('\n');
        }
        for (String name : List.of("appendAny1P", "appendAny2P", "appendExact1P", "appendExact2P", "rawAppend1P", "handoff1P")) {
            Optional<RunResult> s = find(results, name, "sample");
            if (s.isEmpty()) {
                continue;
            }
            Result<?> p = s.get().getPrimaryResult();
            double scale = toStandardUnit(p.getScoreUnit());
            double p50 = p.getStatistics().getPercentile(50) * scale;
            double p99 = p.getStatistics().getPercentile(99) * scale;
            boolean floor = name.startsWith("raw") || name.startsWith("handoff");
            sb.append(String.format(Locale.ROOT, "- %s latency: p50 %s us%s, p99 %s us%s%n", name,
                    fmt(p50), floor ? "" : String.format(Locale.ROOT, " (target <= %.1f: %s)", TARGET_P50_US, p50 <= TARGET_P50_US ? "met" : "MISSED"),
                    fmt(p99), floor ? "" : String.format(Locale.ROOT, " (target <= %.1f: %s)", TARGET_P99_US, p99 <= TARGET_P99_US ? "met" : "MISSED")));
        }
        Optional<RunResult> handoff = find(results, "handoff1P", "thrpt");
        if (handoff.isPresent()) {
            sb.append(String.format(Locale.ROOT, "- hand-off floor (queue + spin-wait ack, no work): %s ops/s%s%n",
                    fmt(opsPerSecond(handoff.get())), any1.map(a -> String.format(Locale.ROOT,
                            "; appendAny1P reaches %.3f of it", opsPerSecond(a) / opsPerSecond(handoff.get()))).orElse("")));
        }
        subscriptionRatios(results, sb);
        Optional<RunResult> d1 = find(results, "durableAppend1P", "thrpt");
        Optional<RunResult> d2 = find(results, "durableAppend2P", "thrpt");
        if (d1.isPresent() && d2.isPresent()) {
            sb.append(String.format(Locale.ROOT, "- OS_CRASH group commit: 2P/1P = %.2f (ideal ~2: each sync acknowledges both producers)%n",
                    opsPerSecond(d2.get()) / opsPerSecond(d1.get())));
        }
        return sb.toString();
    }

    /** The subscription targets: replay rate with decoding, append-to-delivery p50, appends with a stalled subscriber. */
    private static void subscriptionRatios(Collection<RunResult> results, StringBuilder sb) {
        Optional<RunResult> raw = find(results, "rawChronicleRead", "thrpt");
        for (String name : List.of("replayDecoded", "replayViewDecoded", "replayViewHeaders")) {
            Optional<RunResult> r = find(results, name, "thrpt");
            if (r.isEmpty()) {
                continue;
            }
            double rate = opsPerSecond(r.get());
            sb.append(String.format(Locale.ROOT, "- %s: %s events/s = %.2fx the 5M events/s target (%s)", name, fmt(rate),
                    rate / TARGET_REPLAY, rate >= TARGET_REPLAY ? "met" : "MISSED"));
            raw.ifPresent(x -> sb.append(String.format(Locale.ROOT, "; / raw Chronicle read %s = %.3f",
                    fmt(opsPerSecond(x)), rate / opsPerSecond(x))));
            sb.append('\n');
        }
        for (String name : List.of("appendToDelivery", "appendToDeliveryCrossProcess", "appendOnly")) {
            Optional<RunResult> s = find(results, name, "sample");
            if (s.isEmpty()) {
                continue;
            }
            Result<?> p = s.get().getPrimaryResult();
            double scale = toStandardUnit(p.getScoreUnit());
            double p50 = p.getStatistics().getPercentile(50) * scale;
            boolean target = !name.equals("appendOnly");
            sb.append(String.format(Locale.ROOT, "- %s: p50 %s us%s, p99 %s us%n", name, fmt(p50),
                    target ? String.format(Locale.ROOT, " (target <= %.0f: %s)", TARGET_DELIVERY_P50_US,
                            p50 <= TARGET_DELIVERY_P50_US ? "met" : "MISSED") : "",
                    fmt(p.getStatistics().getPercentile(99) * scale)));
        }
        Optional<RunResult> none = find(results, "appendNoSubscriber", "thrpt");
        for (String name : List.of("appendStalledSubscriber", "appendLiveSubscriber")) {
            Optional<RunResult> r = find(results, name, "thrpt");
            if (r.isPresent() && none.isPresent()) {
                sb.append(String.format(Locale.ROOT, "- %s / appendNoSubscriber = %s / %s = %.2f%n", name,
                        fmt(opsPerSecond(r.get())), fmt(opsPerSecond(none.get())), opsPerSecond(r.get()) / opsPerSecond(none.get())));
            }
        }
    }

    private static Optional<RunResult> find(Collection<RunResult> results, String method, String modeLabel) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> r.getParams().getMode().shortLabel().equals(modeLabel))
                .findFirst();
    }

    private static double opsPerSecond(RunResult r) {
        Result<?> p = r.getPrimaryResult();
        return p.getScore() * toStandardUnit(p.getScoreUnit());
    }

    /** ops/us, ops/ms -> ops/s; s/op, ms/op, ns/op -> us/op. */
    static double toStandardUnit(String unit) {
        switch (unit) {
            case "ops/ns": return 1e9;
            case "ops/us": return 1e6;
            case "ops/ms": return 1e3;
            case "ops/s": return 1;
            case "ops/min": return 1.0 / 60;
            case "s/op": return 1e6;
            case "ms/op": return 1e3;
            case "us/op": return 1;
            case "ns/op": return 1e-3;
            default: return 1;
        }
    }

    private static Optional<Double> alloc(RunResult r) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return Optional.of(e.getValue().getScore());
            }
        }
        return Optional.empty();
    }

    private static String shortName(RunResult r) {
        String b = r.getParams().getBenchmark();
        String prefix = "dev.hindsight.jmh.";
        return b.startsWith(prefix) ? b.substring(prefix.length()) : b;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 100_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
