# Multi-stage build of the chainmap binary: web assets (npm), then Go, then a minimal runtime image.
FROM node:22-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
# The map's boundaries are checked against the curated GB/T 2260 regions (web/regions-geo.mjs).
COPY seeds/regions.yaml /src/seeds/regions.yaml
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/web/dist ./web/dist
# The build context has no .git: say which build this is (`docker build --build-arg VERSION=$(git describe
# --tags --always) --build-arg COMMIT=$(git rev-parse HEAD) .`); `chainmap version` and /metrics show it.
ARG VERSION=dev
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o /out/chainmap ./cmd/chainmap

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/chainmap /chainmap
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
ENTRYPOINT ["/chainmap"]
CMD ["serve"]
