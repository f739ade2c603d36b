# Firstline. `make run` starts the app with an in-process service (dev mode);
# `make test` runs every check CI runs. Both install their own prerequisites.
SHELL := /bin/bash
GO    ?= go
BIN   := bin

.PHONY: run test build bench deps assets clean e2e-tray e2e-systemd

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	@scripts/deps.sh build
	$(GO) build -buildvcs=auto -o $(BIN)/firstline .
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -trimpath -o $(BIN)/firstline-service ./service/cmd/firstline-service

# Speed and memory: LocalAPI latency, idle service and idle tray app.
bench:
	@scripts/bench.sh

e2e-tray:
	@scripts/tray-e2e.sh

e2e-systemd:
	@bash test/systemd/e2e.sh

# Regenerate the PNG/ICO icons after editing assets/src/*.svg.
assets:
	@assets/generate.sh

clean:
	rm -rf $(BIN) out
