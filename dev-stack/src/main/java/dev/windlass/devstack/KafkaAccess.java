package dev.windlass.devstack;

import dev.windlass.events.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Windlass's Kafka: the SASL/SCRAM principals, their dev passwords and their ACLs on the Windlass
 * topics and consumer groups. This is the one definition; docs/security.md, docker-compose.yml and the operator's
 * {@code kafka-acls.sh} commands repeat it.
 *
 * <ul>
 *   <li>{@value #DEPLOYER}: reads {@link Topics#DEPLOY_REQUESTS} in group {@value #DEPLOYER_GROUP} (the only
 *       principal allowed into that group); writes the requests topic (its HTTP API's outbox), {@link
 *       Topics#DEPLOY_STATUS}, {@link Topics#DEPLOY_REQUESTS_DLQ} and {@link Topics#APP_HEALTH}; reads {@link Topics#ORCHESTRATOR_EVENTS} in the
 *       per-process groups named {@value #DEPLOYER_CONNECTIONS_GROUP_PREFIX}{@code <uuid>} (a prefixed ACL).
 *   <li>{@value #REGISTRY}: writes {@link Topics#ORCHESTRATOR_EVENTS} only.
 *   <li>each external request producer (CI systems, image watchers; {@value #CI_PIPELINE} by default): writes (and
 *       describes) the requests topic only.
 *   <li>{@value #ADMIN}: the super user (the broker's own admin client: topics, ACLs, credentials).
 * </ul>
 *
 * <p>identity-gateway does not use Kafka and has no principal. Every write grant covers the idempotent producers the
 * services use: since Kafka 3.0 WRITE on a topic is enough to get a producer id, no IDEMPOTENT_WRITE on the cluster.
 */
public final class KafkaAccess {

    /** The super user. */
    public static final String ADMIN = "admin";

    /** deployer-service's principal. */
    public static final String DEPLOYER = "deployer-service";

    /** registry-service's principal. */
    public static final String REGISTRY = "registry-service";

    /** The default external request producer. */
    public static final String CI_PIPELINE = "ci-pipeline";

    /** The deployer's consumer group on the requests topic ({@code deploy-requests-in} in its configuration). */
    public static final String DEPLOYER_GROUP = "windlass-deployer";

    /** The prefix of the deployer's per-process groups on the orchestrator events ({@code orchestrator-events-in}). */
    public static final String DEPLOYER_CONNECTIONS_GROUP_PREFIX = "windlass-deployer-connections-";

    /** The SASL mechanism of the client listener. */
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";

    /** The security protocol of the client listener. */
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";

    private static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final Map<String, String> passwords;
    private final List<AclBinding> acls;

    private KafkaAccess(Map<String, String> passwords, List<AclBinding> acls) {
        this.passwords = Collections.unmodifiableMap(passwords);
        this.acls = List.copyOf(acls);
    }

    /** Windlass's principals with {@value #CI_PIPELINE} as the only external request producer. */
    public static KafkaAccess windlass() {
        return windlass(List.of(CI_PIPELINE));
    }

    /** Windlass's principals with these external request producers. */
    public static KafkaAccess windlass(Collection<String> requestProducers) {
        Map<String, String> passwords = new LinkedHashMap<>();
        List<AclBinding> acls = new ArrayList<>();
        passwords.put(ADMIN, devPassword(ADMIN));

        passwords.put(DEPLOYER, devPassword(DEPLOYER));
        acls.addAll(
                topic(DEPLOYER, Topics.DEPLOY_REQUESTS, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE));
        acls.add(group(DEPLOYER, DEPLOYER_GROUP, PatternType.LITERAL));
        acls.addAll(topic(DEPLOYER, Topics.DEPLOY_STATUS, AclOperation.WRITE, AclOperation.DESCRIBE));
        acls.addAll(topic(DEPLOYER, Topics.DEPLOY_REQUESTS_DLQ, AclOperation.WRITE, AclOperation.DESCRIBE));
        acls.addAll(topic(DEPLOYER, Topics.APP_HEALTH, AclOperation.WRITE, AclOperation.DESCRIBE));
        acls.addAll(topic(DEPLOYER, Topics.ORCHESTRATOR_EVENTS, AclOperation.READ, AclOperation.DESCRIBE));
        acls.add(group(DEPLOYER, DEPLOYER_CONNECTIONS_GROUP_PREFIX, PatternType.PREFIXED));

        passwords.put(REGISTRY, devPassword(REGISTRY));
        acls.addAll(topic(REGISTRY, Topics.ORCHESTRATOR_EVENTS, AclOperation.WRITE, AclOperation.DESCRIBE));

        for (String producer : requestProducers) {
            checkName(producer);
            if (passwords.containsKey(producer)) {
                throw new IllegalArgumentException("Principal " + producer + " is already defined");
            }
            passwords.put(producer, devPassword(producer));
            acls.addAll(topic(producer, Topics.DEPLOY_REQUESTS, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        return new KafkaAccess(passwords, acls);
    }

    /** The same access plus a principal with credentials and these ACLs (none: it authenticates and may do nothing). */
    public KafkaAccess withPrincipal(String name, AclBinding... extraAcls) {
        checkName(name);
        if (passwords.containsKey(name)) {
            throw new IllegalArgumentException("Principal " + name + " is already defined");
        }
        Map<String, String> morePasswords = new LinkedHashMap<>(passwords);
        morePasswords.put(name, devPassword(name));
        List<AclBinding> moreAcls = new ArrayList<>(acls);
        moreAcls.addAll(List.of(extraAcls));
        return new KafkaAccess(morePasswords, moreAcls);
    }

    /** The dev password of a principal: {@code <principal>-dev-password}. */
    public static String devPassword(String principal) {
        return principal + "-dev-password";
    }

    /** Principal name to password, the super user first. */
    public Map<String, String> passwords() {
        return passwords;
    }

    /** The password of a principal defined here. */
    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka principal " + principal + "; known: " + passwords.keySet());
        }
        return password;
    }

    /** Every ACL, all of them ALLOW from any host. */
    public List<AclBinding> acls() {
        return acls;
    }

    /** The ACLs of one principal. */
    public List<AclBinding> acls(String principal) {
        String user = user(principal);
        return acls.stream().filter(acl -> acl.entry().principal().equals(user)).toList();
    }

    /** The Kafka principal string of a user name, {@code User:<name>}. */
    public static String user(String name) {
        return "User:" + name;
    }

    /**
     * The client properties that authenticate as this user over SASL_PLAINTEXT with SCRAM-SHA-512: {@code
     * security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}. Prefixed with {@code kafka.} they are
     * the Quarkus configuration of a service.
     */
    public static Map<String, String> saslProperties(String username, String password) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", SECURITY_PROTOCOL);
        props.put("sasl.mechanism", SASL_MECHANISM);
        props.put(
                "sasl.jaas.config",
                SCRAM_LOGIN_MODULE + " required username=" + jaasQuoted(username) + " password=" + jaasQuoted(password)
                        + ";");
        return props;
    }

    /** A JAAS option value in double quotes (the parser is a {@link java.io.StreamTokenizer}: backslash escapes). */
    static String jaasQuoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static List<AclBinding> topic(String principal, String topic, AclOperation... operations) {
        ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        return List.of(operations).stream()
                .map(operation -> new AclBinding(pattern, allow(principal, operation)))
                .toList();
    }

    private static AclBinding group(String principal, String group, PatternType patternType) {
        return new AclBinding(
                new ResourcePattern(ResourceType.GROUP, group, patternType), allow(principal, AclOperation.READ));
    }

    private static AccessControlEntry allow(String principal, AclOperation operation) {
        return new AccessControlEntry(user(principal), "*", operation, AclPermissionType.ALLOW);
    }

    // SCRAM names travel in the formatter's "name=…,password=…" argument and in JAAS options: keep them plain.
    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("A Kafka principal name is letters, digits, '.', '_' and '-': " + name);
        }
    }
}
