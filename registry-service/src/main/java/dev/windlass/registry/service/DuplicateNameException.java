package dev.windlass.registry.service;

/** Another orchestrator already has this name. */
public class DuplicateNameException extends RuntimeException {

    private final String name;

    public DuplicateNameException(String name) {
        super("An orchestrator named '" + name + "' already exists");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
