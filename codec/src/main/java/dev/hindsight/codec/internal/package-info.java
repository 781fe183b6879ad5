/**
 * Implementation of the Hindsight codec: UTF-8 helpers, the Kryo record serializers, the schema-driven
 * generic decoder, the catalog file parser and the per-thread Kryo state. Nothing here is API; it may change
 * without notice.
 */
package dev.hindsight.codec.internal;
