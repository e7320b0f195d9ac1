package dev.windlass.devstack.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.FileHandler;

/** Sends the launcher's own logging (Kafka broker, kube-api-test, issuer, node simulator) to one file. */
final class LocalLogging {

    private LocalLogging() {}

    /** Replaces the root logger's handlers (the console) with an appending file handler. */
    static void toFile(Path file) throws IOException {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        FileHandler handler = new FileHandler(
                new PatternFormatter("%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n"), file.toFile(), true);
        handler.setAutoFlush(true);
        root.addHandler(handler);
    }
}
