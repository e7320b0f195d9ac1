package dev.windlass.deployer.service;

/** An approval of an image update that was approved already or expired: a 409. */
public class ImageUpdateClosedException extends RuntimeException {

    public ImageUpdateClosedException(String message) {
        super(message);
    }
}
