package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many event streams each caller (by subject) holds open on this replica, whatever they follow (a deployment's
 * phases, an app's status): at most {@code windlass.deployer.api.max-streams-per-caller}, one more is refused.
 */
@ApplicationScoped
public class StreamSlots {

    private final int maxPerCaller;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamSlots(DeployerConfig config) {
        this.maxPerCaller = config.api().maxStreamsPerCaller();
    }

    /**
     * Takes a slot for {@code caller}, or fails with {@link TooManyStreamsException}; running the returned action
     * (once or more) gives it back.
     */
    public Runnable acquire(Caller caller) {
        AtomicInteger count = open.computeIfAbsent(caller.subject(), subject -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerCaller) {
            release(caller);
            throw new TooManyStreamsException(
                    "you have " + maxPerCaller + " event streams open, the most one caller may hold; close one first");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(caller);
            }
        };
    }

    /** How many streams {@code subject} has open on this replica. */
    public int openStreams(String subject) {
        AtomicInteger count = open.get(subject);
        return count == null ? 0 : count.get();
    }

    private void release(Caller caller) {
        open.computeIfPresent(caller.subject(), (subject, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
