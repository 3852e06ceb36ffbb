"""The app as people install it: build the frozen Linux bundle, .deb and .tar.gz, then run it.

Slow (a PyInstaller build): skip on a quick run with `-m "not packaging"`. Needs PyInstaller
in the environment (`make package` installs it) and dpkg-deb; the run needs an X server and
xdotool (tests/run-headless.sh provides them).
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

import vidu_desktop
from tests.waiting import wait_for, xdotool
from vidu_desktop import paths
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.store import JobStore
from vidu_desktop.simulator.server import placeholder_png

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "resources"


def _load_build_script():
    spec = importlib.util.spec_from_file_location("vidu_packaging_build", REPO / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()
DESKTOP_FILE = RESOURCES / "vidu-desktop.desktop"
METAINFO_FILE = RESOURCES / f"{build.APPSTREAM_ID}.metainfo.xml"

pytestmark = [pytest.mark.packaging, pytest.mark.slow, pytest.mark.timeout(900),
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds Linux packages")]


@dataclass
class Built:
    dist: Path
    app: Path
    exe: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory, artifacts_dir):
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (`make package` installs it)")
    if not shutil.which("dpkg-deb"):
        pytest.skip("dpkg-deb is not installed")
    out = tmp_path_factory.mktemp("package")
    # zstd: the test checks the .deb's contents, not xz's ratio, and saves ~40 s.
    result = subprocess.run([sys.executable, str(REPO / "packaging" / "build.py"),
                             "--dist", str(out / "dist"), "--work", str(out / "work"),
                             "--deb-compression", "zstd"],
                            capture_output=True, text=True, timeout=800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (artifacts_dir / "packaging-report.txt").write_text(result.stdout)
    app = out / "dist" / vidu_desktop.APP_ID
    yield Built(out / "dist", app, app / vidu_desktop.APP_ID)
    shutil.rmtree(out, ignore_errors=True)  # ~0.5 GB


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


def elf_files(app: Path) -> list[Path]:
    return [p for p in app.rglob("*") if p.is_file() and not p.is_symlink() and build.is_elf(p)]


# -- the bundle ---------------------------------------------------------------------------------

def test_frozen_app_reports_its_version(built):
    out = run(str(built.exe), "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Vidu Desktop {vidu_desktop.__version__}"


def test_bundle_has_multimedia_and_svg_support_and_leaves_unused_qt_out(built):
    internal = built.app / "_internal"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    plugins = "PySide6/Qt/plugins"
    for needed in (f"{plugins}/multimedia/libffmpegmediaplugin.so", f"{plugins}/platforms/libqxcb.so",
                   f"{plugins}/platforms/libqwayland.so", f"{plugins}/platforms/libqoffscreen.so",
                   f"{plugins}/iconengines/libqsvgicon.so", f"{plugins}/imageformats/libqsvg.so",
                   f"{plugins}/imageformats/libqjpeg.so", f"{plugins}/imageformats/libqwebp.so",
                   "vidu_desktop/resources/vidu-desktop.svg", "vidu_desktop/resources/vidu_desktop_zh_CN.qm",
                   "vidu_desktop/resources/vidu_desktop_en.qm", "PySide6/Qt/translations/qtbase_zh_CN.qm"):
        assert needed in files
    for lib in ("libavcodec", "libavformat", "libavutil", "libswscale", "libswresample"):
        assert any(f.startswith(f"PySide6/Qt/lib/{lib}.so") for f in files), lib
    for unwanted in ("WebEngine", "Qt3D", "libQt6Pdf", "VirtualKeyboard", "libqgtk3", "libgtk-3",
                     "libqeglfs", "tkinter", "_tkinter"):
        assert not [f for f in files if unwanted in f], unwanted
    # Of Qt's own translations only those ui/i18n.py loads, for the languages the app speaks.
    qt_words = [f for f in files if "/translations/" in f]
    assert all(re.fullmatch(r"PySide6/Qt/translations/(qtbase|qtmultimedia)_zh_CN\.qm", f) for f in qt_words), qt_words


def test_every_library_resolves_in_the_bundle_or_from_a_declared_dependency(built):
    internal = built.app / "_internal"
    bundled = {p.name for p in internal.rglob("*.so*")}
    # as the bootloader sets it
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6/Qt/lib'}")
    have_objdump = bool(shutil.which("objdump"))
    missing, system = [], {}
    for path in elf_files(built.app):
        resolved = {}
        for line in run("ldd", str(path), env=env).stdout.splitlines():
            if "not found" in line:
                missing.append(f"{path.name}: {line.strip()}")
            elif m := re.match(r"\s*(?:(\S+) => )?(/\S+) \(", line):
                resolved[m[1] or Path(m[2]).name] = m[2]
        if have_objdump:  # direct dependencies only: the rest is the system packages' business
            for name in re.findall(r"NEEDED\s+(\S+)", run("objdump", "-p", str(path)).stdout):
                if name not in bundled:
                    system[name] = resolved.get(name)
    assert not missing, "\n".join(missing)

    if not (have_objdump and shutil.which("dpkg-query")):
        pytest.skip("objdump or dpkg-query missing: Depends not checked")
    [deb] = built.dist.glob("*.deb")
    depends = run("dpkg-deb", "-f", str(deb), "Depends").stdout
    declared = {d.split()[0] for d in depends.split(", ")}
    owners = {name: owning_package(Path(where)) if where else "?" for name, where in system.items()}
    undeclared = {name: package for name, package in owners.items() if package not in declared}
    assert not undeclared, f"add to DEPENDS in packaging/build.py: {undeclared}"
    glibc = {tuple(map(int, v)) for p in elf_files(built.app)
             for v in re.findall(r"GLIBC_(\d+)\.(\d+)", run("objdump", "-T", str(p)).stdout)}
    major, minor = max(glibc)
    assert f"libc6 (>= {major}.{minor})" in depends


def owning_package(path: Path) -> str:
    # Merged /usr: dpkg may know the file under /lib or /usr/lib, as a symlink or its target.
    for candidate in (path, path.resolve()):
        for variant in {str(candidate), str(candidate).removeprefix("/usr"), "/usr" + str(candidate)}:
            out = run("dpkg-query", "-S", variant)
            if out.returncode == 0:
                return out.stdout.split(":")[0].strip()
    return f"? ({path})"


# -- the desktop files --------------------------------------------------------------------------

def test_desktop_entry_opens_images_with_the_command_and_validates():
    entry = desktop_entry()
    assert entry["Exec"] == "vidu-desktop %F" and entry["Icon"] == vidu_desktop.APP_ID
    assert {"image/png", "image/jpeg", "image/webp"} <= set(entry["MimeType"].strip(";").split(";"))
    if not shutil.which("desktop-file-validate"):
        pytest.skip("desktop-file-validate is not installed (package desktop-file-utils)")
    out = run("desktop-file-validate", str(DESKTOP_FILE))
    assert out.returncode == 0 and "error" not in out.stdout, out.stdout


def test_appstream_file_matches_the_app_and_validates():
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.findtext("id") == build.APPSTREAM_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert root.find("releases/release").get("version") == vidu_desktop.__version__, "add a <release>"
    if not shutil.which("appstreamcli"):
        pytest.skip("appstreamcli is not installed (package appstream)")
    out = run("appstreamcli", "validate", "--no-net", str(METAINFO_FILE))
    assert out.returncode == 0, out.stdout + out.stderr


# -- the packages -------------------------------------------------------------------------------

def test_deb_installs_bundle_command_menu_entry_icons_and_metainfo(built):
    [deb] = built.dist.glob("*.deb")
    fields = dict(line.split(": ", 1) for line in
                  run("dpkg-deb", "-f", str(deb), "Package", "Version", "Depends").stdout.splitlines())
    assert fields["Package"] == "vidu-desktop" and fields["Version"] == vidu_desktop.__version__
    assert "libpulse0" in fields["Depends"] and "libxcb-cursor0" in fields["Depends"]
    listing = {}
    for line in run("dpkg-deb", "-c", str(deb)).stdout.splitlines():
        mode, owner, _size, _date, _time, name = line.split(None, 5)
        listing[name] = (mode, owner)
    assert listing["./opt/vidu-desktop/vidu-desktop"] == ("-rwxr-xr-x", "root/root")
    assert "./usr/bin/vidu-desktop -> /opt/vidu-desktop/vidu-desktop" in listing
    share = "./usr/share"
    for name in (f"{share}/applications/vidu-desktop.desktop",
                 f"{share}/metainfo/{build.APPSTREAM_ID}.metainfo.xml",
                 f"{share}/icons/hicolor/scalable/apps/vidu-desktop.svg",
                 *(f"{share}/icons/hicolor/{n}x{n}/apps/vidu-desktop.png"
                   for n in (16, 32, 48, 128, 256, 512))):
        assert listing[name][0] == "-rw-r--r--", name
    assert not [n for n, (_, owner) in listing.items() if owner != "root/root"]


def test_tarball_holds_the_bundle_in_one_folder(built):
    [tarball] = built.dist.glob("*.tar.gz")
    with tarfile.open(tarball) as tar:
        top = f"vidu-desktop-{vidu_desktop.__version__}"
        exe = tar.getmember(f"{top}/vidu-desktop")
        assert exe.mode & 0o755 == 0o755 and exe.uid == 0
        assert {m.name.split("/")[0] for m in tar.getmembers()} == {top}


# -- the frozen app running ---------------------------------------------------------------------





@pytest.mark.skipif(not (os.environ.get("DISPLAY") and shutil.which("xdotool")),
                    reason="needs an X server and xdotool (run through tests/run-headless.sh)")
def test_menu_entry_opens_the_image_makes_a_video_in_demo_mode_and_quits(built, tmp_path):
    """The Exec line as a menu runs it, `vidu-desktop` being a symlink on PATH (as in the .deb).

    Demo mode proves the frozen app started itself as the simulator; a finished, playing video
    proves the image arrived, the frozen renderer and the bundled FFmpeg plugin work.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "vidu-desktop").symlink_to(built.exe)
    image = tmp_path / "photo.png"
    image.write_bytes(placeholder_png(480, 320))
    argv = [str(image) if word == "%F" else word for word in shlex.split(desktop_entry()["Exec"])]
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", QT_QPA_PLATFORM="xcb")
    stderr = tmp_path / "stderr.txt"
    log_file = paths.log_dir() / "vidu-desktop.log"
    with stderr.open("w") as err:
        app = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
    store = None
    try:
        window = wait_for(lambda: xdotool("search", "--name", "Vidu Desktop — Demo mode"), 60,
                          "the window in Demo mode").split()[0]
        store = JobStore(paths.job_database())

        def press_generate() -> bool:
            # The image is checked in the background first; until then Generate is disabled.
            xdotool("windowfocus", "--sync", window)
            xdotool("key", "--window", window, "ctrl+Return")
            try:
                return wait_for(lambda: store.count() == 1, 1.0, "")
            except AssertionError:
                return False

        wait_for(press_generate, 30, "a job after Ctrl+Return", poll_s=0)
        job_id = store.ids()[0]
        job = wait_for(lambda: (j := store.get(job_id)).state in (JobState.DONE, JobState.FAILED) and j,
                       120, "the job to finish")
        assert job.state is JobState.DONE, job.error
        wait_for(lambda: f"playing {job.video_path}" in log_file.read_text(), 10, "the video to play")
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "--window", window, "ctrl+q")
        assert app.wait(30) == 0
    finally:
        if store:
            store.close()
        if app.poll() is None:
            app.kill()
            app.wait()
    log = log_file.read_text()
    problems = [line for line in log.splitlines()
                if re.search(r" (ERROR|CRITICAL) |no backend|unavailable", line)]
    if os.environ.get("VIDU_REQUIRE_KEYRING"):  # a Secret Service runs: the frozen keyring must find it
        problems += [line for line in log.splitlines() if "keyring" in line]
    assert not problems, "\n".join(problems) + "\n" + stderr.read_text()[-3000:]
