package dev.hearth.bench.yahoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One measured run, as one line of {@code bench/stream-compare.sh}'s results file (fields separated by '|'):
 * {@code runtime|guarantee|events|seconds|events/s|job CPU-s|job peak RSS MiB|broker CPU-s|broker peak RSS MiB|
 * counts|output records|rewrites|other load cores|note}. Other load is the CPU every other process on the machine
 * took during the run (machine busy time minus job, broker and the measuring JVM), in cores on average: above
 * ~0.15 of these 2 cores, the run was disturbed.
 * A broker figure of -1 means the broker is the job's own process (Hearth).
 */
public record RunFigures(String runtime, String guarantee, long events, double seconds, double jobCpuSeconds,
                         double jobPeakRssMib, double brokerCpuSeconds, double brokerPeakRssMib,
                         WindowCountVerifier.Result check, double otherLoadCores, String note) {

    public String line() {
        return String.format(Locale.ROOT, "%s|%s|%d|%.2f|%.0f|%.1f|%.0f|%.1f|%.0f|%s|%d|%d|%.2f|%s", runtime, guarantee,
                events, seconds, events / seconds, jobCpuSeconds, jobPeakRssMib, brokerCpuSeconds, brokerPeakRssMib,
                check.exact() ? "exact" : String.format(Locale.ROOT,
                        "NOT EXACT: %d of the windows wrong, %d views missing, %d unexpected windows",
                        check.wrongAtTheEnd(), check.missingEvents(), check.unexpected()), check.outputRecords(),
                check.rewrites(), otherLoadCores, note);
    }

    /** Prints the line and appends it to the file named by system property {@code bench.results}, if set. */
    public void report() {
        System.out.println("BENCH RESULT " + line());
        String file = System.getProperty("bench.results");
        if (file != null) {
            try {
                Files.writeString(Path.of(file), line() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
