# The meshop operator image (docs/adr/0010-operator-image.md, 0022). `make docker-build IMG=...` builds it.
# The build stage bundles the operator into plain JavaScript (hack/bundle.ts) and builds Istio's release data
# (charts, profiles, API definitions) for every catalogued version that can be built, checked against the SHA-256
# sums pinned in src/catalog/versions.ts. The final stage is a root filesystem of node, the libraries it links,
# that JavaScript and the release data: no shell, no npm, no package manager.
#
# Base images are pinned by tag and digest (the multi-platform index digest); update both together.

# Go fetches the istio.io/istio module and the API modules it names (checked against Go's checksum database)
# for `meshop artifacts build`.
FROM golang:1.26.8-trixie@sha256:bdca99a00bc16590cb1a0bb4e698f5fc5d6a64e4d5eef13d9f18a0ee08e5fa65 AS go

FROM node:24.21.0-trixie-slim@sha256:8ec5d7557396cfe32d21c3f9c13072355ceab22b584578ca4bb28af31120cffe AS build
WORKDIR /app
COPY --from=go /usr/local/go /usr/local/go
# The slim image has no CA bundle of its own; Go needs one to reach the module proxy.
COPY --from=go /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PATH=/usr/local/go/bin:$PATH
COPY package.json package-lock.json ./
# Development dependencies too: the bundler is one. No install scripts: none is needed, and none runs unreviewed.
RUN npm ci --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY hack/bundle.ts hack/image-artifacts.ts hack/image-rootfs.sh hack/build-engine.sh ./hack/
# The chart engine's Go sources (ADR 0014): `meshop artifacts build` compiles them to WebAssembly and puts the
# engine beside the releases' artifacts, so the operator renders charts with no Go in its image.
COPY engine ./engine
RUN node hack/bundle.ts
# Builds each release's artifacts and loads them back, which fails on any file whose checksum differs from the
# catalog, and leaves the validation schemas made from each release's API definitions beside them, so the
# operator never parses the definitions at start.
RUN node hack/image-artifacts.ts /opt/meshop/istio-artifacts
RUN bash hack/image-rootfs.sh /rootfs /app

FROM scratch
ENV NODE_ENV=production
# Everything is owned by root and only readable by the operator's user: it runs with a read-only root
# filesystem and writes nothing.
COPY --from=build /rootfs /
COPY --from=build /opt/meshop/istio-artifacts /opt/meshop/istio-artifacts
WORKDIR /app
# Numeric, so Kubernetes can verify runAsNonRoot without a passwd entry; the installer's runAsUser matches.
USER 65532:65532
# /healthz and /readyz (--health-probe-bind-address); /metrics stays on the pod's loopback unless
# --metrics-bind-address says otherwise.
EXPOSE 8081
HEALTHCHECK CMD ["/usr/local/bin/node", "-e", "fetch('http://127.0.0.1:8081/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/local/bin/node", "--max-semi-space-size=4", "--expose-gc", "dist/js/main.js", "--istio-artifacts=/opt/meshop/istio-artifacts"]
