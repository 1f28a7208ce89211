/*
 * powercut: a FUSE file system that forgets, on a simulated power cut, everything that was not fsynced.
 * Hearth's power-loss test (PowerLossIT) puts Hearth's whole data directory on it. The equivalent of
 * LazyFS (which Jepsen uses), written here because LazyFS is on no registry we reach.
 *
 *   powercut BACKING_DIR GRAVEYARD_DIR STATUS_FILE MOUNTPOINT [fuse options]
 *
 * Model. A pass-through to BACKING_DIR: every operation reaches the backing file system at once, so reads
 * see the latest state, exactly as they see the page cache on a real machine. Besides, powercut keeps what
 * it needs to undo whatever a power cut could lose, under POSIX semantics:
 *
 *   file data   per inode, the size at the last fsync/fdatasync of that file (or when it was first touched
 *               since the mount, or 0 for a file created since) and an undo log of the old bytes below that
 *               size which writes and truncations replaced since. fsync or fdatasync of the file empties it.
 *   directories a log of entry operations (create, mknod, mkdir, unlink, rmdir, rename, link, symlink) not
 *               yet durable. An operation is durable once its directory (for a rename: either directory) was
 *               fsynced after it AND every earlier operation it depends on is durable (the same inode, the
 *               same name in the same directory, an entry made inside a directory another operation made):
 *               a file created in a new directory survives only if the directory's own entry was fsynced in
 *               its parent (or a rename of it to a durable name). So what survives is always a state the program could have seen, and no more
 *               than POSIX promises. fsync of a file does NOT make its directory entry durable (POSIX;
 *               ext4 happens to do so).
 *               Unlinked inodes and those a rename replaced are kept as hard links in GRAVEYARD_DIR (same
 *               file system as BACKING_DIR) until their removal is durable, so that a cut can bring them back.
 *   metadata    modes, owners and times are passed through and never rolled back.
 *
 * A cut is SIGUSR1. powercut then (1) fails every later request with EIO, as a machine that lost power
 * answers nothing; (2) rolls back every file's data to its last fsync — in torn mode (SIGUSR2 instead of
 * SIGUSR1) a file that was only appended to may instead keep a random prefix of its unsynced tail, cut at a
 * 512-byte sector boundary, as a disk that wrote some sectors of the page cache before the cut would; (3) undoes
 * the non-durable directory operations, newest first; (4) writes a one-line summary to STATUS_FILE
 * (written to STATUS_FILE.tmp and renamed, so a reader sees it whole) and waits to be unmounted
 * (fusermount3 -u). BACKING_DIR then holds exactly what survived the cut; a new powercut mounted on it
 * starts with everything in it durable.
 *
 * mmap works (direct_io is off, so the kernel's page cache backs shared mappings): dirty pages reach
 * powercut as writes when the kernel writes them back, and msync(MS_SYNC) (Java's MappedByteBuffer.force)
 * writes them and then sends FUSE_FSYNC, which is an fsync here. Mapped pages still dirty in the kernel at
 * the cut are lost with the unmount, as they would be with the power.
 *
 * Thread contract: libfuse's multi-threaded loop; one mutex serialises every operation that changes state
 * (and the cut), so the undo logs always match the backing files. Reads take no lock.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

/* Bytes: a disk writes whole sectors, so a torn tail ends at a multiple of this. */
#define SECTOR_BYTES 512

/* ---- state ------------------------------------------------------------------------------------------- */

/* Old bytes at offset, replaced by a write or a truncation since the file's last fsync. */
struct undo {
    off_t offset;
    size_t length;
    char *bytes;
    struct undo *next; /* older entry */
};

/* A regular file changed since its last fsync. fd is our own read-write descriptor: it follows renames and
 * outlives unlinks, so the rollback reaches the inode wherever its names went. */
struct file_state {
    ino_t ino;
    int fd;
    char *path;           /* its name when first changed (mount-relative, or the backing path), for the report only */
    off_t synced_size;    /* bytes: the size that survives a cut */
    int overwritten;      /* whether any write or truncation touched bytes below synced_size */
    struct undo *undo;    /* newest first */
    struct file_state *next;
};

enum op_kind { OP_CREATE, OP_MKDIR, OP_UNLINK, OP_RMDIR, OP_RENAME };

/* A directory operation not yet durable. Directories are named by inode and reached through dir_fd(). */
struct dir_op {
    enum op_kind kind;
    ino_t parent;          /* the directory of name (rename: of the source name) */
    char *name;
    ino_t parent2;         /* rename: the directory of name2 */
    char *name2;
    ino_t ino;             /* the inode the entry named (created, removed or moved) */
    mode_t mode;           /* mkdir/rmdir: the directory's mode */
    char *grave;           /* unlink, or a rename that replaced a file: the kept hard link of the old inode */
    ino_t victim;          /* rename: the inode it replaced, 0 if none */
    mode_t victim_mode;
    int synced;            /* an fsync of (one of) its directories followed it */
    struct dir_op *prev, *next;
};

/* An open descriptor per directory inode that appears in the log (descriptors follow renames). */
struct dir_handle {
    ino_t ino;
    int fd;
    struct dir_handle *next;
};

static const char *backing_root;
static int backing_fd = -1;
static const char *graveyard;
static const char *status_file;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int dead;
static struct file_state *files;
static struct dir_op *ops_head, *ops_tail;
static struct dir_handle *dirs;
static unsigned long grave_counter;
static unsigned int seed;

/* ---- helpers ----------------------------------------------------------------------------------------- */

/* FUSE paths start with '/'; relative to backing_fd, "/" is ".". */
static const char *rel(const char *path) {
    return path[1] == '\0' ? "." : path + 1;
}

/* The parent directory's path and the last name of path, into caller buffers. */
static void split(const char *path, char *parent, char *name) {
    const char *slash = strrchr(path, '/');
    size_t length = (size_t) (slash - path);
    if (length == 0) {
        strcpy(parent, "/");
    } else {
        memcpy(parent, path, length);
        parent[length] = '\0';
    }
    strcpy(name, slash + 1);
}

static ino_t ino_at(const char *path) {
    struct stat st;
    return fstatat(backing_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_ino : 0;
}

/* Registers (once) a descriptor for the directory at path and returns its inode, 0 on failure. */
static ino_t remember_dir(const char *path) {
    struct stat st;
    if (fstatat(backing_fd, rel(path), &st, 0) != 0) {
        return 0;
    }
    for (struct dir_handle *d = dirs; d; d = d->next) {
        if (d->ino == st.st_ino) {
            return st.st_ino;
        }
    }
    int fd = openat(backing_fd, rel(path), O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return 0;
    }
    struct dir_handle *d = calloc(1, sizeof *d);
    d->ino = st.st_ino;
    d->fd = fd;
    d->next = dirs;
    dirs = d;
    return st.st_ino;
}

static struct dir_handle *dir_handle(ino_t ino) {
    for (struct dir_handle *d = dirs; d; d = d->next) {
        if (d->ino == ino) {
            return d;
        }
    }
    return NULL;
}

static struct file_state *find_file(ino_t ino) {
    for (struct file_state *f = files; f; f = f->next) {
        if (f->ino == ino) {
            return f;
        }
    }
    return NULL;
}

/* The state of the file open as fd, created on its first change since the last fsync. size_if_new is the
 * size that survives a cut (the current size for a file that existed, 0 for one just created). */
static struct file_state *track(int fd, off_t size_if_new, const char *path) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return NULL;
    }
    struct file_state *f = find_file(st.st_ino);
    if (f) {
        return f;
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    int own = open(proc, O_RDWR);
    if (own < 0) {
        return NULL;
    }
    f = calloc(1, sizeof *f);
    f->ino = st.st_ino;
    f->fd = own;
    if (path) {
        f->path = strdup(path);
    } else {
        /* libfuse passes no path to descriptor-based requests (nullpath_ok): name the backing file instead. */
        char name[PATH_MAX];
        ssize_t length = readlink(proc, name, sizeof name - 1);
        name[length < 0 ? 0 : length] = '\0';
        f->path = strdup(name);
    }
    f->synced_size = size_if_new < 0 ? st.st_size : size_if_new;
    f->next = files;
    files = f;
    return f;
}

/* Saves the bytes [offset, offset+length) that lie below synced_size before they change. */
static int save_old_bytes(struct file_state *f, off_t offset, off_t end) {
    if (end > f->synced_size) {
        end = f->synced_size;
    }
    if (offset >= end) {
        return 0;
    }
    size_t length = (size_t) (end - offset);
    struct undo *u = calloc(1, sizeof *u);
    u->bytes = malloc(length);
    ssize_t got = pread(f->fd, u->bytes, length, offset);
    if (got < 0) {
        int error = errno;
        free(u->bytes);
        free(u);
        return -error;
    }
    /* Bytes past the current end (a file shorter than synced_size) read as nothing and come back as zeros. */
    memset(u->bytes + got, 0, length - (size_t) got);
    u->offset = offset;
    u->length = length;
    u->next = f->undo;
    f->undo = u;
    f->overwritten = 1;
    return 0;
}

static void forget_file(ino_t ino) {
    for (struct file_state **p = &files; *p; p = &(*p)->next) {
        if ((*p)->ino == ino) {
            struct file_state *f = *p;
            *p = f->next;
            for (struct undo *u = f->undo, *next; u; u = next) {
                next = u->next;
                free(u->bytes);
                free(u);
            }
            close(f->fd);
            free(f->path);
            free(f);
            return;
        }
    }
}

/* Keeps the inode at path alive as a hard link in the graveyard; returns the link's path (malloc'd). */
static char *bury(const char *path) {
    char grave[PATH_MAX];
    snprintf(grave, sizeof grave, "%s/%d-%lu", graveyard, (int) getpid(), ++grave_counter);
    if (linkat(backing_fd, rel(path), AT_FDCWD, grave, 0) != 0) {
        return NULL;
    }
    return strdup(grave);
}

static struct dir_op *log_op(enum op_kind kind, ino_t parent, const char *name, ino_t ino) {
    struct dir_op *op = calloc(1, sizeof *op);
    op->kind = kind;
    op->parent = parent;
    op->name = strdup(name);
    op->ino = ino;
    op->prev = ops_tail;
    if (ops_tail) {
        ops_tail->next = op;
    } else {
        ops_head = op;
    }
    ops_tail = op;
    return op;
}

static void free_op(struct dir_op *op) {
    if (op->prev) op->prev->next = op->next; else ops_head = op->next;
    if (op->next) op->next->prev = op->prev; else ops_tail = op->prev;
    free(op->name);
    free(op->name2);
    free(op->grave);
    free(op);
}

/* Whether the later operation b can only have happened on stable storage if the earlier a did: the same
 * inode, the same name in the same directory, b made an entry inside a directory a created, or b removed a
 * directory a made an entry in. (Entries made inside a directory that is later moved do not depend on the
 * move, nor the move on them; nor does a rename depend on the creation of the directory it moves out of.) */
static int depends(const struct dir_op *a, const struct dir_op *b) {
    ino_t a_inos[] = {a->ino, a->victim};
    ino_t b_inos[] = {b->ino, b->victim};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            if (a_inos[i] && a_inos[i] == b_inos[j]) return 1;
        }
        /* b made an entry in a directory a created (a rename makes one only in its destination). */
        if (a_inos[i] && a_inos[i] == (b->kind == OP_RENAME ? b->parent2 : b->parent)) return 1;
    }
    if (b->kind == OP_RMDIR && (b->ino == a->parent || b->ino == a->parent2)) return 1;
    const char *a_names[] = {a->name, a->name2};
    const char *b_names[] = {b->name, b->name2};
    ino_t a_dirs[] = {a->parent, a->parent2};
    ino_t b_dirs[] = {b->parent, b->parent2};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            if (a_names[i] && b_names[j] && a_dirs[i] == b_dirs[j] && strcmp(a_names[i], b_names[j]) == 0) return 1;
        }
    }
    return 0;
}

/* Whether a created the inode that the rename b gives a new name. */
static int made_reachable_by(const struct dir_op *a, const struct dir_op *b) {
    return b->kind == OP_RENAME && (a->kind == OP_CREATE || a->kind == OP_MKDIR) && a->ino == b->ino;
}

/*
 * fsync of directory ino: its logged operations are synced. An operation is durable once it is synced and
 * every earlier operation it depends on is durable (POSIX: a file created in a new directory survives only if
 * the directory's own entry was made durable too, by an fsync of its parent). Durable operations leave the
 * log, oldest first, so every operation still logged is one a cut undoes.
 */
static void commit_dir(ino_t ino) {
    for (struct dir_op *op = ops_head; op; op = op->next) {
        if (op->parent == ino || op->parent2 == ino) {
            op->synced = 1;
        }
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (struct dir_op *b = ops_head, *next; b; b = next) {
            next = b->next;
            if (!b->synced) continue;
            int pending = 0;
            for (struct dir_op *a = b->prev; a && !pending; a = a->prev) {
                pending = depends(a, b) && !made_reachable_by(a, b);
            }
            if (pending) continue;
            if (b->kind == OP_RENAME) {
                /* The durable new name makes the inode reachable: its creation under the old name is moot. */
                for (struct dir_op *a = b->prev, *before; a; a = before) {
                    before = a->prev;
                    if (made_reachable_by(a, b)) {
                        if (next == a) next = a->next;
                        free_op(a);
                    }
                }
            }
            if (b->grave) unlink(b->grave);
            free_op(b);
            changed = 1;
        }
    }
}

/* ---- the cut ----------------------------------------------------------------------------------------- */

struct cut_counts {
    long files_rolled_back, bytes_dropped, files_torn, bytes_kept_torn, ops_undone, ops_failed;
};

static void rollback_file(struct file_state *f, int torn, struct cut_counts *counts) {
    struct stat st;
    if (fstat(f->fd, &st) != 0) {
        counts->ops_failed++;
        return;
    }
    off_t keep = f->synced_size;
    if (torn && !f->overwritten && st.st_size > f->synced_size) {
        /* Half of such files keep part of their unsynced tail, up to a sector boundary. */
        off_t first_sector = (f->synced_size + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
        off_t last_sector = st.st_size / SECTOR_BYTES * SECTOR_BYTES;
        if (last_sector > first_sector && rand_r(&seed) % 2 == 0) {
            off_t sectors = (last_sector - first_sector) / SECTOR_BYTES;
            keep = first_sector + (off_t) (rand_r(&seed) % (sectors + 1)) * SECTOR_BYTES;
            counts->files_torn++;
            counts->bytes_kept_torn += keep - f->synced_size;
        }
    }
    for (struct undo *u = f->undo; u; u = u->next) {
        if (pwrite(f->fd, u->bytes, u->length, u->offset) != (ssize_t) u->length) counts->ops_failed++;
    }
    if (st.st_size > keep) counts->bytes_dropped += st.st_size - keep;
    fprintf(stderr, "powercut: %s: size %lld -> %lld%s\n", f->path, (long long) st.st_size, (long long) keep,
            f->undo ? " (overwritten bytes restored)" : "");
    if (ftruncate(f->fd, keep) != 0) counts->ops_failed++;
    counts->files_rolled_back++;
}

static int dir_fd(ino_t ino) {
    struct dir_handle *d = dir_handle(ino);
    return d ? d->fd : -1;
}

/* Whether name in directory dfd is the inode ino (guards every undo against undoing the wrong entry). */
static int names(int dfd, const char *name, ino_t ino) {
    struct stat st;
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_ino == ino;
}

static int restore(int dfd, const char *name, const char *grave, ino_t ino, mode_t mode) {
    if (S_ISDIR(mode)) {
        /* A removed directory comes back empty, as a new inode: later undos that name the old one use it. */
        if (mkdirat(dfd, name, mode & 07777) != 0) return -1;
        struct stat st;
        struct dir_handle *d = dir_handle(ino);
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || fstat(fd, &st) != 0) return -1;
        if (d) {
            close(d->fd);
            d->fd = fd;
        } else {
            close(fd);
        }
        return 0;
    }
    if (!grave || linkat(AT_FDCWD, grave, dfd, name, 0) != 0) return -1;
    unlink(grave);
    return 0;
}

static void undo_op(struct dir_op *op, struct cut_counts *counts) {
    int dfd = dir_fd(op->parent);
    int ok = dfd >= 0;
    switch (op->kind) {
    case OP_CREATE:
        ok = ok && names(dfd, op->name, op->ino) && unlinkat(dfd, op->name, 0) == 0;
        break;
    case OP_MKDIR:
        ok = ok && names(dfd, op->name, op->ino) && unlinkat(dfd, op->name, AT_REMOVEDIR) == 0;
        break;
    case OP_UNLINK:
    case OP_RMDIR:
        ok = ok && restore(dfd, op->name, op->grave, op->ino, op->mode) == 0;
        break;
    case OP_RENAME: {
        int dfd2 = dir_fd(op->parent2);
        ok = ok && dfd2 >= 0 && names(dfd2, op->name2, op->ino)
                && renameat(dfd2, op->name2, dfd, op->name) == 0;
        if (ok && op->victim) {
            ok = restore(dfd2, op->name2, op->grave, op->victim, op->victim_mode) == 0;
        }
        break;
    }
    }
    if (ok) counts->ops_undone++; else counts->ops_failed++;
}

static void cut(int torn) {
    pthread_mutex_lock(&lock);
    dead = 1;
    struct cut_counts counts = {0};
    for (struct file_state *f = files; f; f = f->next) {
        rollback_file(f, torn, &counts);
    }
    for (struct dir_op *op = ops_tail; op; op = op->prev) {
        undo_op(op, &counts);
    }
    syncfs(backing_fd);
    char temp[PATH_MAX];
    snprintf(temp, sizeof temp, "%s.tmp", status_file);
    FILE *out = fopen(temp, "w");
    if (out) {
        fprintf(out, "files_rolled_back=%ld bytes_dropped=%ld files_torn=%ld bytes_kept_torn=%ld "
                     "dir_ops_undone=%ld failures=%ld\n", counts.files_rolled_back, counts.bytes_dropped,
                counts.files_torn, counts.bytes_kept_torn, counts.ops_undone, counts.ops_failed);
        fclose(out);
        rename(temp, status_file);
    }
    pthread_mutex_unlock(&lock);
}

static void *signal_thread(void *unused) {
    (void) unused;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    int signal;
    while (sigwait(&set, &signal) == 0) {
        if (!dead) cut(signal == SIGUSR2);
    }
    return NULL;
}

/* ---- operations -------------------------------------------------------------------------------------- */

#define ALIVE() do { if (dead) return -EIO; } while (0)
/* Runs the statements given as arguments under the lock, or answers EIO after a cut. */
#define LOCKED(...) do { pthread_mutex_lock(&lock); if (dead) { pthread_mutex_unlock(&lock); return -EIO; } \
        __VA_ARGS__; pthread_mutex_unlock(&lock); } while (0)

static void *pc_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void) conn;
    cfg->use_ino = 1;
    cfg->nullpath_ok = 1;
    cfg->hard_remove = 1; /* unlink while open really unlinks (our fds keep the inode), no .fuse_hidden files */
    cfg->direct_io = 0;
    return NULL;
}

static int pc_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    ALIVE();
    int r = fi ? fstat((int) fi->fh, st) : fstatat(backing_fd, rel(path), st, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

static int pc_access(const char *path, int mask) {
    ALIVE();
    return faccessat(backing_fd, rel(path), mask, 0) == 0 ? 0 : -errno;
}

static int pc_readlink(const char *path, char *buf, size_t size) {
    ALIVE();
    ssize_t n = readlinkat(backing_fd, rel(path), buf, size - 1);
    if (n < 0) return -errno;
    buf[n] = '\0';
    return 0;
}

static int pc_opendir(const char *path, struct fuse_file_info *fi) {
    ALIVE();
    int fd = openat(backing_fd, rel(path), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -errno;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -errno;
    }
    fi->fh = (uint64_t) (uintptr_t) dir;
    return 0;
}

static int pc_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t offset, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
    (void) path; (void) offset; (void) flags;
    ALIVE();
    DIR *dir = (DIR *) (uintptr_t) fi->fh;
    rewinddir(dir);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        struct stat st = {0};
        st.st_ino = entry->d_ino;
        st.st_mode = (mode_t) (entry->d_type << 12);
        if (fill(buf, entry->d_name, &st, 0, 0)) break;
    }
    return 0;
}

static int pc_releasedir(const char *path, struct fuse_file_info *fi) {
    (void) path;
    closedir((DIR *) (uintptr_t) fi->fh);
    return 0;
}

static int pc_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) path; (void) datasync;
    struct stat st;
    LOCKED(
        if (fstat(dirfd((DIR *) (uintptr_t) fi->fh), &st) == 0) commit_dir(st.st_ino)
    );
    return 0;
}

/* Logs the creation of path, whose inode now exists. */
static void log_created(const char *path, enum op_kind kind) {
    char parent[PATH_MAX], name[NAME_MAX + 1];
    split(path, parent, name);
    ino_t dir = remember_dir(parent);
    ino_t ino = ino_at(path);
    if (kind == OP_MKDIR) remember_dir(path);
    log_op(kind, dir, name, ino);
}

static int pc_mkdir(const char *path, mode_t mode) {
    int r;
    LOCKED(
        r = mkdirat(backing_fd, rel(path), mode) == 0 ? 0 : -errno;
        if (r == 0) log_created(path, OP_MKDIR)
    );
    return r;
}

static int pc_mknod(const char *path, mode_t mode, dev_t rdev) {
    int r;
    LOCKED(
        r = mknodat(backing_fd, rel(path), mode, rdev) == 0 ? 0 : -errno;
        if (r == 0) log_created(path, OP_CREATE)
    );
    return r;
}

static int pc_symlink(const char *target, const char *path) {
    int r;
    LOCKED(
        r = symlinkat(target, backing_fd, rel(path)) == 0 ? 0 : -errno;
        if (r == 0) log_created(path, OP_CREATE)
    );
    return r;
}

static int pc_link(const char *from, const char *to) {
    int r;
    LOCKED(
        r = linkat(backing_fd, rel(from), backing_fd, rel(to), 0) == 0 ? 0 : -errno;
        if (r == 0) log_created(to, OP_CREATE)
    );
    return r;
}

static int pc_unlink(const char *path) {
    int r = 0;
    LOCKED(
        char parent[PATH_MAX], name[NAME_MAX + 1];
        split(path, parent, name);
        ino_t dir = remember_dir(parent);
        struct stat st;
        if (fstatat(backing_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) != 0) r = -errno;
        char *grave = r == 0 ? bury(path) : NULL;
        if (r == 0 && !grave) r = -errno;
        if (r == 0 && unlinkat(backing_fd, rel(path), 0) != 0) {
            r = -errno;
            unlink(grave);
            free(grave);
        }
        if (r == 0) {
            struct dir_op *op = log_op(OP_UNLINK, dir, name, st.st_ino);
            op->grave = grave;
            op->mode = st.st_mode;
        }
    );
    return r;
}

static int pc_rmdir(const char *path) {
    int r = 0;
    LOCKED(
        char parent[PATH_MAX], name[NAME_MAX + 1];
        split(path, parent, name);
        ino_t dir = remember_dir(parent);
        remember_dir(path);
        struct stat st;
        if (fstatat(backing_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) != 0) r = -errno;
        if (r == 0 && unlinkat(backing_fd, rel(path), AT_REMOVEDIR) != 0) r = -errno;
        if (r == 0) log_op(OP_RMDIR, dir, name, st.st_ino)->mode = st.st_mode;
    );
    return r;
}

static int pc_rename(const char *from, const char *to, unsigned int flags) {
    if (flags & ~RENAME_NOREPLACE) return -EINVAL; /* RENAME_EXCHANGE and WHITEOUT: not needed by Hearth */
    int r = 0;
    LOCKED(
        char parent[PATH_MAX], name[NAME_MAX + 1], parent2[PATH_MAX], name2[NAME_MAX + 1];
        split(from, parent, name);
        split(to, parent2, name2);
        ino_t dir = remember_dir(parent);
        ino_t dir2 = remember_dir(parent2);
        struct stat st, victim;
        int replaces = fstatat(backing_fd, rel(to), &victim, AT_SYMLINK_NOFOLLOW) == 0;
        if (fstatat(backing_fd, rel(from), &st, AT_SYMLINK_NOFOLLOW) != 0) r = -errno;
        if (r == 0 && S_ISDIR(st.st_mode)) remember_dir(from);
        if (r == 0 && replaces && victim.st_ino == st.st_ino) replaces = 0; /* same inode: a no-op */
        char *grave = NULL;
        if (r == 0 && replaces && !(flags & RENAME_NOREPLACE) && !S_ISDIR(victim.st_mode)) {
            grave = bury(to);
            if (!grave) r = -errno;
        }
        if (r == 0 && renameat2(backing_fd, rel(from), backing_fd, rel(to), flags) != 0) {
            r = -errno;
            if (grave) {
                unlink(grave);
                free(grave);
                grave = NULL;
            }
        }
        if (r == 0) {
            struct dir_op *op = log_op(OP_RENAME, dir, name, st.st_ino);
            op->parent2 = dir2;
            op->name2 = strdup(name2);
            if (replaces) {
                op->victim = victim.st_ino;
                op->victim_mode = victim.st_mode;
                op->grave = grave;
            }
        }
    );
    return r;
}

static int pc_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    ALIVE();
    int r = fi ? fchmod((int) fi->fh, mode) : fchmodat(backing_fd, rel(path), mode, 0);
    return r == 0 ? 0 : -errno;
}

static int pc_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    ALIVE();
    int r = fi ? fchown((int) fi->fh, uid, gid) : fchownat(backing_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

static int pc_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    ALIVE();
    int r = fi ? futimens((int) fi->fh, tv) : utimensat(backing_fd, rel(path), tv, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

/* A size change of the file open as fd (truncate, O_TRUNC, fallocate's extension), undoable. */
static int tracked_truncate(int fd, off_t size, const char *path) {
    struct file_state *f = track(fd, -1, path);
    if (!f) return -EIO;
    struct stat st;
    if (fstat(fd, &st) != 0) return -errno;
    if (size < st.st_size) {
        int r = save_old_bytes(f, size, st.st_size);
        if (r != 0) return r;
    }
    return ftruncate(fd, size) == 0 ? 0 : -errno;
}

static int pc_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    int r;
    LOCKED(
        int fd = fi ? (int) fi->fh : openat(backing_fd, rel(path), O_RDWR);
        if (fd < 0) {
            r = -errno;
        } else {
            r = tracked_truncate(fd, size, path);
            if (!fi) close(fd);
        }
    );
    return r;
}

/* Backing descriptors are always read-write (undo needs to read what a write replaces) and never
 * O_APPEND (the kernel already turns appends into writes at the end). */
static int backing_flags(int flags) {
    flags &= ~(O_APPEND | O_TRUNC | O_CREAT | O_EXCL);
    if ((flags & O_ACCMODE) == O_WRONLY) flags = (flags & ~O_ACCMODE) | O_RDWR;
    return flags;
}

static int pc_open(const char *path, struct fuse_file_info *fi) {
    int r = 0;
    LOCKED(
        int fd = openat(backing_fd, rel(path), backing_flags(fi->flags));
        if (fd < 0 && errno == EACCES) fd = openat(backing_fd, rel(path), fi->flags & ~(O_CREAT | O_EXCL));
        if (fd < 0) {
            r = -errno;
        } else {
            if (fi->flags & O_TRUNC) r = tracked_truncate(fd, 0, path);
            if (r != 0) close(fd); else fi->fh = (uint64_t) fd;
        }
    );
    return r;
}

static int pc_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    int r = 0;
    LOCKED(
        struct stat st;
        int existed = fstatat(backing_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) == 0;
        int fd = openat(backing_fd, rel(path), backing_flags(fi->flags) | O_CREAT | (fi->flags & O_EXCL), mode);
        if (fd < 0) {
            r = -errno;
        } else {
            if (!existed) {
                log_created(path, OP_CREATE);
                track(fd, 0, path);
            } else if (fi->flags & O_TRUNC) {
                r = tracked_truncate(fd, 0, path);
            }
            if (r != 0) close(fd); else fi->fh = (uint64_t) fd;
        }
    );
    return r;
}

static int pc_read(const char *path, char *buf, size_t size, off_t offset, struct fuse_file_info *fi) {
    (void) path;
    ALIVE();
    ssize_t n = pread((int) fi->fh, buf, size, offset);
    return n < 0 ? -errno : (int) n;
}

static int pc_write(const char *path, const char *buf, size_t size, off_t offset, struct fuse_file_info *fi) {
    ssize_t n = 0;
    LOCKED(
        int fd = (int) fi->fh;
        struct file_state *f = track(fd, -1, path);
        int r = f ? save_old_bytes(f, offset, offset + (off_t) size) : -EIO;
        if (r != 0) {
            n = r;
        } else {
            n = pwrite(fd, buf, size, offset);
            if (n < 0) n = -errno;
        }
    );
    return (int) n;
}

static int pc_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) path; (void) datasync;
    LOCKED(
        struct stat st;
        if (fstat((int) fi->fh, &st) == 0) forget_file(st.st_ino)
    );
    return 0;
}

static int pc_fallocate(const char *path, int mode, off_t offset, off_t length, struct fuse_file_info *fi) {
    if (mode != 0) return -EOPNOTSUPP;
    int r = 0;
    LOCKED(
        struct stat st;
        if (fstat((int) fi->fh, &st) != 0) r = -errno;
        else if (offset + length > st.st_size) r = tracked_truncate((int) fi->fh, offset + length, path);
    );
    return r;
}

static int pc_flush(const char *path, struct fuse_file_info *fi) {
    (void) path; (void) fi;
    return dead ? -EIO : 0;
}

static int pc_release(const char *path, struct fuse_file_info *fi) {
    (void) path;
    close((int) fi->fh);
    return 0;
}

static int pc_statfs(const char *path, struct statvfs *st) {
    (void) path;
    ALIVE();
    return fstatvfs(backing_fd, st) == 0 ? 0 : -errno;
}

static const struct fuse_operations operations = {
    .init = pc_init,
    .getattr = pc_getattr,
    .access = pc_access,
    .readlink = pc_readlink,
    .opendir = pc_opendir,
    .readdir = pc_readdir,
    .releasedir = pc_releasedir,
    .fsyncdir = pc_fsyncdir,
    .mkdir = pc_mkdir,
    .mknod = pc_mknod,
    .symlink = pc_symlink,
    .link = pc_link,
    .unlink = pc_unlink,
    .rmdir = pc_rmdir,
    .rename = pc_rename,
    .chmod = pc_chmod,
    .chown = pc_chown,
    .utimens = pc_utimens,
    .truncate = pc_truncate,
    .open = pc_open,
    .create = pc_create,
    .read = pc_read,
    .write = pc_write,
    .fsync = pc_fsync,
    .fallocate = pc_fallocate,
    .flush = pc_flush,
    .release = pc_release,
    .statfs = pc_statfs,
};

int main(int argc, char *argv[]) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s BACKING_DIR GRAVEYARD_DIR STATUS_FILE MOUNTPOINT [fuse options]\n", argv[0]);
        return 2;
    }
    backing_root = realpath(argv[1], NULL);
    graveyard = realpath(argv[2], NULL);
    /* libfuse changes to / once mounted: keep the status file's path absolute. */
    static char status_path[PATH_MAX];
    char cwd[PATH_MAX - NAME_MAX - 2];
    if (argv[3][0] != '/' && getcwd(cwd, sizeof cwd)) {
        snprintf(status_path, sizeof status_path, "%s/%s", cwd, argv[3]);
    } else {
        snprintf(status_path, sizeof status_path, "%s", argv[3]);
    }
    status_file = status_path;
    if (!backing_root || !graveyard) {
        perror("powercut: backing or graveyard directory");
        return 2;
    }
    backing_fd = open(backing_root, O_RDONLY | O_DIRECTORY);
    if (backing_fd < 0) {
        perror(backing_root);
        return 2;
    }
    seed = (unsigned int) getpid();
    const char *seed_text = getenv("POWERCUT_SEED");
    if (seed_text) seed = (unsigned int) strtoul(seed_text, NULL, 10);
    umask(0);
    /* The cut signals go to the signal thread only: block them before libfuse starts its workers. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, signal_thread, NULL);
    /* fuse_main sees: program, mountpoint, options. -f: stay in the foreground, so the test owns the pid. */
    char *fuse_argv[argc];
    int fuse_argc = 0;
    fuse_argv[fuse_argc++] = argv[0];
    for (int i = 4; i < argc; i++) fuse_argv[fuse_argc++] = argv[i];
    fuse_argv[fuse_argc] = NULL;
    return fuse_main(fuse_argc, fuse_argv, &operations, NULL);
}
