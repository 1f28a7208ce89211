package dev.hearth.bench;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.hearth.bench.yahoo.AdEventFields;
import dev.hearth.bench.yahoo.AdEventLoader;
import dev.hearth.bench.yahoo.AdEvents;
import dev.hearth.bench.yahoo.ProcessSampler;
import dev.hearth.bench.yahoo.RunFigures;
import dev.hearth.bench.yahoo.WindowCountVerifier;
import dev.hearth.platform.HearthServer;

/**
 * The Yahoo-style streaming benchmark on Hearth (not a test: run by {@code bench/stream-compare.sh}, never by
 * {@code mvn verify}). {@link AdEvents} are written once into a fresh Hearth ({@code ad-events}, 6 partitions);
 * then Hearth is restarted on the same data with {@link AdCampaignCountJob} deployed in its WAR, and the job
 * counts the backlog. Measured from the job's launch (its {@code @StreamJob} method called at deployment) to
 * the moment the last window's count read back from the output topic (read_committed) was correct; CPU and RSS
 * are those of the whole Payara Micro process (broker, job and the rest of the server together).
 *
 * <p>System properties: {@code bench.events} (default 10,000,000), {@code bench.workers} (job workers, default
 * 1), {@code bench.commit.interval.ms} (Hearth's {@code hearth.jobs.commit.interval.ms}, default its own),
 * {@code bench.results} (a file the result line is appended to).
 */
class StreamJobBench {

    private static final long EVENTS = Long.getLong("bench.events", 10_000_000L);
    private static final String WORKERS = System.getProperty("bench.workers", "1");
    private static final Pattern LAUNCHED = Pattern.compile("BENCH job launched at (\\d+)");

    @Test
    void campaignViewCounts() {
        HearthServer loader = HearthServer.onFreshDataDir("bench-stream-load")
                .with("hearth.flush.interval.ms", "1000").start();
        Path dataDir = loader.dataDir();
        Map<String, Long> expected;
        try {
            expected = AdEventLoader.load(loader.bootstrapServers(), EVENTS);
            loader.stop();
        } finally {
            loader.close();
        }

        HearthServer server = new HearthServer(dataDir, "bench-stream-job").deploying(benchWar())
                .with("hearth.flush.interval.ms", "1000").with("hearth.jobs.workers", WORKERS);
        String commitIntervalMs = System.getProperty("bench.commit.interval.ms");
        if (commitIntervalMs != null) {
            server.with("hearth.jobs.commit.interval.ms", commitIntervalMs);
        }
        try (server; ProcessSampler sampler = new ProcessSampler(server.launch().pid());
             ProcessSampler self = new ProcessSampler(ProcessHandle.current().pid());
             ProcessSampler machine = ProcessSampler.machine()) {
            server.awaitReady();
            WindowCountVerifier.Result check = WindowCountVerifier.await(server.bootstrapServers(),
                    AdCampaignCountJob.OUTPUT_TOPIC, expected, Duration.ofMinutes(30), Duration.ofSeconds(3),
                    Duration.ofSeconds(30));
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
            new RunFigures("Hearth", "exactly-once, " + WORKERS + " worker(s)", EVENTS, seconds, jobCpuSeconds,
                    sampler.peakRssMib(launchMs, endMs), -1, -1, check, Math.max(0, otherCores),
                    "Payara Micro JVM -Xmx512m: broker + job + server").report();
            server.stop();
        }
    }

    private static Path benchWar() {
        File target = HearthServer.workDir().resolve("hearth-with-bench-job.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(AdCampaignCountJob.class, AdEventFields.class, AdEvents.class, AdEvents.Event.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
