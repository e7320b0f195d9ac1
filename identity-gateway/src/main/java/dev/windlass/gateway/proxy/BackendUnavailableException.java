package dev.windlass.gateway.proxy;

/** A service refused the connection or broke it before answering (502). */
public class BackendUnavailableException extends RuntimeException {

    public BackendUnavailableException(String backend, Throwable cause) {
        super(backend + " is unavailable", cause);
    }
}
