package dev.windlass.devstack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How a {@link KubeApiServer}'s certificates and admin kubeconfig are shaped: kube-api-test's, k3s's or kubeadm's. */
public enum ClusterShape {

    /** kube-api-test's certificates, shared by every server on the machine (the default). */
    KUBE_API_TEST("kubeapitest", "kubeapitest", "kubeapitest", "RSA"),

    /**
     * As k3s issues them: EC P-256 keys, separate server and client CAs
     * ({@code k3s-server-ca@<unix time>}, {@code k3s-client-ca@<unix time>}), admin
     * {@code system:admin} in {@code system:masters}, and a static admin token; the kubeconfig
     * ({@code /etc/rancher/k3s/k3s.yaml}) names cluster, user and context {@code default}.
     */
    K3S("default", "default", "default", "EC"),

    /**
     * As kubeadm issues them: RSA 2048 keys under one CA {@code kubernetes}, admin
     * {@code kubernetes-admin} in {@code system:masters}; the kubeconfig
     * ({@code /etc/kubernetes/admin.conf}) names the cluster {@code kubernetes}, the user
     * {@code kubernetes-admin} and the context {@code kubernetes-admin@kubernetes}.
     */
    KUBEADM("kubernetes", "kubernetes-admin", "kubernetes-admin@kubernetes", "RSA");

    private final String clusterName;
    private final String userName;
    private final String contextName;
    private final String keyAlgorithm;

    ClusterShape(String clusterName, String userName, String contextName, String keyAlgorithm) {
        this.clusterName = clusterName;
        this.userName = userName;
        this.contextName = contextName;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The cluster's name in the distribution's kubeconfig. */
    public String clusterName() {
        return clusterName;
    }

    /** The user's name in the distribution's kubeconfig. */
    public String userName() {
        return userName;
    }

    /** The context's name in the distribution's kubeconfig. */
    public String contextName() {
        return contextName;
    }

    /**
     * The admin client key's algorithm ({@code EC} or {@code RSA}); Fabric8 reads an EC key only
     * when its {@code clientKeyAlgo} says so.
     */
    public String clientKeyAlgorithm() {
        return keyAlgorithm;
    }

    /**
     * The admin kubeconfig as the distribution writes it: certificates and key embedded as
     * base64 of their PEM, one cluster, user and context.
     */
    String kubeconfigYaml(String server, String caPem, String clientCertPem, String clientKeyPem) {
        return """
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: %s
                contexts:
                - context:
                    cluster: %s
                    user: %s
                  name: %s
                current-context: %s
                kind: Config
                preferences: {}
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(
                        base64(caPem),
                        server,
                        clusterName,
                        clusterName,
                        userName,
                        contextName,
                        contextName,
                        userName,
                        base64(clientCertPem),
                        base64(clientKeyPem));
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
