//! GraphiQL served entirely by Mosaic: the page, its start-up script and the pinned npm
//! bundles `build.rs` embedded, so it works on a machine without internet access.

use actix_web::{HttpResponse, http::header, web};

/// One file served under `/graphiql/assets/`.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

mod vendored {
    include!(concat!(env!("OUT_DIR"), "/graphiql_assets.rs"));
}

const PAGE: &str = include_str!("../../graphiql/index.html");

/// Mosaic's own files, kept in `api/graphiql/` beside the npm manifest.
static OWN: &[Asset] = &[
    Asset {
        name: "mosaic-graphiql.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../graphiql/mosaic-graphiql.js"),
    },
    Asset {
        name: "mosaic-graphiql.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../graphiql/mosaic-graphiql.css"),
    },
];

/// Scripts and styles from this server only; connections to this origin (HTTP and
/// WebSocket). GraphiQL sets inline styles and uses `data:` fonts and images.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn page() -> HttpResponse {
    if vendored::VENDORED.is_empty() {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(
                "GraphiQL's assets were not built into this Mosaic: npm was not available when \
                 it was compiled (see the build warnings). Install Node.js with npm and rebuild; \
                 the API at /graphql works regardless.\n",
            );
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(PAGE)
}

/// The example operations of `docs/operations/`, as GraphiQL's tabs take them.
pub async fn operations() -> HttpResponse {
    let tabs: Vec<serde_json::Value> = vendored::OPERATIONS
        .iter()
        .map(|(name, query, variables)| {
            serde_json::json!({ "name": name, "query": query, "variables": variables })
        })
        .collect();
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(tabs)
}

pub async fn asset(name: web::Path<String>) -> HttpResponse {
    let found = vendored::VENDORED
        .iter()
        .chain(OWN)
        .find(|asset| asset.name == name.as_str());
    match found {
        Some(asset) => HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            // Contents change only with a new build; revalidate after an hour.
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(asset.bytes),
        None => HttpResponse::NotFound().finish(),
    }
}
