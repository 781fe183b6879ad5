package dev.hindsight.engine.internal.subscription;

import dev.hindsight.engine.StoreLockedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock that makes one process (and one owner in it) the only writer of a directory of
 * derived files: a subscription directory or a read model. The kernel drops it when the process
 * dies. The file holds the holder's pid, for the error message. Not thread-safe; owned by one object.
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param lockFile the lock file (created if missing)
     * @param what     what the directory is, for messages ("read model", "subscription directory")
     * @return the held lock
     * @throws StoreLockedException if another process, or another owner in this process, holds it
     */
    static DirectoryLock acquire(Path lockFile, String what) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw new StoreLockedException(what + " " + lockFile.getParent() + " is already open in this process");
            }
            if (lock == null) {
                ByteBuffer buf = ByteBuffer.allocate(32);
                int n = channel.read(buf, 0);
                String holder = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
                channel.close();
                throw new StoreLockedException(what + " " + lockFile.getParent() + " is open in another process"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + lock + ": " + e.getMessage(), e);
        }
    }
}
