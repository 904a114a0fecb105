//! Installs GraphiQL's pinned npm packages (`graphiql/package-lock.json`) into `OUT_DIR` with
//! `npm ci` and generates `graphiql_assets.rs`, which embeds the browser files Mosaic serves
//! at `/graphiql/assets/` and the example operations of `docs/operations/` (GraphiQL opens
//! them as tabs). So GraphiQL needs no network once Mosaic is built.
//!
//! Without npm (or when the install fails) the build goes on with a warning and `/graphiql`
//! explains that its assets are missing; the API itself is unaffected.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
};

/// (file served, content type, path inside node_modules)
const VENDORED: [(&str, &str, &str); 6] = [
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        "graphiql/graphiql.min.css",
    ),
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        "graphiql/graphiql.min.js",
    ),
    (
        "graphiql-plugin-explorer.umd.js",
        "text/javascript; charset=utf-8",
        "@graphiql/plugin-explorer/dist/index.umd.js",
    ),
    (
        "graphiql-plugin-explorer.css",
        "text/css; charset=utf-8",
        "@graphiql/plugin-explorer/dist/style.css",
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        "react/umd/react.production.min.js",
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        "react-dom/umd/react-dom.production.min.js",
    ),
];

fn main() {
    println!("cargo:rerun-if-changed=graphiql/package.json");
    println!("cargo:rerun-if-changed=graphiql/package-lock.json");
    println!("cargo:rerun-if-env-changed=NPM");
    println!("cargo:rerun-if-changed=../docs/operations");
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        println!("cargo:warning=OUT_DIR is not set; GraphiQL assets left out");
        return;
    };
    let mut generated = match install(&out_dir.join("graphiql")) {
        Ok(node_modules) => embedding(&node_modules),
        Err(reason) => {
            println!("cargo:warning=GraphiQL assets left out ({reason}); /graphiql will say so");
            "pub static VENDORED: &[super::Asset] = &[];\n".to_owned()
        }
    };
    generated.push_str(&operations());
    if let Err(error) = fs::write(out_dir.join("graphiql_assets.rs"), generated) {
        panic!("cannot write graphiql_assets.rs: {error}");
    }
}

/// Runs `npm ci` in `dir` unless the same lockfile is already installed there.
fn install(dir: &Path) -> Result<PathBuf, String> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let lock = fs::read(manifest.join("graphiql/package-lock.json")).map_err(|e| e.to_string())?;
    let node_modules = dir.join("node_modules");
    let installed = fs::read(dir.join("installed.lock")).ok();
    let complete = VENDORED
        .iter()
        .all(|(_, _, path)| node_modules.join(path).is_file());
    if installed.as_deref() == Some(lock.as_slice()) && complete {
        return Ok(node_modules);
    }
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(manifest.join("graphiql").join(file), dir.join(file))
            .map_err(|e| e.to_string())?;
    }
    let npm = env::var("NPM").unwrap_or_else(|_| "npm".to_owned());
    let status = Command::new(&npm)
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {npm}: {e}"))?;
    if !status.success() {
        return Err(format!("`{npm} ci` failed with {status}"));
    }
    fs::write(dir.join("installed.lock"), &lock).map_err(|e| e.to_string())?;
    Ok(node_modules)
}

fn embedding(node_modules: &Path) -> String {
    let mut code = String::from("pub static VENDORED: &[super::Asset] = &[\n");
    for (name, content_type, path) in VENDORED {
        let file = node_modules.join(path);
        code.push_str(&format!(
            "    super::Asset {{ name: {name:?}, content_type: {content_type:?}, bytes: include_bytes!({file:?}) }},\n",
            file = file.display().to_string()
        ));
    }
    code.push_str("];\n");
    code
}

/// `OPERATIONS`: each example operation of `docs/operations/` (file name, document, variables
/// if a `.json` beside it holds some), in file-name order.
fn operations() -> String {
    let mut code = String::from("pub static OPERATIONS: &[(&str, &str, Option<&str>)] = &[\n");
    let dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join("../docs/operations");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|f| f.extension().is_some_and(|e| e == "graphql"));
    files.sort();
    for file in files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let variables = file.with_extension("json");
        let variables = if variables.is_file() {
            format!("Some(include_str!({:?}))", variables.display().to_string())
        } else {
            "None".to_owned()
        };
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?}), {variables}),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    code
}
