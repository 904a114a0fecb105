//! The end-to-end suite: real HTTP against a real database, as a client would see it.

mod abuse;
mod access;
mod batching;
mod concurrency;
mod countries;
mod endpoints;
mod events;
mod filters;
mod funding_summary;
mod illustrative;
mod jwt_limits;
mod languages;
mod paging;
mod participation_summary;
mod production;
mod programmes;
mod project_summary;
mod seed_facts;
mod startup;
mod synthetic;
mod tokens;
mod trust;
mod visibility;
mod websocket;
mod workshops;
mod writes;
