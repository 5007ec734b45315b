"""Where an import's bytes come from: a local file, an upload kept on disk, bytes in
memory, or a member of a zip archive — always read as a stream, never whole.

Every source can be opened again from the start (a format is recognised by its first
lines, then parsed from the top), reads at most the upload limit, and turns whatever a
damaged archive raises into one ``BadFile`` sentence.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

from grapevine.transfer.formats.base import BadFile

MIB = 1024 * 1024
# A member that expands to more than this many times its compressed size is refused
# before it is expanded. CSV compresses 5-10 times; zip bombs a thousand and more.
# (Apache POI refuses the same ratio in the Office files it opens.)
MAX_ZIP_RATIO = 100


def max_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * MIB


def max_unzipped_bytes() -> int:
    return int(settings.MAX_UNZIPPED_MB) * MIB


def megabytes(size: int, limit: int) -> str:
    """``size`` in MB with as many decimals as it takes to differ from ``limit``."""
    for decimals in (1, 2, 3):
        shown = f"{size / MIB:.{decimals}f}"
        if float(shown) != limit / MIB:
            return f"{shown} MB"
    return f"{size:,} bytes"


def check_size(name: str, size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise BadFile(
            f"“{name}” is {megabytes(size, limit)}; the limit is {settings.MAX_UPLOAD_MB} MB "
            "(GRAPEVINE_MAX_UPLOAD_MB)."
        )


class Source:
    """A file to import: its name for messages, its size, and a fresh stream on demand."""

    def __init__(self, name: str, size: int, opener: Callable[[], BinaryIO]) -> None:
        self.name = name
        self.size = size
        self._opener = opener

    def open(self) -> BinaryIO:
        return self._opener()

    def head(self, size: int = 65536) -> bytes:
        with self.open() as stream:
            return stream.read(size)


def source_from_bytes(name: str, data: bytes) -> Source:
    check_size(name, len(data))
    return Source(name, len(data), lambda: io.BytesIO(data))


def _open_regular(path: Path) -> tuple[int, os.stat_result]:
    """A descriptor for ``path`` if it is a regular file; a device, pipe or socket is
    refused without reading (``open`` alone would block on a FIFO, and ``/dev/zero``
    never ends)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BadFile(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise BadFile(f"{path} is a folder; give the path of one file.") from None
    except PermissionError:
        raise BadFile(f"Grapevine may not read {path} (permission denied).") from None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise BadFile(f"{path} is a folder; give the path of one file.")
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise BadFile(
            f"{path} is not a regular file (it is a device, a pipe or a socket): "
            "give the path of an exported file."
        )
    return fd, info


def source_from_path(path: Path, name: str | None = None) -> Source:
    fd, info = _open_regular(path)
    os.close(fd)
    shown = name or path.name
    check_size(shown, info.st_size)

    def opener() -> BinaryIO:
        fd, info = _open_regular(path)
        check_size(shown, info.st_size)
        raw = os.fdopen(fd, "rb", buffering=0)
        return io.BufferedReader(_Bounded(raw, max_bytes(), shown), 65536)

    return Source(shown, info.st_size, opener)


class _Bounded(io.RawIOBase):
    """Reads ``inner`` up to ``limit`` bytes (a file that grows while it is read stops
    there) and turns a damaged archive's errors into ``BadFile``."""

    def __init__(
        self, inner: BinaryIO, limit: int, name: str, archive: str = "", declared: int = -1
    ) -> None:
        self.inner = inner
        self.limit = limit
        self.name = name
        self.archive = archive
        self.declared = declared
        self.count = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.inner.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self.inner.seek(offset, whence)
        self.count = position
        return position

    def tell(self) -> int:
        return self.inner.tell()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(len(buffer))
        except BadFile:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
            # RuntimeError: zipfile's "File … is encrypted, password required".
            if not self.archive:
                raise BadFile(f"“{self.name}” cannot be read: {exc}.") from None
            raise BadFile(_damaged(self.archive, self.name, exc)) from None
        size = len(data)
        self.count += size
        if self.count > self.limit:
            if self.archive:
                raise BadFile(
                    f"In “{self.archive}”, {self.name} expands to more than "
                    f"{self.limit // MIB} MB: is it really a LinkedIn export?"
                )
            check_size(self.name, self.count)
        buffer[:size] = data
        return size

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            super().close()


def _damaged(archive: str, member: str, exc: BaseException) -> str:
    text = str(exc)
    if "encrypted" in text or "password" in text:
        return (
            f"“{archive}” is protected by a password ({member} is encrypted): "
            "download the export again and import it without a password."
        )
    if "CRC" in text:
        return f"“{archive}” is damaged ({member} fails its checksum): download it again."
    return f"“{archive}” is damaged ({member} cannot be read): download it again."


def zip_members(source: Source, wanted: dict[str, int]) -> list[Source]:
    """The members of a zip whose file names (any folder, any case) are in ``wanted``,
    in ``wanted``'s order, each checked before it is expanded: not encrypted, a
    compression Python reads, no more than ``MAX_ZIP_RATIO`` times its compressed size,
    and all of them together no more than ``GRAPEVINE_MAX_UNZIPPED_MB``."""
    stream = source.open()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        stream.close()
        raise BadFile(f"“{source.name}” looks like a zip file but cannot be opened.") from None
    members = []
    for info in archive.infolist():
        base = PurePosixPath(info.filename).name.lower()
        if base in wanted and not info.is_dir():
            members.append(info)
    members.sort(key=lambda info: wanted[PurePosixPath(info.filename).name.lower()])
    seen: set[str] = set()
    chosen = []
    for info in members:  # the first of each name, should a folder repeat one
        base = PurePosixPath(info.filename).name.lower()
        if base not in seen:
            seen.add(base)
            chosen.append(info)
    total = 0
    limit = max_unzipped_bytes()
    for info in chosen:
        member = PurePosixPath(info.filename).name
        if info.flag_bits & 0x1:
            raise BadFile(_damaged(source.name, member, RuntimeError("encrypted")))
        if info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
            zipfile.ZIP_BZIP2,
            zipfile.ZIP_LZMA,
        ):
            raise BadFile(
                f"“{source.name}” compresses {member} in a way Grapevine cannot read "
                f"(method {info.compress_type}): zip it again with ordinary compression."
            )
        if info.file_size > MIB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise BadFile(
                f"“{source.name}” is refused: {member} would expand "
                f"{info.file_size // max(info.compress_size, 1):,} times, to "
                f"{info.file_size / MIB:,.0f} MB, which no export does (a zip bomb?)."
            )
        total += info.file_size
        if total > limit:
            raise BadFile(
                f"“{source.name}” is refused: the files Grapevine reads in it would expand to "
                f"{total / MIB:,.0f} MB; the limit is {limit // MIB} MB (GRAPEVINE_MAX_UNZIPPED_MB)."
            )

    def member_source(info: zipfile.ZipInfo) -> Source:
        member = PurePosixPath(info.filename).name

        def opener() -> BinaryIO:
            try:
                inner = archive.open(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise BadFile(_damaged(source.name, member, exc)) from None
            except (RuntimeError, NotImplementedError) as exc:
                raise BadFile(_damaged(source.name, member, exc)) from None
            bounded = _Bounded(
                inner,  # type: ignore[arg-type]
                min(limit, info.file_size),
                member,
                archive=source.name,
                declared=info.file_size,
            )
            return io.BufferedReader(bounded, 65536)

        return Source(f"{source.name}: {member}", info.file_size, opener)

    return [member_source(info) for info in chosen]
