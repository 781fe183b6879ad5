/**
 * Offline, strictly read-only inspection of a store's files, for tools such as the {@code hindsight} command
 * line: the store marker, the schema catalog, the journal read excerpt by excerpt with the file and byte
 * offset of each, and a private copy of the persisted entity index. Nothing here takes the writer lock,
 * writes, memory-maps or creates a file in the store directory, so it is safe on a damaged store, on a copy
 * of one (with a stale lock file), and beside a live writer.
 *
 * <pre>
 * StoreInspector.open(dir)            marker checked, nothing held open
 *   .readCatalog()                    catalog.bin (SchemaCatalogFile)
 *   .readIndexCheckpoint()            index/index.state
 *   .openJournal()                    JournalScanner: excerpts, cut excerpts, damaged regions, in order
 *   .copyIndex(workDir)               PersistedIndexCopy: heads.cm and blocks.cm copied, then opened
 * </pre>
 */
package dev.hindsight.engine.inspect;
