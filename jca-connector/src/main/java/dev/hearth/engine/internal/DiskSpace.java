package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** Recognises a write that failed for lack of space (ENOSPC, EDQUOT) rather than a failing disk. */
final class DiskSpace {

    private DiskSpace() {
    }

    static boolean isOutOfSpace(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause instanceof FileSystemException fs && fs.getReason() != null
                    ? fs.getReason() : cause.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
