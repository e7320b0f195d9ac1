package dev.windlass.events.spec;

import dev.windlass.events.validation.ImageReference;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Which newly pushed images an app takes on its own, as Keel's policies decide it:
 *
 * <ul>
 *   <li>{@code none}: none;
 *   <li>{@code all}: any higher semantic version, pre-releases included;
 *   <li>{@code major}, {@code minor}, {@code patch}: a higher semantic version that changes at most that part (for
 *       {@code minor} the major stays, for {@code patch} major and minor stay); a pre-release only when the running
 *       tag is a pre-release with the same first identifier ({@code 1.3.0-rc.1} after {@code 1.2.0-rc.2}, never
 *       after {@code 1.2.0});
 *   <li>{@code glob:<pattern>}: any other tag the pattern matches ({@code *} any characters, {@code ?} one);
 *   <li>{@code force}: the tag the app runs, pushed again with another digest ({@code latest}, say): the new image
 *       names the digest as well, so that the cluster pulls it.
 * </ul>
 *
 * <p>Tags are semantic versions with or without a leading {@code v}; under the semver policies a tag that is not one
 * (and an app whose own tag is not one) is never taken. Build metadata does not order versions.
 */
public record ImageUpdatePolicy(Kind kind, String glob) {

    /** The forms a policy has. */
    public enum Kind {
        NONE,
        ALL,
        MAJOR,
        MINOR,
        PATCH,
        GLOB,
        FORCE
    }

    /** Prefix of the glob form. */
    public static final String GLOB_PREFIX = "glob:";

    /** What a glob pattern may hold: tag characters and the two wildcards. */
    public static final String GLOB_PATTERN = "[A-Za-z0-9_.*?-]{1,128}";

    /** Every form; appears verbatim (anchored) in the JSON Schema. */
    public static final String PATTERN = "(none|all|major|minor|patch|force|glob:" + GLOB_PATTERN + ")";

    private static final Pattern GRAMMAR = Pattern.compile(PATTERN);

    /** The tag of an image that names none. */
    public static final String DEFAULT_TAG = "latest";

    /** The policy a text names, or empty when it names none. */
    public static Optional<ImageUpdatePolicy> parse(String text) {
        if (text == null || !GRAMMAR.matcher(text).matches()) {
            return Optional.empty();
        }
        if (text.startsWith(GLOB_PREFIX)) {
            return Optional.of(new ImageUpdatePolicy(Kind.GLOB, text.substring(GLOB_PREFIX.length())));
        }
        return Optional.of(new ImageUpdatePolicy(Kind.valueOf(text.toUpperCase(Locale.ROOT)), null));
    }

    /** The policy as it is written. */
    public String text() {
        return kind == Kind.GLOB ? GLOB_PREFIX + glob : kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The image an app running {@code current} moves to when {@code tag} (with {@code digest}, if the registry said)
     * is pushed to its repository, or empty when this policy does not take it.
     */
    public Optional<String> update(ImageReference current, String tag, String digest) {
        String currentTag = current.tag() == null ? DEFAULT_TAG : current.tag();
        boolean takes = switch (kind) {
            case NONE -> false;
            case FORCE -> tag.equals(currentTag) && digest != null && !digest.equals(current.digest());
            case GLOB -> !tag.equals(currentTag) && globMatches(glob, tag);
            case ALL, MAJOR, MINOR, PATCH -> higherVersion(currentTag, tag);
        };
        if (!takes) {
            return Optional.empty();
        }
        return Optional.of(current.withVersion(tag, kind == Kind.FORCE ? digest : null));
    }

    /**
     * The tag a poll of the repository moves an app running {@code current} to, among the repository's {@code tags}:
     * of the tags this policy takes, the highest version (semver policies), or the last in natural order, numbers
     * compared as numbers (glob: {@code build-10} after {@code build-9}). Empty when it takes none, and always for
     * {@code none} and {@code force}, which a poll decides by the running tag's digest. Under a glob only a tag after
     * the running one counts: a poll sees the older tags too, and must not move the app back to them.
     */
    public Optional<String> choose(ImageReference current, Collection<String> tags) {
        Comparator<String> order = switch (kind) {
            case NONE, FORCE -> null;
            case GLOB -> NATURAL_ORDER;
            case ALL, MAJOR, MINOR, PATCH ->
                Comparator.comparing(ImageUpdatePolicy::semver).thenComparing(Comparator.naturalOrder());
        };
        if (order == null) {
            return Optional.empty();
        }
        String currentTag = current.tag() == null ? DEFAULT_TAG : current.tag();
        return tags.stream()
                .filter(tag -> update(current, tag, null).isPresent())
                // a glob takes any other tag when it is pushed; a poll, which sees old tags too, only later ones
                .filter(tag -> kind != Kind.GLOB || NATURAL_ORDER.compare(tag, currentTag) > 0)
                .max(order);
    }

    /** Text order, except that runs of digits compare as numbers. */
    static final Comparator<String> NATURAL_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String numberA = a.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String numberB = b.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int byLength = Integer.compare(numberA.length(), numberB.length());
                int compared = byLength != 0 ? byLength : numberA.compareTo(numberB);
                if (compared != 0) {
                    return compared;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b);
    };

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private boolean higherVersion(String currentTag, String tag) {
        Semver running = semver(currentTag);
        Semver candidate = semver(tag);
        if (running == null || candidate == null || !candidate.isGreaterThan(running)) {
            return false;
        }
        if (kind != Kind.ALL && !candidate.getPreRelease().isEmpty() && !samePreReleaseLine(running, candidate)) {
            return false;
        }
        return switch (kind) {
            case MINOR -> candidate.getMajor() == running.getMajor();
            case PATCH -> candidate.getMajor() == running.getMajor() && candidate.getMinor() == running.getMinor();
            default -> true;
        };
    }

    private static boolean samePreReleaseLine(Semver running, Semver candidate) {
        List<String> ours = running.getPreRelease();
        return !ours.isEmpty() && ours.get(0).equals(candidate.getPreRelease().get(0));
    }

    /** A tag as a semantic version ({@code v} prefix allowed), or null when it is none. */
    static Semver semver(String tag) {
        String version = tag.length() > 1 && (tag.charAt(0) == 'v' || tag.charAt(0) == 'V') ? tag.substring(1) : tag;
        return Semver.parse(version);
    }

    static boolean globMatches(String glob, String tag) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), tag);
    }
}
