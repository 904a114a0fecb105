//! The seed's vocabularies (`api/seed/vocabularies.toml`): reference data, loaded in every
//! scope, and what the programme's codes are checked against.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use entity::enums::ClassificationVocabulary;
use entity::term;
use sea_orm::ActiveValue::Set;
use serde::Deserialize;
use uuid::Uuid;

use super::text;

/// The vocabularies file, compiled into the binary.
const VOCABULARIES: &str = include_str!("../../seed/vocabularies.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    terms: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    vocabulary: ClassificationVocabulary,
    code: String,
    language: String,
    label: HashMap<String, String>,
}

/// Adds the terms of the compiled vocabularies a database lacks (one migrated from before
/// vocabularies, or a production one seeded without them), keeping every term it has.
pub async fn fill_missing(db: &impl sea_orm::ConnectionTrait) -> anyhow::Result<()> {
    use sea_orm::{EntityTrait, QuerySelect};
    let have: HashSet<(ClassificationVocabulary, String)> = term::Entity::find()
        .select_only()
        .column(term::Column::Vocabulary)
        .column(term::Column::Code)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let all = Terms::load()?;
    let missing: Vec<term::ActiveModel> = all
        .rows
        .into_iter()
        .filter(|row| match (&row.vocabulary, &row.code) {
            (Set(v), Set(c)) => !have.contains(&(*v, c.clone())),
            _ => false,
        })
        .collect();
    if !missing.is_empty() {
        term::Entity::insert_many(missing)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Every term, and the codes each vocabulary knows.
pub struct Terms {
    pub rows: Vec<term::ActiveModel>,
    known: HashSet<(ClassificationVocabulary, String)>,
}

impl Terms {
    pub fn load() -> anyhow::Result<Self> {
        let file: File = toml::from_str(VOCABULARIES)
            .context("the seed file api/seed/vocabularies.toml is invalid")?;
        let mut known = HashSet::new();
        let mut rows = Vec::new();
        for t in &file.terms {
            let what = format!("term {}", t.code);
            if !known.insert((t.vocabulary, t.code.clone())) {
                bail!("{what}: defined twice");
            }
            rows.push(term::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(Uuid::now_v7()),
                vocabulary: Set(t.vocabulary),
                code: Set(t.code.clone()),
                label: Set(text(&t.label, &t.language, &what)?),
                language: Set(t.language.clone()),
                version: Set(1),
            });
        }
        Ok(Self { rows, known })
    }

    /// Fails unless every code is a term of `vocabulary`.
    pub fn check(
        &self,
        vocabulary: ClassificationVocabulary,
        codes: &[String],
        what: &str,
    ) -> anyhow::Result<()> {
        match codes
            .iter()
            .find(|c| !self.known.contains(&(vocabulary, (*c).clone())))
        {
            Some(code) => Err(anyhow!("{what}: `{code}` is no term of {vocabulary:?}")),
            None => Ok(()),
        }
    }
}
