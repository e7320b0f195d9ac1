package dev.windlass.registry.service;

/** The deployer could not say which apps an orchestrator has: nothing is deleted until it can. */
public class DeployerUnavailableException extends RuntimeException {

    public DeployerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
