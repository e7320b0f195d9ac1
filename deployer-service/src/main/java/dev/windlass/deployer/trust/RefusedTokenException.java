package dev.windlass.deployer.trust;

/** A token on a record that does not count; the message says why without quoting the token. */
public class RefusedTokenException extends RuntimeException {

    public RefusedTokenException(String reason) {
        super(reason, null, false, false);
    }
}
