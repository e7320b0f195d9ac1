package dev.windlass.gateway.proxy;

import java.net.URI;

/** A service behind the gateway: its name (as shown in errors and logs) and where it listens. */
public record Backend(String name, String host, int port, boolean tls, String basePath) {

    /** A backend at {@code baseUrl}, e.g. {@code http://registry:8081}; a path in it prefixes every request. */
    public static Backend of(String name, URI baseUrl) {
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("URL of " + name + " must be http(s)://host[:port]: " + baseUrl);
        }
        boolean tls = "https".equals(scheme);
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : tls ? 443 : 80;
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        return new Backend(name, baseUrl.getHost(), port, tls, path);
    }
}
