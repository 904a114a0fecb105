# Multi-stage build: compile in the Rust image, run as a non-root user in a slim Debian.
FROM rust:1.95-bookworm AS build
# npm installs GraphiQL's pinned bundles, which api/build.rs embeds in the binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p mosaic

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/mosaic --create-home mosaic
COPY --from=build /src/target/release/mosaic /usr/local/bin/mosaic
USER mosaic
WORKDIR /var/lib/mosaic
ENV MOSAIC_BIND=0.0.0.0:8080 MOSAIC_ENV=production
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/mosaic"]
CMD ["serve"]
