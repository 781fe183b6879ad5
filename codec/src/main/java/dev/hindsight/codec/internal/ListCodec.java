package dev.hindsight.codec.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/** Encodes a {@code List} of non-null elements: varint count, then elements. Immutable and thread-safe. */
final class ListCodec extends ValueCodec {
    private final ValueCodec element;

    ListCodec(ValueCodec element) {
        this.element = element;
    }

    @Override
    public void write(FrameOutput out, Object value) {
        List<?> list = (List<?>) value;
        int n = list.size();
        Writes.count(out, n, element.minWidth(), "list");
        if (list instanceof RandomAccess) {
            for (int i = 0; i < n; i++) {
                writeElement(out, list.get(i));
            }
        } else {
            for (Object e : list) {
                writeElement(out, e);
            }
        }
    }

    private void writeElement(FrameOutput out, Object e) {
        if (e == null) {
            throw new IllegalArgumentException("list contains a null element; list elements must not be null");
        }
        element.write(out, e);
    }

    @Override
    public Object read(PayloadInput in) {
        in.enter();
        int n = Reads.count(in, element.minWidth(), "list");
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.read(in));
        }
        in.leave();
        return Collections.unmodifiableList(list);
    }
}
