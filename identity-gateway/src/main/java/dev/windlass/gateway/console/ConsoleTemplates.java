package dev.windlass.gateway.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The console's pages that belong to no single resource. */
@CheckedTemplate(basePath = "")
public final class ConsoleTemplates {

    private ConsoleTemplates() {}

    /** The start page: who is signed in, and where to go. */
    public static native TemplateInstance home(Viewer viewer);

    /** After sign-out. */
    public static native TemplateInstance signedOut();

    /** A service said no, or could not be asked. */
    public static native TemplateInstance error(Viewer viewer, Problem problem);
}
