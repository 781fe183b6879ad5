/**
 * The {@code hindsight} command line: {@link dev.hindsight.tools.HindsightCli} and one class per
 * command. Commands run in a single thread; none is meant to be embedded.
 */
package dev.hindsight.tools;
