/**
 * Event-sourced resources on top of the store: binding resource types to event type ids and codecs
 * ({@link dev.hindsight.engine.internal.resource.ResourceBinder}), folding events into state
 * ({@link dev.hindsight.engine.internal.resource.Folded}), and the optimistic action loop
 * ({@link dev.hindsight.engine.internal.resource.DefaultResource}).
 */
package dev.hindsight.engine.internal.resource;
