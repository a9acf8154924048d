# syntax=docker/dockerfile:1
# The three apps' images, one target each. Build from the repository root, naming the app twice:
# as the target (its runtime settings) and as APP (the workspaces pruned and built for it).
#   docker build --target api       --build-arg APP=api       -t sitoo-payments/api .
#   docker build --target worker    --build-arg APP=worker    -t sitoo-payments/worker .
#   docker build --target simulator --build-arg APP=simulator -t sitoo-payments/simulator .
# deploy/compose.yaml does the same for each service.
#
# prune:   `turbo prune` keeps only the workspaces @payments/$APP needs, manifests apart from sources
# build:   npm ci on the manifests (a cached layer until a dependency changes), then tsc via turbo
# runtime: production dependencies and dist/ only, run as the unprivileged `node` user
# api, worker, simulator: what differs per app (listen address, health check, entry point); each
#          first checks that its app was the one built, so a target and an APP that differ fail
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS prune
ARG APP
WORKDIR /repo
# Turborepo's telemetry off, as in the project's scripts.
ENV TURBO_TELEMETRY_DISABLED=1
RUN test -n "$APP" || { echo 'set --build-arg APP=api|worker|simulator, the same as --target' >&2; exit 1; }
RUN npm install --global --no-audit --no-fund turbo@2.11.11
COPY . .
RUN turbo prune "@payments/${APP}" --docker --out-dir /pruned

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
ENV TURBO_TELEMETRY_DISABLED=1
COPY --from=prune /pruned/json/ ./
RUN npm ci --no-audit --no-fund
COPY --from=prune /pruned/full/ ./
# turbo prune does not carry root files other than package.json and turbo.json.
COPY tsconfig.base.json ./
RUN npx --no -- turbo run build "--filter=@payments/${APP}..." \
 && npm prune --omit=dev --no-audit --no-fund \
 && find apps packages -mindepth 2 -maxdepth 2 \( -name src -o -name .turbo -o -name '*.tsbuildinfo' \) -exec rm -rf {} +

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, so the process can read its code but not change it.
COPY --from=build /repo ./
USER node

# The SPI for Sitoo POS. Stateless: run as many as you like behind a load balancer
# (docs/operators/production.md).
FROM runtime AS api
RUN test -f apps/api/dist/main.js || { echo 'the api target needs --build-arg APP=api' >&2; exit 1; }
ENV HOST=0.0.0.0 \
    PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/api/dist/main.js"]

# The Temporal worker: payment workflows and activities. glibc (Debian) base: the Temporal SDK
# ships its native core for linux-gnu x64/arm64, not for musl (Alpine). Give it time to finish
# in-flight tasks on stop: docker stop --time 30 (compose: stop_grace_period).
FROM runtime AS worker
RUN test -f apps/worker/dist/main.js || { echo 'the worker target needs --build-arg APP=worker' >&2; exit 1; }
ENV WORKER_METRICS_HOST=0.0.0.0 \
    WORKER_METRICS_PORT=9464 \
    RECONCILIATION_REPORT_DIR=/reports
# The daily reconciliation's reports (docs/operators/reconciliation.md): writable by the
# unprivileged user; share one volume between the workers, any of them may write a day's report.
USER root
RUN mkdir -p /reports && chown node:node /reports
USER node
VOLUME ["/reports"]
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_METRICS_PORT || 9464) + '/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/worker/dist/main.js"]

# The acquirer / card terminal / wallet stand-in; for test and demo stacks only, never
# production: it stands in for a real acquirer.
FROM runtime AS simulator
RUN test -f apps/simulator/dist/main.js || { echo 'the simulator target needs --build-arg APP=simulator' >&2; exit 1; }
ENV SIM_HOST=0.0.0.0 \
    SIM_PORT=3100 \
    DATA_DIR=/data
# The ledger lives in DATA_DIR; the unprivileged user must be able to write there.
USER root
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3100
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SIM_PORT || 3100) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/simulator/dist/main.js"]
