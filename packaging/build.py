#!/usr/bin/env python3
"""Build the frozen app, and on Linux its .deb and .tar.gz. `make package` runs this.

    python packaging/build.py [--dist DIR] [--work DIR] [--console] [--no-prune] [--bundle-only]

Steps: PyInstaller with packaging/vidu-desktop.spec -> DIST/vidu-desktop/ (one folder); then, on
Linux, DIST/vidu-desktop_<version>_<arch>.deb (bundle under /opt, `vidu-desktop` on the PATH,
desktop entry, hicolor icons, AppStream metainfo) and DIST/vidu-desktop-<version>-linux-<machine>.tar.gz.
Windows (Inno Setup) and macOS (.dmg) installers are made from the bundle by the CI workflow.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from vidu_desktop import APP_ID, __version__  # noqa: E402

APPSTREAM_ID = "io.github.vidu_desktop.ViduDesktop"
MAINTAINER = "Vidu Desktop maintainers <maintainers@vidu-desktop.invalid>"
# Libraries PyInstaller leaves to the system (OpenGL/EGL, xcb, Wayland; checked by
# tests/packaging), plus what Qt's xcb platform and QtMultimedia need around their bundled
# copies: fonts and fontconfig's settings, XKB keymaps, PulseAudio, D-Bus. libc6 is added with
# the version the bundle needs.
DEPENDS = [
    "libgl1", "libegl1", "libxcb1", "libdrm2",
    "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
    "libfontconfig1", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0",
    "libpulse0", "libdbus-1-3",
]
DESCRIPTION = """Turn still images into short videos with Vidu Q3 Turbo
 Drag a photo onto the window, describe the motion, and Vidu Desktop makes a
 short video of it with Novita AI's Vidu Q3 Turbo image-to-video API. Without
 an API key it runs in Demo mode with a built-in simulator."""


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink()) / 1e6


def build_translations() -> list[Path]:
    """resources/*.qm from resources/*.ts (as `make translations`), so a build started without
    make ships the words of the current sources too."""
    lrelease = Path(sys.executable).parent / ("pyside6-lrelease" + (".exe" if sys.platform == "win32" else ""))
    command = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    if command is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6 in this Python (make venv)")
    built = []
    for ts in sorted((REPO / "resources").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([command, "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def missing_translations(app: Path, catalogs: list[Path]) -> list[str]:
    """The app's catalogs the bundle lacks (the spec's datas must list resources/*.qm)."""
    return [qm.name for qm in catalogs if not any(app.rglob(f"vidu_desktop/resources/{qm.name}"))]


def bundle(dist: Path, work: Path, spec_args: list[str]) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
                    str(REPO / "packaging" / "vidu-desktop.spec"), "--", *spec_args], check=True)
    return dist / APP_ID


def normalise_modes(root: Path) -> None:
    """0755 for folders and executables, 0644 for the rest, whatever the builder's umask was."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o111
        path.chmod(0o755 if executable else 0o644)


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def glibc_needed(app: Path) -> str:
    """The newest glibc symbol version in the bundle: it carries libraries of the build machine."""
    versions = set()
    for path in app.rglob("*"):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            symbols = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
            versions |= {(int(a), int(b)) for a, b in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols)}
    major, minor = max(versions)
    return f"{major}.{minor}"


def validate_desktop_files(root: Path) -> None:
    """The menu entry and the AppStream file (with the entry and icon it names) as installed."""
    for command in (["desktop-file-validate", str(root / f"usr/share/applications/{APP_ID}.desktop")],
                    ["appstreamcli", "validate-tree", "--no-net", str(root)]):
        if shutil.which(command[0]):
            out = subprocess.run(command, capture_output=True, text=True)
            if out.returncode:
                raise SystemExit(f"{command[0]} failed:\n{out.stdout}{out.stderr}")
        else:
            print(f"note: {command[0]} is not installed; not validated")


def deb(app: Path, dist: Path, work: Path, compression: str = "xz") -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    root = work / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(app, root / "opt" / APP_ID, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    # PyInstaller's bootloader finds its folder through /proc/self/exe, so a symlink will do.
    (root / "usr/bin" / APP_ID).symlink_to(f"/opt/{APP_ID}/{APP_ID}")
    share = root / "usr/share"
    for source, target in (
        (f"{APP_ID}.desktop", f"applications/{APP_ID}.desktop"),
        (f"{APPSTREAM_ID}.metainfo.xml", f"metainfo/{APPSTREAM_ID}.metainfo.xml"),
        (f"{APP_ID}.svg", f"icons/hicolor/scalable/apps/{APP_ID}.svg"),
    ):
        (share / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "resources" / source, share / target)
    icons = work / "icons"
    subprocess.run([sys.executable, str(REPO / "packaging" / "render_icons.py"), str(icons)], check=True)
    shutil.copytree(icons / "hicolor", share / "icons/hicolor", dirs_exist_ok=True)
    validate_desktop_files(root)
    normalise_modes(root)
    # No maintainer scripts: dpkg triggers of desktop-file-utils and hicolor-icon-theme refresh
    # the menu, MIME and icon caches.
    (root / "DEBIAN").mkdir(mode=0o755)
    (root / "DEBIAN/control").write_text(
        f"Package: {APP_ID}\nVersion: {__version__}\nArchitecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\nInstalled-Size: {int(size_mb(root) * 1e6 / 1024)}\n"
        f"Depends: libc6 (>= {glibc_needed(app)}), {', '.join(DEPENDS)}\nSection: video\nPriority: optional\n"
        f"Description: {DESCRIPTION}\n")
    out = dist / f"{APP_ID}_{__version__}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", f"-Z{compression}", str(root), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def tarball(app: Path, dist: Path) -> Path:
    out = dist / f"{APP_ID}-{__version__}-linux-{platform.machine()}.tar.gz"

    def normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:  # as normalise_modes(), owned by root
        info.uid, info.gid, info.uname, info.gname = 0, 0, "root", "root"
        if not info.issym():
            info.mode = 0o755 if info.isdir() or info.mode & 0o111 else 0o644
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=f"{APP_ID}-{__version__}", filter=normalised)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "packaging")
    parser.add_argument("--console", action="store_true", help="keep a console (debug builds)")
    parser.add_argument("--no-prune", action="store_true", help="keep every Qt part the hooks collect")
    parser.add_argument("--bundle-only", action="store_true", help="no .deb or .tar.gz")
    # xz: smallest (what Debian uses; ~45 s here); zstd: a third bigger, instant (for tests).
    parser.add_argument("--deb-compression", choices=("xz", "zstd"), default="xz")
    args = parser.parse_args(argv)
    spec_args = [*(["--console"] if args.console else []), *(["--no-prune"] if args.no_prune else [])]

    started = time.monotonic()
    catalogs = build_translations()
    app = bundle(args.dist, args.work, spec_args)
    report = [f"bundle   {app}  {size_mb(app):.0f} MB  built in {time.monotonic() - started:.0f} s"]
    if missing := missing_translations(app, catalogs):
        report.append(f"note     not in the bundle (the window will be English only): {', '.join(missing)}")
    if sys.platform.startswith("linux") and not args.bundle_only:
        makers: list[tuple[str, Callable[[], Path]]] = [
            ("deb", lambda: deb(app, args.dist, args.work, args.deb_compression)),
            ("tar.gz", lambda: tarball(app, args.dist)),
        ]
        for label, make in makers:
            step = time.monotonic()
            out = make()
            report.append(f"{label:8} {out}  {size_mb(out):.0f} MB  in {time.monotonic() - step:.0f} s")
    report.append(f"total    {time.monotonic() - started:.0f} s")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
