"""Checks docker-compose.yml and the Dockerfile without a Docker engine: structure, references
between services, volumes and build stages, and that every variable given to Mosaic is one it
reads (from api/src/config.rs). Exits 1 listing every problem found."""
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
problems: list[str] = []


def need(condition: bool, message: str) -> None:
    if not condition:
        problems.append(message)


def known_variables() -> set[str]:
    config = (ROOT / "api/src/config.rs").read_text(encoding="utf-8")
    return set(re.findall(r'env = "([A-Z0-9_]+)"', config)) | {"RUST_LOG"}


def check_compose() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    need({"postgres", "mosaic"} <= set(services), "services postgres and mosaic exist")

    pg = services.get("postgres", {})
    need(bool(pg.get("image", "").startswith("postgres:")), "postgres runs a pinned postgres image")
    need(bool(pg.get("healthcheck", {}).get("test")), "postgres has a healthcheck")
    mounts = [v.split(":")[0] for v in pg.get("volumes", []) if isinstance(v, str)]
    data = [v for v in pg.get("volumes", []) if isinstance(v, str) and v.endswith(":/var/lib/postgresql/data")]
    need(bool(data), "postgres keeps /var/lib/postgresql/data on a volume")
    for name in mounts:
        need(name in volumes or name.startswith((".", "/")), f"volume `{name}` is declared")

    app = services.get("mosaic", {})
    build = app.get("build", {})
    context = ROOT / build.get("context", ".")
    dockerfile = context / build.get("dockerfile", "Dockerfile")
    need(dockerfile.is_file(), f"mosaic is built from an existing Dockerfile ({dockerfile})")
    depends = app.get("depends_on", {})
    need(
        isinstance(depends, dict) and depends.get("postgres", {}).get("condition") == "service_healthy",
        "mosaic waits for postgres to be healthy",
    )
    env = app.get("environment", {})
    need(isinstance(env, dict), "mosaic's environment is a mapping")
    env = env if isinstance(env, dict) else {}
    need(env.get("MOSAIC_ENV") == "production", "mosaic runs with MOSAIC_ENV=production")
    known = known_variables()
    for name in env:
        need(name in known, f"`{name}` is a variable Mosaic reads")
    url = str(env.get("DATABASE_URL", ""))
    host = re.search(r"@([A-Za-z0-9_.-]+)(:\d+)?/", url)
    need(bool(host) and host.group(1) in services, "DATABASE_URL points at a compose service")
    need(url.startswith("postgres://"), "DATABASE_URL is a PostgreSQL URL")
    need("${MOSAIC_JWT_SECRET" in str(env.get("MOSAIC_JWT_SECRET", "")), "the JWT secret comes from the environment")
    bind_port = str(env.get("MOSAIC_BIND", ":8080")).rsplit(":", 1)[-1]
    published = [str(p).rsplit(":", 1)[-1] for p in app.get("ports", [])]
    need(bind_port in published, f"the port Mosaic binds ({bind_port}) is published")
    need(bool(app.get("healthcheck", {}).get("test")), "mosaic has a healthcheck")
    need("/ready" in str(app.get("healthcheck", {}).get("test")), "mosaic's healthcheck asks /ready")
    for value in map(str, env.values()):
        for var in re.findall(r"\$\{([^}]+)\}", value):
            need(":-" in var or ":?" in var, f"`${{{var}}}` has a default or an error message")


def check_dockerfile() -> None:
    lines = [l.strip() for l in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    stages = [l for l in lines if l.upper().startswith("FROM ")]
    need(len(stages) >= 2, "the Dockerfile is multi-stage")
    names = {m.group(1) for l in stages if (m := re.search(r"\bAS\s+(\S+)", l, re.I))}
    for l in lines:
        if m := re.match(r"COPY\s+--from=(\S+)", l, re.I):
            need(m.group(1) in names, f"COPY --from={m.group(1)} names a stage")
    final = lines[lines.index(stages[-1]):] if stages else []
    users = [l.split()[1] for l in final if l.upper().startswith("USER ")]
    need(bool(users) and users[-1] not in ("root", "0"), "the final stage runs as a non-root user")
    need(any("cargo build --release" in l and "--locked" in l for l in lines), "the binary is a locked release build")
    build = lines[: lines.index(stages[-1])] if stages else []
    need(any("npm" in l and "install" in l for l in build), "the build stage has npm for GraphiQL's assets (api/build.rs)")
    need(any("target/release/mosaic" in l for l in final), "the final stage copies the mosaic binary")
    need(any(l.startswith("ENTRYPOINT") and "mosaic" in l for l in final), "the entrypoint is mosaic")


check_compose()
check_dockerfile()
for problem in problems:
    print(f"compose check failed: {problem}")
print("docker-compose.yml and Dockerfile:", "FAILED" if problems else "valid")
sys.exit(1 if problems else 0)
