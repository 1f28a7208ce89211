package dev.hearth.bench.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hearth.bench.distinct.DistinctKeyEvents;
import dev.hearth.bench.distinct.DistinctKeyLoader;
import dev.hearth.bench.distinct.DistinctKeyVerifier;
import dev.hearth.bench.yahoo.ProcessSampler;
import dev.hearth.bench.yahoo.RunFigures;
import dev.hearth.bench.yahoo.WindowCountVerifier;

/**
 * The Kafka side of {@code BENCH_CASE=state-heavy bench/stream-compare.sh}, against a running Apache Kafka broker.
 *
 * <pre>
 * StateHeavyCompare load &lt;bootstrap&gt; &lt;keys&gt;
 * StateHeavyCompare run  &lt;bootstrap&gt; &lt;keys&gt; &lt;at_least_once|exactly_once_v2&gt; &lt;broker pid&gt;
 *                        &lt;state dir&gt; &lt;commit interval ms&gt; &lt;job -Xmx, e.g. 96m&gt;
 * </pre>
 * As {@link StreamCompare}, with {@link StreamsDistinctKeyCountJob} in its own JVM with the given heap, checked by
 * {@link DistinctKeyVerifier} (every key's count), which gives up when the output has been quiet for
 * {@code -Dbench.quiet.seconds} (default 300: a RocksDB-bound job may pause its output for a while).
 */
public final class StateHeavyCompare {

    private StateHeavyCompare() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String bootstrap = args[1];
        int keys = Integer.parseInt(args[2]);
        if (args[0].equals("load")) {
            DistinctKeyLoader.load(bootstrap, keys);
            return;
        }
        String guarantee = args[3];
        long brokerPid = Long.parseLong(args[4]);
        String maxHeap = args[7];
        String run = guarantee.replace('_', '-') + "-" + System.currentTimeMillis();
        String output = "distinct-key-counts-" + run;
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
                "-cp", System.getProperty("java.class.path"), StreamsDistinctKeyCountJob.class.getName(),
                bootstrap, "distinct-" + run, output, guarantee, args[5], args[6]);
        System.out.println("Kafka Streams job JVM -Xmx" + maxHeap + "; " + DistinctKeyEvents.StateSize.of(keys).describe());
        Process job = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (ProcessSampler jobSampler = new ProcessSampler(job.pid());
             ProcessSampler brokerSampler = new ProcessSampler(brokerPid);
             ProcessSampler self = new ProcessSampler(ProcessHandle.current().pid());
             ProcessSampler machine = ProcessSampler.machine()) {
            BufferedReader console = new BufferedReader(new InputStreamReader(job.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = console.readLine();
            if (first == null || !first.startsWith("BENCH launched at ")) {
                throw new IllegalStateException("the Kafka Streams job did not start: " + first);
            }
            long launchMs = Long.parseLong(first.substring("BENCH launched at ".length()).trim());
            Thread drain = new Thread(() -> console.lines().forEach(line -> System.err.println("  [streams] " + line)));
            drain.setDaemon(true);
            drain.start();
            WindowCountVerifier.Result check = DistinctKeyVerifier.await(bootstrap, output, keys,
                    Duration.ofMinutes(60), Duration.ofSeconds(3),
                    Duration.ofSeconds(Long.getLong("bench.quiet.seconds", 300)));
            long endMs = check.endMs();
            double seconds = (endMs - launchMs) / 1e3;
            double jobCpuSeconds = jobSampler.cpuSeconds(launchMs, endMs);
            double brokerCpuSeconds = brokerSampler.cpuSeconds(launchMs, endMs);
            double otherCores = (machine.cpuSeconds(launchMs, endMs) - jobCpuSeconds - brokerCpuSeconds
                    - self.cpuSeconds(launchMs, endMs)) / seconds;
            new RunFigures("Kafka Streams 4.3.1", guarantee + ", 1 thread, RocksDB window store",
                    DistinctKeyEvents.countedEvents(keys) + DistinctKeyEvents.PARTITIONS, seconds, jobCpuSeconds,
                    jobSampler.peakRssMib(launchMs, endMs), brokerCpuSeconds, brokerSampler.peakRssMib(launchMs, endMs),
                    check, Math.max(0, otherCores), keys + " keys; job JVM -Xmx" + maxHeap
                    + " + Kafka broker JVM -Xmx1G").report();
        } finally {
            job.destroy();
            if (!job.waitFor(30, TimeUnit.SECONDS)) {
                job.destroyForcibly();
            }
        }
    }
}
