package dev.windlass.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free TCP ports on the loopback interface, below the kernel's range of ephemeral ports. A port the kernel hands
 * out for "port 0" lies in that range, and so does the local port of every outgoing connection it opens: between the
 * pick and the listener's bind, any process's connection could take the port ("Port … seems to be in use by another
 * process"). Below the range only another listener can, which the pick checks by binding. A port is handed out once
 * per JVM, so two components started together never get the same one.
 */
public final class FreePorts {

    /** The lowest port picked; the suite's fixed ports (8080–8082, 15432, 18090, 19092) lie below it. */
    static final int LOWEST = 20000;

    /** Where the ephemeral range starts when the kernel does not say (Linux's default; macOS starts at 49152). */
    static final int DEFAULT_EPHEMERAL_START = 32768;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A port nothing listens on right now, outside the kernel's ephemeral range where there is room below it. */
    public static int pick() {
        int below = ephemeralRangeStart();
        if (below - LOWEST < 1000) {
            return anyFree();
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = LOWEST + ThreadLocalRandom.current().nextInt(below - LOWEST);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        return anyFree();
    }

    /** The first port of the kernel's ephemeral range. */
    static int ephemeralRangeStart() {
        try {
            // Files.readString returned only the first byte of this procfs file (which reports its size as 0)
            try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
                return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** A port the kernel hands out, for a machine whose ephemeral range leaves no room below it. */
    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
