r"""Opening a planner's zip (zipped Shapefile, KMZ) safely, into a private temporary folder.

Every member is checked from the central directory *before* anything is extracted: a name
with ``..`` or an absolute path (``/etc/x``, ``C:\x``, ``\\server\x``), a symlink, an
encrypted member, two members of one name, more members than
:attr:`~geo.importing.limits.Limits.max_zip_members`, a total expanded size over
:attr:`~geo.importing.limits.Limits.max_uncompressed_mb` or a member compressed more than
:attr:`~geo.importing.limits.Limits.max_compression_ratio` times
refuses the whole archive with an :class:`~geo.importing.model.ImportFileError` naming the
file, the member and the number. Declared sizes are not trusted: extraction counts the bytes
actually written and stops a member that expands past its declared size. Members are
written only under a fresh ``tempfile.mkdtemp`` folder, removed when the ``with`` block ends,
whatever happens inside it.

Examples
--------
>>> import io, zipfile
>>> from pathlib import Path
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as zf:
...     zf.writestr("../evil.shp", b"x")
>>> check_members(Path("survey.zip"), zipfile.ZipFile(buffer).infolist())
Traceback (most recent call last):
...
geo.importing.model.ImportFileError: survey.zip!../evil.shp: refused: the member's path ...
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from geo.importing.limits import LIMITS, MB, Limits, megabytes
from geo.importing.model import ImportFileError, display_name

__all__ = ["check_members", "extracted", "member_names"]

_CHUNK_BYTES = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_ENCRYPTED_FLAG = 0x1


def member_names(path: Path, limits: Limits = LIMITS) -> list[str]:
    """Return the names of the files in a zip, after :func:`check_members` passed.

    Raises
    ------
    ImportFileError
        When the file is not a readable zip or a member is refused.
    """
    with _open_zip(path) as zf:
        infos = zf.infolist()
        check_members(path, infos, limits)
    return [i.filename for i in infos if not i.is_dir()]


def check_members(path: Path, infos: Sequence[zipfile.ZipInfo], limits: Limits = LIMITS) -> None:
    """Refuse an archive whose central directory shows a hostile or oversized member.

    Parameters
    ----------
    path : Path
        The archive (for messages).
    infos : Sequence[zipfile.ZipInfo]
        Its members, from the central directory.
    limits : Limits
        The numbers to enforce.

    Raises
    ------
    ImportFileError
        Naming the file, the member and the limit broken.
    """
    file = display_name(path)
    if len(infos) > limits.max_zip_members:
        raise ImportFileError(
            f"{file}: refused: the archive has {len(infos)} members; at most "
            f"{limits.max_zip_members} are accepted"
        )
    total = 0
    seen: set[str] = set()
    for info in infos:
        where = display_name(path, info.filename)
        reason = _unsafe_name(info.filename)
        if reason:
            raise ImportFileError(f"{where}: refused: the member's path {reason}")
        key = info.filename.replace("\\", "/").rstrip("/")
        if key in seen:
            raise ImportFileError(
                f"{where}: refused: the archive holds two members of this name (the second "
                "would replace the first)"
            )
        seen.add(key)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ImportFileError(f"{where}: refused: the member is a symbolic link")
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise ImportFileError(f"{where}: refused: the member is encrypted")
        if info.compress_size and info.file_size / info.compress_size > (
            limits.max_compression_ratio
        ):
            ratio = info.file_size / info.compress_size
            raise ImportFileError(
                f"{where}: refused: the member is compressed {ratio:.0f} times; at most "
                f"{limits.max_compression_ratio:g} times is accepted (a zip bomb?)"
            )
        if not info.compress_size and info.file_size:
            raise ImportFileError(
                f"{where}: refused: the member declares {info.file_size} bytes from 0 "
                "compressed bytes"
            )
        total += info.file_size
    if total > limits.max_uncompressed_mb * MB:
        raise ImportFileError(
            f"{file}: refused: the archive would expand to {megabytes(total)}; at most "
            f"{limits.max_uncompressed_mb:g} MB is accepted"
        )


@contextmanager
def extracted(path: Path, limits: Limits = LIMITS) -> Iterator[Path]:
    """Extract a checked zip into a private temporary folder; remove it afterwards.

    Parameters
    ----------
    path : Path
        The zip file.
    limits : Limits
        The numbers to enforce (before extracting, and on the bytes written).

    Yields
    ------
    Path
        The temporary folder, holding the archive's members under their own names.

    Raises
    ------
    ImportFileError
        When the file is not a readable zip, a member is refused (nothing is extracted
        then), or a member expands past its declared size or the total limit while being
        extracted (what was written is removed).
    """
    with _open_zip(path) as zf:
        infos = zf.infolist()
        check_members(path, infos, limits)
        folder = Path(tempfile.mkdtemp(prefix="lsz-import-"))
        try:
            written = 0
            for info in infos:
                written += _extract_member(path, zf, info, folder, written, limits)
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open a zip, turning a damaged or non-zip file into :class:`ImportFileError`."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ImportFileError(
            f"{display_name(path)}: not a readable zip archive ({exc}); is the file complete?"
        ) from exc
    with zf:
        yield zf


def _unsafe_name(name: str) -> str | None:
    """Return why a member name is unsafe to extract, or None when it is safe."""
    if "\x00" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is absolute"
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        return "contains '..'"
    return None


def _extract_member(
    path: Path,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    folder: Path,
    before: int,
    limits: Limits,
) -> int:
    """Write one member under ``folder``, counting its bytes; return how many were written.

    ``before`` is how many bytes the members before it wrote.
    """
    target = folder.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ImportFileError(
            f"{display_name(path, info.filename)}: refused: the member would land outside "
            "the extraction folder"
        )
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    where = display_name(path, info.filename)
    written = 0
    try:
        with zf.open(info) as source, target.open("xb") as sink:
            while chunk := source.read(_CHUNK_BYTES):
                written += len(chunk)
                if written > info.file_size:
                    raise ImportFileError(
                        f"{where}: refused: the member expands past its declared size of "
                        f"{info.file_size} bytes"
                    )
                if before + written > limits.max_uncompressed_mb * MB:
                    raise ImportFileError(
                        f"{where}: refused: extracting it takes the archive past "
                        f"{limits.max_uncompressed_mb:g} MB, the most accepted"
                    )
                sink.write(chunk)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError) as exc:
        # zipfile checks the CRC and stops a stream at its declared size: a member that
        # lies about its size ends here as a bad CRC.
        raise ImportFileError(
            f"{where}: refused: cannot be extracted ({exc}); the archive is damaged or the "
            "member's declared size is false"
        ) from exc
    return written
