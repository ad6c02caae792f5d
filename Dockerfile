# One image, started as different services (api, bot) by docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY api/package.json api/
COPY bot/package.json bot/
COPY moderation-ui/package.json moderation-ui/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
RUN if [ -f moderation-ui/index.html ]; then npm run build -w moderation-ui; fi
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/src/main.ts"]
