package dev.hindsight.jmh;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The baseline Hindsight is compared with: an embedded H2 database (file mode) with one row per
 * event, the way an event store is commonly put in a SQL table.
 *
 * <pre>
 * CREATE TABLE events (
 *   resource_type VARCHAR(64)  NOT NULL,
 *   entity_id     VARCHAR(256) NOT NULL,
 *   version       BIGINT       NOT NULL,   -- 1-based, per entity
 *   ts_nanos      BIGINT       NOT NULL,   -- epoch nanoseconds
 *   event_type    INT          NOT NULL,
 *   payload       VARBINARY    NOT NULL,   -- the encoded event
 *   PRIMARY KEY (resource_type, entity_id, version))
 * CREATE INDEX events_entity_ts ON events (resource_type, entity_id, ts_nanos)
 * </pre>
 *
 * Reads are prepared statements, prepared once, over the primary key (a stream, or the events up to a
 * version) or the per-entity timestamp index (the events up to an instant: what an "as of" replays).
 * Rows are handed to a {@link RowSink} with the payload as H2 returns it (a new array per row: that
 * is what JDBC costs).
 *
 * <p>Not thread-safe: one connection, used by one thread at a time. Open one per benchmark thread
 * on the same database file ({@link #open(Path)} with the same directory) to read concurrently.
 */
public final class H2EventTable implements AutoCloseable {
    /** Receives the rows of a read, in version order. */
    @FunctionalInterface
    public interface RowSink {
        /**
         * @param version   the event's entity version
         * @param tsNanos   its timestamp
         * @param eventType its event type id
         * @param payload   its encoded payload
         */
        void row(long version, long tsNanos, int eventType, byte[] payload);
    }

    private static final String COLUMNS = "SELECT version, ts_nanos, event_type, payload FROM events"
            + " WHERE resource_type = ? AND entity_id = ?";

    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement stream;
    private final PreparedStatement upToTimestamp;
    private final PreparedStatement upToVersion;
    private final PreparedStatement afterVersionUpToTimestamp;
    private int batched;

    private H2EventTable(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events ("
                    + "resource_type VARCHAR(64) NOT NULL, entity_id VARCHAR(256) NOT NULL, version BIGINT NOT NULL,"
                    + " ts_nanos BIGINT NOT NULL, event_type INT NOT NULL, payload VARBINARY NOT NULL,"
                    + " PRIMARY KEY (resource_type, entity_id, version))");
            s.execute("CREATE INDEX IF NOT EXISTS events_entity_ts ON events (resource_type, entity_id, ts_nanos)");
        }
        connection.setAutoCommit(false);
        insert = connection.prepareStatement("INSERT INTO events (resource_type, entity_id, version, ts_nanos, event_type,"
                + " payload) VALUES (?, ?, ?, ?, ?, ?)");
        stream = connection.prepareStatement(COLUMNS + " ORDER BY version");
        upToTimestamp = connection.prepareStatement(COLUMNS + " AND ts_nanos <= ? ORDER BY version");
        upToVersion = connection.prepareStatement(COLUMNS + " AND version <= ? ORDER BY version");
        afterVersionUpToTimestamp = connection.prepareStatement(COLUMNS + " AND version > ? AND version <= ? AND ts_nanos <= ?"
                + " ORDER BY version");
    }

    /**
     * Opens (creating if needed) the database {@code dir/events.mv.db}.
     *
     * @param dir the database's directory
     * @return the table
     */
    public static H2EventTable open(Path dir) {
        try {
            Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("events")
                    + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
            return new H2EventTable(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open H2 event table in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds an event to the current batch; {@link #commit()} writes it.
     *
     * @param resourceType the entity's resource type
     * @param entityId     its id
     * @param version      the event's version
     * @param tsNanos      its timestamp
     * @param eventType    its event type id
     * @param payload      its encoded payload
     */
    public void append(String resourceType, String entityId, long version, long tsNanos, int eventType, byte[] payload) {
        try {
            insert.setString(1, resourceType);
            insert.setString(2, entityId);
            insert.setLong(3, version);
            insert.setLong(4, tsNanos);
            insert.setInt(5, eventType);
            insert.setBytes(6, payload);
            insert.addBatch();
            if (++batched == 1_000) {
                insert.executeBatch();
                batched = 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("insert of " + resourceType + "/" + entityId + " v" + version + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes the batch and commits the transaction. */
    public void commit() {
        try {
            if (batched > 0) {
                insert.executeBatch();
                batched = 0;
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("commit failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads an entity's whole stream.
     *
     * @return how many events it has
     */
    public int loadStream(String resourceType, String entityId, RowSink sink) {
        return query(stream, resourceType, entityId, 0, 0, 0, 0, sink);
    }

    /**
     * Loads the events of an entity with a timestamp at or before {@code tsNanos}: what an as-of read
     * replays when there is nothing but the event table.
     *
     * @return how many events
     */
    public int loadUpToTimestamp(String resourceType, String entityId, long tsNanos, RowSink sink) {
        return query(upToTimestamp, resourceType, entityId, 1, tsNanos, 0, 0, sink);
    }

    /**
     * Loads the events of an entity up to and including {@code version}.
     *
     * @return how many events
     */
    public int loadUpToVersion(String resourceType, String entityId, long version, RowSink sink) {
        return query(upToVersion, resourceType, entityId, 1, version, 0, 0, sink);
    }

    /**
     * Loads the events of an entity in {@code (afterVersion, maxVersion]} with a timestamp at or before
     * {@code tsNanos}: the tail to replay after a snapshot, if snapshots were kept beside the table
     * ({@code maxVersion} = the snapshot's version + the snapshot interval, so the primary key bounds
     * the scan; without it H2 picks the timestamp index and reads every earlier row).
     *
     * @return how many events
     */
    public int loadAfterVersionUpToTimestamp(String resourceType, String entityId, long afterVersion, long maxVersion,
                                             long tsNanos, RowSink sink) {
        return query(afterVersionUpToTimestamp, resourceType, entityId, 3, afterVersion, maxVersion, tsNanos, sink);
    }

    /** Runs a read with {@code extra} (0..3) long parameters after the entity's key. */
    private int query(PreparedStatement ps, String resourceType, String entityId, int extra, long a, long b, long c,
                      RowSink sink) {
        try {
            ps.setString(1, resourceType);
            ps.setString(2, entityId);
            if (extra >= 1) {
                ps.setLong(3, a);
            }
            if (extra >= 2) {
                ps.setLong(4, b);
            }
            if (extra >= 3) {
                ps.setLong(5, c);
            }
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("query of " + resourceType + "/" + entityId + " failed: " + e.getMessage(), e);
        }
    }

    /** @return the number of rows (for set-up checks) */
    public long count() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("count failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            commit();
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("close failed: " + e.getMessage(), e);
        }
    }
}
