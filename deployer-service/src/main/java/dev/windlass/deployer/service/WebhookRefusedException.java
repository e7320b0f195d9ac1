package dev.windlass.deployer.service;

/** A webhook call without the shared secret, or with a signature it does not match: a 401. */
public class WebhookRefusedException extends RuntimeException {

    public WebhookRefusedException(String message) {
        super(message);
    }
}
