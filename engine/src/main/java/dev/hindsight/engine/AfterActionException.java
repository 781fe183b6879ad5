package dev.hindsight.engine;

/**
 * An {@link AfterAction} hook failed after the action's events were recorded: the events stay recorded (see
 * {@link #result()}); the first hook failure is the cause, later ones are suppressed. Immutable.
 */
public final class AfterActionException extends HindsightException {
    private static final long serialVersionUID = 1L;
    private final transient ActionResult<?> result;

    /**
     * @param result what the action recorded
     * @param cause  the first hook failure
     */
    public AfterActionException(ActionResult<?> result, Throwable cause) {
        super("an after-action hook of " + result.resourceType() + "/" + result.entityId() + " failed after "
                + result.events().size() + " event(s) were recorded at version " + result.version() + ": " + cause,
                cause);
        this.result = result;
    }

    /** @return what the action recorded */
    public ActionResult<?> result() {
        return result;
    }
}
