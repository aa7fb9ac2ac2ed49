# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := src/yuanqu/static/vendor

.PHONY: run test lint typecheck pytest bench assets deps pdf-deps browser clean

$(BIN)/yuanqu: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "yuanqu needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

deps: $(BIN)/yuanqu

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The Chinese web font (Noto Sans SC), regular and bold only, in the slices the browser fetches
# by unicode-range; the .woff fallbacks are left out (every supported browser reads .woff2).
FONT := node_modules/@fontsource/noto-sans-sc
FONT_WEIGHTS := 400 700

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/fonts
	cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	for weight in $(FONT_WEIGHTS); do cp $(FONT)/files/noto-sans-sc-*-$$weight-normal.woff2 $(VENDOR)/fonts/; done
	for weight in $(FONT_WEIGHTS); do cat $(FONT)/$$weight.css; done \
		| sed -e 's#url(./files/#url(./#g' -e "s#, url([^)]*\.woff) format('woff')##g" > $(VENDOR)/fonts/noto-sans-sc.css
	cp $(FONT)/LICENSE $(VENDOR)/fonts/LICENSE
	touch $@

assets: $(VENDOR)/.copied

# The work report's PDF (WeasyPrint) needs Pango and CJK fonts from Debian: Noto Serif/Sans CJK SC
# and AR PL UKai (楷体); poppler-utils turns PDF pages into PNG to look at them (and the tests read
# the PDF's fonts with fontconfig). Installed the way the browser tests' chromium is.
PDF_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0 fontconfig poppler-utils
pdf-deps:
	(fc-list ':lang=zh' family 2>/dev/null | grep -q 'Noto Serif CJK SC' && fc-list ':lang=zh' family | grep -q 'AR PL UKai CN' \
		&& test -x /usr/bin/pdftoppm) || (apt-get update -qq && apt-get install -y -qq $(PDF_PACKAGES))

run: deps assets
	@$(MAKE) --no-print-directory pdf-deps || echo "未能安装中文字体：工作报告暂不能导出 PDF（见 README“工作报告”）"
	$(BIN)/yuanqu migrate --no-input
	$(BIN)/yuanqu demo load
	@# runserver serves the static files only with DEBUG or --insecure; production uses
	@# collectstatic behind a web server (see README, "Deploying for many users").
	@echo "用上面列出的演示用户登录 http://$(HOST):$(PORT)/ （按 Ctrl+C 停止）"
	$(BIN)/yuanqu runserver --insecure $(HOST):$(PORT)

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: deps
	$(BIN)/mypy src

pytest: deps assets pdf-deps
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/yuanqu makemigrations --check --dry-run
	$(BIN)/pytest

test: lint typecheck pytest

bench: deps
	$(BIN)/python bench/scorecard.py
	$(BIN)/python bench/textmine.py
	$(BIN)/python bench/http_load.py
	$(BIN)/python bench/service.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles .pytest_cache .mypy_cache .ruff_cache
