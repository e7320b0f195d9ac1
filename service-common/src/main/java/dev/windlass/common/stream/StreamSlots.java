package dev.windlass.common.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many event streams each caller (by token subject) holds open on one replica of a service, whatever they follow:
 * at most {@code maxPerCaller}, one more is refused with {@link TooManyStreamsException} (a 429). Each service makes
 * one, from its own setting, and every stream it serves takes a slot.
 */
public class StreamSlots {

    private final int maxPerCaller;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamSlots(int maxPerCaller) {
        this.maxPerCaller = maxPerCaller;
    }

    /**
     * Takes a slot for {@code subject}, or fails with {@link TooManyStreamsException}; running the returned action
     * (once or more) gives it back.
     */
    public Runnable acquire(String subject) {
        AtomicInteger count = open.computeIfAbsent(subject, s -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerCaller) {
            release(subject);
            throw new TooManyStreamsException(
                    "you have " + maxPerCaller + " event streams open, the most one caller may hold; close one first");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(subject);
            }
        };
    }

    private void release(String subject) {
        open.computeIfPresent(subject, (s, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
