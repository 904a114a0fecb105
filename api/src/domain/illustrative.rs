//! Invented data, named as the API names it: the seed flags a record it invented as a whole,
//! and within a real record the values it invented (`illustrativeFields`). A write that sets
//! a value makes it real, so its name leaves the list.

use serde_json::Value as Json;

/// The API name of a stored column (or of a name already in API form): `start_date` is
/// `startDate`, `amount_minor` is `amount`, `venue_town` is `venue.town`, `funder_id` is
/// `funder` (the API names the object, not its key).
pub fn api_name(name: &str) -> String {
    let name = name.strip_suffix("_minor").unwrap_or(name);
    let name = name.strip_suffix("_id").unwrap_or(name);
    if let Some(part) = name.strip_prefix("venue_") {
        return format!("venue.{}", camel(part));
    }
    camel(name)
}

fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The stored list as API names.
pub fn names(stored: &Json) -> Vec<String> {
    stored
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(Json::as_str)
                .map(api_name)
                .collect()
        })
        .unwrap_or_default()
}

/// The list without the values a write just set (API names); `None` when none was listed.
pub fn cleared(stored: &Json, set: &[String]) -> Option<Json> {
    let before = names(stored);
    let after: Vec<Json> = before
        .iter()
        .filter(|name| !set.contains(name))
        .cloned()
        .map(Json::String)
        .collect();
    (after.len() != before.len()).then_some(Json::Array(after))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn stored_names_read_as_the_api_names_them() {
        assert_eq!(api_name("start_date"), "startDate");
        assert_eq!(api_name("startDate"), "startDate");
        assert_eq!(api_name("amount_minor"), "amount");
        assert_eq!(api_name("venue_town"), "venue.town");
        assert_eq!(api_name("venue_region_id"), "venue.region");
        assert_eq!(api_name("funder_id"), "funder");
        assert_eq!(
            names(&json!(["value_date", "status"])),
            ["valueDate", "status"]
        );
    }

    #[test]
    fn setting_a_value_clears_only_its_flag() {
        let stored = json!(["startsAt", "capacity"]);
        assert_eq!(
            cleared(&stored, &["capacity".into(), "title".into()]),
            Some(json!(["startsAt"]))
        );
        assert_eq!(cleared(&stored, &["title".into()]), None);
    }
}
