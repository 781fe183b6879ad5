package dev.hindsight.codec;

/**
 * The standard event a resource type records when an entity is destroyed. The entity's data is kept: its
 * state is the state before this event, marked deleted. The reason, if any, is in the event's metadata. In the
 * schema catalog it is {@code <resourceType>.Deleted}, with no fields.
 *
 * <p>Immutable and thread-safe.
 */
public record Deleted() {
}
