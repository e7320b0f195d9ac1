package dev.windlass.events.validation;

import java.util.function.Predicate;

/** A name grammar with its rule id and the message that explains it. */
enum NameRule {
    DNS_LABEL(
            Rules.DNS_LABEL,
            KubernetesNames::isDnsLabel,
            "must be a DNS label: at most 63 lower-case letters, digits and '-', starting and ending with a"
                    + " letter or digit"),
    DNS_1035_LABEL(
            Rules.DNS_1035_LABEL,
            KubernetesNames::isDns1035Label,
            "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter"
                    + " and ending with a letter or digit"),
    DNS_SUBDOMAIN(
            Rules.DNS_SUBDOMAIN,
            KubernetesNames::isDnsSubdomain,
            "must be a DNS subdomain: DNS labels joined by '.', at most 253 characters"),
    HOST(
            Rules.HOST,
            KubernetesNames::isHost,
            "must be a lower-case host name (DNS labels joined by '.', at most 253 characters), not an IP"
                    + " address"),
    PORT_NAME(
            Rules.PORT_NAME,
            KubernetesNames::isPortName,
            "must be an IANA service name: at most 15 lower-case letters, digits and '-', with at least one"
                    + " letter and no '--'"),
    ENV_NAME(
            Rules.ENV_NAME,
            KubernetesNames::isEnvName,
            "must be a C identifier (letters, digits, '_', not starting with a digit), at most "
                    + KubernetesNames.MAX_ENV_NAME_LENGTH + " characters"),
    LABEL_KEY(
            Rules.LABEL_KEY,
            KubernetesNames::isLabelKey,
            "must be an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, '-',"
                    + " '_' and '.', alphanumeric at both ends"),
    LABEL_VALUE(
            Rules.LABEL_VALUE,
            KubernetesNames::isLabelValue,
            "must be empty or at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends"),
    KIND(Rules.KIND, KubernetesNames::isKind, "must be a Kubernetes kind such as Deployment"),
    MOUNT_PATH(
            Rules.PATH,
            KubernetesNames::isMountPath,
            "must be an absolute path other than '/', at most " + KubernetesNames.MAX_PATH_LENGTH
                    + " characters of letters, digits and ._~@%+=,-/ without '.' or '..' segments"),
    HTTP_PATH(
            Rules.PATH,
            KubernetesNames::isHttpPath,
            "must be an absolute URL path of at most " + KubernetesNames.MAX_PATH_LENGTH
                    + " characters without '.' or '..' segments"),
    QUANTITY(Rules.QUANTITY, Quantity::isValid, "must be a Kubernetes quantity such as 500m, 2, 1.5, 256Mi or 10Gi"),
    IMAGE(
            Rules.IMAGE,
            ImageReference::isValid,
            "must be an image reference: [registry[:port]/]repository[:tag][@sha256:digest], repository in"
                    + " lower case");

    private final String rule;
    private final Predicate<String> accepts;
    private final String message;

    NameRule(String rule, Predicate<String> accepts, String message) {
        this.rule = rule;
        this.accepts = accepts;
        this.message = message;
    }

    void check(String value, Checker at) {
        if (!accepts.test(value)) {
            at.fail(rule, message);
        }
    }
}
