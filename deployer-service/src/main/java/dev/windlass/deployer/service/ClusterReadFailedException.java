package dev.windlass.deployer.service;

/** A read the API asked of a cluster failed there (unreachable, refused, an error of the API server): 502. */
public class ClusterReadFailedException extends RuntimeException {

    public ClusterReadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
