# The two commands a newcomer needs:
#   make demo   set up (first time only), then run the quickstart notebook into reports/
#   make test   set up (first time only), then run the whole test suite
.PHONY: demo test setup build bench lint

DEMO ?= notebooks/quickstart.md

demo:
	scripts/setup
	.build/release/synthlab run $(DEMO)

test:
	scripts/setup --no-build
	swift test

setup:
	scripts/setup

build:
	swift build -c release --product synthlab

bench:
	scripts/setup --bench
	bench/run

# Style report against the repository's .swift-format (advisory: prints warnings, never fails).
lint:
	swift format lint --recursive --configuration .swift-format Sources Tests || true
