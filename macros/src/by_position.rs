//! `#[derive(ByPosition)]`: an entity model read from a row by column position.
//!
//! SeaORM's derived `FromQueryResult` reads each column by name: it formats the prefixed
//! name, hashes it to find the column, then type-checks and decodes the value. Over a page of
//! a few hundred rows the name lookups alone were about a tenth of the server's work. A
//! statement built by `Entity::find()` selects the columns in `Column` order, which is the
//! order of the model's fields, so the derive reads field `i` from position `i`.
//!
//! `carrying` reads a row that holds only some of the columns, still in that order, and puts
//! a `Placeholder` in each other field: a page fetches only what its selection shows.
//! `carrying_from` reads them from a later position: a row joined after another's.

use proc_macro::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, parse_macro_input};

pub fn derive(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return syn::Error::new_spanned(name, "ByPosition is for a model struct")
            .to_compile_error()
            .into();
    };
    let Fields::Named(fields) = &data.fields else {
        return syn::Error::new_spanned(name, "ByPosition needs named fields")
            .to_compile_error()
            .into();
    };
    if fields.named.len() > 64 {
        return syn::Error::new_spanned(name, "ByPosition carries at most 64 columns")
            .to_compile_error()
            .into();
    }
    let reads = fields.named.iter().enumerate().map(|(i, field)| {
        let ident = &field.ident;
        quote! { #ident: row.try_get_by_index(#i)? }
    });
    let carried = fields.named.iter().enumerate().map(|(i, field)| {
        let ident = &field.ident;
        let bit = 1u64 << i;
        quote! {
            #ident: if carried & #bit != 0 {
                at += 1;
                row.try_get_by_index(at - 1)?
            } else {
                crate::Placeholder::placeholder()
            }
        }
    });
    quote! {
        impl crate::ByPosition for #name {
            fn by_position(row: &::sea_orm::QueryResult) -> ::std::result::Result<Self, ::sea_orm::DbErr> {
                ::std::result::Result::Ok(Self { #(#reads),* })
            }

            #[allow(unused_assignments)]
            fn carrying_from(row: &::sea_orm::QueryResult, carried: u64, start: usize) -> ::std::result::Result<Self, ::sea_orm::DbErr> {
                let mut at = start;
                ::std::result::Result::Ok(Self { #(#carried),* })
            }
        }
    }
    .into()
}
