package dev.windlass.registry.domain;

/** The write-only credential fields of an orchestrator, named as in the API. */
public enum CredentialField {
    TOKEN("token"),
    CLIENT_CERTIFICATE("clientCertificatePem"),
    CLIENT_KEY("clientKeyPem"),
    CA_CERTIFICATE("caCertificatePem");

    private final String fieldName;

    CredentialField(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The field's name in requests, responses and validation errors. */
    public String fieldName() {
        return fieldName;
    }
}
