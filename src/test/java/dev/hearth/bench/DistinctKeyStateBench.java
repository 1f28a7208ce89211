package dev.hearth.bench;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.hearth.bench.distinct.DistinctKeyEvents;
import dev.hearth.bench.distinct.DistinctKeyLoader;
import dev.hearth.bench.distinct.DistinctKeyVerifier;
import dev.hearth.bench.yahoo.ProcessSampler;
import dev.hearth.bench.yahoo.RunFigures;
import dev.hearth.bench.yahoo.WindowCountVerifier;
import dev.hearth.platform.HearthServer;

/**
 * The state-heavy streaming benchmark on Hearth (not a test: run by {@code BENCH_CASE=state-heavy
 * bench/stream-compare.sh}, never by {@code mvn verify}). {@link DistinctKeyEvents} (N distinct keys in one
 * 1-hour window) are written once into a fresh Hearth; then Hearth is restarted on the same data, with a heap
 * smaller than the state, and {@link DistinctKeyCountJob} deployed in its WAR, and the job counts the backlog
 * into its persistent window store. Measured as {@code StreamJobBench}: from the job's launch to the moment every
 * key's count read back from the output topic (read_committed) was correct; CPU and RSS of the whole Payara Micro
 * process.
 *
 * <p>System properties: {@code bench.keys} (default 2,000,000), {@code bench.hearth.xmx} (the Payara Micro JVM's
 * {@code -Xmx}, default 256m), {@code bench.workers} (job workers, default 1), {@code bench.quiet.seconds} (how long the output may
 * stay quiet before the verifier gives up, default 300), {@code bench.commit.interval.ms},
 * {@code bench.results} (a file the result line is appended to).
 */
class DistinctKeyStateBench {

    private static final int KEYS = Integer.getInteger("bench.keys", 2_000_000);
    private static final String MAX_HEAP = System.getProperty("bench.hearth.xmx", "256m");
    /** How long the output may stay quiet before the verifier gives up: Hearth writes every count at the window's close. */
    private static final long QUIET_SECONDS = Long.getLong("bench.quiet.seconds", 300);
    private static final String WORKERS = System.getProperty("bench.workers", "1");
    private static final Pattern LAUNCHED = Pattern.compile("BENCH job launched at (\\d+)");

    @Test
    void distinctKeyCounts() {
        System.out.println("Hearth Payara Micro JVM -Xmx" + MAX_HEAP + " (broker + job + server); "
                + DistinctKeyEvents.StateSize.of(KEYS).describe());
        HearthServer loader = HearthServer.onFreshDataDir("bench-distinct-load")
                .with("hearth.flush.interval.ms", "1000").start();
        Path dataDir = loader.dataDir();
        try {
            DistinctKeyLoader.load(loader.bootstrapServers(), KEYS);
            loader.stop();
        } finally {
            loader.close();
        }

        HearthServer server = new HearthServer(dataDir, "bench-distinct-job").deploying(benchWar())
                .withMaxHeap(MAX_HEAP)
                .with("hearth.flush.interval.ms", "1000").with("hearth.jobs.workers", WORKERS);
        String commitIntervalMs = System.getProperty("bench.commit.interval.ms");
        if (commitIntervalMs != null) {
            server.with("hearth.jobs.commit.interval.ms", commitIntervalMs);
        }
        try (server; ProcessSampler sampler = new ProcessSampler(server.launch().pid());
             ProcessSampler self = new ProcessSampler(ProcessHandle.current().pid());
             ProcessSampler machine = ProcessSampler.machine()) {
            server.awaitReady();
            WindowCountVerifier.Result check = DistinctKeyVerifier.await(server.bootstrapServers(),
                    DistinctKeyCountJob.OUTPUT_TOPIC, KEYS, Duration.ofMinutes(60), Duration.ofSeconds(3),
                    Duration.ofSeconds(QUIET_SECONDS));
            // The log file is appended to across runs: this run's launch is the last one logged.
            Matcher launched = LAUNCHED.matcher(server.log());
            long launchMs = -1;
            while (launched.find()) {
                launchMs = Long.parseLong(launched.group(1));
            }
            if (launchMs < 0) {
                throw new AssertionError("the job never logged its launch; see " + server.logFile());
            }
            long endMs = check.endMs();
            double seconds = (endMs - launchMs) / 1e3;
            double jobCpuSeconds = sampler.cpuSeconds(launchMs, endMs);
            double otherCores = (machine.cpuSeconds(launchMs, endMs) - jobCpuSeconds
                    - self.cpuSeconds(launchMs, endMs)) / seconds;
            new RunFigures("Hearth", "exactly-once, " + WORKERS + " worker(s), RocksDB window store",
                    DistinctKeyEvents.countedEvents(KEYS) + DistinctKeyEvents.PARTITIONS, seconds, jobCpuSeconds,
                    sampler.peakRssMib(launchMs, endMs), -1, -1, check, Math.max(0, otherCores),
                    KEYS + " keys; Payara Micro JVM -Xmx" + MAX_HEAP + ": broker + job + server").report();
            server.stop();
        }
    }

    private static Path benchWar() {
        File target = HearthServer.workDir().resolve("hearth-with-distinct-key-job.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(DistinctKeyCountJob.class, DistinctKeyEvents.class, DistinctKeyEvents.Event.class,
                        DistinctKeyEvents.StateSize.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
