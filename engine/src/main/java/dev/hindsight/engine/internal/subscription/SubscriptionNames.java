package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Subscription names: they name files, so they are restricted. Stateless, thread-safe. */
public final class SubscriptionNames {
    /** The longest name, in bytes. */
    public static final int MAX_BYTES = 64;
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private SubscriptionNames() {
    }

    /**
     * @param name a subscription name
     * @return the name
     * @throws IllegalArgumentException naming the value if it is not {@code [a-z0-9][a-z0-9._-]*}, 1 to 64 characters
     */
    public static String validate(String name) {
        if (name == null) {
            throw new NullPointerException("subscription name is null");
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("subscription name '" + name + "' is invalid: it names files, so it must be"
                    + " 1 to 64 characters of [a-z0-9._-] starting with a letter or digit");
        }
        return name;
    }

    static String decode(byte[] bytes, int offset, int length, String source) {
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFrameException(source, offset, "subscription name is not valid UTF-8");
        }
        if (!VALID.matcher(name).matches()) {
            throw new CorruptFrameException(source, offset, "invalid subscription name '" + name + "'");
        }
        return name;
    }
}
