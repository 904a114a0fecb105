//! The end-to-end suite: real HTTP against a real database, as a client would see it.

mod abuse;
mod access;
mod batching;
mod endpoints;
mod events;
mod filters;
mod funding_summary;
mod languages;
mod paging;
mod participation_summary;
mod seed_facts;
mod startup;
mod synthetic;
mod tokens;
mod visibility;
mod workshops;
mod writes;
