# Two commands matter: `make run` and `make test`. Both set up what is missing first.
# `make lint` runs the static checks alone; `make test` runs them first, then the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# What Qt (xcb + multimedia), the headless test run and the video checks need on Debian/Ubuntu
# (a Chinese font too: the zh_CN screenshots and button-width checks need real glyphs).
SYSTEM_PACKAGES := libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 \
	libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	xvfb xauth dbus gnome-keyring libsecret-tools ffmpeg xdotool imagemagick \
	fonts-wqy-microhei

# What `make package` needs on top: objdump and strip, the desktop-file and AppStream validators,
# and the shared libpython the frozen app embeds (Debian's python3 is linked statically).
PACKAGING_PACKAGES = binutils desktop-file-utils appstream \
	libpython$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# The static checks, each configured in pyproject.toml: style and likely bugs, types, who may
# import whom, dead code. All of them run; the target fails if any one does.
LINTERS := "ruff check --output-format concise ." mypy lint-imports vulture

# Translations: resources/<catalog>_<language>.ts are the sources (kept in git, edited with Qt
# Linguist or by hand); the .qm files the app loads are built from them. `make strings` refreshes
# the .ts from the code (new words come in unfinished; tests/unit/test_translations.py fails on
# them until translated). The English catalog holds only the plural forms of the %n words.
# Words gone from the code stay in the .ts as "vanished", translation kept: a wording that comes
# back, or a word translated before its code landed, is finished at once. To drop them:
# `make strings LUPDATE_ARGS=-no-obsolete`.
TS_FILES := $(wildcard resources/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
LUPDATE := $(VENV)/bin/pyside6-lupdate -extensions py -locations none $(LUPDATE_ARGS)

.PHONY: run test lint fix bench package packaging-deps system-deps venv clean simulator translations strings

run: venv translations
	$(PY) -m vidu_desktop $(ARGS)

# The suite builds and checks the frozen app too (tests/packaging), so it needs the same tools.
# Lint first: a failing check stops the run before the (long) suite starts.
test: venv packaging-deps translations
	@$(MAKE) --no-print-directory lint
	tests/run-headless.sh $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	@failed=; for tool in $(LINTERS); do \
		echo "--- $$tool"; \
		$(VENV)/bin/$$tool || failed="$$failed $${tool%% *}"; \
	done; \
	if [ -n "$$failed" ]; then echo "--- lint failed:$$failed"; exit 1; fi; \
	echo "--- lint passed"

# What ruff can mend by itself (import order, pyupgrade, unused noqa); review the diff.
fix: venv
	$(VENV)/bin/ruff check --fix .

bench: venv
	tests/run-headless.sh $(PY) -m pytest tests/benchmarks -s $(PYTEST_ARGS)

simulator: venv
	$(PY) -m vidu_desktop.simulator $(ARGS)

# The frozen app in dist/vidu-desktop/, and on Linux dist/*.deb and dist/*.tar.gz (see packaging/).
# ARGS=--console keeps a console for debugging.
package: venv packaging-deps translations
	$(PY) packaging/build.py $(ARGS)

packaging-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(PACKAGING_PACKAGES)"

translations: $(QM_FILES)

resources/%.qm: resources/%.ts | $(STAMP)
	@$(VENV)/bin/pyside6-lrelease -silent $< -qm $@ && echo "Built the translation $@"

strings: venv
	$(LUPDATE) vidu_desktop -source-language en -target-language zh_CN -ts resources/vidu_desktop_zh_CN.ts
	$(LUPDATE) vidu_desktop -source-language en -target-language en -pluralonly -ts resources/vidu_desktop_en.ts
	@$(PY) -c 'import sys, pathlib; from vidu_desktop.ui.i18n import read_ts; \
		todo = {ts: [m for m in read_ts(ts) if not m.finished and not m.obsolete] \
			for ts in sorted(pathlib.Path("resources").glob("*.ts"))}; \
		[print(f"{len(left)} to translate in {ts}", *(f"  [{m.context}] {m.source}" for m in left), sep="\n") \
			for ts, left in todo.items() if left]'
	@$(MAKE) --no-print-directory translations

venv: system-deps $(STAMP)

# Says what it does: the first run downloads a few hundred MB (Qt) and would otherwise look stuck.
# pip's own lines are filtered to what it fetches and installs; all of them are in pip.log.
$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then echo "Creating the virtual environment in $(VENV)/ …"; $(PYTHON) -m venv $(VENV); fi
	@echo "Updating pip in $(VENV)/ …"
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "Installing Python packages ($$($(PY) -c 'import re, tomllib; \
		print(", ".join(re.split("[^A-Za-z0-9_.-]", d)[0] for d in \
		tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))') and the test tools)" \
		"into $(VENV)/: about a minute the first time …"
	@set -o pipefail; $(PY) -m pip install -e '.[test]' 2>&1 | tee $(VENV)/pip.log \
		| { grep --line-buffered -E '^ *(Collecting|Downloading|Installing collected|Successfully installed)' || true; } \
		|| { echo "pip failed; the end of $(VENV)/pip.log:"; tail -n 30 $(VENV)/pip.log; exit 1; }
	@touch $@
	@echo "Python packages installed in $(VENV)/."

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "Not a Debian/Ubuntu system: install the equivalents of: $$missing"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing system packages (a few minutes the first time): $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing system packages. Run:"; \
		echo "  sudo apt-get install -y --no-install-recommends $$missing"; exit 1; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info resources/*.qm .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .hypothesis \
		test-artifacts
