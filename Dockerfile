# One image, started as different services (migrate, keys-init, api, worker, bot) by docker-compose.yml.
# Three stages: `build` has every dependency and runs `npm run build` (the moderation UI, then
# dist/api.js, dist/bot.js and dist/cli.js with the files they load); `deps` installs the
# production dependencies only; the final image holds node, those and dist/, nothing else:
# no TypeScript, no sources, no dev dependencies, run as the unprivileged user `node`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY api/package.json api/
COPY bot/package.json bot/
COPY emulators/package.json emulators/
COPY moderation-ui/package.json moderation-ui/
COPY tests/package.json tests/

FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM manifests AS deps
# The workspaces that run in production; their links in node_modules/@tinbao would point at
# sources the image does not have (the bundles hold that code).
RUN npm ci --omit=dev --no-audit --no-fund -w shared -w api -w bot \
  && rm -rf node_modules/@tinbao \
  && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read-only to the process: a compromised api or gateway cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The volumes' mount points, owned by `node` with mode 0700, so a new named volume mounted there
# starts writable by the process and by no one else (the public key's copy is readable: 0755).
RUN mkdir -p /data /keys /gateway-keys /bot-data /org-public-key \
  && chown node:node /data /keys /gateway-keys /bot-data /org-public-key \
  && chmod 0700 /data /keys /gateway-keys /bot-data \
  && chmod 0755 /org-public-key
USER node
EXPOSE 3000 8090 8443 8444
CMD ["node", "dist/api.js"]
