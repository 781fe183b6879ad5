package dev.hindsight.codec.internal;

import dev.hindsight.codec.FieldKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The {@link ValueCodec}s of boxed scalar values (list elements, map values, boxed components). Thread-safe. */
public final class Scalars {
    private Scalars() {
    }

    /**
     * @param kind a scalar kind (not ENUM, LIST, MAP or RECORD)
     * @return its codec
     */
    public static ValueCodec forKind(FieldKind kind) {
        return switch (kind) {
            case BOOLEAN -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeBoolean((Boolean) v); }
                @Override public Object read(PayloadInput in) { return Reads.bool(in); }
            };
            case BYTE -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeByte((Byte) v); }
                @Override public Object read(PayloadInput in) { return Reads.int8(in); }
            };
            case SHORT -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeShort((Short) v); }
                @Override public Object read(PayloadInput in) { return Reads.int16(in); }
                @Override public int minWidth() { return 2; }
            };
            case CHAR -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeChar((Character) v); }
                @Override public Object read(PayloadInput in) { return Reads.char16(in); }
                @Override public int minWidth() { return 2; }
            };
            case INT -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeVarInt((Integer) v, false); }
                @Override public Object read(PayloadInput in) { return Reads.varint(in); }
            };
            case LONG -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeVarLong((Long) v, false); }
                @Override public Object read(PayloadInput in) { return Reads.varlong(in); }
            };
            case FLOAT -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeFloat((Float) v); }
                @Override public Object read(PayloadInput in) { return Reads.float32(in); }
                @Override public int minWidth() { return 4; }
            };
            case DOUBLE -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { out.writeDouble((Double) v); }
                @Override public Object read(PayloadInput in) { return Reads.float64(in); }
                @Override public int minWidth() { return 8; }
            };
            case STRING -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { Writes.string(out, (String) v); }
                @Override public Object read(PayloadInput in) { return Reads.string(in); }
            };
            case INSTANT -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { Writes.instant(out, (Instant) v); }
                @Override public Object read(PayloadInput in) { return Reads.instant(in); }
                @Override public int minWidth() { return 2; }
            };
            case UUID -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { Writes.uuid(out, (UUID) v); }
                @Override public Object read(PayloadInput in) { return Reads.uuid(in); }
                @Override public int minWidth() { return 16; }
            };
            case BIG_DECIMAL -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { Writes.bigDecimal(out, (BigDecimal) v); }
                @Override public Object read(PayloadInput in) { return Reads.bigDecimal(in); }
                @Override public int minWidth() { return 3; }
            };
            case BYTES -> new ValueCodec() {
                @Override public void write(FrameOutput out, Object v) { Writes.bytes(out, (byte[]) v); }
                @Override public Object read(PayloadInput in) { return Reads.bytes(in); }
            };
            default -> throw new IllegalArgumentException(kind + " is not a scalar kind");
        };
    }

    /**
     * @param kind a kind
     * @return the fewest bytes a non-null value of that kind takes, ignoring nested records (0 if unknown)
     */
    public static int minWidth(FieldKind kind) {
        return switch (kind) {
            case SHORT, CHAR, INSTANT -> 2;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case UUID -> 16;
            case BIG_DECIMAL -> 3;
            case RECORD -> 0;
            default -> 1;
        };
    }
}
