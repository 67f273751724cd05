#!/usr/bin/python3
"""powerlossfs: a FUSE passthrough that loses, on command, everything not yet made durable.

A test file system in the manner of Jepsen's LazyFS, for proving that what a program acknowledged
survives a power cut, not only a crash (kill -9 keeps the page cache, so it cannot tell an fsync
from no fsync).

What is durable follows POSIX strictly:

- file data and size are durable once the file is fsync'd (fsync or fdatasync);
- a directory's entries (files created, renamed, linked, unlinked; directories made or removed)
  are durable once that directory is fsync'd; a file whose name was never made durable is gone
  after a cut even if its data was fsync'd, a rename not followed by an fsync of the directory
  is undone, an unlinked name comes back.

Everything is applied at once to a live copy (`STORE/live`), so reads see every write as on a real
file system. Durable state is kept beside it: `STORE/data/<id>` holds the synced bytes of each
file and `STORE/image.json` the synced entries of each directory. "Cutting power" (the `cut`
command on the control socket) makes every later operation fail with EIO and nothing more becomes
durable; after the program using the mount is killed and the file system unmounted, mounting again
rebuilds the live copy from the durable state alone. A clean unmount without a cut syncs
everything first, as an operating system does.

A failing disk (`fail-syncs [PATH-PART]`, until `heal-syncs`) fails every fsync with EIO (only of
the files and directories whose path contains PATH-PART, when given) while writes and reads go on.
As Linux does after a write-back error, a failed fsync of a file abandons what was written to it
since its last fsync: those bytes stay readable but never become durable unless written again, so a
later fsync that succeeds does not save them (a program that only retries the fsync loses them at
the next cut). The error is reported once to each descriptor open on the file at the time (Linux's
errseq).

Needs root, /dev/fuse, and Debian's fuse3 and python3-fusepy (the module imports as `fusepy`).

    powerlossfs.py mount --store DIR --control SOCKET MOUNTPOINT   (foreground until unmounted)
    powerlossfs.py cut --control SOCKET     -> {"ok":true,"droppedBytes":...,...}
    powerlossfs.py stats --control SOCKET
    powerlossfs.py fail-syncs --control SOCKET [--path-part PART] / heal-syncs --control SOCKET
    powerlossfs.py unmount MOUNTPOINT
"""

import argparse
import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

try:
    import fusepy
except ImportError:  # pragma: no cover - reported to the caller
    fusepy = None

EIO = errno.EIO

# The operations this file system implements; fusepy registers those a class defines.
FUSE_OPERATIONS = frozenset((
    "init", "destroy", "getattr", "access", "statfs", "chmod", "chown", "utimens", "readlink",
    "readdir", "opendir", "releasedir", "fsyncdir", "mkdir", "rmdir", "create", "mknod", "open",
    "read", "write", "truncate", "fsync", "flush", "release", "unlink", "rename", "link",
    "symlink"))


class Ranges:
    """Byte ranges [start, end) of a file written since its last fsync; kept merged and sorted."""

    def __init__(self):
        self.spans = []

    def add(self, start, end):
        if end <= start:
            return
        if self.spans and self.spans[-1][1] >= start and self.spans[-1][0] <= start:
            # the common case: an append at (or overlapping) the end of the last span
            last = self.spans[-1]
            last[1] = max(last[1], end)
            return
        merged = []
        placed = False
        for span in self.spans:
            if span[1] < start:
                merged.append(span)
            elif span[0] > end:
                if not placed:
                    merged.append([start, end])
                    placed = True
                merged.append(span)
            else:
                start, end = min(start, span[0]), max(end, span[1])
        if not placed:
            merged.append([start, end])
        self.spans = merged

    def total(self):
        return sum(end - start for start, end in self.spans)


class DurableImage:
    """What a power cut leaves: synced file bytes by file id, synced directory entries by dir id."""

    ROOT = 0

    def __init__(self, store):
        self.store = store
        self.data_dir = os.path.join(store, "data")
        self.image_file = os.path.join(store, "image.json")
        os.makedirs(self.data_dir, exist_ok=True)
        if os.path.exists(self.image_file):
            with open(self.image_file) as f:
                image = json.load(f)
            self.next_id = image["nextId"]
            self.dirs = {int(k): v for k, v in image["dirs"].items()}
        else:
            self.next_id = 1
            self.dirs = {self.ROOT: {}}

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return value

    def data_path(self, file_id):
        return os.path.join(self.data_dir, str(file_id))

    def save(self):
        temp = self.image_file + ".tmp"
        with open(temp, "w") as f:
            json.dump({"nextId": self.next_id, "dirs": self.dirs}, f)
        os.replace(temp, self.image_file)


class PowerLossFs:
    """The FUSE operations: passthrough to STORE/live, with durability tracked per fsync."""

    use_ns = True

    def __init__(self, store):
        self.image = DurableImage(store)
        self.live = os.path.join(store, "live")
        self.lock = threading.RLock()
        self.powered = True
        self.ids = {}  # st_ino of a live file or directory -> its id
        self.fh_ids = {}  # open file handle -> file id
        self.dirty = {}  # file id -> Ranges written since its last fsync
        self.resized = set()  # file ids truncated since their last fsync
        self.dirty_dirs = set()  # dir ids whose entries changed since their last fsync
        self.failing_syncs = None  # a path part: the fsyncs of matching files fail ("" for all)
        self.error_seq = {}  # file id -> failed write-backs so far
        self.seen_errors = {}  # open file handle -> the file's error_seq it has reported
        self.counts = {"writes": 0, "bytesWritten": 0, "fsyncs": 0, "bytesSynced": 0,
                       "dirFsyncs": 0, "failedFsyncs": 0}
        self.restore()

    # --- the durable state ---------------------------------------------------------------------

    def restore(self):
        """Rebuilds the live copy from the durable image: what a machine finds after power-on."""
        if os.path.exists(self.live):
            shutil.rmtree(self.live)
        os.mkdir(self.live)
        self.ids = {os.lstat(self.live).st_ino: DurableImage.ROOT}
        placed = {}  # file id -> first live path (further names become hard links)
        self._restore_dir(DurableImage.ROOT, self.live, placed, set())

    def _restore_dir(self, dir_id, live_dir, placed, seen):
        if dir_id in seen:
            return
        seen.add(dir_id)
        for name, entry in self.image.dirs.get(dir_id, {}).items():
            path = os.path.join(live_dir, name)
            kind, entry_id = entry[0], entry[1]
            if kind == "d":
                os.mkdir(path)
                self.ids[os.lstat(path).st_ino] = entry_id
                self._restore_dir(entry_id, path, placed, seen)
            elif entry_id in placed:
                os.link(placed[entry_id], path)
            else:
                data = self.image.data_path(entry_id)
                if os.path.exists(data):
                    shutil.copyfile(data, path)
                else:
                    open(path, "wb").close()  # named durably, never synced: empty
                placed[entry_id] = path
                self.ids[os.lstat(path).st_ino] = entry_id

    def _sync_file(self, file_id, handle):
        """Makes the file's current bytes and size durable (an fsync)."""
        # The handle may be write-only (O_WRONLY, O_APPEND): read through a read-only one.
        fd = os.open("/proc/self/fd/%d" % handle, os.O_RDONLY)
        try:
            self._copy_durable(file_id, fd)
        finally:
            os.close(fd)

    def _copy_durable(self, file_id, fd):
        size = os.fstat(fd).st_size
        ranges = self.dirty.pop(file_id, None)
        self.resized.discard(file_id)
        target = self.image.data_path(file_id)
        out = os.open(target, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            if ranges is not None:
                for start, end in ranges.spans:
                    end = min(end, size)
                    offset = start
                    while offset < end:
                        chunk = os.pread(fd, min(1 << 20, end - offset), offset)
                        if not chunk:
                            break
                        os.pwrite(out, chunk, offset)
                        offset += len(chunk)
                        self.counts["bytesSynced"] += len(chunk)
            os.ftruncate(out, size)
        finally:
            os.close(out)
        self.counts["fsyncs"] += 1

    def _sync_dir(self, live_dir):
        """Makes the directory's entries durable (an fsync of the directory)."""
        dir_id = self._id_of(os.lstat(live_dir))
        entries = {}
        for name in os.listdir(live_dir):
            st = os.lstat(os.path.join(live_dir, name))
            if os.path.isdir(os.path.join(live_dir, name)) and not os.path.islink(
                    os.path.join(live_dir, name)):
                entries[name] = ["d", self._id_of(st)]
            elif (st.st_mode & 0o170000) == 0o100000:
                entries[name] = ["f", self._id_of(st)]
        self.image.dirs[dir_id] = entries
        self.image.save()
        self.dirty_dirs.discard(dir_id)
        self.counts["dirFsyncs"] += 1

    def _id_of(self, st):
        known = self.ids.get(st.st_ino)
        if known is None:
            known = self.image.new_id()
            self.ids[st.st_ino] = known
        return known

    def sync_everything(self):
        """What a clean unmount does: every file and every directory made durable."""
        for root, dirs, files in os.walk(self.live):
            for name in files:
                path = os.path.join(root, name)
                file_id = self.ids.get(os.lstat(path).st_ino)
                if file_id is not None and (file_id in self.dirty or file_id in self.resized):
                    fd = os.open(path, os.O_RDONLY)
                    try:
                        self._sync_file(file_id, fd)
                    finally:
                        os.close(fd)
            self._sync_dir(root)

    def cut(self):
        """Power off: nothing more becomes durable, every later operation fails with EIO."""
        with self.lock:
            dropped = {
                "droppedBytes": sum(r.total() for r in self.dirty.values()),
                "droppedFiles": len(set(self.dirty) | self.resized),
                "droppedDirectories": len(self.dirty_dirs),
            }
            self.powered = False
            return dropped

    # --- helpers -------------------------------------------------------------------------------

    def _live(self, path):
        return os.path.join(self.live, path.lstrip("/"))

    def _parent_id(self, path):
        return self._id_of(os.lstat(os.path.dirname(self._live(path).rstrip("/")) or self.live))

    def _check_power(self):
        if not self.powered:
            raise fusepy.FuseOSError(EIO)

    def _mark_dir(self, path):
        self.dirty_dirs.add(self._parent_id(path))

    def __call__(self, op, *args):
        method = getattr(self, op, None)
        if method is None or op not in FUSE_OPERATIONS:
            raise fusepy.FuseOSError(errno.ENOSYS)
        if op not in ("release", "releasedir", "destroy", "flush"):
            self._check_power()
        try:
            return method(*args)
        except OSError as e:
            if isinstance(e, fusepy.FuseOSError):
                raise
            raise fusepy.FuseOSError(e.errno or EIO)

    # --- FUSE operations (as fusepy names and calls them) ---------------------------------------

    def init(self, path):
        pass

    def destroy(self, path):
        with self.lock:
            if self.powered:
                self.sync_everything()

    def getattr(self, path, fh=None):
        st = os.fstat(fh) if fh is not None else os.lstat(self._live(path))
        return {"st_mode": st.st_mode, "st_nlink": st.st_nlink, "st_uid": st.st_uid,
                "st_gid": st.st_gid, "st_size": st.st_size, "st_blocks": st.st_blocks,
                "st_atime": st.st_atime_ns, "st_mtime": st.st_mtime_ns,
                "st_ctime": st.st_ctime_ns}

    def access(self, path, amode):
        if not os.access(self._live(path), amode):
            raise fusepy.FuseOSError(errno.EACCES)

    def statfs(self, path):
        sv = os.statvfs(self.live)
        return {key: getattr(sv, key) for key in (
            "f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files",
            "f_flag", "f_frsize", "f_namemax")}

    def chmod(self, path, mode):
        os.chmod(self._live(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self._live(path), uid, gid)

    def utimens(self, path, times=None):
        os.utime(self._live(path), ns=times) if times else os.utime(self._live(path))

    def readlink(self, path):
        return os.readlink(self._live(path))

    def readdir(self, path, fh):
        return [".", ".."] + os.listdir(self._live(path))

    def opendir(self, path):
        return 0

    def releasedir(self, path, fh):
        return 0

    def fsyncdir(self, path, datasync, fh):
        with self.lock:
            self._check_power()
            if self.failing_syncs is not None and self.failing_syncs in path:
                self.counts["failedFsyncs"] += 1
                raise fusepy.FuseOSError(EIO)
            self._sync_dir(self._live(path))

    def mkdir(self, path, mode):
        with self.lock:
            os.mkdir(self._live(path), mode)
            self.ids[os.lstat(self._live(path)).st_ino] = self.image.new_id()
            self._mark_dir(path)

    def rmdir(self, path):
        with self.lock:
            st = os.lstat(self._live(path))
            os.rmdir(self._live(path))
            self.ids.pop(st.st_ino, None)
            self._mark_dir(path)

    def create(self, path, mode, fi=None):
        with self.lock:
            fd = os.open(self._live(path), os.O_RDWR | os.O_CREAT, mode)
            st = os.fstat(fd)
            if st.st_size == 0 and st.st_nlink == 1 and st.st_ino not in self.ids:
                self.ids[st.st_ino] = self.image.new_id()
            self.fh_ids[fd] = self._id_of(st)
            self.seen_errors[fd] = self.error_seq.get(self.fh_ids[fd], 0)
            self._mark_dir(path)
            return fd

    def mknod(self, path, mode, dev):
        with self.lock:
            os.mknod(self._live(path), mode, dev)
            self.ids[os.lstat(self._live(path)).st_ino] = self.image.new_id()
            self._mark_dir(path)

    def open(self, path, flags):
        with self.lock:
            # the kernel computes append offsets itself; pwrite must honour them. O_DIRECT is the
            # caller's contract with this file system, which keeps unsynced writes itself: the
            # live copy is written through the page cache (Python's buffers are not aligned).
            dropped = os.O_APPEND | os.O_CREAT | os.O_EXCL | getattr(os, "O_DIRECT", 0)
            fd = os.open(self._live(path), flags & ~dropped)
            self.fh_ids[fd] = self._id_of(os.fstat(fd))
            self.seen_errors[fd] = self.error_seq.get(self.fh_ids[fd], 0)
            return fd

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        with self.lock:
            self._check_power()
            written = os.pwrite(fh, data, offset)
            file_id = self.fh_ids.get(fh)
            if file_id is not None:
                self.dirty.setdefault(file_id, Ranges()).add(offset, offset + written)
            self.counts["writes"] += 1
            self.counts["bytesWritten"] += written
            return written

    def truncate(self, path, length, fh=None):
        with self.lock:
            if fh is not None:
                os.ftruncate(fh, length)
                st = os.fstat(fh)
            else:
                os.truncate(self._live(path), length)
                st = os.lstat(self._live(path))
            self.resized.add(self._id_of(st))

    def fsync(self, path, datasync, fh):
        with self.lock:
            self._check_power()
            file_id = self.fh_ids.get(fh)
            if self.failing_syncs is not None and self.failing_syncs in path:
                self.dirty.pop(file_id, None)  # the write-back is abandoned (see the docstring)
                self.error_seq[file_id] = self.error_seq.get(file_id, 0) + 1
                self.seen_errors[fh] = self.error_seq[file_id]
                self.counts["failedFsyncs"] += 1
                raise fusepy.FuseOSError(EIO)
            if self.seen_errors.get(fh, 0) < self.error_seq.get(file_id, 0):
                # another descriptor's write-back failed since this one last synced: reported once
                self.seen_errors[fh] = self.error_seq[file_id]
                raise fusepy.FuseOSError(EIO)
            if file_id is not None:
                self._sync_file(file_id, fh)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        with self.lock:
            self.fh_ids.pop(fh, None)
            self.seen_errors.pop(fh, None)
            os.close(fh)
        return 0

    def unlink(self, path):
        with self.lock:
            st = os.lstat(self._live(path))
            os.unlink(self._live(path))
            if st.st_nlink <= 1:
                self.ids.pop(st.st_ino, None)
            self._mark_dir(path)

    def rename(self, old, new):
        with self.lock:
            try:
                replaced = os.lstat(self._live(new))
            except FileNotFoundError:
                replaced = None
            os.rename(self._live(old), self._live(new))
            if replaced is not None and replaced.st_nlink <= 1 and not os.path.isdir(
                    self._live(new)):
                self.ids.pop(replaced.st_ino, None)
            self._mark_dir(old)
            self._mark_dir(new)

    def link(self, target, source):
        with self.lock:
            os.link(self._live(source), self._live(target))
            self._mark_dir(target)

    def symlink(self, target, source):
        with self.lock:
            os.symlink(source, self._live(target))
            self._mark_dir(target)


class ControlServer(threading.Thread):
    """One JSON line per command on a Unix socket: cut, stats, ping, fail-syncs, heal-syncs."""

    def __init__(self, fs, path, mountpoint):
        super().__init__(name="powerlossfs-control", daemon=True)
        self.fs = fs
        self.mountpoint = mountpoint
        for stale in (path, path + ".tmp"):
            if os.path.exists(stale):
                os.unlink(stale)
        # bound under a temporary name, so the socket appears only once it accepts
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path + ".tmp")
        self.server.listen(4)
        os.rename(path + ".tmp", path)

    def run(self):
        while True:
            conn, _ = self.server.accept()
            with conn:
                line = conn.makefile().readline().strip()
                command, _, argument = line.partition(" ")
                conn.sendall((json.dumps(self.answer(command, argument)) + "\n").encode())

    def answer(self, command, argument=""):
        if command == "cut":
            return {"ok": True} | self.fs.cut()
        if command == "stats":
            with self.fs.lock:
                return {"ok": True, "powered": self.fs.powered,
                        "unsyncedBytes": sum(r.total() for r in self.fs.dirty.values()),
                        "unsyncedDirectories": len(self.fs.dirty_dirs)} | self.fs.counts
        if command in ("fail-syncs", "heal-syncs"):
            with self.fs.lock:
                self.fs.failing_syncs = argument if command == "fail-syncs" else None
                return {"ok": True, "failedFsyncs": self.fs.counts["failedFsyncs"]}
        if command == "ping":
            return {"ok": True, "mounted": os.path.ismount(self.mountpoint)}
        return {"ok": False, "error": "unknown command: " + command}


def send(control, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(control)
        s.sendall((command + "\n").encode())
        return s.makefile().readline().strip()


def mount(args):
    if fusepy is None:
        sys.exit("powerlossfs: python3-fusepy is missing (apt-get install fuse3 python3-fusepy)")
    os.makedirs(args.mountpoint, exist_ok=True)
    fs = PowerLossFs(args.store)
    ControlServer(fs, args.control, args.mountpoint).start()
    # hard_remove: unlink for real (no .fuse_hidden files in directory listings);
    # big_writes: whole writes reach us, not 4 KiB pieces;
    # no_remote_lock: the kernel keeps fcntl/flock locks (RocksDB's LOCK file) itself.
    fusepy.FUSE(fs, args.mountpoint, foreground=True, nothreads=False, hard_remove=True,
                big_writes=True, max_write=131072, no_remote_lock=True, fsname="powerlossfs",
                subtype="powerlossfs")


def unmount(args):
    for command in (["fusermount3", "-u", args.mountpoint], ["umount", args.mountpoint],
                    ["umount", "-l", args.mountpoint]):
        try:
            if subprocess.run(command, capture_output=True).returncode == 0:
                return
        except FileNotFoundError:
            continue
        time.sleep(0.2)
    if os.path.ismount(args.mountpoint):
        sys.exit("powerlossfs: cannot unmount " + args.mountpoint)


def main():
    parser = argparse.ArgumentParser(prog="powerlossfs", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("mount", help="mount in the foreground until unmounted")
    m.add_argument("--store", required=True, help="where the live copy and durable state live")
    m.add_argument("--control", required=True, help="Unix socket for cut/stats/ping")
    m.add_argument("mountpoint")
    for name in ("cut", "stats", "ping", "fail-syncs", "heal-syncs"):
        c = commands.add_parser(name)
        c.add_argument("--control", required=True)
        if name == "fail-syncs":
            c.add_argument("--path-part", default="", help="only files whose path contains it")
    u = commands.add_parser("unmount")
    u.add_argument("mountpoint")
    args = parser.parse_args()
    if args.command == "mount":
        mount(args)
    elif args.command == "unmount":
        unmount(args)
    elif args.command == "fail-syncs" and args.path_part:
        print(send(args.control, "fail-syncs " + args.path_part))
    else:
        print(send(args.control, args.command))


if __name__ == "__main__":
    main()
