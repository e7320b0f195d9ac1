package dev.windlass.registry.domain;

/** The write-only credential fields of an orchestrator, named as in the API. */
public enum CredentialField {
    TOKEN("token", "token"),
    CLIENT_CERTIFICATE("clientCertificatePem", "client_cert"),
    CLIENT_KEY("clientKeyPem", "client_key"),
    CA_CERTIFICATE("caCertificatePem", "ca_cert");

    private final String fieldName;
    private final String column;

    CredentialField(String fieldName, String column) {
        this.fieldName = fieldName;
        this.column = column;
    }

    /** The prefix of its two columns in the {@code orchestrator} table ({@code _key_id}, {@code _ciphertext}). */
    public String column() {
        return column;
    }

    /** The field's name in requests, responses and validation errors. */
    public String fieldName() {
        return fieldName;
    }
}
