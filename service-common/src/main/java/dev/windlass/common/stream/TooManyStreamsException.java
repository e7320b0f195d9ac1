package dev.windlass.common.stream;

/** A caller asked for another event stream while it already has as many open as one caller may (429). */
public class TooManyStreamsException extends RuntimeException {

    public TooManyStreamsException(String message) {
        super(message);
    }
}
