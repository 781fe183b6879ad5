/**
 * The offline inspection commands ({@code info}, {@code events}, {@code history}, {@code state},
 * {@code verify}, {@code export}, {@code tail}): one class per command, each reading a store through the
 * engine's read-only {@code dev.hindsight.engine.inspect} API, never through a writing or read-only
 * {@code EventStore}, so that no command changes a byte of the store. Each command runs on the process's
 * one thread.
 */
package dev.hindsight.tools.inspect;
