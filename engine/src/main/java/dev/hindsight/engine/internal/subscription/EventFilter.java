package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.FrameReader;

import java.util.Arrays;

/**
 * Which events a subscription delivers, decided on the frame header without decoding or allocating.
 * Immutable, thread-safe.
 */
final class EventFilter {
    static final EventFilter ALL = new EventFilter(null, null);
    private final String[] resourceTypes;
    private final int[] eventTypeIds;

    /**
     * @param resourceTypes resource types to deliver, null for all
     * @param eventTypeIds  event type ids to deliver, null for all
     */
    EventFilter(String[] resourceTypes, int[] eventTypeIds) {
        this.resourceTypes = resourceTypes == null ? null : resourceTypes.clone();
        if (eventTypeIds == null) {
            this.eventTypeIds = null;
        } else {
            this.eventTypeIds = eventTypeIds.clone();
            Arrays.sort(this.eventTypeIds);
        }
    }

    boolean matches(FrameReader f) {
        if (eventTypeIds != null && Arrays.binarySearch(eventTypeIds, f.eventTypeId()) < 0) {
            return false;
        }
        if (resourceTypes == null) {
            return true;
        }
        for (String t : resourceTypes) {
            if (f.resourceTypeEquals(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "filter{resourceTypes=" + (resourceTypes == null ? "all" : Arrays.toString(resourceTypes))
                + ", eventTypeIds=" + (eventTypeIds == null ? "all" : Arrays.toString(eventTypeIds)) + "}";
    }
}
