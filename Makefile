# Firstline. `make run` starts the app with an in-process service (dev mode);
# `make test` runs every check CI runs. Both install their own prerequisites.
SHELL := /bin/bash
GO    ?= go
BIN   := bin

.PHONY: run test build cross bench deps assets clean e2e-tray e2e-systemd

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	@scripts/deps.sh build
	$(GO) build -buildvcs=auto -o $(BIN)/firstline .
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -trimpath -o $(BIN)/firstline-service ./service/cmd/firstline-service

# Windows and macOS binaries from Linux: the service for both (pure Go), the
# tray app for Windows (cgo through MinGW; macOS needs a Mac for the app).
cross:
	@scripts/deps.sh test
	CGO_ENABLED=0 GOOS=windows $(GO) build -buildvcs=auto -trimpath -o $(BIN)/windows/firstline-service.exe ./service/cmd/firstline-service
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -buildvcs=auto -trimpath -o $(BIN)/darwin/firstline-service ./service/cmd/firstline-service
	CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows $(GO) build -buildvcs=auto -ldflags -H=windowsgui -o $(BIN)/windows/firstline.exe .

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
