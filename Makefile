# AzureCni build, package, test and benchmark targets. See README.md.
VERSION ?= 1.0.0
ARCH    := amd64
OUTPUT  := output
BIN     := $(OUTPUT)/bin
ARCHIVE := $(OUTPUT)/azure-vnet-cni-linux-$(ARCH)-v$(VERSION).tgz
PUBLISH := dotnet publish -c Release -nologo -p:Version=$(VERSION) -warnaserror

.PHONY: all deps azure-vnet azure-vnet-ipam azure-cni-plugins test demo fuzz bench bench-ci bench-gate bench-coldstart bench-datapath soak clean

all: azure-cni-plugins

azure-vnet:
	$(PUBLISH) src/Plugins/azure-vnet -o $(OUTPUT)/obj/azure-vnet
	install -D -m 0755 $(OUTPUT)/obj/azure-vnet/azure-vnet $(BIN)/azure-vnet

azure-vnet-ipam:
	$(PUBLISH) src/Plugins/azure-vnet-ipam -o $(OUTPUT)/obj/azure-vnet-ipam
	install -D -m 0755 $(OUTPUT)/obj/azure-vnet-ipam/azure-vnet-ipam $(BIN)/azure-vnet-ipam

# Both plugins and the sample conflist, packed flat like the upstream release archive.
azure-cni-plugins: azure-vnet azure-vnet-ipam
	install -m 0644 config/10-azure.conflist $(BIN)/10-azure.conflist
	tar -C $(BIN) -czf $(ARCHIVE) azure-vnet azure-vnet-ipam 10-azure.conflist
	@echo "$(ARCHIVE)"

# The Debian packages test and demo need, the missing ones installed (root); stops, changing nothing, otherwise.
deps:
	scripts/install-deps.sh

# The test command of the README and of CI: every test project, the privileged ones included when root.
test: deps azure-vnet azure-vnet-ipam
	AZURE_CNI_BIN_DIR=$(CURDIR)/$(BIN) scripts/run-tests.sh

# The newcomer's tour (root): two simulated Azure nodes in namespaces, three pods through the real libcni
# runtime, their addresses and pings, then DEL and a full teardown. See scripts/demo.sh.
demo: deps azure-vnet azure-vnet-ipam
	scripts/demo.sh $(BIN)

# Coverage-guided fuzzing of every reader of untrusted bytes (SharpFuzz-instrumented harness under afl-fuzz):
# FUZZ_SECONDS per target (default 600), FUZZ_TARGETS to pick some (default all), FUZZ_JOBS at a time (default 1);
# findings in output/fuzz. See scripts/fuzz.sh.
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_JOBS=$(FUZZ_JOBS) scripts/fuzz.sh

# A short BenchmarkDotNet job of every in-process benchmark, then the whole-process cold-start comparison.
bench: azure-vnet azure-vnet-ipam
	dotnet run -c Release --project benchmarks/AzureCni.Benchmarks -- --filter '*' --job short --memory
	scripts/bench-coldstart.sh $(BIN)
	scripts/bench-datapath.sh $(BIN)

bench-coldstart: azure-vnet azure-vnet-ipam
	scripts/bench-coldstart.sh $(BIN)

# The instruction-count gate (root): each call of benchmarks/budgets.json under callgrind, measured against its
# budget; fails when one is more than 5 % over. See scripts/bench-gate.sh.
bench-gate: deps azure-vnet azure-vnet-ipam
	scripts/bench-gate.sh $(BIN)

# ADD+DEL of a pod in a simulated node: azure-vnet (transparent) against bridge + host-local (root).
bench-datapath: azure-vnet azure-vnet-ipam
	scripts/bench-datapath.sh $(BIN)

# 10,000 ADD/DEL cycles with 20 pods live on one simulated node, at most 20 minutes (root; not part of make test).
soak: azure-vnet azure-vnet-ipam
	scripts/soak.sh $(BIN)

clean:
	rm -rf $(OUTPUT)
	dotnet clean -nologo -v q AzureCni.sln

# What CI runs after the tests: the in-process benchmarks as a one-shot dry job and a short cold-start table.
bench-ci: azure-vnet azure-vnet-ipam
	dotnet run -c Release --project benchmarks/AzureCni.Benchmarks -- --filter '*' --job dry --memory
	scripts/bench-coldstart.sh $(BIN) 50
