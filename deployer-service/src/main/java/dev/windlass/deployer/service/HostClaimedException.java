package dev.windlass.deployer.service;

/** An Ingress host another app holds on the orchestrator, or one reserved for Windlass itself. */
public class HostClaimedException extends RuntimeException {

    private final String host;

    public HostClaimedException(String host, String holder) {
        super("host " + host + " is " + holder + "; an Ingress host belongs to one app per orchestrator");
        this.host = host;
    }

    public String host() {
        return host;
    }
}
