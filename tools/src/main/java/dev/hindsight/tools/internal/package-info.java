/**
 * Implementation of the inspection commands: the verifying journal pass ({@link dev.hindsight.tools.internal.JournalCheck}),
 * the validated event stream, per-entity state in flat arrays, output formatting and escaping, the generic
 * state fold, progress display and the self-relaunch with the JVM flags. Single-threaded.
 */
package dev.hindsight.tools.internal;
