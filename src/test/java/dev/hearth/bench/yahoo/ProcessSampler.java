package dev.hearth.bench.yahoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples one process's CPU time (utime + stime from {@code /proc/<pid>/stat}, in clock ticks) and resident set
 * size ({@code VmRSS} from {@code /proc/<pid>/status}) every 50 ms on a daemon thread, so that a run's CPU-seconds
 * and peak RSS can be read for any interval afterwards. {@link #machine()} samples the whole machine instead: busy
 * time of all CPUs from {@code /proc/stat} (user, nice, system, irq, softirq, steal), so that the CPU other
 * processes took during a run can be told apart. Linux only. Thread-safety: the sample list is guarded by
 * {@code this}.
 */
public final class ProcessSampler implements AutoCloseable {

    /** One reading: wall clock (epoch ms), CPU (clock ticks), RSS (KiB). */
    public record Sample(long wallMs, long cpuTicks, long rssKib) {
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every Linux this runs on. */
    public static final double TICKS_PER_SECOND = 100.0;

    private final long pid;     // -1: the whole machine
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    /** Samples the whole machine's CPU busy time (RSS stays 0). */
    public static ProcessSampler machine() {
        return new ProcessSampler(-1);
    }

    public ProcessSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::run, "sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            Sample sample = read();
            if (sample == null) {
                return; // the process is gone
            }
            synchronized (this) {
                samples.add(sample);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A reading now, or {@code null} if the process is gone. */
    public Sample read() {
        try {
            if (pid < 0) {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Long.parseLong(cpu[field]);
                }
                return new Sample(System.currentTimeMillis(), busy, 0);
            }
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new Sample(System.currentTimeMillis(), ticks, rss);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU-seconds used between two wall-clock instants (the samples nearest to each). */
    public synchronized double cpuSeconds(long fromMs, long toMs) {
        return (nearest(toMs).cpuTicks() - nearest(fromMs).cpuTicks()) / TICKS_PER_SECOND;
    }

    /** The largest RSS sampled between two wall-clock instants, in MiB. */
    public synchronized double peakRssMib(long fromMs, long toMs) {
        long peak = 0;
        for (Sample sample : samples) {
            if (sample.wallMs() >= fromMs - 50 && sample.wallMs() <= toMs + 50) {
                peak = Math.max(peak, sample.rssKib());
            }
        }
        return peak / 1024.0;
    }

    private Sample nearest(long wallMs) {
        Sample best = null;
        for (Sample sample : samples) {
            if (best == null || Math.abs(sample.wallMs() - wallMs) < Math.abs(best.wallMs() - wallMs)) {
                best = sample;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no sample of process " + pid);
        }
        return best;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
