package dev.windlass.events.validation;

import dev.windlass.events.spec.SpecLimits;
import dev.windlass.events.spec.VolumeSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Persistent volumes: unique names and mount paths, positive sizes. */
final class VolumeRules {

    private VolumeRules() {}

    static void check(List<VolumeSpec> volumes, Checker at) {
        at.maxItems(volumes.size(), SpecLimits.MAX_VOLUMES);
        Set<String> names = new HashSet<>();
        Set<String> mountPaths = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            VolumeSpec volume = volumes.get(i);
            Checker item = at.index(i);
            if (!item.present(volume)) {
                continue;
            }
            Checker name = item.field("name");
            name.name(volume.name(), NameRule.DNS_LABEL);
            if (volume.name() != null && !names.add(volume.name())) {
                name.fail(Rules.UNIQUE, "is already the name of an earlier volume");
            }
            Checker mountPath = item.field("mountPath");
            mountPath.name(volume.mountPath(), NameRule.MOUNT_PATH);
            if (volume.mountPath() != null && !mountPaths.add(stripTrailingSlash(volume.mountPath()))) {
                mountPath.fail(Rules.UNIQUE, "is already the mount path of an earlier volume");
            }
            Checker size = item.field("size");
            if (size.present(volume.size())) {
                ResourceRules.positive(volume.size(), size, true);
            }
            if (volume.storageClass() != null) {
                NameRule.DNS_SUBDOMAIN.check(volume.storageClass(), item.field("storageClass"));
            }
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
