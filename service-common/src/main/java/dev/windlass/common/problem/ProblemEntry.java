package dev.windlass.common.problem;

/** Status and problem type of one kind of failure. */
public record ProblemEntry(int status, String slug, String title) {

    /** The problem {@code type} URI. */
    public String type() {
        return "urn:windlass:problem:" + slug;
    }
}
