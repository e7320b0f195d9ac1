package dev.windlass.gateway.security;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Which cookie-authenticated state changes to refuse. A browser attaches the session cookie to cross-site requests
 * too, so an unsafe method riding on the cookie must prove it comes from the gateway's own pages: by
 * {@code Sec-Fetch-Site}, else by {@code Origin}, else by {@code Referer}. Requests with an {@code Authorization}
 * header are exempt: a browser never adds one to a cross-site request on its own.
 */
public final class CsrfPolicy {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private CsrfPolicy() {}

    /** A request as far as this policy cares. Header values may be null. */
    public record Request(
            String method,
            boolean bearer,
            boolean sessionCookie,
            String secFetchSite,
            String origin,
            String referer,
            String ownOrigin) {}

    /** Null when the request may go on, else the reason it is refused. */
    public static String refusal(Request request, Collection<String> trustedOrigins) {
        if (SAFE_METHODS.contains(request.method().toUpperCase(Locale.ROOT))
                || request.bearer()
                || !request.sessionCookie()) {
            return null;
        }
        if (request.secFetchSite() != null) {
            String site = request.secFetchSite().toLowerCase(Locale.ROOT);
            if (site.equals("same-origin") || site.equals("none")) {
                return null;
            }
            if (!site.equals("same-site") && !site.equals("cross-site")) {
                return "unknown Sec-Fetch-Site";
            }
            // same-site or cross-site: only a trusted Origin (another console host) may still pass
        }
        String claimed = request.origin() != null ? request.origin() : originOf(request.referer());
        if (claimed == null) {
            return "a cookie-authenticated " + request.method() + " needs an Origin or Referer header";
        }
        String normalized = normalize(claimed);
        if (normalized.equals(normalize(request.ownOrigin()))) {
            return request.secFetchSite() == null ? null : "cross-site request";
        }
        for (String trusted : trustedOrigins) {
            if (normalized.equals(normalize(trusted))) {
                return null;
            }
        }
        return "cross-site request from " + claimed;
    }

    private static String originOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Lower case, without a trailing slash or the scheme's default port. */
    static String normalize(String origin) {
        String value = origin.strip().toLowerCase(Locale.ROOT);
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.startsWith("http://") && value.endsWith(":80")) {
            value = value.substring(0, value.length() - 3);
        } else if (value.startsWith("https://") && value.endsWith(":443")) {
            value = value.substring(0, value.length() - 4);
        }
        return value;
    }
}
