/**
 * The JMH performance suite: one benchmark class per question, with its baselines (raw Chronicle
 * Queue, the bare hand-off) in the same invocation. {@link dev.hindsight.jmh.BenchmarkMain} runs it
 * with a profile and prints the table and the ratios that {@code docs/benchmarks.md} reports.
 */
package dev.hindsight.jmh;
