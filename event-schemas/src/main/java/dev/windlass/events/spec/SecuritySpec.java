package dev.windlass.events.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.windlass.events.ImmutableCopies;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Set;

/**
 * How locked down the app's pods are, beyond what every pod gets (seccomp {@code RuntimeDefault}, no privilege
 * escalation, every capability dropped, no ServiceAccount token).
 *
 * @param restricted run as non-root with a read-only root filesystem (an {@code emptyDir} at {@code /tmp}): Pod
 *     Security's {@code restricted} level; images that start as root or write outside {@code /tmp} need it off
 * @param serviceAccountToken mount the namespace's default ServiceAccount token (off unless asked)
 * @param addCapabilities capabilities given back after dropping all, from the set Pod Security's {@code baseline}
 *     level allows (only {@code NET_BIND_SERVICE} when {@code restricted}); e.g. an image that binds port 80 as root
 *     and switches user needs {@code NET_BIND_SERVICE}, {@code CHOWN}, {@code SETUID}, {@code SETGID}
 */
@RegisterForReflection
public record SecuritySpec(
        Boolean restricted,
        Boolean serviceAccountToken,
        @JsonInclude(Include.NON_EMPTY) List<String> addCapabilities) {

    /** The capabilities Pod Security's baseline level lets a container add. */
    public static final Set<String> BASELINE_CAPABILITIES = Set.of(
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT");

    /** The one capability Pod Security's restricted level lets a container add. */
    public static final String RESTRICTED_CAPABILITY = "NET_BIND_SERVICE";

    public SecuritySpec {
        addCapabilities = ImmutableCopies.list(addCapabilities);
    }

    /** Whether the pods run restricted. */
    public boolean isRestricted() {
        return Boolean.TRUE.equals(restricted);
    }

    /** Whether the pods get a ServiceAccount token. */
    public boolean mountsServiceAccountToken() {
        return Boolean.TRUE.equals(serviceAccountToken);
    }
}
