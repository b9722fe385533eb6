# meshop's Makefile: kubebuilder's target names, each a one-line call to an npm script or a script under hack/
# or test/cluster/. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /usr/bin/env bash
NPM := PATH="$(CURDIR)/node_modules/.bin:$$PATH" npm

##@ General
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

deps: ## Install what the project needs (Debian tools, Node 24 and npm packages).
	bash hack/deps.sh

##@ Development
manifests: deps ## Generate the CRD and config/ manifests from the TypeScript API types.
	$(NPM) run manifests

generate: manifests ## Generate code and manifests (the CRD is the only generated artefact).

fmt: deps ## Format the code (prettier, eslint --fix).
	$(NPM) run fmt

lint: deps ## Lint: eslint (type-checked), prettier --check, tsc --noEmit.
	$(NPM) run lint

build: deps ## Compile src/ to dist/.
	$(NPM) run build

test: ## Run every test: unit and integration, on a real local control plane (builds it once per machine).
	bash hack/test.sh

test-e2e: ## Run the end-to-end tests (the operator as a process, driven by the CLI and kubectl).
	bash hack/test.sh 'test/e2e/**/*.test.ts'

bench: deps ## Run the benchmarks in bench/ and print medians and ratios.
	$(NPM) run bench

run: ## The main job: bring up the local control plane when no KUBECONFIG is given, then run against it.
	bash hack/run.sh

##@ Local control plane
cluster-build: ## Build (once per machine, cached) the pinned control-plane binaries.
	bash test/cluster/build.sh

cluster-up: deps ## Start a local control plane on loopback and print `export KUBECONFIG=...`.
	bash test/cluster/build.sh >/dev/null && $(NPM) run --silent cluster:up

cluster-down: deps ## Stop the local control plane that cluster-up started.
	$(NPM) run --silent cluster:down

##@ Deployment
install: deps ## Install the CRDs into the cluster of the current kubeconfig.
	$(NPM) run --silent install-crds

uninstall: deps ## Remove the CRDs from the cluster (and with them every MeshConfig).
	$(NPM) run --silent uninstall-crds

deploy: deps ## Deploy the operator to the cluster of the current kubeconfig.
	$(NPM) run --silent deploy

undeploy: deps ## Remove the operator from the cluster.
	$(NPM) run --silent undeploy

build-installer: deps ## Write dist/install.yaml (namespace, CRD, RBAC, Deployment).
	$(NPM) run --silent build-installer

.PHONY: help deps manifests generate fmt lint build test test-e2e bench run cluster-build cluster-up cluster-down \
	install uninstall deploy undeploy build-installer
