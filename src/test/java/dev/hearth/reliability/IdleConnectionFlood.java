package dev.hearth.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The idle half of {@link ConnectionFloodIT}, run as child processes so that their sockets count against file limits
 * of their own, not the test JVM's (20,000 per process here, so each holds 10,000). Arguments:
 * source address, target host, target port, connection count, time limit in seconds.
 *
 * <p>Opens the connections from the source address (a loopback alias such as 127.0.0.2, so that the server sees
 * them from another client address than the well-behaved client's) and sends nothing. Protocol on standard output:
 * {@code OPENED <n> FAILED <m> [first failure]} once every connection was tried or the time limit passed; after a
 * line {@code close} (or the end of) standard input, {@code CLOSED_BY_SERVER <k>} (how many the server had closed
 * meanwhile) and {@code DONE} once all are closed. Single-threaded apart from the opening phase.
 */
public final class IdleConnectionFlood {

    private static final int OPENING_THREADS = 4;

    private IdleConnectionFlood() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress source = new InetSocketAddress(args[0], 0);
        InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        int count = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        List<SocketChannel> open = Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>("");
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < OPENING_THREADS; i++) {
            Thread opener = new Thread(() -> {
                while (next.getAndIncrement() < count && System.nanoTime() < deadline) {
                    try {
                        SocketChannel channel = SocketChannel.open();
                        try {
                            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                            channel.bind(source);
                            channel.socket().connect(target, 5_000);
                            channel.configureBlocking(false);
                            open.add(channel);
                        } catch (IOException e) {
                            channel.close();
                            throw e;
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet("", e.toString());
                    }
                }
            });
            opener.start();
            openers.add(opener);
        }
        for (Thread opener : openers) {
            opener.join();
        }
        System.out.println("OPENED " + open.size() + " FAILED " + failed.get() + " " + firstFailure.get());
        System.out.flush();

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        do {
            command = commands.readLine();
        } while (command != null && !command.equals("close"));

        int closedByServer = 0;
        ByteBuffer probe = ByteBuffer.allocate(64);
        for (SocketChannel channel : open) {
            try {
                probe.clear();
                if (channel.read(probe) < 0) {
                    closedByServer++;
                }
            } catch (IOException e) {
                closedByServer++;
            }
        }
        System.out.println("CLOSED_BY_SERVER " + closedByServer);
        for (SocketChannel channel : open) {
            channel.close();
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
