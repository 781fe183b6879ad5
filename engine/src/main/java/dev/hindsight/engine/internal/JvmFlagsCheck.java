package dev.hindsight.engine.internal;

import dev.hindsight.engine.MissingJvmFlagsException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before Chronicle is touched, that the JVM runs with the {@code --add-exports} and
 * {@code --add-opens} flags Chronicle and Agrona need. The list is generated at build time from the
 * parent POM's {@code hindsight.jvm.flags} property, the one place the flags are kept. Stateless,
 * thread-safe.
 */
public final class JvmFlagsCheck {
    private static final String RESOURCE = "jvm-flags.txt";
    private static volatile boolean verified;

    private JvmFlagsCheck() {
    }

    /** @return the flags, as the build recorded them */
    public static List<String> requiredFlags() {
        try (InputStream in = JvmFlagsCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the hindsight-engine jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> flags = new ArrayList<>();
            for (String flag : text.split("\\s+")) {
                if (!flag.isEmpty()) {
                    flags.add(flag);
                }
            }
            return flags;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + " from the hindsight-engine jar", e);
        }
    }

    /** @return the required flags that are not in effect in this JVM (a flag for an absent module is not needed) */
    public static List<String> missingFlags() {
        Module unnamed = JvmFlagsCheck.class.getClassLoader().getUnnamedModule();
        List<String> missing = new ArrayList<>();
        for (String flag : requiredFlags()) {
            boolean opens = flag.startsWith("--add-opens=");
            if (!opens && !flag.startsWith("--add-exports=")) {
                continue;
            }
            String spec = flag.substring(flag.indexOf('=') + 1);
            int slash = spec.indexOf('/');
            int eq = spec.indexOf('=');
            if (slash < 0 || eq < slash) {
                continue;
            }
            String moduleName = spec.substring(0, slash);
            String pkg = spec.substring(slash + 1, eq);
            Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isEmpty() || !module.get().getPackages().contains(pkg)) {
                continue;
            }
            boolean granted = opens ? module.get().isOpen(pkg, unnamed) : module.get().isExported(pkg, unnamed);
            if (!granted) {
                missing.add(flag);
            }
        }
        return missing;
    }

    /** @throws MissingJvmFlagsException listing exactly the missing flags */
    public static void verify() {
        if (verified) {
            return;
        }
        List<String> missing = missingFlags();
        if (!missing.isEmpty()) {
            throw new MissingJvmFlagsException(missing);
        }
        verified = true;
    }
}
