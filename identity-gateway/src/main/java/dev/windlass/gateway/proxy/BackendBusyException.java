package dev.windlass.gateway.proxy;

import java.time.Duration;

/**
 * Every pooled connection to a service stayed in use for the whole wait (503 with {@code Retry-After}): the service
 * answers, but more slowly than requests arrive. Unlike a 502, trying again shortly is the right reaction.
 */
public class BackendBusyException extends RuntimeException {

    public BackendBusyException(String backend, int connections, Duration waited) {
        super(backend + " is busy: all " + connections + " connections to it stayed in use for " + waited.toMillis()
                + " ms; try again shortly");
    }
}
