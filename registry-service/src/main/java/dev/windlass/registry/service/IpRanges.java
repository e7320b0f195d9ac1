package dev.windlass.registry.service;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks MetalLB address pools: {@code start-end} (start ≤ end, one address family) or a CIDR. */
public final class IpRanges {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private IpRanges() {}

    /** The broken rule ({@code ip-range-invalid} or {@code ip-range-order}) with a message, or empty when valid. */
    public static Optional<Violation> check(String field, String value) {
        String v = value.strip();
        int dash = v.indexOf('-');
        int slash = v.indexOf('/');
        if (dash > 0 && slash < 0) {
            byte[] start = address(v.substring(0, dash).strip());
            byte[] end = address(v.substring(dash + 1).strip());
            if (start == null || end == null || start.length != end.length) {
                return invalid(field);
            }
            if (new BigInteger(1, start).compareTo(new BigInteger(1, end)) > 0) {
                return Optional.of(new Violation(
                        field, "ip-range-order", "the range's start address must not be after its end address"));
            }
            return Optional.empty();
        }
        if (slash > 0 && dash < 0) {
            byte[] network = address(v.substring(0, slash));
            String prefixText = v.substring(slash + 1);
            if (network == null || !prefixText.matches("\\d{1,3}")) {
                return invalid(field);
            }
            int prefix = Integer.parseInt(prefixText);
            int bits = network.length * 8;
            if (prefix > bits) {
                return invalid(field);
            }
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            if (!new BigInteger(1, network).and(hostMask).equals(BigInteger.ZERO)) {
                return Optional.of(new Violation(
                        field, "ip-range-invalid", "the CIDR has host bits set; use its network address"));
            }
            return Optional.empty();
        }
        return invalid(field);
    }

    private static Optional<Violation> invalid(String field) {
        return Optional.of(new Violation(
                field,
                "ip-range-invalid",
                "must be an address range such as 192.168.1.240-192.168.1.250 or a CIDR such as 192.168.1.240/28"));
    }

    /** The address's bytes for an IPv4 or IPv6 literal, or null; never a DNS lookup. */
    private static byte[] address(String text) {
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            // only literals reach here, which InetAddress parses without any lookup
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
