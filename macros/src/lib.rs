//! Mosaic's procedural macros. `#[paged]`: the Relay page arguments of every connection field,
//! declared once (below). `#[derive(ByPosition)]`: entity models read by column position
//! (`by_position.rs`).
//!
//! async-graphql reads a field's arguments from its Rust parameters, one by one, each with
//! its own description. Thirteen connection fields used to repeat the same four, and their
//! descriptions drifted apart. Put `#[paged]` above `#[Object]` on an impl; in each method
//! with a parameter `name: PageArgs` (any path ending in `PageArgs`), it:
//! - replaces that parameter with `first`, `after`, `last` and `before`, described once here;
//! - binds `name` to `PageArgs::new(first, after, last, before)` at the start of the body;
//! - adds `complexity = "<PageArgs>::complexity(first, last) * child_complexity"` to the
//!   method's `#[graphql(...)]`, so a page's cost counts its size;
//! - allows `clippy::too_many_arguments` there: the four stand for one argument.
//!
//! The macro runs before `#[Object]`, which then sees ordinary parameters.

mod by_position;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{
    Attribute, FnArg, ImplItem, ImplItemFn, ItemImpl, Meta, Pat, PatType, Token, Type,
    parse_macro_input, parse_quote,
};

const FIRST: &str = "How many to return from the start, or after `after`: 20 by default, \
                     at most 100.";
const AFTER: &str = "The `pageInfo.endCursor` of the previous page in the same order, to \
                     continue after it.";
const LAST: &str = "How many to return counting back from the end, or from `before`: at most \
                    100; instead of `first`.";
const BEFORE: &str = "The `pageInfo.startCursor` of the page after in the same order, to page \
                      backwards from it.";

#[proc_macro_attribute]
pub fn paged(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr = Tokens::from(attr);
        return syn::Error::new_spanned(attr, "#[paged] takes no arguments")
            .to_compile_error()
            .into();
    }
    let mut block = parse_macro_input!(item as ItemImpl);
    for item in &mut block.items {
        if let ImplItem::Fn(method) = item
            && let Err(error) = expand(method)
        {
            return error.to_compile_error().into();
        }
    }
    quote!(#block).into()
}

/// Expands the page parameter of one method, if it has one.
fn expand(method: &mut ImplItemFn) -> syn::Result<()> {
    if !method.sig.inputs.iter().any(is_page) {
        return Ok(());
    }
    let inputs = std::mem::take(&mut method.sig.inputs);
    let mut binding = None;
    for input in inputs {
        let FnArg::Typed(PatType { pat, ty, attrs, .. }) = &input else {
            method.sig.inputs.push(input);
            continue;
        };
        if binding.is_some() || !is_page(&input) {
            method.sig.inputs.push(input);
            continue;
        }
        if let Some(attr) = attrs.first() {
            return Err(syn::Error::new_spanned(
                attr,
                "#[paged] describes the page arguments itself",
            ));
        }
        binding = Some(quote! { let #pat: #ty = <#ty>::new(first, after, last, before); });
        let page_args: [FnArg; 4] = [
            parse_quote!(#[graphql(desc = #FIRST)] first: ::std::option::Option<i32>),
            parse_quote!(#[graphql(desc = #AFTER)] after: ::std::option::Option<::std::string::String>),
            parse_quote!(#[graphql(desc = #LAST)] last: ::std::option::Option<i32>),
            parse_quote!(#[graphql(desc = #BEFORE)] before: ::std::option::Option<::std::string::String>),
        ];
        method.sig.inputs.extend(page_args);
        add_complexity(&mut method.attrs, ty.as_ref())?;
        // The four stand for one argument, the page.
        method
            .attrs
            .push(parse_quote!(#[allow(clippy::too_many_arguments)]));
    }
    let body = &method.block;
    method.block = parse_quote!({ #binding #body });
    Ok(())
}

/// A parameter `name: …PageArgs`.
fn is_page(input: &FnArg) -> bool {
    let FnArg::Typed(PatType { pat, ty, .. }) = input else {
        return false;
    };
    let Type::Path(path) = ty.as_ref() else {
        return false;
    };
    matches!(pat.as_ref(), Pat::Ident(_))
        && path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "PageArgs")
}

/// Adds the page's complexity to the method's `#[graphql(...)]`, or a new one.
fn add_complexity(attrs: &mut Vec<Attribute>, ty: &Type) -> syn::Result<()> {
    let cost = format!(
        "<{}>::complexity(first, last) * child_complexity",
        quote!(#ty).to_string().replace(' ', "")
    );
    let Some(graphql) = attrs.iter_mut().find(|a| a.path().is_ident("graphql")) else {
        attrs.push(parse_quote!(#[graphql(complexity = #cost)]));
        return Ok(());
    };
    let mut items = graphql.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?;
    if let Some(set) = items.iter().find(|m| m.path().is_ident("complexity")) {
        return Err(syn::Error::new_spanned(
            set,
            "#[paged] sets the complexity of a paged field itself",
        ));
    }
    items.push(parse_quote!(complexity = #cost));
    *graphql = parse_quote!(#[graphql(#items)]);
    Ok(())
}

/// `#[derive(ByPosition)]` on an entity model: reads it from a row by column position
/// (`by_position.rs`).
#[proc_macro_derive(ByPosition)]
pub fn by_position(input: TokenStream) -> TokenStream {
    by_position::derive(input)
}
