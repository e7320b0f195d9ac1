package dev.windlass.deployer.trust;

/** A secret value that is not a JWE this deployer can open; names the variable, never the value. */
public class SealedValueException extends RuntimeException {

    private final String variable;
    private final boolean plaintext;

    public SealedValueException(String variable, boolean plaintext, String reason) {
        super(reason, null, false, false);
        this.variable = variable;
        this.plaintext = plaintext;
    }

    /** The env variable whose value it is. */
    public String variable() {
        return variable;
    }

    /** Whether the value is plain text rather than a JWE that does not open. */
    public boolean plaintext() {
        return plaintext;
    }
}
