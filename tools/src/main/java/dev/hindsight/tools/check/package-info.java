/**
 * The plug-in point of {@code hindsight verify} and {@code hindsight info} for artifacts derived from the
 * journal: an {@link dev.hindsight.tools.check.ArtifactCheck} per artifact (the entity index today; snapshots
 * and subscription checkpoints as they land), fed by the verifier's single streaming pass over the journal.
 * Everything here runs on the command's one thread.
 */
package dev.hindsight.tools.check;
