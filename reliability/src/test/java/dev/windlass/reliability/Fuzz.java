package dev.windlass.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded bad input: random bytes, random JSON, valid bodies mutated one field at a time, deep and huge values. */
final class Fuzz {

    /** Strings that break naive code: odd Unicode, controls, injection-looking text. */
    static final List<String> ODD = List.of(
            "",
            " ",
            "\u0000",
            "\u202e\u0635\u0648\u0631\u0629",
            "\ud83d\ude00\ud83d\udca5",
            "\ufeffbom",
            "a\u0301\u0301\u0301",
            "\uffff",
            "\\u0000",
            "'; drop table deployments; --",
            "' or '1'='1",
            "%",
            "_",
            "../../../../etc/passwd",
            "..%2f..%2f",
            "${jndi:ldap://127.0.0.1/x}",
            "#{7*7}",
            "<script>alert(1)</script>",
            "\r\nSet-Cookie: x=y",
            "null",
            "NaN",
            "-0",
            "1e309");

    final SplittableRandom random;

    Fuzz(long seed) {
        this.random = new SplittableRandom(seed);
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    byte[] bytes(int max) {
        byte[] b = new byte[between(0, max)];
        random.nextBytes(b);
        return b;
    }

    String text(int max) {
        StringBuilder out = new StringBuilder();
        int length = between(0, max);
        for (int i = 0; i < length; i++) {
            int roll = random.nextInt(4);
            if (roll == 0) {
                out.append((char) random.nextInt(0x80));
            } else if (roll == 1) {
                out.append(pick(ODD));
            } else {
                int code = random.nextInt(0xd800 + (0xfffd - 0xe000 + 1));
                out.append((char) (code < 0xd800 ? code : code - 0xd800 + 0xe000));
            }
        }
        return out.toString();
    }

    /** A JSON value of any type, up to {@code depth} levels. */
    Object value(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 ->
                pick(List.<Object>of(
                        0,
                        -1,
                        Integer.MAX_VALUE,
                        Long.MIN_VALUE,
                        1.5e300,
                        -0.0,
                        random.nextLong(),
                        random.nextDouble()));
            case 3 -> text(40);
            case 4 -> pick(ODD);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = between(0, 4); i > 0; i--) {
                    list.add(value(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = between(0, 4); i > 0; i--) {
                    map.put(text(12), value(depth - 1));
                }
                yield map;
            }
        };
    }

    /**
     * A bad body of the kind {@code kind} (0–7) derived from the valid body {@code valid}: random bytes, random
     * JSON, a field of the wrong type, an odd or huge string, deep nesting, truncated JSON, unknown and duplicate
     * keys, or nothing at all.
     */
    byte[] body(int kind, Map<String, Object> valid) throws JsonProcessingException {
        return switch (kind) {
            case 0 -> bytes(2000);
            case 1 -> json(value(5));
            case 2 -> json(mutate(copy(valid), () -> value(3)));
            case 3 ->
                json(mutate(
                        copy(valid),
                        () -> random.nextInt(4) == 0 ? "x".repeat(between(10_000, 2_000_000)) : text(200)));
            case 4 -> deep(between(100, random.nextBoolean() ? 5_000 : 200_000));
            case 5 -> {
                byte[] whole = json(valid);
                byte[] cut = new byte[between(0, whole.length - 1)];
                System.arraycopy(whole, 0, cut, 0, cut.length);
                yield cut;
            }
            case 6 -> {
                String whole = new String(json(valid), StandardCharsets.UTF_8);
                String key = pick(new ArrayList<>(valid.keySet()));
                yield ("{\"" + key + "\":" + Target.JSON.writeValueAsString(value(2)) + "," + "\""
                                + text(8).replace("\"", "") + "\":1," + whole.substring(1))
                        .getBytes(StandardCharsets.UTF_8);
            }
            default -> new byte[0];
        };
    }

    /** Replaces one field, at any depth, with what {@code replacement} gives. */
    @SuppressWarnings("unchecked")
    Map<String, Object> mutate(Map<String, Object> body, java.util.function.Supplier<Object> replacement) {
        Map<String, Object> at = body;
        while (true) {
            List<String> keys = new ArrayList<>(at.keySet());
            if (keys.isEmpty()) {
                at.put(text(6), replacement.get());
                return body;
            }
            String key = pick(keys);
            Object child = at.get(key);
            if (child instanceof Map<?, ?> map && random.nextBoolean()) {
                at = (Map<String, Object>) map;
                continue;
            }
            if (child instanceof List<?> list
                    && !list.isEmpty()
                    && list.get(0) instanceof Map<?, ?> first
                    && random.nextBoolean()) {
                at = (Map<String, Object>) first;
                continue;
            }
            at.put(key, replacement.get());
            return body;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> body) {
        return Target.JSON.convertValue(body, Map.class);
    }

    static byte[] json(Object value) throws JsonProcessingException {
        return Target.JSON.writeValueAsBytes(value);
    }

    /** {@code depth} nested arrays or objects. */
    byte[] deep(int depth) {
        boolean arrays = random.nextBoolean();
        StringBuilder out = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            out.append(arrays ? "[" : "{\"a\":");
        }
        out.append("1");
        for (int i = 0; i < depth; i++) {
            out.append(arrays ? "]" : "}");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
