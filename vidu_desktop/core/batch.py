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
import itertools
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import translate
from .files import NotAFile, is_regular_file, read_regular
from .request import PROMPT_MAX_CHARS, VideoSettings, format_size, is_web_url, link_problem

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # what the app reads (core.imageinfo sniffs the content)
CSV_SUFFIX = ".csv"
SIDECAR_SUFFIX = ".txt"
MAX_BATCH_IMAGES = 1000  # images from one folder, one CSV or one drop
MAX_FOLDER_ENTRIES = 20_000  # directory entries looked at per folder scan (a folder of other files)
MAX_CSV_BYTES = 8 * 1024 * 1024
MAX_CELL_CHARS = 100_000  # csv's own field limit is 128 KiB; no valid cell comes near either
MAX_COLUMNS = 64  # cells read per row: the file has 9 columns; a wider row is one problem, not one per cell
MAX_UNKNOWN_COLUMNS_SHOWN = 5  # header columns with unknown names reported one by one; the rest are counted
# A sidecar holds at most one prompt: 4 bytes per character in UTF-8, a BOM, some blank lines.
MAX_SIDECAR_BYTES = PROMPT_MAX_CHARS * 4 + 1024

# The CSV columns, in the order write_batch_csv writes them; `image` is required.
SETTING_COLUMNS = ("duration", "resolution", "audio", "audio_type", "seed", "off_peak", "is_rec")
CSV_COLUMNS = ("image", "prompt", *SETTING_COLUMNS)

_SETTING_NAMES = frozenset(f.name for f in fields(VideoSettings))
_TEXT_CONTROLS_ALLOWED = frozenset("\n\r\t")
# A cell a spreadsheet would run as a formula starts with one of these (after any quotes we added).
_FORMULA_START = re.compile(r"'*[=+\-@]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")




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
        sidecars = _regular_sidecars(entries)
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


def _regular_sidecars(entries: Iterable[os.DirEntry[str]]) -> dict[str, str]:
    """{lowercase name: name} of the entries that are sidecars: `.txt` regular files (or links
    to one). A named pipe called harbour.txt is no sidecar: opening it would block."""
    found: dict[str, str] = {}
    for entry in entries:
        try:
            if entry.name.lower().endswith(SIDECAR_SUFFIX) and entry.is_file():
                found[entry.name.lower()] = entry.name
        except OSError:
            continue  # vanished or unreadable while looking
    return found


def is_text(text: str) -> bool:
    """Whether `text` reads as text: no control characters other than line breaks and tabs
    (a NUL or a terminal escape says it is a binary file, or meant to mislead)."""
    return all(char in _TEXT_CONTROLS_ALLOWED or unicodedata.category(char) != "Cc" for char in text)


def read_sidecar(path: Path) -> tuple[str | None, str]:
    """A sidecar's prompt (UTF-8, with or without a BOM, stripped; empty -> None) and what is
    wrong with it ("" when nothing is). Only a regular file is opened, never blocking."""
    name = shown_path(path.name)
    try:
        data = read_regular(path, MAX_SIDECAR_BYTES + 1)
    except NotAFile:
        return None, translate("batch", "{name}: not a regular file; the form's prompt is used.").format(name=name)
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
    if not is_text(text):
        return None, translate("batch", "{name}: not a text file; the form's prompt is used.").format(name=name)
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
    Tolerates a UTF-8 BOM, UTF-16 with a BOM (Excel's "Unicode Text"), Windows-1252 text, `;`,
    `,` or tab delimiters and blank lines. Only a regular file is opened, never blocking.
    """
    path = Path(path)
    name = shown_path(path.name)
    try:
        data = read_regular(path, MAX_CSV_BYTES + 1)
    except NotAFile:
        return [], [BatchProblem(None, "", translate("batch", "{name}: not a regular file.").format(name=name))]
    except OSError as exc:
        return [], [BatchProblem(None, "", translate("batch", "{name}: cannot be read ({error}).").format(
            name=name, error=exc.strerror or exc))]
    if len(data) > MAX_CSV_BYTES:
        return [], [BatchProblem(None, "", translate(
            "batch", "{name}: more than {limit}; split it into smaller batch files.").format(
            name=name, limit=format_size(MAX_CSV_BYTES)))]
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError:
            return [], [BatchProblem(None, "", translate("batch", "{name}: not readable text.").format(name=name))]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # what spreadsheets on Windows save as "CSV"
    return parse_batch_csv(text, Path(os.path.abspath(path.parent)), name)


def parse_batch_csv(text: str, base: Path, name: str = "batch.csv") -> tuple[list[BatchItem], list[BatchProblem]]:
    """read_batch_csv on text already read: paths are relative to `base`; `name` is for origins.

    Never raises on any text; every problem names a row and a column, except a row the csv
    module cannot read at all (a cell longer than MAX_CELL_CHARS), which names its row only.
    The number of problems is bounded: at most MAX_BATCH_IMAGES rows are read (valid or not), a
    row wider than MAX_COLUMNS is one problem, and each row has at most one value without a
    column name reported."""
    text = text.removeprefix("\ufeff")
    rows = _csv_rows(text)
    problems: list[BatchProblem] = []
    header: list[str] = []
    header_row = 0
    for number, cells in rows:
        if isinstance(cells, BatchProblem):
            return [], [cells]  # the header row cannot be read, or is far too wide
        if any(cell.strip() for cell in cells):
            header, header_row = [cell.strip().lower() for cell in cells], number
            break
    if not header:
        return [], [BatchProblem(max(1, header_row), "image", translate(
            "batch", "there is no header row; the first row must name the columns, starting with image (the "
                     "columns: {columns}).").format(columns=", ".join(CSV_COLUMNS)))]
    columns: dict[int, str] = {}  # cell index -> known column name
    unknown = 0
    first_unlisted = ""  # the first unknown column not reported by name
    for index, column in enumerate(header):
        if not column:
            continue
        if column in columns.values():
            problems.append(BatchProblem(header_row, column, translate(
                "batch", "this column appears twice; the first one is used.")))
        elif column in CSV_COLUMNS:
            columns[index] = column
        else:
            unknown += 1
            if unknown <= MAX_UNKNOWN_COLUMNS_SHOWN:
                problems.append(BatchProblem(header_row, _shown(column), translate(
                    "batch", "there is no column called {name}; the columns are {columns}.").format(
                    name=repr(_shown(column)), columns=", ".join(CSV_COLUMNS))))
            elif not first_unlisted:
                first_unlisted = _shown(column)
    if unknown > MAX_UNKNOWN_COLUMNS_SHOWN:
        problems.append(BatchProblem(header_row, first_unlisted, translate(
            "batch", "this and later header cells ({count} in all) are not columns of a batch file.").format(
            count=unknown - MAX_UNKNOWN_COLUMNS_SHOWN)))
    if "image" not in columns.values():
        problems.append(BatchProblem(header_row, "image", translate(
            "batch", "the header row has no column image (which image each row is for).")))
        return [], problems
    items: list[BatchItem] = []
    rows_read = 0  # every row that is not blank, valid or not: a file of bad rows is bounded too
    for number, cells in rows:
        if not isinstance(cells, BatchProblem) and not any(cell.strip() for cell in cells):
            continue  # a blank line
        if rows_read >= MAX_BATCH_IMAGES:
            problems.append(BatchProblem(number, "image", translate(
                "batch", "more than {limit} images in one batch file; this row and the ones after it were not "
                         "read.").format(limit=MAX_BATCH_IMAGES)))
            break
        rows_read += 1
        if isinstance(cells, BatchProblem):
            problems.append(cells)  # a row too wide (the next ones are read), or unreadable (the last one)
            continue
        item, row_problems = _read_row(number, cells, header, columns, base, name)
        problems.extend(row_problems)
        if item is not None:
            items.append(item)
    return items, problems


def _csv_rows(text: str) -> Iterator[tuple[int, list[str] | BatchProblem]]:
    """(spreadsheet row number, cells) for each record; a record csv cannot read ends it, one
    wider than MAX_COLUMNS is a problem of its own (the rows after it are read)."""
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
        if len(cells) > MAX_COLUMNS:
            yield number, BatchProblem(number, _letter(MAX_COLUMNS), translate(
                "batch", "this row has {count} cells; a batch file has at most {limit} columns, so the row was not "
                         "read.").format(count=len(cells), limit=MAX_COLUMNS))
            continue
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
    unnamed_reported = False  # one such problem per row is enough to find them
    for index, cell in enumerate(cells):
        cell = cell.strip()
        column = columns.get(index)
        if column is None:
            if cell and not unnamed_reported and (index >= len(header) or not header[index]):
                unnamed_reported = True
                problems.append(BatchProblem(number, _letter(index), translate(
                    "batch", "a value in a column without a name in the header row.")))
            continue  # an unknown column: reported once, for the header row
        if cell:
            values[column] = _unguarded(cell) if column in _GUARDED_COLUMNS else cell
    image = values.pop("image", "")
    source = ""
    if not image:
        problems.append(BatchProblem(number, "image", translate("batch", "no image given.")))
    elif is_web_url(image):
        unusable = link_problem(image)
        if unusable:
            problems.append(BatchProblem(number, "image", translate(
                "batch", "{name}: not a usable link ({problem}).").format(name=_shown(image), problem=unusable)))
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
    if prompt is not None and not is_text(prompt):
        problems.append(BatchProblem(number, "prompt", translate(
            "batch", "this is not text: it holds control characters.")))
    elif prompt is not None and len(prompt) > PROMPT_MAX_CHARS:
        problems.append(BatchProblem(number, "prompt", translate(
            "request", "The prompt is {length} characters long; the limit is {limit}.").format(
            length=len(prompt), limit=PROMPT_MAX_CHARS)))
    overrides, setting_problems = VideoSettings.from_mapping(values)
    for problem in setting_problems:
        problems.append(BatchProblem(number, problem.field, problem.reason or problem.message))  # nothing is sent
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
        writer.writerow([_guarded(_relative(source, base)), _guarded(chosen.prompt),
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


# Columns whose cells may start like a formula: guarded when written, unguarded when read.
_GUARDED_COLUMNS = ("image", "prompt")


def _guarded(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) with a ' before it, which
    spreadsheets show as text; one that starts with quotes and then one of those gets one more
    quote, so _unguarded gives back exactly what was written."""
    return "'" + text if _FORMULA_START.match(text) else text


def _unguarded(cell: str) -> str:
    """What _guarded wrote: one leading ' dropped where _guarded adds one."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell) else cell


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
    sidecars: dict[Path, dict[str, str]] = {}  # folder -> its sidecars: each folder is scanned once
    for source in sources:
        room = MAX_BATCH_IMAGES - len(items)
        if room <= 0:
            problems.append(BatchProblem(None, "", translate(
                "batch", "more than {limit} images at once; the rest were not taken.").format(limit=MAX_BATCH_IMAGES)))
            break
        new, new_problems = _expand_one(source, recursive, given, room, sidecars)
        if len(new) > room:
            new_problems.append(BatchProblem(None, "", translate(
                "batch", "{name}: only the first {count} images were taken.").format(
                name=shown_path(source), count=room)))
            del new[room:]
        items.extend(new)
        problems.extend(new_problems)
    return items, problems


def _expand_one(source: str, recursive: bool, given: set[str], room: int,
                sidecars: dict[Path, dict[str, str]]) -> tuple[list[BatchItem], list[BatchProblem]]:
    if not source or not source.strip():
        return [], []
    if is_web_url(source):
        problem = link_problem(source)
        if problem:
            return [], [BatchProblem(None, "", translate("batch", "{name}: not a usable link ({problem}).").format(
                name=_shown(source), problem=problem))]
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
    sidecar = _sidecar_of(path, sidecars)
    prompt, problem = read_sidecar(sidecar) if sidecar else (None, "")
    return ([BatchItem(str(path), prompt, origin=shown_path(sidecar.name) if sidecar and prompt is not None else "")],
            [BatchProblem(None, "", problem)] if problem else [])


def _sidecar_of(image: Path, sidecars: dict[Path, dict[str, str]]) -> Path | None:
    """The sidecar of an image ("Harbour.TXT" too, as a folder scan finds it). `sidecars` holds
    each folder's sidecars already looked up, so images dropped from one folder scan it once."""
    exact = image.with_name(image.stem + SIDECAR_SUFFIX)
    if is_regular_file(exact):  # found even in a folder bigger than what a scan looks at
        return exact
    folder = image.parent
    if folder not in sidecars:
        try:
            with os.scandir(folder) as scan:
                sidecars[folder] = _regular_sidecars(itertools.islice(scan, MAX_FOLDER_ENTRIES))
        except (OSError, ValueError):
            sidecars[folder] = {}
    name = sidecars[folder].get((image.stem + SIDECAR_SUFFIX).lower())
    return folder / name if name else None


def _image_beside(sidecar: Path, given: set[str]) -> bool:
    stem = sidecar.stem.lower()
    return any(Path(other).parent == sidecar.parent and Path(other).stem.lower() == stem and is_image_name(other)
               for other in given)
