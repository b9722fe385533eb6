# The meshop operator image (docs/adr/0010-operator-image.md). `make docker-build IMG=...` builds it.
# Node runs the TypeScript sources as they are (type stripping, ADR 0003): the image holds src/, production
# node_modules, the chart engine (WebAssembly) and Istio's release data (charts, profiles, API definitions) for every
# catalogued version that can be built, checked against the SHA-256 sums pinned in src/catalog/versions.ts.

# Go fetches the istio.io/istio module and the API modules it names (checked against Go's checksum database)
# for `meshop artifacts build`.
FROM golang:1.26.8-trixie AS go

FROM node:24.21.0-trixie-slim AS build
WORKDIR /app
COPY --from=go /usr/local/go /usr/local/go
# The slim image has no CA bundle of its own; Go needs one to reach the module proxy.
COPY --from=go /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PATH=/usr/local/go/bin:$PATH
COPY package.json package-lock.json ./
# No install scripts: no production dependency needs one, and none runs unreviewed.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY hack/image-artifacts.ts hack/build-engine.sh ./hack/
# The chart engine's Go sources (ADR 0014): `meshop artifacts build` compiles them to WebAssembly and puts the
# engine beside the releases' artifacts, so the operator renders charts with no Go in its image.
COPY engine ./engine
# Builds each release's artifacts and loads them back, which fails on any file whose checksum differs from the
# catalog, and leaves the validation schemas made from each release's API definitions beside them, so the
# operator never parses the definitions at start.
RUN node hack/image-artifacts.ts /opt/meshop/istio-artifacts

FROM node:24.21.0-trixie-slim
ENV NODE_ENV=production
WORKDIR /app
# Everything is owned by root and only readable by the operator's user: it runs with a read-only root
# filesystem and writes nothing.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /opt/meshop/istio-artifacts /opt/meshop/istio-artifacts
# Numeric, so Kubernetes can verify runAsNonRoot without a passwd entry; the installer's runAsUser matches.
USER 65532:65532
# /healthz and /readyz (--health-probe-bind-address); /metrics stays on the pod's loopback unless
# --metrics-bind-address says otherwise.
EXPOSE 8081
HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8081/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "src/main.ts", "--istio-artifacts=/opt/meshop/istio-artifacts"]
