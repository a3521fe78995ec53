# frappe-mcp-gateway: a small production image (no dev dependencies, runs as the node user).
FROM node:20-slim AS build
# better-sqlite3 is compiled from source where no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.yaml ./
# The demo desk page and the Awesome Bar script, served only when no FRAPPE_URL is set.
COPY src/demo ./src/demo
COPY frappe_app/frappe_mcp_gateway/public/js ./frappe_app/frappe_mcp_gateway/public/js
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=50", "--single-threaded", "--no-memory-reducer", "dist/index.js"]
