"""Inputs in bulk: folders of images with sidecar prompts, and batch files (CSV).

Everything read here is outside data: sizes and counts are bounded, text is decoded with
care, and nothing raises on what a file contains (only on programming errors). What is wrong
comes back as BatchProblems, each naming where it is.

Rows are numbered as a spreadsheet shows them: the header row is row 1, the first image is
row 2, and a blank line still counts as a row (it is one in a spreadsheet).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import translate
from .request import PROMPT_MAX_CHARS, VideoSettings, format_size, is_web_url

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # what the app reads (core.imageinfo sniffs the content)
CSV_SUFFIX = ".csv"
SIDECAR_SUFFIX = ".txt"
MAX_BATCH_IMAGES = 1000  # images from one folder, one CSV or one drop
MAX_FOLDER_ENTRIES = 20_000  # directory entries looked at per folder scan (a folder of other files)
MAX_CSV_BYTES = 8 * 1024 * 1024
MAX_CELL_CHARS = 100_000  # csv's own field limit is 128 KiB; no valid cell comes near either
# A sidecar holds at most one prompt: 4 bytes per character in UTF-8, a BOM, some blank lines.
MAX_SIDECAR_BYTES = PROMPT_MAX_CHARS * 4 + 1024

# The CSV columns, in the order write_batch_csv writes them; `image` is required.
SETTING_COLUMNS = ("duration", "resolution", "audio", "audio_type", "seed", "off_peak", "is_rec")
CSV_COLUMNS = ("image", "prompt", *SETTING_COLUMNS)

_SETTING_NAMES = frozenset(f.name for f in fields(VideoSettings))


def _without_default_words(message: str) -> str:
    """from_mapping's problem without its "The default was used." (a batch sends nothing instead)."""
    return message.removesuffix(translate("request", "{problem} The default was used.").format(problem=""))


@dataclass(frozen=True)
class BatchItem:
    """One image of a batch, and what it sets for itself (the rest follows the form)."""

    source: str  # absolute file path or http(s) link
    prompt: str | None = None  # from a sidecar .txt or a CSV cell; None: the form's prompt
    # Valid VideoSettings fields set for this image only (a copy; not part of the hash).
    overrides: Mapping[str, object] = field(default_factory=dict, hash=False)
    origin: str = ""  # "harbour.txt", "batch.csv row 7": where its own values came from, for messages

    def __post_init__(self) -> None:
        unknown = set(self.overrides) - _SETTING_NAMES
        if unknown:
            raise ValueError(f"not VideoSettings fields: {sorted(unknown)}")
        object.__setattr__(self, "overrides", dict(self.overrides))

    def settings_over(self, form: VideoSettings) -> VideoSettings:
        """The form's values, then this image's prompt (when it has one), then its overrides."""
        changes: dict[str, object] = {} if self.prompt is None else {"prompt": self.prompt}
        changes.update(self.overrides)
        return form.replace(**changes) if changes else form


@dataclass(frozen=True)
class BatchProblem:
    """What is wrong, and where: a row as a spreadsheet numbers it (header = 1) and a column.

    `row` is None and `column` "" for what concerns a whole file or folder."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        place = translate("batch", ", ").join(part for part in (
            translate("batch", "Row {row}").format(row=self.row) if self.row is not None else "",
            translate("batch", "column {column}").format(column=self.column) if self.column else "") if part)
        return translate("batch", "{place}: {problem}").format(place=place, problem=self.message) if place \
            else self.message


# -- folders ------------------------------------------------------------------------------------


def natural_key(name: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key that puts "shot 2" before "shot 10", ignoring case (then the name breaks ties)."""
    parts = re.split(r"(\d+)", name.casefold())
    # Text at even places, numbers at odd ones: two keys never compare a number with text.
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts)), name


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def images_in_folder(folder: Path, *, recursive: bool = False) -> list[BatchItem]:
    """The images in a folder (JPEG, PNG, WebP by name), in natural order, hidden files and
    folders skipped, at most MAX_BATCH_IMAGES. `<stem>.txt` next to an image is its prompt.

    Problems (an unreadable sidecar, a folder cut short) are not reported here: expand_sources
    reports them."""
    return _scan_folder(Path(folder), recursive, MAX_BATCH_IMAGES)[0]


def _scan_folder(folder: Path, recursive: bool, limit: int) -> tuple[list[BatchItem], list[BatchProblem]]:
    problems: list[BatchProblem] = []
    found: list[tuple[tuple[object, ...], Path, dict[str, str]]] = []  # key, image, sidecars of its folder
    seen = 0
    pending: list[tuple[Path, tuple[object, ...]]] = [(folder, ())]
    while pending:
        directory, directory_key = pending.pop()
        try:
            entries = []
            with os.scandir(directory) as scan:
                for entry in scan:
                    seen += 1
                    if seen > MAX_FOLDER_ENTRIES:
                        break
                    if not entry.name.startswith("."):
                        entries.append(entry)
        except OSError as exc:
            problems.append(BatchProblem(None, "", translate("batch", "{name}: cannot be read ({error}).").format(
                name=shown_path(str(directory)), error=exc.strerror or exc)))
            continue
        sidecars = {entry.name.lower(): entry.name for entry in entries
                    if entry.name.lower().endswith(SIDECAR_SUFFIX)}
        for entry in entries:
            key = (*directory_key, natural_key(entry.name))
            try:
                if is_image_name(entry.name) and entry.is_file():
                    found.append((key, Path(entry.path), sidecars))
                elif recursive and entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), key))
            except OSError:
                continue  # vanished or unreadable while looking: as if it was not there
        if seen > MAX_FOLDER_ENTRIES:
            problems.append(BatchProblem(None, "", translate(
                "batch", "{name}: more than {limit} files; only the first ones were looked at.").format(
                name=shown_path(str(folder)), limit=MAX_FOLDER_ENTRIES)))
            break
    found.sort(key=lambda item: item[0])
    if len(found) > limit:
        problems.append(BatchProblem(None, "", translate(
            "batch", "{name}: {count} images; only the first {limit} were taken.").format(
            name=shown_path(str(folder)), count=len(found), limit=limit)))
        del found[limit:]
    items = []
    for _key, image, sidecars in found:
        sidecar_name = sidecars.get((image.stem + SIDECAR_SUFFIX).lower())
        prompt, problem = read_sidecar(image.parent / sidecar_name) if sidecar_name else (None, "")
        if problem:
            problems.append(BatchProblem(None, "", problem))
        origin = shown_path(sidecar_name) if sidecar_name and prompt is not None else ""
        items.append(BatchItem(os.path.abspath(image), prompt, origin=origin))
    return items, problems


def read_sidecar(path: Path) -> tuple[str | None, str]:
    """A sidecar's prompt (UTF-8, with or without a BOM, stripped; empty -> None) and what is
    wrong with it ("" when nothing is)."""
    name = shown_path(path.name)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        return None, translate("batch", "{name}: cannot be read ({error}); the form's prompt is used.").format(
            name=name, error=exc.strerror or exc)
    if len(data) > MAX_SIDECAR_BYTES:
        return None, translate("batch", "{name}: more than {limit}, too long for a prompt; the form's prompt is "
                                        "used.").format(name=name, limit=format_size(MAX_SIDECAR_BYTES))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, translate("batch", "{name}: not UTF-8 text; the form's prompt is used.").format(name=name)
    text = text.strip()
    if len(text) > PROMPT_MAX_CHARS:
        return None, translate("batch", "{name}: the prompt is {length} characters long; the limit is {limit}. "
                                        "The form's prompt is used.").format(name=name, length=len(text),
                                                                              limit=PROMPT_MAX_CHARS)
    return text or None, ""


# -- batch files -------------------------------------------------------------------------------


def read_batch_csv(path: Path) -> tuple[list[BatchItem], list[BatchProblem]]:
    """The images of a batch file and every problem in it.

    A header row is required, with a column `image` (a path relative to the CSV, an absolute
    path, or an http(s) link) and any of `prompt` and the SETTING_COLUMNS; a blank cell takes
    the form's value. A row with a problem gives no item (so "go ahead with the valid rows" is
    sending `items`); a problem in the header row (an unknown column) leaves the rows alone.
    Tolerates a UTF-8 BOM, Windows-1252 text, `;`, `,` or tab delimiters and blank lines.
    """
    path = Path(path)
    name = shown_path(path.name)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        return [], [BatchProblem(None, "", translate("batch", "{name}: cannot be read ({error}).").format(
            name=name, error=exc.strerror or exc))]
    if len(data) > MAX_CSV_BYTES:
        return [], [BatchProblem(None, "", translate(
            "batch", "{name}: more than {limit}; split it into smaller batch files.").format(
            name=name, limit=format_size(MAX_CSV_BYTES)))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what spreadsheets on Windows save as "CSV"
    return parse_batch_csv(text, Path(os.path.abspath(path.parent)), name)


def parse_batch_csv(text: str, base: Path, name: str = "batch.csv") -> tuple[list[BatchItem], list[BatchProblem]]:
    """read_batch_csv on text already read: paths are relative to `base`; `name` is for origins.

    Never raises on any text; every problem names a row and a column, except a row the csv
    module cannot read at all (a cell longer than MAX_CELL_CHARS), which names its row only."""
    text = text.removeprefix("\ufeff")
    rows = _csv_rows(text)
    problems: list[BatchProblem] = []
    header: list[str] = []
    header_row = 0
    for number, cells in rows:
        if isinstance(cells, BatchProblem):
            return [], [cells]
        if any(cell.strip() for cell in cells):
            header, header_row = [cell.strip().lower() for cell in cells], number
            break
    if not header:
        return [], [BatchProblem(max(1, header_row), "image", translate(
            "batch", "there is no header row; the first row must name the columns, starting with image (the "
                     "columns: {columns}).").format(columns=", ".join(CSV_COLUMNS)))]
    columns: dict[int, str] = {}  # cell index -> known column name
    for index, column in enumerate(header):
        if not column:
            continue
        if column in columns.values():
            problems.append(BatchProblem(header_row, column, translate(
                "batch", "this column appears twice; the first one is used.")))
        elif column in CSV_COLUMNS:
            columns[index] = column
        else:
            problems.append(BatchProblem(header_row, _shown(column), translate(
                "batch", "there is no column called {name}; the columns are {columns}.").format(
                name=repr(_shown(column)), columns=", ".join(CSV_COLUMNS))))
    if "image" not in columns.values():
        problems.append(BatchProblem(header_row, "image", translate(
            "batch", "the header row has no column image (which image each row is for).")))
        return [], problems
    items: list[BatchItem] = []
    for number, cells in rows:
        if isinstance(cells, BatchProblem):
            problems.append(cells)
            break
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(items) >= MAX_BATCH_IMAGES:
            problems.append(BatchProblem(number, "image", translate(
                "batch", "more than {limit} images in one batch file; this row and the ones after it were not "
                         "read.").format(limit=MAX_BATCH_IMAGES)))
            break
        item, row_problems = _read_row(number, cells, header, columns, base, name)
        problems.extend(row_problems)
        if item is not None:
            items.append(item)
    return items, problems


def _csv_rows(text: str) -> Iterator[tuple[int, list[str] | BatchProblem]]:
    """(spreadsheet row number, cells) for each record; a record csv cannot read ends it."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield number, BatchProblem(number, "", translate(
                "batch", "this row cannot be read (a cell longer than the {limit} characters allowed, or broken "
                         "quotes); the rest of the file was not read.").format(limit=MAX_CELL_CHARS))
            return
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            yield number, BatchProblem(number, "", translate(
                "batch", "a cell is longer than the {limit} characters allowed; the rest of the file was not "
                         "read.").format(limit=MAX_CELL_CHARS))
            return
        yield number, cells


def _dialect(text: str) -> type[csv.Dialect]:
    """Excel's dialect with `,`, `;` or tab, judged from the header line only (bounded, so
    hostile text stays cheap). Only the delimiter is sniffed: from one line the Sniffer
    cannot tell how quotes are escaped, and guesses wrong."""
    first = next((line for line in text[:8192].splitlines() if line.strip()), "")[:4096]
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max(",;\t", key=first.count) if any(mark in first for mark in ",;\t") else ","

    class Found(csv.excel):
        skipinitialspace = True  # "a, b" as a person types it; cells are stripped anyway

    Found.delimiter = delimiter
    return Found


def _read_row(number: int, cells: list[str], header: list[str], columns: dict[int, str], base: Path,
              name: str) -> tuple[BatchItem | None, list[BatchProblem]]:
    problems: list[BatchProblem] = []
    values: dict[str, str] = {}
    for index, cell in enumerate(cells):
        cell = cell.strip()
        column = columns.get(index)
        if column is None:
            if cell and (index >= len(header) or not header[index]):
                problems.append(BatchProblem(number, _letter(index), translate(
                    "batch", "a value in a column without a name in the header row.")))
            continue  # an unknown column: reported once, for the header row
        if cell:
            values[column] = cell
    image = values.pop("image", "")
    source = ""
    if not image:
        problems.append(BatchProblem(number, "image", translate("batch", "no image given.")))
    elif is_web_url(image):
        source = image
    else:
        try:
            candidate = Path(os.path.abspath(base / Path(image).expanduser()))
            if not candidate.is_file():
                problems.append(BatchProblem(number, "image", (
                    translate("batch", "{name}: no such file (it is a folder).") if candidate.is_dir()
                    else translate("batch", "{name}: no such file.")).format(name=shown_path(image))))
            source = str(candidate)
        except (OSError, ValueError, RuntimeError):  # NUL in a path, no home folder for ~user
            problems.append(BatchProblem(number, "image", translate("batch", "{name}: not a usable file path.").format(
                name=shown_path(image))))
    prompt = values.pop("prompt", None)
    if prompt is not None and len(prompt) > PROMPT_MAX_CHARS:
        problems.append(BatchProblem(number, "prompt", translate(
            "request", "The prompt is {length} characters long; the limit is {limit}.").format(
            length=len(prompt), limit=PROMPT_MAX_CHARS)))
    overrides, setting_problems = VideoSettings.from_mapping(values)
    for problem in setting_problems:
        problems.append(BatchProblem(number, problem.field, _without_default_words(problem.message)))
    if problems:
        return None, problems
    chosen = {key: getattr(overrides, key) for key in values}
    origin = translate("batch", "{name} row {row}").format(name=name, row=number)
    return BatchItem(source, prompt, chosen, origin=origin), []


def _letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _printable(text: str) -> str:
    """One line of printable characters: controls and undecodable bytes (surrogates) become "?"."""
    return "".join(char if char.isprintable() else "?" for char in " ".join(text.split()))


def _shown(text: str, limit: int = 60) -> str:
    """Outside text inside a message: one printable line, bounded."""
    one_line = _printable(text[:limit * 4])
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def shown_path(text: str, limit: int = 200) -> str:
    """A path inside a message: one printable line, bounded, keeping its end (the file's name)."""
    one_line = _printable(text[-limit * 4:])
    return one_line if len(one_line) <= limit else "…" + one_line[1 - limit:]


def write_batch_csv(path: Path, rows: Sequence[tuple[str, VideoSettings]]) -> None:
    """Save a batch: every column, one row per image. Paths inside the CSV's folder are written
    relative to it (the folder can move as a whole), others absolute; links as they are. UTF-8
    with a BOM, so spreadsheets read accents right. Written whole or not at all."""
    path = Path(path)
    base = Path(os.path.abspath(path.parent))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for source, chosen in rows:
        writer.writerow([_relative(source, base), chosen.prompt,
                         *(_cell(getattr(chosen, column)) for column in SETTING_COLUMNS)])
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=base)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as file:
            file.write(out.getvalue())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _relative(source: str, base: Path) -> str:
    if is_web_url(source):
        return source
    absolute = Path(os.path.abspath(source))
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(absolute)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- what a drop or a command line gives -----------------------------------------------------------


def expand_sources(sources: Sequence[str], *, recursive: bool = False) -> tuple[list[BatchItem], list[BatchProblem]]:
    """Image files, folders, .csv batch files and http(s) links, in the order given, as items.

    A folder gives its images (images_in_folder); a batch file its valid rows plus its
    problems (each message starts with the file's name when it is not about a row); an image
    file its own sidecar prompt; a `.txt` given along with its image is that image's sidecar,
    not an image. Any other file is passed on as an image: its content decides. At most
    MAX_BATCH_IMAGES in all."""
    items: list[BatchItem] = []
    problems: list[BatchProblem] = []
    given = {os.path.abspath(os.path.expanduser(s)) for s in sources if s and not is_web_url(s)}
    for source in sources:
        room = MAX_BATCH_IMAGES - len(items)
        if room <= 0:
            problems.append(BatchProblem(None, "", translate(
                "batch", "more than {limit} images at once; the rest were not taken.").format(limit=MAX_BATCH_IMAGES)))
            break
        new, new_problems = _expand_one(source, recursive, given, room)
        if len(new) > room:
            new_problems.append(BatchProblem(None, "", translate(
                "batch", "{name}: only the first {count} images were taken.").format(
                name=shown_path(source), count=room)))
            del new[room:]
        items.extend(new)
        problems.extend(new_problems)
    return items, problems


def _expand_one(source: str, recursive: bool, given: set[str], room: int) -> tuple[list[BatchItem], list[BatchProblem]]:
    if not source or not source.strip():
        return [], []
    if is_web_url(source):
        return [BatchItem(source)], []
    try:
        path = Path(os.path.abspath(os.path.expanduser(source)))
        if path.is_dir():
            items, problems = _scan_folder(path, recursive, room)
            if not items and not problems:
                problems.append(BatchProblem(None, "", (
                    translate("batch", "{name}: no JPEG, PNG or WebP images in this folder or its subfolders.")
                    if recursive else translate("batch", "{name}: no JPEG, PNG or WebP images in this folder.")
                ).format(name=shown_path(source))))
            return items, problems
        if not path.exists():
            return [], [BatchProblem(None, "", translate("batch", "{name}: no such file or folder.").format(
                name=shown_path(source)))]
    except (OSError, ValueError, RuntimeError):
        return [], [BatchProblem(None, "", translate("batch", "{name}: not a usable file path.").format(
            name=shown_path(source)))]
    suffix = path.suffix.lower()
    if suffix == CSV_SUFFIX:
        items, problems = read_batch_csv(path)
        name = shown_path(path.name)
        return items, [p if p.row is not None or p.message.startswith(name)
                       else BatchProblem(None, "", translate("batch", "{place}: {problem}").format(
                           place=name, problem=p.message)) for p in problems]
    if suffix == SIDECAR_SUFFIX and _image_beside(path, given):
        return [], []  # a sidecar dropped with its image
    sidecar = _sidecar_of(path)
    prompt, problem = read_sidecar(sidecar) if sidecar else (None, "")
    return ([BatchItem(str(path), prompt, origin=shown_path(sidecar.name) if sidecar and prompt is not None else "")],
            [BatchProblem(None, "", problem)] if problem else [])


def _sidecar_of(image: Path) -> Path | None:
    try:
        wanted = (image.stem + SIDECAR_SUFFIX).lower()
        exact = image.with_name(image.stem + SIDECAR_SUFFIX)
        if exact.is_file():
            return exact
        with os.scandir(image.parent) as scan:  # "Harbour.TXT": found like a folder scan finds it
            for count, entry in enumerate(scan):
                if count >= MAX_FOLDER_ENTRIES:
                    break
                if entry.name.lower() == wanted and entry.is_file():
                    return Path(entry.path)
    except (OSError, ValueError):
        pass
    return None


def _image_beside(sidecar: Path, given: set[str]) -> bool:
    stem = sidecar.stem.lower()
    return any(Path(other).parent == sidecar.parent and Path(other).stem.lower() == stem and is_image_name(other)
               for other in given)
