"""Start / stop a real Streamlit server for end-to-end tests.

Reusable outside pytest::

    from server import find_free_port, start_streamlit, wait_until_healthy, stop_streamlit

    port = find_free_port()
    proc = start_streamlit("app.py", port)
    try:
        url = wait_until_healthy(proc)          # "http://127.0.0.1:<port>"
        ...
    finally:
        stop_streamlit(proc)

The server always runs with the repository root as working directory, so the
project's ``.streamlit/config.toml`` applies (static serving on, headless, no
usage stats). Streamlit serves ``<directory of the script>/static`` at
``/app/static``: for a script outside the repository root (e.g. the fixture
app next to this file) pass ``static_dir`` and the script is staged in a
temporary directory next to a ``static`` symlink pointing there.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
HEALTH_TIMEOUT_S = 90.0


class StreamlitStartupError(RuntimeError):
    """The server exited or never answered ``/_stcore/health`` with ``ok``."""


def find_free_port(host: str = HOST) -> int:
    """Return a TCP port that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _python() -> str:
    venv_python = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def _stage(app_path: Path, static_dir: Path) -> tuple[Path, Path]:
    """Copy ``app_path`` into a temp dir next to a ``static`` -> ``static_dir`` symlink."""
    stage = Path(tempfile.mkdtemp(prefix="e2e-streamlit-app-"))
    staged = stage / app_path.name
    shutil.copy2(app_path, staged)
    (stage / "static").symlink_to(static_dir.resolve(), target_is_directory=True)
    return staged, stage


def start_streamlit(
    app_path: str | os.PathLike[str] = "app.py",
    port: int | None = None,
    *,
    static_dir: str | os.PathLike[str] | None = None,
    extra_args: tuple[str, ...] = (),
    log_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``streamlit run app_path`` on 127.0.0.1:``port``; return the process.

    Does not wait for the server: call :func:`wait_until_healthy`. The returned
    ``Popen`` carries ``.url``, ``.port`` and ``.log_path`` (stdout+stderr of
    the server) attributes. ``app_path`` is relative to the repository root
    unless absolute. ``static_dir``: directory to serve at ``/app/static`` when
    it is not the script's own ``static`` sibling (see module docstring). ``env``: variables
    to set for the server on top of this process's environment (``None`` unsets one).
    """
    app = Path(app_path)
    if not app.is_absolute():
        app = REPO_ROOT / app
    if not app.is_file():
        raise FileNotFoundError(f"Streamlit app not found: {app}")
    if port is None:
        port = find_free_port()

    stage_dir: Path | None = None
    if static_dir is not None and (app.parent / "static").resolve() != Path(static_dir).resolve():
        app, stage_dir = _stage(app, Path(static_dir))

    if log_path is None:
        fd, name = tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")
        os.close(fd)
        log_path = name
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)

    cmd = [
        _python(), "-m", "streamlit", "run", str(app),
        "--server.address", HOST,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # no file watching / reruns on save: tests must not depend on edits
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        *extra_args,
    ]  # fmt: skip
    server_env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    for name, value in (env or {}).items():
        if value is None:
            server_env.pop(name, None)
        else:
            server_env[name] = value
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop_streamlit kills it whole
        )
    proc.url = f"http://{HOST}:{port}"  # type: ignore[attr-defined]
    proc.port = port  # type: ignore[attr-defined]
    proc.log_path = log_path  # type: ignore[attr-defined]
    proc.stage_dir = stage_dir  # type: ignore[attr-defined]
    return proc


def log_tail(proc: subprocess.Popen[bytes], lines: int = 40) -> str:
    """Return the last ``lines`` lines of the server log of ``proc``."""
    try:
        with open(proc.log_path, encoding="utf-8", errors="replace") as fh:  # type: ignore[attr-defined]
            return "".join(deque(fh, maxlen=lines))
    except OSError as exc:
        return f"<no server log: {exc}>"


def wait_until_healthy(proc: subprocess.Popen[bytes], timeout: float = HEALTH_TIMEOUT_S) -> str:
    """Poll ``GET /_stcore/health`` until it answers ``ok``; return the base URL.

    Raises :class:`StreamlitStartupError` (with the end of the server log) when
    the process exits or ``timeout`` seconds pass first.
    """
    url = proc.url  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            raise StreamlitStartupError(
                f"Streamlit exited with code {code} before becoming healthy at {url}.\n"
                f"--- last lines of {proc.log_path} ---\n{log_tail(proc)}"  # type: ignore[attr-defined]
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
                body = resp.read().decode("utf-8", "replace").strip()
                if resp.status == 200 and body == "ok":
                    return url
                last_error = f"HTTP {resp.status}: {body[:200]!r}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    raise StreamlitStartupError(
        f"Streamlit did not answer {url}/_stcore/health with 'ok' within {timeout:.0f} s "
        f"(last: {last_error}).\n"
        f"--- last lines of {proc.log_path} ---\n{log_tail(proc)}"  # type: ignore[attr-defined]
    )


def stop_streamlit(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate the server (SIGTERM to its process group), SIGKILL if it hangs."""
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=timeout)
    finally:
        stage_dir = getattr(proc, "stage_dir", None)
        if stage_dir is not None:
            shutil.rmtree(stage_dir, ignore_errors=True)


@contextmanager
def app_on_store(
    data_dir: str | os.PathLike[str], log_path: str | os.PathLike[str]
) -> Iterator[str]:
    """Serve the real ``app.py`` on the embedded store in ``data_dir``; yield its base URL.

    The server reads only that store: ``DATABASE_URL`` and ``LSZ_REGISTRY`` are unset for it.
    It is stopped when the block ends.
    """
    proc = start_streamlit(
        "app.py",
        find_free_port(),
        log_path=log_path,
        env={"LSZ_DATA_DIR": str(data_dir), "DATABASE_URL": None, "LSZ_REGISTRY": None},
    )
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)
