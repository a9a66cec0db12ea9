"""Reading inputs that may be compressed, and writing outputs atomically (possibly compressed).

Compression is recognised by the stream's first bytes, not by the file name, so it works on
standard input too: gzip (``1f 8b``, standard library) and Zstandard (``28 b5 2f fd``, needs
the optional ``zstandard`` package: ``pip install 'cleaner[zstd]'``). Neither signature can
begin valid UTF-8 text, so a plain dump is never mistaken for a compressed one. Compressed
inputs are decompressed as streams, never unpacked to disk; a JSON Lines input is still read
one line at a time.
"""

from __future__ import annotations

import io
import os
import stat
import zlib
from typing import IO, BinaryIO, Iterator

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Suffixes of the compressed formats (used to name mirrored outputs).
SUFFIXES = {"gzip": ".gz", "zstd": ".zst"}


class StreamError(Exception):
    """An input that cannot be read as a whole (corrupt compressed data, missing codec)."""


def kind_of(head: bytes) -> str | None:
    """``"gzip"``, ``"zstd"`` or None (plain) from the first bytes of a stream."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def _zstandard():
    try:
        import zstandard
    except ImportError:
        raise StreamError(
            "input is Zstandard-compressed, which needs the optional 'zstandard' package "
            "(pip install 'cleaner[zstd]')"
        ) from None
    return zstandard


#: The read buffer of a file of records: a record is a line of ~10 kB or more, which an 8 kB
#: buffer (io's default) reads in pieces joined again (64 kB: 5-7x less CPU reading lines).
READ_BUFFER = 1 << 16


def decompressing(fh: BinaryIO) -> tuple[BinaryIO, str | None]:
    """``fh`` itself when plain, else a stream of its decompressed bytes; and the kind."""
    if not isinstance(fh, io.BufferedReader):
        fh = io.BufferedReader(fh, READ_BUFFER)  # type: ignore[arg-type]
    kind = kind_of(fh.peek(4)[:4])
    if kind == "gzip":
        import gzip  # (imported for a gzip stream only, as zstandard is for a zstd one)

        return gzip.GzipFile(fileobj=fh, mode="rb"), kind  # type: ignore[return-value]
    if kind == "zstd":
        reader = _zstandard().ZstdDecompressor().stream_reader(fh, read_across_frames=True)
        return io.BufferedReader(reader, READ_BUFFER), kind  # type: ignore[arg-type,return-value]
    return fh, kind


#: What reading a damaged compressed stream raises (a gzip stream adds gzip.BadGzipFile: _read_errors).
READ_ERRORS: tuple[type[BaseException], ...] = (EOFError, zlib.error)


def _read_errors(kind: str | None) -> tuple[type[BaseException], ...]:
    """What reading a stream of ``kind`` (``decompressing``'s) raises when the data is damaged:
    gzip and zstandard are imported only for a stream of theirs (zstandard: ~10 ms a process)."""
    if kind == "gzip":
        import gzip

        return (*READ_ERRORS, gzip.BadGzipFile)
    if kind != "zstd":
        return READ_ERRORS
    try:
        import zstandard
    except ImportError:
        return READ_ERRORS
    return (*READ_ERRORS, zstandard.ZstdError)


def read_all(fh: BinaryIO) -> bytes:
    """The whole decompressed content of ``fh``."""
    stream, kind = decompressing(fh)
    try:
        return stream.read()
    except _read_errors(kind) as exc:
        raise StreamError(f"corrupt or truncated compressed data ({exc})") from None


def iter_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The decompressed lines of ``fh`` (with their newlines), one at a time."""
    stream, kind = decompressing(fh)
    errors = _read_errors(kind)
    try:
        yield from stream
    except errors as exc:
        raise StreamError(f"corrupt or truncated compressed data ({exc})") from None


def write_utf8(out: IO[str], data: bytes) -> None:
    """Write ``data``, UTF-8 text, to the text stream ``out``: to its byte buffer as it is when
    ``out`` writes UTF-8 (the text it holds flushed first, so the order holds), else decoded."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8":
        out.flush()
        buffer.write(data)
    else:
        out.write(data.decode("utf-8"))


class AtomicFile:
    """A text file written to a temporary name beside ``path`` and renamed into place on
    :meth:`commit`; compressed like the input when ``kind`` is ``"gzip"`` or ``"zstd"``.
    ``make_dirs``: create the missing directories above ``path`` (``--output-dir``'s tree; ``-o``
    refuses a path whose directory is missing instead).

    A ``path`` that is a device or a pipe (``-o /dev/null``, a FIFO) is written in place:
    renaming a file over it would replace the device node (as root) or leave the pipe's reader
    waiting. The gzip header carries no time stamp or name, so equal text gives equal bytes.
    """

    def __init__(self, path: str, kind: str | None = None, make_dirs: bool = True) -> None:
        self.path = path
        self.tmp: str | None = None
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG  # absent, or not ours to look at: a new file, as below
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            import tempfile  # (imported here, like gzip: most runs write no file)

            directory = os.path.dirname(os.path.abspath(path)) or "."
            if make_dirs:
                os.makedirs(directory, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(prefix=".clean-", suffix=".tmp", dir=directory)
            self._raw: IO[bytes] = os.fdopen(fd, "wb")
        else:
            self._raw = open(path, "wb")
        self._codec: IO[bytes] | None = None
        if kind == "gzip":
            import gzip

            self._codec = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)
        elif kind == "zstd":
            try:
                zstandard = _zstandard()
            except StreamError:
                self._raw.close()
                if self.tmp is not None:
                    os.unlink(self.tmp)
                raise
            self._codec = zstandard.ZstdCompressor().stream_writer(self._raw, closefd=False)
        self.fh = io.TextIOWrapper(self._codec or self._raw, encoding="utf-8", newline="\n", write_through=False)

    def commit(self) -> None:
        self.fh.flush()
        if self._codec is not None:
            self.fh.detach()
            self._codec.close()  # writes the trailer; the raw file stays open
        else:
            self.fh.detach()
        self._raw.flush()
        if self.tmp is None:  # a device or a pipe: nothing to sync or rename
            self._raw.close()
            return
        os.fsync(self._raw.fileno())
        self._raw.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        for closer in (self.fh.close, self._raw.close):
            try:
                closer()
            except Exception:  # noqa: BLE001 - best effort while giving up on the file
                pass
        if self.tmp is None:
            return
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass
