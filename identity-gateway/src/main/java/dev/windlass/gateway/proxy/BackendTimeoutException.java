package dev.windlass.gateway.proxy;

import java.time.Duration;

/** A service did not accept the connection or answer within its timeout (504). */
public class BackendTimeoutException extends RuntimeException {

    public BackendTimeoutException(String backend, String what, Duration timeout) {
        super(backend + " did not " + what + " within " + timeout.toMillis() + " ms");
    }
}
