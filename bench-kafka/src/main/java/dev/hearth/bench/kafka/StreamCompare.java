package dev.hearth.bench.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.hearth.bench.yahoo.AdEventLoader;
import dev.hearth.bench.yahoo.AdEvents;
import dev.hearth.bench.yahoo.ProcessSampler;
import dev.hearth.bench.yahoo.RunFigures;
import dev.hearth.bench.yahoo.WindowCountVerifier;

/**
 * The Kafka side of {@code bench/stream-compare.sh}, against a running Apache Kafka broker.
 *
 * <pre>
 * StreamCompare load &lt;bootstrap&gt; &lt;events&gt;
 * StreamCompare run  &lt;bootstrap&gt; &lt;events&gt; &lt;at_least_once|exactly_once_v2&gt; &lt;broker pid&gt;
 *                    &lt;state dir&gt; &lt;commit interval ms&gt;
 * </pre>
 * {@code run} starts {@link StreamsCampaignCountJob} in its own JVM (same class path, {@code -Xmx512m}) with a
 * fresh application id and output topic, samples that JVM and the broker from {@code /proc}, reads the output
 * until every window's latest count is the expected one, stops the job and reports like Hearth's
 * {@code StreamJobBench} (to {@code -Dbench.results}).
 */
public final class StreamCompare {

    private StreamCompare() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String bootstrap = args[1];
        long events = Long.parseLong(args[2]);
        if (args[0].equals("load")) {
            AdEventLoader.load(bootstrap, events);
            return;
        }
        String guarantee = args[3];
        long brokerPid = Long.parseLong(args[4]);
        Map<String, Long> expected = AdEvents.expectedCounts(events);
        String run = guarantee.replace('_', '-') + "-" + System.currentTimeMillis();
        String output = "ad-campaign-counts-" + run;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
                "-cp", System.getProperty("java.class.path"), StreamsCampaignCountJob.class.getName(),
                bootstrap, "yahoo-" + run, output, guarantee, args[5], args[6]));
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
            WindowCountVerifier.Result check = WindowCountVerifier.await(bootstrap, output, expected,
                    Duration.ofMinutes(30), Duration.ofSeconds(3), Duration.ofSeconds(30));
            long endMs = check.endMs();
            double seconds = (endMs - launchMs) / 1e3;
            double jobCpuSeconds = jobSampler.cpuSeconds(launchMs, endMs);
            double brokerCpuSeconds = brokerSampler.cpuSeconds(launchMs, endMs);
            double otherCores = (machine.cpuSeconds(launchMs, endMs) - jobCpuSeconds - brokerCpuSeconds
                    - self.cpuSeconds(launchMs, endMs)) / seconds;
            new RunFigures("Kafka Streams 4.3.1", guarantee + ", 1 thread", events, seconds, jobCpuSeconds,
                    jobSampler.peakRssMib(launchMs, endMs), brokerCpuSeconds, brokerSampler.peakRssMib(launchMs, endMs),
                    check, Math.max(0, otherCores), "job JVM -Xmx512m + Kafka broker JVM -Xmx1G").report();
        } finally {
            job.destroy();
            if (!job.waitFor(30, TimeUnit.SECONDS)) {
                job.destroyForcibly();
            }
        }
    }
}
