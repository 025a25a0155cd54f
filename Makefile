# actlumos: every command creates or reuses .venv/ first (tools/setup_env.sh).
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help venv demo test test-slow test-lab gpu-check lab docs export clean readme figures

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

venv:  ## create or reuse .venv with actlumos (editable) and everything it needs
	@bash tools/setup_env.sh

demo: venv  ## README command 1: run the default pipeline on the generated DarkSynth data
	@bash tools/demo.sh

test: venv  ## README command 2: every notebook (nbdev_test), repo checks, docs build; ends with a count line
	@bash tools/test.sh

test-slow: venv  ## the slow checks: notebooks' `#| slow` cells (paper-preset models, real ARID clips) and the paper-preset smoke run (tests marked slow)
	@bash tools/test_slow.sh
	$(BIN)/python -m pytest tests -m slow

gpu-check: venv  ## on a GPU: paper-preset bf16 train/infer speed, MFU, memory, 2-step DDP -> figures/gpu_check.json
	$(BIN)/python benchmarks/gpu_check.py

test-lab: venv  ## the JupyterLab browser test (not in `make test`: ~6 min): 02_dff and 05_distill run live in headless Chromium
	@TESTS=tests/test_lab_browser.py bash tools/test.sh -s

lab: venv  ## open JupyterLab on the notebooks (IP=, PORT=, LAB_TOKEN=, LAB_ARGS=); prints the URL with its token
	@bash tools/lab.sh

docs: venv  ## build the documentation site into _site/
	$(BIN)/python tools/build_docs.py site

export: venv  ## notebooks -> actlumos/
	$(BIN)/nbdev_export

clean: venv  ## strip execution counts and metadata from the notebooks (keeps papermill tags)
	$(BIN)/nbdev_clean

readme: venv  ## README.md from nbs/index.ipynb
	$(BIN)/python tools/build_docs.py readme

figures: venv  ## re-execute every notebook in place (refreshes outputs and figures/), then clean
	cd nbs && for nb in [0-9]*.ipynb index.ipynb; do echo "running $$nb"; \
	  ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=-1 $$nb || exit 1; done
	$(BIN)/nbdev_clean
