# meshop's Makefile: kubebuilder's target names, each a one-line call to an npm script or a script under hack/
# or test/cluster/. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /usr/bin/env bash
NPM := PATH="$(CURDIR)/node_modules/.bin:$$PATH" npm
# The operator image: build-installer, deploy and docker-build use it (the installer's default, src/installer).
IMG ?= ghcr.io/meshop/meshop-operator:0.1.0
export IMG

##@ General
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

deps: ## Install what the project needs (Debian tools, Node 24 and npm packages).
	bash hack/deps.sh

##@ Development
manifests: deps ## Generate the CRD and config/ from src/api and src/installer.
	$(NPM) run manifests

generate: manifests ## Generate code and manifests (the CRD and config/ are the only generated files).

fmt: deps ## Format the code (prettier, eslint --fix).
	$(NPM) run fmt

lint: deps ## Lint: eslint (type-checked), prettier --check, tsc --noEmit.
	$(NPM) run lint

build: deps ## Bundle the CLI and the operator into dist/js (what the image and a release ship).
	$(NPM) run build

test: ## Run every test: unit and integration, on a real local control plane (builds it once per machine).
	bash hack/test.sh

test-e2e: ## Run the end-to-end tests (the operator as a process, driven by the CLI and kubectl).
	bash hack/test.sh 'test/e2e/**/*.test.ts'

chaos: ## Kill the operator at random points of every phase, many more times than the suite does (a soak).
	MESHOP_CHAOS_KILLS=$${MESHOP_CHAOS_KILLS:-200} bash hack/test.sh 'test/chaos/**/*.test.ts'

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
install: deps ## Apply the CRD (config/crd) server-side to the current kubeconfig's cluster.
	$(NPM) run --silent install-crds

uninstall: deps ## Remove the CRD from the cluster; refused while a MeshConfig exists.
	$(NPM) run --silent uninstall-crds

deploy: deps ## Build dist/install.yaml with IMG and apply it server-side to the current kubeconfig's cluster.
	$(NPM) run --silent deploy

undeploy: deps ## Remove the operator (namespace, RBAC, Deployment); the CRD and MeshConfigs stay.
	$(NPM) run --silent undeploy

build-installer: deps ## Write dist/install.yaml (namespace, CRD, RBAC, Deployment) with image IMG.
	$(NPM) run --silent build-installer

docker-build: ## Build the operator image IMG with docker or podman (Dockerfile).
	bash hack/docker-build.sh

.PHONY: help deps manifests generate fmt lint build test test-e2e chaos bench run cluster-build cluster-up cluster-down \
	install uninstall deploy undeploy build-installer docker-build
