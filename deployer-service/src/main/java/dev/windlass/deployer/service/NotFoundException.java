package dev.windlass.deployer.service;

/** The deployment, app or revision asked for does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
