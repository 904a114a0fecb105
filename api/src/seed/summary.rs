//! What a seed wrote, for the log.

/// What was written, for the log.
#[derive(Debug, Default)]
pub struct Summary {
    pub countries: usize,
    pub regions: usize,
    pub organisations: usize,
    pub projects: usize,
    pub fundings: usize,
    pub workshops: usize,
    pub registrations: usize,
    pub exchange_rates: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts = [
            (self.countries, "countries"),
            (self.regions, "regions"),
            (self.organisations, "organisations"),
            (self.projects, "projects"),
            (self.fundings, "fundings"),
            (self.workshops, "workshops"),
            (self.registrations, "registrations"),
            (self.exchange_rates, "exchange rates"),
        ];
        let written: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        f.write_str(&written.join(", "))
    }
}
