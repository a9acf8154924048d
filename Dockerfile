# syntax=docker/dockerfile:1
# The SPI for Sitoo POS (apps/api).
# Build from the repository root (the context needs the workspaces this app depends on):
#   docker build -f apps/api/Dockerfile -t sitoo-payments/api .
# Stateless: run as many as you like behind a load balancer (docs/operators/production.md).
#
# prune:   `turbo prune` keeps only the workspaces @payments/api needs, manifests apart from sources
# build:   npm ci on the manifests (a cached layer until a dependency changes), then tsc via turbo
# runtime: production dependencies and dist/ only, run as the unprivileged `node` user
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS prune
WORKDIR /repo
# Turborepo's telemetry off, as in the project's scripts.
ENV TURBO_TELEMETRY_DISABLED=1
RUN npm install --global --no-audit --no-fund turbo@2.11.11
COPY . .
RUN turbo prune @payments/api --docker --out-dir /pruned

FROM ${NODE_IMAGE} AS build
WORKDIR /repo
ENV TURBO_TELEMETRY_DISABLED=1
COPY --from=prune /pruned/json/ ./
RUN npm ci --no-audit --no-fund
COPY --from=prune /pruned/full/ ./
# turbo prune does not carry root files other than package.json and turbo.json.
COPY tsconfig.base.json ./
RUN npx --no -- turbo run build --filter=@payments/api... \
 && npm prune --omit=dev --no-audit --no-fund \
 && find apps packages -mindepth 2 -maxdepth 2 \( -name src -o -name .turbo -o -name '*.tsbuildinfo' \) -exec rm -rf {} +

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root, so the process can read its code but not change it.
COPY --from=build /repo ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/api/dist/main.js"]
