//! Mosaic: the GraphQL API of a multi-country gender-equality programme.
//!
//! `Application::build` assembles the whole server from a [`config::Config`]; `main.rs` and the
//! end-to-end tests both go through it, so what the tests run is what production runs.

pub mod access;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod derived;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod search;
pub mod seed;
pub mod telemetry;
pub mod writes;

mod application;

pub use application::Application;
